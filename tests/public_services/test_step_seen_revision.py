"""The one-click steps ("Tiếp nhận hồ sơ", "Bắt đầu giải quyết") carry the status and the revision
the officer's page showed: a filing returned and resubmitted while the page was open (the same
status, a new revision) is not received unseen."""

import re

import pytest
from django.contrib.messages import WARNING

from public_services.models import Filing
from public_services.services import filing_resubmit

from .helpers import answers, district_officer, logged, owner, province_officer, submit  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"


def receive_form(html: str) -> dict:
    form = re.search(r'<form method="post" action="[^"]*/buoc/receive/">(.*?)</form>', html, re.S).group(1)
    return dict(re.findall(r'name="(seen|seen_revision)" value="([^"]*)"', form))


def test_receiving_a_filing_resubmitted_while_the_page_was_open_is_refused(owner, district_officer, province_officer):
    filing = submit(owner)
    client = logged(district_officer)
    form = receive_form(client.get(f"{QUEUE}{filing.pk}/change/").content.decode())
    assert form == {"seen": "submitted", "seen_revision": "1"}
    logged(province_officer).post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Ghi rõ địa chỉ", "seen": "submitted"})
    filing.refresh_from_db()
    filing_resubmit(filing=filing, user=owner, data=answers("607A"), uploads={}, revision=filing.revision)
    response = client.post(f"{QUEUE}{filing.pk}/buoc/receive/", form, follow=True)
    [message] = response.context["messages"]
    assert message.level == WARNING
    assert message.message.startswith(f"Hồ sơ {filing.tracking_number} đã được nộp lại ({owner}, lúc ")
    assert "sau khi trang này được mở; chưa thực hiện" in message.message
    assert response.request["PATH_INFO"] == f"{QUEUE}{filing.pk}/change/"
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and filing.revision == 2 and filing.received_at is None
    # Opened again, the page shows the new revision: receiving it goes through.
    again = receive_form(response.content.decode())
    assert again == {"seen": "submitted", "seen_revision": "2"}
    client.post(f"{QUEUE}{filing.pk}/buoc/receive/", again)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.RECEIVED


def test_starting_a_filing_moved_while_the_page_was_open_is_refused(owner, district_officer, province_officer):
    filing = submit(owner)
    logged(district_officer).post(f"{QUEUE}{filing.pk}/buoc/receive/")
    client = logged(district_officer)
    html = client.get(f"{QUEUE}{filing.pk}/change/").content.decode()
    form = re.search(r'action="[^"]*/buoc/start/">(.*?)</form>', html, re.S).group(1)
    form = dict(re.findall(r'name="(seen|seen_revision)" value="([^"]*)"', form))
    assert form == {"seen": "received", "seen_revision": "1"}
    logged(province_officer).post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Ghi rõ địa chỉ", "seen": "received"})
    filing.refresh_from_db()
    filing_resubmit(filing=filing, user=owner, data=answers("607A"), uploads={}, revision=filing.revision)
    logged(province_officer).post(f"{QUEUE}{filing.pk}/buoc/receive/")
    response = client.post(f"{QUEUE}{filing.pk}/buoc/start/", form, follow=True)
    [message] = response.context["messages"]
    assert message.level == WARNING and "đã chuyển sang trạng thái “Đã tiếp nhận”" in message.message
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.RECEIVED


def test_a_rejection_written_on_an_earlier_revision_is_not_sent(owner, district_officer, province_officer):
    filing = submit(owner)
    client = logged(district_officer)
    html = client.get(f"{QUEUE}{filing.pk}/ghi-chu/reject/").content.decode()
    form = dict(re.findall(r'name="(seen|seen_revision|opened)" value="([^"]*)"', html))
    assert form["seen_revision"] == "1"
    logged(province_officer).post(f"{QUEUE}{filing.pk}/ghi-chu/return/", {"note": "Ghi rõ địa chỉ", "seen": "submitted"})
    filing.refresh_from_db()
    filing_resubmit(filing=filing, user=owner, data=answers("607A"), uploads={}, revision=filing.revision)
    response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/reject/", {**form, "note": "Không thuộc diện"}, follow=True)
    [message] = response.context["messages"]
    assert message.level == WARNING and "chưa được gửi: “Không thuộc diện”" in message.message
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED
