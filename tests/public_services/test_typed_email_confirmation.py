"""An e-mail address typed on a filing's form hears of the filing only once its owner has confirmed it:
until then it gets one e-mail, saying nothing of the filing, with a signed link whose page asks
(GET) and confirms (POST); a typo sends a stranger that e-mail and nothing else. The login's own
address, which the portal mails the account's notices to already, is not asked again."""

import re
import time

import pytest
from django.core import mail as django_mail
from django.core import signing
from django.test import Client

from notifications.models import Message
from public_services.models import Filing
from public_services.procedures import registry
from public_services.selectors import EMAIL_CONFIRMATION_DAYS, email_confirmation_token
from public_services.services import filing_receive, filing_resubmit, filing_return, filing_start

from .helpers import answers, correction, district_officer, owner, review_post, stranger, submit  # noqa: F401

pytestmark = pytest.mark.django_db

OWNER_NAME = "Nguyễn Văn Đức"
TYPED = "nguoi.nop@example.vn"
INVALID = "Đường dẫn không hợp lệ hoặc đã hết hạn"


def emails_to(address: str):
    return Message.objects.filter(channel=Message.Channel.EMAIL, recipient=address).order_by("pk")


LINK = re.compile(r"(?:https?://[^/\s]+)?(/dich-vu-cong/xac-nhan-email/[^/\s]+/)")


def confirmation_path(address: str = TYPED) -> str:
    """The link of the one confirmation e-mail sent to `address`, as its owner reads it: from the mail
    delivered, since the outbox keeps no working link once sent (a sensitive message)."""
    [message] = emails_to(address).filter(template="public_service_email_confirm")
    [body] = [mail.body for mail in django_mail.outbox if mail.to == [address] and LINK.search(mail.body)]
    return LINK.search(body).group(1)


def filed(owner, address=TYPED, **overrides):  # noqa: F811
    return submit(owner, "607A", email=address, **overrides)


def test_a_typed_address_gets_only_the_confirmation_which_says_nothing_of_the_filing(
        owner, district_officer, settings, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    settings.PORTAL_PUBLIC_URL = "https://baohiemxahoi.example.vn"
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    with django_capture_on_commit_callbacks(execute=True):
        filing_receive(filing=filing, officer=district_officer)
        filing_start(filing=filing, officer=district_officer)
        filing_return(filing=filing, officer=district_officer, what="Bổ sung ảnh giấy khai sinh")
    [message] = emails_to(TYPED)
    assert message.template == "public_service_email_confirm"
    [mail] = [mail for mail in mailoutbox if mail.to == [TYPED]]
    text = mail.subject + mail.body
    for personal in (filing.tracking_number, OWNER_NAME, owner.person.bhxh_code, "Cấp lại sổ", "607A", "Đã nộp",
                     "giấy khai sinh", "Cần bổ sung"):
        assert personal not in text, personal
    assert "Cổng dịch vụ BHXH số" in text and "bỏ qua thư này" in mail.body
    assert f"https://baohiemxahoi.example.vn{confirmation_path()}" in mail.body
    assert f"{EMAIL_CONFIRMATION_DAYS} ngày" in mail.body
    # The notice and the SMS of each step still go to the login, as before.
    assert Message.objects.filter(channel=Message.Channel.SMS, template="public_service_filing").count() == 4


def test_the_link_shows_a_button_and_only_its_post_confirms_then_the_next_step_is_mailed_there(
        owner, district_officer, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    path = confirmation_path()
    browser = Client(enforce_csrf_checks=True)  # no login: the address's owner may have none
    page = browser.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'action="{path}"' in html and "Xác nhận địa chỉ email</button>" in html
    assert filing.tracking_number not in html and OWNER_NAME not in html and TYPED not in html
    assert Filing.objects.get(pk=filing.pk).email_confirmed == ""  # a scanner following the link confirms nothing
    assert browser.post(path).status_code == 403  # CSRF is checked
    assert Filing.objects.get(pk=filing.pk).email_confirmed == ""
    done = browser.post(path, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert done.status_code == 200 and "Đã xác nhận địa chỉ email." in done.content.decode()
    assert Filing.objects.get(pk=filing.pk).email_confirmed == TYPED
    with django_capture_on_commit_callbacks(execute=True):
        filing_receive(filing=filing, officer=district_officer)
    assert [message.subject for message in emails_to(TYPED)][1:] == [f"Hồ sơ {filing.tracking_number}: Đã tiếp nhận"]


def test_the_filing_page_says_beside_the_address_whether_it_is_confirmed(
        client, owner, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    client.force_login(owner)
    html = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert re.search(rf"{re.escape(TYPED)}\s*<br><small>Chưa xác nhận: đến khi địa chỉ này được xác nhận", html)
    assert "Gửi lại thư xác nhận</button>" in html
    Client().post(confirmation_path())
    html = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert re.search(rf"{re.escape(TYPED)}\s*<br><small>Đã xác nhận: thông báo về hồ sơ được gửi đến địa chỉ này", html)
    assert "Gửi lại thư xác nhận" not in html


def test_a_forged_expired_or_another_filings_link_confirms_nothing(
        owner, stranger, monkeypatch, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
        other = filed(stranger, "khac@example.vn")
    path = confirmation_path()
    token = path.split("/")[-2]
    value, _, signature = token.rpartition(":")
    wrong = [f"{value}:{signature[::-1]}", f"{value[:-2]}xy:{signature}", value, "x",
             email_confirmation_token(other, TYPED),  # another filing, this one's address
             email_confirmation_token(filing, "khac@example.vn"),  # this filing, an address it does not have
             signing.dumps([filing.pk, "0" * 32], salt="public_services.filing-email-confirmation"),
             signing.dumps([filing.pk, email_confirmation_token(filing, TYPED)], salt="other")]
    browser = Client()
    for bad in wrong:
        for response in (browser.get(f"/dich-vu-cong/xac-nhan-email/{bad}/"),
                         browser.post(f"/dich-vu-cong/xac-nhan-email/{bad}/")):
            assert response.status_code == 404, bad
            assert INVALID in response.content.decode()
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + EMAIL_CONFIRMATION_DAYS * 86400 + 60)
    for response in (browser.get(path), browser.post(path)):
        assert response.status_code == 404 and INVALID in response.content.decode()
    assert set(Filing.objects.values_list("email_confirmed", flat=True)) == {""}
    monkeypatch.setattr(signing.time, "time", real_time)
    assert browser.post(confirmation_path("khac@example.vn")).status_code == 200  # the other filing's own link
    assert Filing.objects.get(pk=other.pk).email_confirmed == "khac@example.vn"
    assert Filing.objects.get(pk=filing.pk).email_confirmed == ""


@pytest.mark.parametrize("typed", ["{login}", "{LOGIN}"])
def test_the_logins_own_address_needs_no_confirmation(owner, typed, django_capture_on_commit_callbacks):  # noqa: F811
    address = typed.format(login=owner.email, LOGIN=owner.email.upper())
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner, address)
    [message] = emails_to(address)
    assert message.template == "public_service_filing" and message.subject == f"Hồ sơ {filing.tracking_number}: Đã nộp"


def test_a_resubmission_with_a_new_address_asks_again_and_mails_nothing_there_meanwhile(
        owner, district_officer, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    Client().post(confirmation_path())
    with django_capture_on_commit_callbacks(execute=True):
        filing_return(filing=filing, officer=district_officer, what="Bổ sung ảnh")
        filing = Filing.objects.get(pk=filing.pk)
        # Sent again with the confirmed address: not asked again, and told of it.
        filing_resubmit(filing=filing, user=owner, data=correction(filing, "607A", email=TYPED), uploads={},
                        revision=filing.revision)
    assert [message.template for message in emails_to(TYPED)] == ["public_service_email_confirm"] + [
        "public_service_filing"] * 2
    with django_capture_on_commit_callbacks(execute=True):
        filing_return(filing=filing, officer=district_officer, what="Bổ sung ảnh lần hai")
        filing = Filing.objects.get(pk=filing.pk)
        filing_resubmit(filing=filing, user=owner, data=correction(filing, "607A", email="moi@example.vn"),
                        uploads={}, revision=filing.revision)
        filing_receive(filing=filing, officer=district_officer)
    assert [message.template for message in emails_to("moi@example.vn")] == ["public_service_email_confirm"]
    assert emails_to(TYPED).count() == 4  # the second return; nothing since the address changed
    Client().post(confirmation_path("moi@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        filing_start(filing=filing, officer=district_officer)
    assert emails_to("moi@example.vn").last().subject == f"Hồ sơ {filing.tracking_number}: Đang giải quyết"


def test_the_link_filed_from_the_form_starts_with_the_portals_address(
        client, owner, django_capture_on_commit_callbacks):  # noqa: F811
    """Without PORTAL_PUBLIC_URL the link is made from the host the form was sent to."""
    url = f"/dich-vu-cong/{registry.get('607A').slug}/"
    client.force_login(owner)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    assert client.post(url, {**answers("607A", email=TYPED), "idempotency_key": key}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{url}xem-lai/", review_post(client, url, key)).status_code == 302
    [mail] = [mail for mail in django_mail.outbox if mail.to == [TYPED]]
    assert f"http://testserver{confirmation_path()}" in mail.body
