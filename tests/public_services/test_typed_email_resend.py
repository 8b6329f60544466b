"""Asking again for the e-mail confirming an address typed on a filing's form: the status page's
button sends a new link while the filing is open and the address unconfirmed, to a login that may
view the filing only, within a cap per filing and per address (429 with Retry-After, 503 while
Redis is down). Every confirmation e-mail to one address is capped, whichever filing asks, and none
keeps its working link in the outbox once sent."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.core import mail as django_mail
from django.db.models import F
from django.test import Client

from notifications.models import Message
from public_services.models import Filing
from public_services.services import CONFIRMATIONS_PER_ADDRESS, RESEND_WAIT, RESENDS_PER_FILING, filing_reject
from tests.accounts.test_code_lookup_redis_down import stop_redis
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import confirm_email, district_officer, logged, owner, stranger, submit, withdrawn  # noqa: F401
from .test_typed_email_confirmation import LINK, TYPED, emails_to

pytestmark = pytest.mark.django_db

BUTTON = "Gửi lại thư xác nhận</button>"
TOO_MANY = "Thư xác nhận đã được gửi lại nhiều lần. Hãy mở thư đã gửi hoặc thử lại sau."
UNAVAILABLE = "Gửi lại thư xác nhận đang tạm gián đoạn. Hãy thử lại sau vài phút."
JUST_SENT = "Thư xác nhận vừa được gửi. Hãy kiểm tra hộp thư, kể cả mục thư rác, rồi thử lại sau 1 phút nếu chưa nhận được."


def filed(user, address=TYPED):
    return submit(user, "607A", email=address)


def resend_url(filing) -> str:
    return f"/dich-vu-cong/ho-so/{filing.pk}/gui-lai-xac-nhan-email/"


def links_mailed(address=TYPED) -> list[str]:
    return [LINK.search(mail.body).group(1) for mail in django_mail.outbox
            if mail.to == [address] and LINK.search(mail.body)]


def confirmations(address=TYPED):
    return emails_to(address).filter(template="public_service_email_confirm")


def a_minute_passed() -> None:
    """As if RESEND_WAIT had passed since every confirmation e-mail sent so far."""
    Message.objects.filter(template="public_service_email_confirm").update(created_at=F("created_at") - RESEND_WAIT)


def test_the_button_sends_a_new_link_that_confirms(owner, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    client = logged(owner)
    a_minute_passed()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(filing), follow=True)
    assert response.redirect_chain == [(f"/dich-vu-cong/ho-so/{filing.pk}/", 302)]
    assert f"Đã gửi lại thư xác nhận đến {TYPED}." in response.content.decode()
    assert confirmations().count() == 2
    first, second = links_mailed()
    assert Client().post(second).status_code == 200
    assert Filing.objects.get(pk=filing.pk).email_confirmed == TYPED
    html = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert BUTTON not in html
    # Confirmed: nothing more to send, and the page says so.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(filing), follow=True)
    assert "Không cần gửi lại thư xác nhận" in response.content.decode() and confirmations().count() == 2


def test_the_confirmation_keeps_no_working_link_in_the_outbox(owner, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
        a_minute_passed()
        logged(owner).post(resend_url(filing))
    assert len(links_mailed()) == 2  # delivered with the link
    for message in confirmations():
        assert message.sensitive and message.status == Message.Status.SENT
        assert "xac-nhan-email" not in message.body and message.expires_at is not None


def test_only_a_login_that_may_view_an_open_filing_may_ask_and_only_by_post(
        owner, stranger, district_officer, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    assert logged(stranger).post(resend_url(filing)).status_code == 404
    assert Client().post(resend_url(filing)).status_code == 302  # to the login page
    assert logged(owner).get(resend_url(filing))["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"  # sends nothing
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(owner)
    assert csrf.post(resend_url(filing)).status_code == 403
    assert confirmations().count() == 1
    filing_reject(filing=filing, officer=district_officer, reason="Không đủ điều kiện")
    client = logged(owner)
    assert BUTTON not in client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    response = client.post(resend_url(filing), follow=True)
    assert "Không cần gửi lại thư xác nhận" in response.content.decode() and confirmations().count() == 1


def test_asking_again_is_capped_per_filing_with_retry_after(owner, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    client = logged(owner)
    allowed = int(RESENDS_PER_FILING.split("/")[0])
    for _ in range(allowed - 1):  # the address's daily cap counts the first e-mail too
        a_minute_passed()
        assert client.post(resend_url(filing)).status_code == 302
    a_minute_passed()
    response = client.post(resend_url(filing))
    html = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert TOO_MANY in html and f"Hồ sơ {filing.tracking_number}" in html
    assert confirmations().count() == allowed


def test_every_confirmation_to_one_address_is_capped_whichever_filing_asks(
        owner, django_capture_on_commit_callbacks):  # noqa: F811
    """Filing, withdrawing and filing again, with a stranger's address typed each time."""
    cap = int(CONFIRMATIONS_PER_ADDRESS.split("/")[0])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(cap + 2):
            withdrawn(filed(owner, "nguoi.la@example.vn"))
    assert confirmations("nguoi.la@example.vn").count() == cap
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner, "nguoi.la@example.vn")
    a_minute_passed()
    response = logged(owner).post(resend_url(filing))
    assert response.status_code == 429 and TOO_MANY in response.content.decode()
    assert confirmations("nguoi.la@example.vn").count() == cap
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn(filing)
        filed(owner, "Nguoi.Khac@example.vn")  # another address is not held back
    assert confirmations("Nguoi.Khac@example.vn").count() == 1


def test_asking_while_redis_is_down_is_said_unavailable(owner, settings, monkeypatch,
                                                        django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    client = logged(owner)
    a_minute_passed()
    stop_redis(settings, monkeypatch)
    response = client.post(resend_url(filing))
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert UNAVAILABLE in html and "nhiều lần" not in html
    assert confirmations().count() == 1


def test_the_page_a_login_leads_back_to_after_the_session_ended_opens_the_filing(
        owner, stranger, django_capture_on_commit_callbacks):  # noqa: F811
    """The button's POST after the session expired goes to the login page with next= this URL, which
    the browser then GETs: the owner lands on the status page, nothing sent; anyone else gets a 404."""
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    login = Client().post(resend_url(filing))
    assert login.status_code == 302 and f"next={resend_url(filing)}" in unquote(login["Location"])
    with django_capture_on_commit_callbacks(execute=True):
        response = logged(owner).get(resend_url(filing), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/dich-vu-cong/ho-so/{filing.pk}/", 302)]
    assert BUTTON in response.content.decode()
    assert logged(stranger).get(resend_url(filing)).status_code == 404
    assert confirmations().count() == 1


def test_an_address_confirmed_on_another_filing_of_the_login_is_confirmed_without_a_mail(
        owner, stranger, facility, django_capture_on_commit_callbacks):  # noqa: F811
    """A parent filing for several children with one address: confirmed once, by the link of one
    filing, it is not mailed nor counted again for the login's other filings, asked or filed."""
    issue(owner.person, facility), issue(stranger.person, facility)  # a card to ask again (BHYT-CL)
    with django_capture_on_commit_callbacks(execute=True):
        book, card = filed(owner), submit(owner, "BHYT-CL", email=TYPED.upper())
    assert confirmations().count() == 1 and confirmations(TYPED.upper()).count() == 1
    confirm_email(book)
    client = logged(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(card), follow=True)
    assert "Không cần gửi lại thư xác nhận" in response.content.decode()
    assert Filing.objects.get(pk=card.pk).email_confirmed == TYPED.upper()
    assert re.search(r"<br><small>Đã xác nhận", client.get(f"/dich-vu-cong/ho-so/{card.pk}/").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn(card)
        card = submit(owner, "BHYT-CL", email=TYPED)
    assert Filing.objects.get(pk=card.pk).email_confirmed == TYPED
    assert confirmations().count() == 1 and confirmations(TYPED.upper()).count() == 1
    with django_capture_on_commit_callbacks(execute=True):  # another login's filing is not confirmed by it
        theirs = submit(stranger, "BHYT-CL", email=TYPED)
    assert confirmations().count() == 2 and Filing.objects.get(pk=theirs.pk).email_confirmed == ""


def test_a_second_click_within_a_minute_sends_and_counts_nothing(owner, django_capture_on_commit_callbacks):  # noqa: F811
    """A double click, or a click just after filing: one e-mail, the limits left for a genuine resend."""
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    client = logged(owner)
    for _ in range(2):  # within a minute of the submission's e-mail
        response = client.post(resend_url(filing), follow=True)
        assert response.status_code == 200 and JUST_SENT in response.content.decode()
    assert confirmations().count() == 1
    a_minute_passed()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resend_url(filing)).status_code == 302
        response = client.post(resend_url(filing), follow=True)  # the double click's second
    assert JUST_SENT in response.content.decode() and confirmations().count() == 2
    a_minute_passed()  # the clicks held back counted nothing: the address's last e-mail of the day goes
    assert client.post(resend_url(filing)).status_code == 302
    assert confirmations().count() == int(CONFIRMATIONS_PER_ADDRESS.split("/")[0])


def test_the_wait_said_after_a_click_is_the_one_set(owner, monkeypatch, django_capture_on_commit_callbacks):  # noqa: F811
    monkeypatch.setattr("public_services.services.email_confirmation.RESEND_WAIT", datetime.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        filing = filed(owner)
    html = logged(owner).post(resend_url(filing), follow=True).content.decode()
    assert JUST_SENT.replace("sau 1 phút", "sau 2 phút") in html and confirmations().count() == 1


def test_the_expired_links_page_says_where_to_ask_a_new_one(client):
    html = client.get("/dich-vu-cong/xac-nhan-email/khong-hop-le/").content.decode()
    assert re.search("mở trang của hồ sơ và bấm nút “Gửi lại thư xác nhận”", html)
