"""Completing a filing that writes more than its status (BHYT-CL: a new card; 608A: the person's new
details, and a new card) is confirmed on a page of its own that says what will change, like Django's
delete confirmation; a completion that changes the status only stays one click."""

import re

import pytest
from django.contrib.messages import INFO, WARNING

from accounts.services.identity import person_correct_identity
from health_card.models import Card
from health_card.services import reissue_card
from public_services.models import Filing
from public_services.services import filing_receive, filing_start
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import district_officer, logged, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"


def in_hand(filing, officer):
    for step in (filing_receive, filing_start):
        step(filing=filing, officer=officer)
    return Filing.objects.get(pk=filing.pk)


def test_completing_a_608a_is_confirmed_on_a_page_that_says_what_will_be_written(owner, district_officer,
                                                                                 facility):  # noqa: F811
    issue(owner.person, facility)
    filing = in_hand(submit(owner, "608A"), district_officer)
    client = logged(district_officer)
    page = client.get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert f'href="{QUEUE}{filing.pk}/buoc/complete/">Hoàn thành, có kết quả…</a>' in page
    assert client.post(f"{QUEUE}{filing.pk}/buoc/complete/").status_code == 200  # a post without confirming: asked
    response = client.get(f"{QUEUE}{filing.pk}/buoc/complete/")
    html = response.content.decode()
    assert response.status_code == 200 and Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
    code = owner.person.bhxh_code
    assert f"Họ và tên trong hồ sơ BHXH mã số {code}: Nguyễn Văn Đức → Nguyễn Văn Đức Thành" in html
    assert f"Ngày sinh trong hồ sơ BHXH mã số {code}: {owner.person.birth_date:%d/%m/%Y} → 16/03/1988" in html
    assert "Thẻ BHYT đang dùng (lần cấp 1) được cấp lại theo thông tin mới (lần cấp 2)" in html
    assert 'value="Xác nhận"' in html and f'href="{QUEUE}{filing.pk}/change/" class="button cancel-link">Quay lại</a>' in html
    form = dict(re.findall(r'name="(seen|confirmed)" value="([^"]*)"', html))
    response = client.post(f"{QUEUE}{filing.pk}/buoc/complete/", form, follow=True)
    assert response.request["PATH_INFO"] == f"{QUEUE}{filing.pk}/change/"
    owner.person.refresh_from_db()
    assert owner.person.full_name == "Nguyễn Văn Đức Thành"
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DONE
    response = client.post(f"{QUEUE}{filing.pk}/buoc/complete/", form, follow=True)  # a double submit
    assert [message.level for message in response.context["messages"]] == [INFO]
    assert Card.objects.filter(person=owner.person).count() == 2


def test_a_card_reissue_names_the_new_card_and_a_change_meanwhile_is_confirmed_again(owner, district_officer,
                                                                                     facility):  # noqa: F811
    issue(owner.person, facility)
    filing = in_hand(submit(owner, "BHYT-CL"), district_officer)
    client = logged(district_officer)
    html = client.get(f"{QUEUE}{filing.pk}/buoc/complete/").content.decode()
    assert f"Cấp thẻ BHYT mới cho Nguyễn Văn Đức (mã số {owner.person.bhxh_code}, lần cấp 2)" in html
    form = dict(re.findall(r'name="(seen|confirmed)" value="([^"]*)"', html))
    person_correct_identity(person=owner.person, full_name="Nguyễn Văn Đức Anh")  # meanwhile
    response = client.post(f"{QUEUE}{filing.pk}/buoc/complete/", form)
    assert response.status_code == 200 and "Cấp thẻ BHYT mới cho Nguyễn Văn Đức Anh" in response.content.decode()
    assert [m.level for m in response.context["messages"]] == [WARNING]
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
    reissue_card(owner.person, "Cấp lại do mất thẻ")  # at the counter: nothing is reissued any more
    assert Card.objects.filter(person=owner.person).count() == 2


def test_a_completion_that_changes_the_status_only_stays_one_click(owner, district_officer):
    filing = in_hand(submit(owner), district_officer)
    client = logged(district_officer)
    page = client.get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert "Hoàn thành, có kết quả…" not in page and "Hoàn thành, có kết quả</button>" in page
    assert client.post(f"{QUEUE}{filing.pk}/buoc/complete/").status_code == 302
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DONE


def test_the_benefit_procedures_name_each_monthly_benefit_they_change(owner):
    from lookup.models import Agency
    from public_services.selectors import completion_changes

    paid = submit(owner, "THAY-DOI-CHI-TRA")  # the allowance is paid into a bank account: cash from now on
    assert completion_changes(paid) == [
        f"Khoản TNLD.{owner.person.bhxh_code} – Tai nạn lao động, bệnh nghề nghiệp: phương thức nhận "
        "“Chuyển khoản vào tài khoản cá nhân” → “Tiền mặt tại điểm chi trả (bưu điện)”"]
    moved = submit(owner, "CHUYEN-NOI-HUONG")
    new = Agency.objects.get(pk=moved.data["new_agency"])
    [line] = completion_changes(moved)
    assert line.endswith(f"cơ quan BHXH chi trả {owner.person.agency} → {new}")


def test_a_childs_card_an_earlier_birth_date_ends_is_said_to_expire_not_to_be_reissued(owner, district_officer,
                                                                                       facility):  # noqa: F811
    import datetime

    from django.utils import timezone

    from accounts.models import Guardianship
    from public_services.selectors import completion_changes
    from tests.accounts.helpers import managed_person

    today = timezone.localdate()
    corrected = datetime.date(today.year - 8, 1, 15)
    child = managed_person("7905555556", "Nguyễn Minh Khang", "07901", f"0792{corrected:%y}012345",
                           birth=datetime.date(today.year - 3, 1, 15))
    Guardianship.objects.create(parent=owner, child=child, relationship="cha")
    issue(child, facility, group="TE", valid_from=datetime.date(today.year - 1, 1, 1))
    filing = submit(owner, "608A", person=child, changes=["birth_date"], new_full_name="",
                    new_birth_date=f"{corrected:%d/%m/%Y}")
    assert completion_changes(filing)[1] == (
        "Thẻ BHYT trẻ em đang dùng (lần cấp 1) chuyển sang hết hạn, vì theo ngày sinh mới thẻ chỉ có giá trị đến "
        f"hết ngày 30/09/{today.year - 2}; không cấp thẻ mới.")


def test_a_childs_card_to_begin_after_the_day_an_earlier_birth_date_ends_it_is_said_to_expire(
        owner, district_officer, facility):  # noqa: F811
    """A child's card paid ahead, beginning after the last day the new birth date leaves it: that day is still to
    come, yet the card would never be valid, so the page says it expires and no new card is issued."""
    import datetime

    from django.utils import timezone

    from accounts.models import Guardianship
    from health_card.models.card import add_years
    from health_card.selectors.card_dates import child_card_valid_to
    from public_services.selectors import completion_changes
    from tests.accounts.helpers import managed_person

    today = timezone.localdate()
    # a birth date turning six some months from now: its child's card ends between today and a year ahead
    births = (add_years(today + datetime.timedelta(days=days), -6) for days in range(30, 300))
    corrected = next(born for born in births
                     if today < child_card_valid_to(born) < today + datetime.timedelta(days=330))
    last_day = child_card_valid_to(corrected)
    child = managed_person("7905555556", "Nguyễn Minh Khang", "07901", f"0792{corrected:%y}012345",
                           birth=datetime.date(today.year - 3, 1, 15))
    Guardianship.objects.create(parent=owner, child=child, relationship="cha")
    issue(child, facility, group="TE", valid_from=last_day + datetime.timedelta(days=1))
    filing = submit(owner, "608A", person=child, changes=["birth_date"], new_full_name="",
                    new_birth_date=f"{corrected:%d/%m/%Y}")
    assert completion_changes(filing)[1] == (
        "Thẻ BHYT trẻ em đang dùng (lần cấp 1) chuyển sang hết hạn, vì theo ngày sinh mới thẻ chỉ có giá trị đến "
        f"hết ngày {last_day:%d/%m/%Y}; không cấp thẻ mới.")


@pytest.mark.parametrize("confirmed", [None, "", "0" * 16])
def test_a_confirmation_posted_without_a_value_the_page_showed_is_asked_again_without_a_change_meanwhile(
        owner, district_officer, facility, confirmed):  # noqa: F811
    """Missing, empty or forged: nothing changed meanwhile, so the page is shown again with no warning."""
    issue(owner.person, facility)
    filing = in_hand(submit(owner, "BHYT-CL"), district_officer)
    client = logged(district_officer)
    form = {"seen": "processing"} if confirmed is None else {"seen": "processing", "confirmed": confirmed}
    response = client.post(f"{QUEUE}{filing.pk}/buoc/complete/", form)
    assert response.status_code == 200 and 'value="Xác nhận"' in response.content.decode()
    assert list(response.context["messages"]) == []
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
    assert Card.objects.filter(person=owner.person).count() == 1


def test_a_one_click_completion_that_gains_changes_before_it_runs_is_confirmed_first(owner, district_officer,
                                                                                      facility, monkeypatch):  # noqa: F811
    """The page showed a plain "Hoàn thành" (nothing but the status to write), and something to
    write appeared before the completion took its lock: it is not written unseen, it is shown."""
    from public_services.admin import steps as filing_steps

    issue(owner.person, facility)
    filing = in_hand(submit(owner, "608A"), district_officer)
    monkeypatch.setattr(filing_steps, "completion_confirmed", lambda filing, officer: [])  # what the page saw
    client = logged(district_officer)
    response = client.post(f"{QUEUE}{filing.pk}/buoc/complete/", {"seen": Filing.Status.PROCESSING})
    owner.person.refresh_from_db()
    assert owner.person.full_name == "Nguyễn Văn Đức"
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
    assert response.status_code == 200 and 'value="Xác nhận"' in response.content.decode()
    assert [message.level for message in response.context["messages"]] == [WARNING]
