"""The phone number a procedure asks for is a contact number for the agency: the form says so, and
says that messages about the filing go to the phone number registered with the account, which is
where they go (a number typed in a form is not verified: texting it would let anyone send the
portal's SMS to any number)."""

import re

import pytest

from notifications.models import Message
from public_services.procedures import registry
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import answers, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

LABEL = "Số điện thoại di động để cơ quan BHXH liên hệ"
HELP = ("Cán bộ BHXH gọi số này khi cần trao đổi về hồ sơ. Tin nhắn về hồ sơ được gửi đến số điện thoại "
        "đã đăng ký với tài khoản.")


def test_the_form_says_what_the_number_is_for_and_where_messages_go(client, owner, facility):  # noqa: F811
    issue(owner.person, facility)  # the card reissue is offered to a holder of a card in use
    client.force_login(owner)
    html = client.get("/dich-vu-cong/cap-lai-the-bhyt/").content.decode()
    assert f">{LABEL}</label>" in html and HELP in html
    assert "nhận thông báo" not in html
    required = registry.get("BHYT-CL").form(person=None).fields["phone"].error_messages["required"]
    assert str(required) == "Nhập số điện thoại di động để cơ quan BHXH liên hệ."


def test_messages_about_a_filing_go_to_the_registered_phone_not_the_typed_one(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "607A", phone="0987654321")
    sms = Message.objects.filter(channel=Message.Channel.SMS,
                                 idempotency_key__startswith=f"filing-{filing.tracking_number}-")
    assert {message.recipient for message in sms} == {"+84912345678"}


def test_the_review_page_lists_the_contact_number_by_its_label(client, owner):
    client.force_login(owner)
    page = client.get("/dich-vu-cong/cap-lai-so-bhxh/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    html = client.post("/dich-vu-cong/cap-lai-so-bhxh/", {**answers("607A", phone="0987654321"),
                                                           "idempotency_key": key}, follow=True).content.decode()
    assert f"<dt>{LABEL}</dt><dd>0987 654 321</dd>" in html
