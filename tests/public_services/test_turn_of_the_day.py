"""A filing's handling time counts from its day in Vietnam: one sent, received or sent again at 00:30,
when the UTC date is still the day before, is due as one of that day, not of the day before; its status
page, its SMS and its declaration form date it so."""

import datetime
import re
import subprocess

import pytest
from django.core.files.storage import default_storage

from notifications.models import Message
from public_services.calendar import add_working_days
from public_services.models import Filing
from public_services.services import filing_build_declaration, filing_receive, filing_resubmit, filing_return
from tests.clock import at, in_vietnam
from tests.conftest import require_tool
from vssid_portal.templatetags.vn_format import vn_date

from .helpers import answers, district_officer, logged, owner, stored_upload, submit  # noqa: F401

pytestmark = pytest.mark.django_db

WEDNESDAY, THURSDAY = datetime.date(2026, 9, 30), datetime.date(2026, 10, 1)  # two working days
LATE_WEDNESDAY = in_vietnam(2026, 9, 30, 23, 30)
EARLY_THURSDAY = in_vietnam(2026, 10, 1, 0, 30)  # 30/09 17:30 in UTC


def due_from(day: datetime.date, filing: Filing) -> datetime.date:
    return add_working_days(day, filing.procedure.handling_days)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_filing_sent_at_23_30_is_due_as_one_of_that_day(owner):
    with at(LATE_WEDNESDAY):
        filing = submit(owner)
    assert filing.due_date == due_from(WEDNESDAY, filing)


def test_a_filing_sent_at_00_30_is_due_as_one_of_the_new_day(owner, django_capture_on_commit_callbacks):
    with at(EARLY_THURSDAY):
        with django_capture_on_commit_callbacks(execute=True):
            filing = submit(owner)
        page = text(logged(owner).get(f"/dich-vu-cong/ho-so/{filing.pk}/"))
    due = due_from(THURSDAY, filing)
    assert due != due_from(WEDNESDAY, filing)  # the instant tells the two days apart
    assert Filing.objects.get(pk=filing.pk).due_date == due
    assert "<dt>Ngày nộp</dt><dd>01/10/2026 00:30</dd>" in page
    assert f"<dt>Hẹn trả kết quả</dt><dd>{vn_date(due)} " in page
    [sms] = Message.objects.filter(channel=Message.Channel.SMS, idempotency_key__startswith=f"filing-{filing.tracking_number}-")
    assert f"hẹn trả kết quả {vn_date(due)}" in sms.body


def test_the_declaration_form_of_a_filing_sent_at_00_30_is_dated_that_day(owner):
    require_tool("pdftotext", "poppler-utils")
    with at(EARLY_THURSDAY):
        filing = filing_build_declaration(filing_id=submit(owner).pk)
    with default_storage.open(filing.declaration_pdf.name, "rb") as handle:
        content = handle.read()
    printed = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True,
                                                 check=True).stdout.decode())
    assert "Ngày01tháng10năm2026" in printed


def test_a_filing_received_at_00_30_is_due_as_one_received_that_day(owner, district_officer):
    with at(in_vietnam(2026, 9, 29, 10, 0)):
        filing = submit(owner)
    with at(EARLY_THURSDAY):
        filing_receive(filing=filing, officer=district_officer)
    assert Filing.objects.get(pk=filing.pk).due_date == due_from(THURSDAY, filing) != due_from(WEDNESDAY, filing)


def test_a_filing_sent_again_at_00_30_is_due_as_one_sent_that_day(owner, district_officer):
    with at(in_vietnam(2026, 9, 29, 10, 0)):
        filing = submit(owner, "608A")
        filing_return(filing=filing, officer=district_officer, what="Ảnh giấy khai sinh bị mờ, hãy chụp lại.")
    with at(EARLY_THURSDAY):
        filing_resubmit(filing=Filing.objects.get(pk=filing.pk), user=owner, data=answers("608A"),
                        uploads={"evidence_1": stored_upload(color=(200, 10, 10))}, revision=1)
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED
    assert filing.due_date == due_from(THURSDAY, filing) != due_from(WEDNESDAY, filing)
