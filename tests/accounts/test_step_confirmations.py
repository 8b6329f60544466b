"""A step that went through says so in the messages box, which the focus moves to (a status box that
comes with the page is not announced): switching to a child's records and back, the adult's and the
child's registration sent, a feedback sent. The sentence is on the page once, and while a parent views
a child every page's title says so, without the name."""

import re

import pytest

from accounts.models import Guardianship, Registration
from public_services.models import Feedback
from tests.public_services.test_feedback import agency, send  # noqa: F401 (fixture)

from .helpers import register
from .test_child_account import child, parent  # noqa: F401 (fixtures)
from .test_child_account import send as send_child
from .test_registration import person  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("reference_data")

MESSAGES = re.compile(r"<div role=\"status\" tabindex=\"-1\" data-messages>(.*?)</div>", re.S)


def said(html: str) -> str:
    """The text of the messages box, tags removed; empty without one."""
    found = MESSAGES.search(html)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.fixture
def guardian(parent, child):  # noqa: F811
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    return parent


def test_switching_to_a_child_says_whose_records_show_once_and_titles_say_a_child_s_without_the_name(
        client, guardian, child):  # noqa: F811
    client.force_login(guardian)
    response = client.post("/ca-nhan/xem/", {"child": child.pk}, follow=True)
    html = response.content.decode()
    assert said(html) == f"Đang xem thông tin của {child.full_name}."
    assert f"<strong>{child.full_name}</strong>" in MESSAGES.search(html).group(1)
    assert html.count("Đang xem thông tin của") == 1  # the page's own box leaves it out
    assert "Quay về tài khoản của tôi" in html
    # The next page has no message: its box says it again, and its title says it is a child's records without
    # the name, which the browser's history keeps for the next user of a shared computer.
    html = client.get("/the-bhyt/").content.decode()
    assert said(html) == "" and f"Đang xem thông tin của <strong>{child.full_name}</strong>." in html
    assert "Thẻ BHYT – thông tin của con – " in title(html)
    for page in (html, client.get("/ca-nhan/").content.decode()):
        assert "thông tin của con" in title(page) and child.full_name not in title(page)


def test_switching_back_says_so_and_titles_name_nobody(client, guardian, child):  # noqa: F811
    client.force_login(guardian)
    client.post("/ca-nhan/xem/", {"child": child.pk}, follow=True)
    html = client.post("/ca-nhan/xem/", {}, follow=True).content.decode()
    assert said(html) == "Đã quay về thông tin của bạn."
    assert "Đang xem thông tin của" not in html
    assert child.full_name not in title(client.get("/the-bhyt/").content.decode())
    assert "thông tin của con" not in title(client.get("/the-bhyt/").content.decode())


def test_a_post_back_while_viewing_ones_own_records_says_nothing(client, guardian):
    client.force_login(guardian)
    assert said(client.post("/ca-nhan/xem/", {}, follow=True).content.decode()) == ""


def test_the_adults_registration_sent_says_so_with_its_reference(client, person):  # noqa: F811
    response = register(client, full_name="Nguyễn Văn Đức")
    assert response.status_code == 302
    reference = Registration.objects.get().reference
    assert said(client.get(response.url).content.decode()) == f"Đã gửi đăng ký. Số tham chiếu của bạn là {reference}."


def test_the_childs_registration_sent_says_so_with_its_reference(client, parent, child):  # noqa: F811
    client.force_login(parent)
    response = send_child(client)
    assert response.status_code == 302
    reference = Registration.objects.get().reference
    assert said(client.get(response.url).content.decode()) == f"Đã gửi đăng ký. Số tham chiếu của bạn là {reference}."


RECEIVED = re.compile(r"(?:Đã|đã được) tiếp nhận(?!, đang xem xét)")  # not the status in the summary


@pytest.mark.parametrize("held_back", [(), ("sms",)], ids=["confirmed", "confirmation-held-back"])
def test_a_feedback_sent_says_so_with_its_number(client, agency, django_capture_on_commit_callbacks, monkeypatch,  # noqa: F811
                                                 held_back):
    """Received is said once: by the messages box, not again by the status page's box nor by the notice of a
    confirmation held back; a later visit of the page, with no message, says it in its box."""
    monkeypatch.setattr("public_services.views.feedback.feedback_unconfirmed_channels", lambda feedback: list(held_back))
    response, _ = send(client, agency, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    number = Feedback.objects.get().tracking_number
    html = client.get(response.url).content.decode()
    assert said(html).startswith(f"Đã tiếp nhận phản ánh {number}.")
    assert len(RECEIVED.findall(html)) == 1
    assert ("Cổng không gửi thêm tin nhắn xác nhận" in html) == bool(held_back)
    later = client.get(response.url).content.decode()
    assert said(later) == "" and len(RECEIVED.findall(later)) == 1


def test_the_confirmations_are_in_english_on_the_english_site(client, guardian, child, settings):  # noqa: F811
    client.force_login(guardian)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post("/ca-nhan/xem/", {"child": child.pk}, follow=True).content.decode()
    assert said(html) == f"You are viewing the details of {child.full_name}."
    assert said(client.get("/ca-nhan/").content.decode()) == ""
    assert said(client.post("/ca-nhan/xem/", {}, follow=True).content.decode()) == "You are back to your own details."


def test_a_notices_link_to_a_child_says_whose_records_show_when_the_person_changes(client, guardian, child):  # noqa: F811
    """/ca-nhan/xem/<id>/ (a notice's link, the approved child registration's button) switches as the
    button does and says so alike, once; a link to the person already shown says nothing."""
    client.force_login(guardian)
    html = client.get(f"/ca-nhan/xem/{child.pk}/", {"tiep": "/the-bhyt/"}, follow=True).content.decode()
    assert said(html) == f"Đang xem thông tin của {child.full_name}."
    assert html.count("Đang xem thông tin của") == 1
    assert said(client.get(f"/ca-nhan/xem/{child.pk}/", follow=True).content.decode()) == ""
    html = client.get(f"/ca-nhan/xem/{guardian.person_id}/", follow=True).content.decode()
    assert said(html) == "Đã quay về thông tin của bạn."
    assert said(client.get(f"/ca-nhan/xem/{guardian.person_id}/", follow=True).content.decode()) == ""
