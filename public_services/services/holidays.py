"""The holiday table's changes and the due dates they move: a change of the table (holiday_save,
holidays_delete) counts again, in its transaction, the due dates of the filings in the agency's hands
running over the days it changed (due_dates_recounted), and their people are told once it is committed
(due_dates_moved_notify). A submission or a receipt counting a due date waits for a change being made
(wait_for_holiday_changes).
"""

import datetime
import logging
import secrets
import time

from django.db import transaction
from django.utils import timezone

from accounts.services.notices import person_notify
from vssid_portal.locks import Lock, advisory_xact_lock

from ..calendar import WorkingCalendar, estimated_days
from ..models import (
    AGENCY_PENDING_STATUSES,
    Filing,
    Holiday,
)

logger = logging.getLogger(__name__)


def wait_for_holiday_changes() -> None:
    """Before a due date is counted from the holiday table: wait until a change of the table being
    made is committed, and keep the next change waiting until the end of this transaction, so that
    the change's recount sees this filing (a shared lock: submissions never wait on each other, only
    on a holiday change)."""
    advisory_xact_lock(Lock.CALENDAR, shared=True)


def holiday_change_started() -> None:
    """Called first in the transaction changing the holiday table, before its write and the recount
    (due_dates_recounted): wait until the submissions counting a due date meanwhile are committed
    (the recount then sees them), and keep new ones waiting until this change is committed (they
    then count with it): the exclusive side of wait_for_holiday_changes's lock."""
    advisory_xact_lock(Lock.CALENDAR)


def due_dates_recounted(days) -> int:
    """Count again, after the holiday table changed on `days` (a day off or a make-up Saturday added,
    removed or moved), the due dates of the filings in the agency's hands whose handling time runs
    over one of them: from the day they were received, or submitted when not received yet, as
    filing_submit and filing_receive count them. A filing waiting for the citizen's correction gets
    a new due date when sent again, and a finished one keeps its own. Runs in the transaction of the
    change, which called holiday_change_started first: a filing submitted, sent again or received
    meanwhile is committed before, and seen here, or waits and counts with the change. One read of
    the filings and one of the calendar, and one bulk update, whatever their number; returns how
    many moved. Once the change is committed, one task tells each person whose due date moved
    (tasks.notify_due_dates_moved, due_dates_moved_notify), NOTIFY_AFTER_SECONDS later: the admin's
    request writes no notice, and the days of a holiday entered one by one give one notice of the
    final date. Until then the filing keeps the date its person was last told (due_date_told)."""
    changed = {day for day in days if day is not None}
    days = set(changed)
    # A year without rows counts an estimate of its holidays (calendar.estimated_days): its first row
    # added (or its last deleted) makes the estimate's days off working days and its weekend days
    # worked rest days (or the reverse), so they are changed days too. A year with other rows kept
    # them as they were (one query per year touched).
    for year in {day.year for day in changed}:
        if not Holiday.objects.filter(date__year=year).exclude(date__in=changed).exists():
            days_off, weekend_days_worked = estimated_days(year)
            days |= days_off | weekend_days_worked
    days = sorted(days)
    if not days:
        return 0
    # The handling time runs from the day after its start up to the due date: it spans a day only
    # when it starts before it and is due on it or after.
    before_last = timezone.make_aware(datetime.datetime.combine(days[-1], datetime.time.min))
    # Locked in key order, as restart_given_up locks the filings whose declarations are built again:
    # two writers of the same filings locking them in different orders could deadlock.
    filings = list(Filing.objects.select_for_update()
                   .filter(status__in=AGENCY_PENDING_STATUSES, due_date__gte=days[0], submitted_at__lt=before_last)
                   .only("pk", "procedure_code", "submitted_at", "received_at", "due_date", "due_date_told")
                   .order_by("pk"))
    if not filings:
        return 0
    starts = {filing.pk: timezone.localdate(filing.received_at or filing.submitted_at) for filing in filings}
    calendar = WorkingCalendar.load(min(starts.values()))
    moved = []
    for filing in filings:
        due_date = calendar.add_working_days(starts[filing.pk], filing.procedure.handling_days)
        if due_date != filing.due_date:
            moved.append((filing, filing.due_date))
            told = filing.due_date_told or filing.due_date
            filing.due_date, filing.due_date_told = due_date, (told if told != due_date else None)
    Filing.objects.bulk_update([filing for filing, _before in moved], ["due_date", "due_date_told"], batch_size=500)
    if moved:
        change = secrets.token_hex(4)  # names this change in the notices' keys: one per filing it moved
        had = [[filing.pk, before.isoformat(), (filing.received_at or filing.submitted_at).isoformat(),
                filing.due_date.isoformat()] for filing, before in moved]
        transaction.on_commit(lambda: _dispatch_due_dates_moved(change, had, countdown=NOTIFY_AFTER_SECONDS),
                              robust=True)
    return len(moved)


def _dispatch_due_dates_moved(change: str, moved: list, *, countdown: float = 0) -> None:
    from ..tasks import notify_due_dates_moved

    try:
        notify_due_dates_moved.apply_async((change, moved), countdown=countdown)
    except Exception:  # broker away: nothing would queue them again, so they are written here
        logger.warning("due-date notices of change %s not dispatched; written in this run", change, exc_info=True)
        due_dates_moved_notify(change=change, moved=moved)


# How long after a holiday change its notices go out: a later change within that time (the next
# day of Tết entered) tells the filings it moves again instead, so their people get one notice.
NOTIFY_AFTER_SECONDS = 300
# How long a run of tasks.notify_due_dates_moved works before it leaves the rest to the next run.
NOTIFY_RUN_SECONDS = 45


def due_dates_moved_notify(*, change: str, moved: list, seconds: float | None = None) -> list:
    """Tell the people whose filing's due date the holiday change `change` moved: `moved` holds
    [filing id, the due date it had, the day its handling time started from (its receipt, or
    submission), the due date it set (ISO)] entries. One notice per filing still in the agency's
    hands, from the date its person was last told (due_date_told) to the one it has; none where the
    date is back to it, nor where the filing was received or sent again since (that recount set its
    date, and said so), nor where a later change moved it again (that change's run tells it, from the
    same date told). Run again (a task delivered twice, or a later change's run), it tells nobody
    twice: the notice clears the date told in its transaction. With `seconds`, no filing is started
    after that time (one at least is told): returns the entries left for the next run."""
    stop_at = time.monotonic() + seconds if seconds is not None else None
    # Entries queued before the date set was carried have none: told from the date they had, as then.
    had = {pk: (datetime.date.fromisoformat(day), datetime.datetime.fromisoformat(start),
                datetime.date.fromisoformat(after[0]) if after else None) for pk, day, start, *after in moved}
    filings = (Filing.objects.filter(pk__in=had, status__in=AGENCY_PENDING_STATUSES)
               .select_related("person").order_by("pk"))
    for filing in filings:
        before, start, after = had[filing.pk]
        told = filing.due_date_told if after else filing.due_date_told or before
        if ((filing.received_at or filing.submitted_at) == start and filing.due_date == (after or filing.due_date)
                and told is not None and told != filing.due_date):
            with transaction.atomic():
                # Told only if no other run told it, nor a change moved it, since it was read.
                if Filing.objects.filter(pk=filing.pk, due_date=filing.due_date,
                                         due_date_told=filing.due_date_told).update(due_date_told=None):
                    person_notify(person=filing.person, template="public_service_due_date_moved",
                                  context={"filing": filing, "procedure_name": filing.procedure.name,
                                           "procedure_sms_name": filing.procedure.sms_name,
                                           "before": told, "after": filing.due_date},
                                  change_key=f"filing-{filing.tracking_number}-due-{change}")
        if stop_at is not None and time.monotonic() >= stop_at:
            return [entry for entry in moved if entry[0] > filing.pk]
    return []


@transaction.atomic
def holiday_save(*, holiday: Holiday) -> int:
    """Add or change a day of the holiday table (the admin's pages; any other writer of the table
    goes through here or holidays_delete): the due dates running over the day it had and the day it
    has are counted again in the same transaction. Returns how many filings moved."""
    holiday_change_started()
    before = Holiday.objects.filter(pk=holiday.pk).values_list("date", flat=True).first() if holiday.pk else None
    holiday.save()
    return due_dates_recounted([before, holiday.date])


@transaction.atomic
def holidays_delete(*, holidays) -> int:
    """Delete days of the holiday table (a queryset), counting again the due dates running over them
    in the same transaction. Returns how many filings moved."""
    holiday_change_started()
    days = list(holidays.values_list("date", flat=True))
    holidays.delete()
    return due_dates_recounted(days)
