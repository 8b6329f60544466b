"""Withdrawing a filing cannot be undone, so it is asked first: the status page only links (GET) to
a confirmation page that says what withdrawing means, and the button there POSTs. The page obeys
the rule of every filing URL (someone else's filing is a 404, anonymous visitors go to the login),
opening it changes nothing, and posting twice withdraws once: one event, one round of
notifications, no error page."""

import re

import pytest
from django.test import Client

from notifications.models import Message
from public_services.models import Filing
from public_services.services import filing_receive

from .helpers import district_officer, owner, stranger, submit  # noqa: F401

pytestmark = pytest.mark.django_db


def status_url(filing):
    return f"/dich-vu-cong/ho-so/{filing.pk}/"


def confirm_url(filing):
    return f"/dich-vu-cong/ho-so/{filing.pk}/rut/"


def withdrawn_events(filing):
    return filing.events.filter(status=Filing.Status.WITHDRAWN).count()


def test_the_status_page_leads_to_the_confirmation_instead_of_withdrawing(client, owner):
    filing = submit(owner)
    client.force_login(owner)
    html = client.get(status_url(filing)).content.decode()
    link = f'<a class="button button--secondary" href="{confirm_url(filing)}">Rút hồ sơ {filing.tracking_number}</a>'
    assert link in html
    assert not re.search(r'<form[^>]*method="post"[^>]*/rut/', html)  # no one-tap withdraw left


def test_the_owner_sees_what_withdrawing_means_and_opening_it_changes_nothing(client, owner, sms_outbox):
    filing = submit(owner)
    client.force_login(owner)
    messages_before = Message.objects.count()
    response = client.get(confirm_url(filing))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f"<h1>Rút hồ sơ {filing.tracking_number}?</h1>" in html
    assert f"<title>Rút hồ sơ {filing.tracking_number}?" in html
    assert "không thể hoàn tác" in html and "Cơ quan BHXH sẽ không giải quyết hồ sơ này" in html
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form.group(1) == confirm_url(filing)
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert '<button class="button button--danger" type="submit">Rút hồ sơ</button>' in form.group(2)
    assert f'href="{status_url(filing)}">Quay lại</a>' in html
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and withdrawn_events(filing) == 0
    assert Message.objects.count() == messages_before and sms_outbox() == []


def test_posting_from_the_confirmation_withdraws_once(owner, sms_outbox, django_capture_on_commit_callbacks):
    filing = submit(owner)
    client = Client(enforce_csrf_checks=True)  # the page's own CSRF token is what makes the POST pass
    client.force_login(owner)
    html = client.get(confirm_url(filing)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert client.post(confirm_url(filing)).status_code == 403  # no token, no withdrawal
    messages_before, sms_before = Message.objects.count(), len(sms_outbox())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url(filing), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == status_url(filing)
    filing.refresh_from_db()
    assert filing.status == Filing.Status.WITHDRAWN and withdrawn_events(filing) == 1
    notified, sms_sent = Message.objects.count(), len(sms_outbox())
    assert notified > messages_before and sms_sent == sms_before + 1
    assert f"Đã rút hồ sơ {filing.tracking_number}." in client.get(status_url(filing)).content.decode()

    # The same POST again (double tap, back button, retry): nothing more happens, and it says so.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(confirm_url(filing), {"csrfmiddlewaretoken": token})
    assert again.status_code == 302 and again["Location"] == status_url(filing)
    assert withdrawn_events(filing) == 1
    assert Message.objects.count() == notified and len(sms_outbox()) == sms_sent
    html = client.get(status_url(filing)).content.decode()
    assert f"Hồ sơ {filing.tracking_number} đã được rút." in html and "Chỉ rút được hồ sơ" not in html

    # The confirmation of a withdrawn filing is not offered again.
    reopened = client.get(confirm_url(filing))
    assert reopened.status_code == 302 and reopened["Location"] == status_url(filing)


def test_a_filing_the_agency_received_cannot_be_withdrawn_from_an_old_confirmation(client, owner, district_officer):
    filing = submit(owner)
    client.force_login(owner)
    assert client.get(confirm_url(filing)).status_code == 200
    filing_receive(filing=filing, officer=district_officer)  # meanwhile, at the agency
    response = client.get(confirm_url(filing))
    assert response.status_code == 302 and response["Location"] == status_url(filing)
    assert ("Chỉ rút được hồ sơ khi cơ quan BHXH chưa tiếp nhận hoặc đã trả lại để bổ sung."
            in client.get(status_url(filing)).content.decode())
    response = client.post(confirm_url(filing))
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RECEIVED and withdrawn_events(filing) == 0


@pytest.mark.parametrize("who", ["another citizen", "officer of the owner's agency", "anonymous"])
def test_nobody_but_the_owner_opens_or_posts_the_confirmation(client, owner, stranger, district_officer, who):
    filing = submit(owner)
    user = {"another citizen": stranger, "officer of the owner's agency": district_officer, "anonymous": None}[who]
    if user is not None:
        client.force_login(user)
    for response in (client.get(confirm_url(filing)), client.post(confirm_url(filing))):
        if user is None:
            assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
        else:
            assert response.status_code == 404
            assert owner.person.full_name not in response.content.decode()
            assert filing.tracking_number not in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and withdrawn_events(filing) == 0
