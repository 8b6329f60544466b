"""What a step records beyond the status: a filing that ends (withdrawn, rejected) keeps when it ended,
a filing sent again after a return is no longer received, so its handling time runs from that
resubmission, also when the holiday table changes later, and a step taken twice from the same page
(a double click, two officers) is said to be done already instead of the filing having moved."""

import datetime

import pytest
from django.utils import timezone

from public_services.calendar import add_working_days
from public_services.models import Filing, Holiday
from public_services.services import (
    FilingAlreadyInStatus,
    filing_receive,
    filing_reject,
    filing_resubmit,
    filing_return,
    filing_withdraw,
    holiday_save,
)

from .helpers import answers, district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

S = Filing.Status


def test_a_withdrawn_filing_records_when_it_ended(owner):
    filing = submit(owner)
    before = timezone.now()
    filing_withdraw(filing=filing, user=owner)
    filing.refresh_from_db()
    assert filing.status == S.WITHDRAWN
    assert filing.finished_at is not None and before <= filing.finished_at <= timezone.now()


def test_a_rejected_filing_records_when_it_ended(owner, district_officer):
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer)
    before = timezone.now()
    filing_reject(filing=filing, officer=district_officer, reason="Không đủ điều kiện cấp lại sổ.")
    filing.refresh_from_db()
    assert filing.status == S.REJECTED
    assert filing.finished_at is not None and before <= filing.finished_at <= timezone.now()


def test_a_filing_sent_again_is_not_received_and_its_time_runs_from_the_resubmission(owner, district_officer):
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    weeks_ago = timezone.now() - datetime.timedelta(days=40)
    Filing.objects.filter(pk=filing.pk).update(received_at=weeks_ago)  # received long before its correction
    filing_resubmit(filing=Filing.objects.get(pk=filing.pk), user=owner, data=answers("607A"), uploads={},
                    revision=1)
    filing.refresh_from_db()
    today = timezone.localdate(filing.submitted_at)
    assert filing.status == S.SUBMITTED and filing.received_at is None
    assert filing.due_date == add_working_days(today, filing.procedure.handling_days)

    # A day off added inside its handling time counts it again from the resubmission, not the old receipt.
    day_off = add_working_days(today, 2)
    holiday_save(holiday=Holiday(date=day_off, name="Nghỉ bù", kind="compensatory"))
    filing.refresh_from_db()
    assert filing.due_date == add_working_days(today, filing.procedure.handling_days)
    assert filing.due_date > day_off


def test_a_step_taken_twice_from_the_same_page_is_said_to_be_done_already(owner, district_officer):
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer, seen=S.SUBMITTED, seen_revision=filing.revision)
    with pytest.raises(FilingAlreadyInStatus):  # not "moved since the page was opened": it is what they asked
        filing_receive(filing=filing, officer=district_officer, seen=S.SUBMITTED, seen_revision=filing.revision)
    reason = "Không đủ điều kiện cấp lại sổ."
    filing_reject(filing=filing, officer=district_officer, reason=reason, seen=S.RECEIVED)
    with pytest.raises(FilingAlreadyInStatus):
        filing_reject(filing=filing, officer=district_officer, reason=reason, seen=S.RECEIVED)
    assert filing.events.count() == 3
