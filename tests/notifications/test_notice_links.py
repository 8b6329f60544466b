"""A notice links to the page it speaks of: the filing, the benefit record, the visit. A notice
about a person's records opens them whoever is in view: a parent's notice about a child's visit or
benefit opens the child's, and the parent's own notice opens their own even while they are viewing
a child. Such a link goes through accounts:view_person, which switches the personal pages to that
person — the user or a minor child of theirs, nobody else."""

import datetime

import pytest
from django.test import Client

from benefits.services import benefit_save
from health_card.services import visit_save
from notifications.models import Message
from notifications.services import _link, send_message
from participation.models import Period
from participation.services.periods import period_save
from tests.benefits.helpers import child_of, childs_dates, citizen, record
from tests.health_card.test_visits import standard_lines, visit
from tests.participation.helpers import period
from tests.public_services.helpers import owner, submit  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def opened(user, notice) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/thong-bao/{notice.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_filing_notice_links_to_the_filing_and_the_link_opens_it(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner)
    notice = Message.objects.get(user=owner, channel=Message.Channel.INBOX, template="public_service_filing")
    assert notice.link == f"/dich-vu-cong/ho-so/{filing.pk}/"
    assert f'<a href="/dich-vu-cong/ho-so/{filing.pk}/">Xem chi tiết</a>' in opened(owner, notice)
    client = Client()
    client.force_login(owner)
    assert filing.tracking_number in client.get(notice.link).content.decode()


def test_a_benefit_notice_links_to_the_record(django_capture_on_commit_callbacks):
    user = citizen()
    obj = record(user.person, save=False)
    with django_capture_on_commit_callbacks(execute=True):
        benefit_save(record=obj)
    notice = Message.objects.get(user=user, channel=Message.Channel.INBOX)
    assert notice.link == f"/ca-nhan/xem/{user.person.pk}/?tiep=%2Fthong-tin-huong%2F{obj.pk}%2F"
    sms = Message.objects.get(user=user, channel=Message.Channel.SMS)
    assert sms.link == ""  # only a notice on the portal carries a link


def test_a_notice_without_a_link_template_shows_no_link():
    user = citizen()
    notice = send_message(channel=Message.Channel.INBOX, template="welcome", user=user, idempotency_key="welcome-1",
                          context={"name": "Nguyễn Văn Đức", "code": "7901234567"})
    page = opened(user, notice)
    assert "Xin chào Nguyễn Văn Đức," in page  # the notice itself is shown, without a link
    assert notice.link == "" and "Xem chi tiết" not in page


def test_only_a_path_of_the_portal_is_kept(settings, tmp_path):
    folder = tmp_path / "notifications" / "messages"
    folder.mkdir(parents=True)
    for name, text in {"abroad": "https://evil.example/", "protocol": "//evil.example/x", "here": " /ca-nhan/\n"}.items():
        (folder / f"{name}.link.txt").write_text(text)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert [_link(name, {}) for name in ("abroad", "protocol", "here", "missing")] == ["", "", "/ca-nhan/", ""]


def followed(client, link):
    response = client.get(link, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0], response.content.decode()


@pytest.fixture
def parent():
    user = citizen()
    user.child = child_of(user)
    return user


def childs_year(parent) -> int:
    """The year the child turned 15: the child's visits and periods are never before the birth, whenever the
    tests run."""
    return parent.child.birth_date.year + 15


def test_a_childs_visit_notice_opens_the_childs_visit_for_the_parent(parent):
    child_visit = visit(parent.child, save=False, admitted=datetime.date(childs_year(parent), 3, 4),
                        diagnosis_name="Viêm họng cấp")
    visit_save(visit=child_visit, lines=standard_lines())
    own_visit = visit(parent.person, save=False, diagnosis_name="Viêm phế quản cấp")
    visit_save(visit=own_visit, lines=standard_lines())
    child_link, own_link = (Message.objects.filter(user=parent, channel=Message.Channel.INBOX, template="visit_added")
                            .order_by("pk").values_list("link", flat=True))
    client = Client()
    client.force_login(parent)
    where, page = followed(client, child_link)
    assert where == f"/so-kham-chua-benh/{child_visit.pk}/" and "Viêm họng cấp" in page
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in page
    where, page = followed(client, own_link)  # while the child is in view: the parent's own visit
    assert where == f"/so-kham-chua-benh/{own_visit.pk}/" and "Viêm phế quản cấp" in page
    assert "Đang xem thông tin của" not in page


def test_a_childs_benefit_notice_opens_the_childs_record(parent):
    childs = record(parent.child, save=False, reference="T-CHILD-1", **childs_dates(parent.child))
    benefit_save(record=childs)
    client = Client()
    client.force_login(parent)
    where, page = followed(client, Message.objects.get(user=parent, channel=Message.Channel.INBOX).link)
    assert where == f"/thong-tin-huong/{childs.pk}/" and "T-CHILD-1" in page


def test_the_switch_refuses_anybody_elses_person_and_leaves_the_portal_never(parent):
    stranger = citizen("7901234568", "Trần Thị Lan", sex=2, id_number="079188012399")
    client = Client()
    client.force_login(parent)
    assert client.get(f"/ca-nhan/xem/{stranger.person.pk}/?tiep=/the-bhyt/").status_code == 404
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", ""):
        response = client.get(f"/ca-nhan/xem/{parent.child.pk}/", {"tiep": target})
        assert response.status_code == 302 and response["Location"] == "/ca-nhan/", target
    anonymous = Client().get(f"/ca-nhan/xem/{parent.child.pk}/?tiep=/the-bhyt/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/tai-khoan/dang-nhap/")


def test_a_notice_about_a_child_grown_up_since_leads_to_the_personal_page(parent):
    from accounts.models import Person

    benefit_save(record=record(parent.child, save=False, reference="T-CHILD-2", **childs_dates(parent.child)))
    link = Message.objects.get(user=parent, channel=Message.Channel.INBOX).link
    Person.objects.filter(pk=parent.child.pk).update(birth_date=datetime.date(2000, 6, 1))
    client = Client()
    client.force_login(parent)
    where, page = followed(client, link)
    assert where == "/ca-nhan/" and "Người này đã đủ 18 tuổi: bạn không còn xem được thông tin của họ." in page
    assert "T-CHILD-2" not in page


@pytest.mark.parametrize("kind, tab", [
    (Period.Kind.BHXH_COMPULSORY, "bhxh"), (Period.Kind.BHXH_VOLUNTARY, "bhxh"), (Period.Kind.BHTN, "bhtn"),
    (Period.Kind.BHTNLD, "bhtnld"), (Period.Kind.BHYT, "bhyt"),
])
def test_a_childs_participation_notice_opens_the_tab_of_the_type_that_changed(parent, kind, tab):
    year = childs_year(parent)
    period_save(period=period(parent.child, f"01/{year}", f"12/{year}", kind=kind, payer=Period.Payer.HOUSEHOLD,
                              save=False))
    link = Message.objects.get(user=parent, channel=Message.Channel.INBOX, template="participation_changed").link
    assert link == f"/ca-nhan/xem/{parent.child.pk}/?tiep=%2Fqua-trinh-tham-gia%2F{tab}%2F"
    client = Client()
    client.force_login(parent)
    where, page = followed(client, link)
    assert where == f"/qua-trinh-tham-gia/{tab}/" and "Nguyễn Gia Bảo" in page
    assert f"từ 01/{year} đến 12/{year}" in page and "Chưa có giai đoạn tham gia" not in page


def test_a_participation_notice_written_without_its_tab_still_opens_the_history(parent):
    """Notices written before they named a tab (their link stored then) open the history as before."""
    year = childs_year(parent)
    saved = period(parent.child, f"01/{year}", f"12/{year}", kind=Period.Kind.BHYT, payer=Period.Payer.HOUSEHOLD)
    notice = send_message(channel=Message.Channel.INBOX, template="participation_changed", user=parent,
                          idempotency_key="before-tabs", context={"period": saved, "person": parent.child,
                                                                  "for_child": True})
    assert notice.link == f"/ca-nhan/xem/{parent.child.pk}/?tiep=%2Fqua-trinh-tham-gia%2F"
    client = Client()
    client.force_login(parent)
    where, page = followed(client, notice.link)
    assert where == "/qua-trinh-tham-gia/" and "Nguyễn Gia Bảo" in page
