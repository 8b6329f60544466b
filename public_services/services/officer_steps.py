"""The officer's steps on a filing: receive, start, complete, reject, return for correction. Each is one
transaction on the filing's row locked within the officer's scope (never their own case), refused when
the page it was taken on showed the filing in another status or revision (FilingChangedMeanwhile), and
moves the filing through filings.filing_move, which records and tells the step.

Due dates: when the agency receives a filing its date is counted again from the receipt day, because
the legal handling time runs from the receipt of a complete file; as at its submission (filings), the
working-day calendar counts it (weekends and public holidays skipped).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Person
from accounts.selectors import OFFICER_RECORD_UNKNOWN, officer_record_unknown
from health_card.models import Card
from lookup.selectors import within_officer_scope
from vssid_portal.templatetags.vn_format import vn_time_date

from ..calendar import add_working_days
from ..models import Filing
from ..selectors import (
    OWN_CASE,
    completion_confirmed,
    completion_digest,
    is_officers_own_case,
)
from .filings import check_move, filing_move
from .holidays import wait_for_holiday_changes


class FilingChangedMeanwhile(ValidationError):
    """An officer's step or written decision made on a page opened while the filing stood in another
    status or at another revision: a colleague returned it, or the citizen resubmitted it, since. Nothing changed;
    `event` is the step that moved it, for the caller to say so (`resubmitted`: back in the status the page
    showed, at another revision; said so when the resubmission is that step)."""

    def __init__(self, filing: Filing, *, resubmitted: bool = False):
        self.filing = filing
        self.event = event = filing.events.order_by("-at", "-id").select_related("actor").first()
        resubmitted = resubmitted and event.from_status == Filing.Status.RETURNED  # not taken on since
        said = {"number": filing.tracking_number, "status": filing.get_status_display(), "actor": event.actor or "–",
                "when": vn_time_date(event.at)}
        if resubmitted:
            message = gettext("Hồ sơ %(number)s đã được nộp lại (%(actor)s, lúc %(when)s) sau khi trang này được mở; "
                              "chưa thực hiện. Xem lại hồ sơ rồi quyết định.")
        else:
            message = gettext("Hồ sơ %(number)s đã chuyển sang trạng thái “%(status)s” (%(actor)s, lúc %(when)s) sau "
                              "khi trang này được mở; chưa thực hiện. Xem lại hồ sơ rồi quyết định.")
        super().__init__(message % said)


def _still_as_seen(filing: Filing, seen: str | None, *, to: str, seen_revision: int | str | None = None) -> None:
    """Refuse a decision taken on a page that showed the (locked) filing in the status `seen`, when it
    has moved since to another status than `to` (already there: check_move says so), or at the
    revision `seen_revision`, when it was returned and resubmitted since (the same status, another
    content). None: the caller showed no status or revision (a service call, a bulk action)."""
    if seen and filing.status not in {seen, to}:
        raise FilingChangedMeanwhile(filing)
    if seen_revision not in (None, "") and str(seen_revision) != str(filing.revision):
        raise FilingChangedMeanwhile(filing, resubmitted=filing.status == seen)


def _officer_locked(filing: Filing, officer) -> Filing:
    # The scope is asked of the row as locked: a filing the citizen resubmitted to another agency
    # while this step waited for its lock is that agency's (PostgreSQL checks the row it waited for).
    locked = None
    if officer.has_perm("public_services.process_filing"):
        locked = within_officer_scope(Filing.objects.select_for_update().filter(pk=filing.pk), officer).first()
    if locked is None:
        raise PermissionDenied("Cán bộ không có quyền xử lý hồ sơ này.")
    if officer_record_unknown(officer):  # whether it is their own case cannot be known
        raise ValidationError(str(OFFICER_RECORD_UNKNOWN))
    if is_officers_own_case(locked, officer):
        raise ValidationError(OWN_CASE % {"number": filing.tracking_number})
    return locked


@transaction.atomic
def filing_receive(*, filing: Filing, officer, seen: str | None = None, seen_revision: int | str | None = None) -> Filing:
    """`seen`, `seen_revision`: as for filing_reject."""
    wait_for_holiday_changes()  # first in the transaction: before the filing's row is locked
    filing = _officer_locked(filing, officer)
    _still_as_seen(filing, seen, to=Filing.Status.RECEIVED, seen_revision=seen_revision)
    filing.received_at = timezone.now()
    if filing.status == Filing.Status.SUBMITTED:
        # Its notice tells the date counted from the receipt: a holiday change's notice still to go
        # out for the filing (due_dates_moved_notify) is not sent.
        filing.due_date = add_working_days(timezone.localdate(filing.received_at), filing.procedure.handling_days)
        filing.due_date_told = None
    return filing_move(filing, to=Filing.Status.RECEIVED, actor=officer,
                       fields=["received_at", "due_date", "due_date_told"])


@transaction.atomic
def filing_start(*, filing: Filing, officer, seen: str | None = None, seen_revision: int | str | None = None) -> Filing:
    """`seen`, `seen_revision`: as for filing_reject."""
    filing = _officer_locked(filing, officer)
    _still_as_seen(filing, seen, to=Filing.Status.PROCESSING, seen_revision=seen_revision)
    return filing_move(filing, to=Filing.Status.PROCESSING, actor=officer)


class CompletionChangedMeanwhile(ValidationError):
    """A completion confirmed on a page that showed other changes than completing would now make
    (the card was reissued, the details corrected, meanwhile). Nothing changed."""

    def __init__(self, filing: Filing):
        self.filing = filing
        super().__init__(
            f"Những gì sẽ thay đổi khi hoàn thành hồ sơ {filing.tracking_number} đã khác so với lúc trang xác nhận "
            "được mở; chưa thực hiện. Xem lại nội dung dưới đây rồi xác nhận lại.")


@transaction.atomic
def filing_complete(*, filing: Filing, officer, note: str = "", seen: str | None = None,
                    seen_revision: int | str | None = None, confirmed: str | None = None) -> Filing:
    """Mark the result ready; the procedure's on_complete hook runs in the same transaction
    (BHYT card reissue: the new card), so a failing hook leaves the filing as it was. What the
    hook says it did follows the officer's note in the completion's history. `seen`: as for
    filing_reject; `confirmed`: the completion_digest of the changes (and warnings) the officer confirmed
    (CompletionChangedMeanwhile when completing would now change something else)."""
    filing = _officer_locked(filing, officer)
    # Locked in the order every card write takes: the filing, the person's cards (in key order),
    # then the person, whose row the card table's trigger updates (accounts/content_version.py).
    # A hook that writes the card (BHYT-CL, 608A) after the person would wait in a circle with an
    # officer reissuing or revoking that card, or the nightly expiry, which lock card then person.
    list(Card.objects.select_for_update().filter(person_id=filing.person_id).order_by("pk").values_list("pk", flat=True))
    # The changes confirmed are checked against, and written from, the person's row locked for the
    # write: a detail another transaction commits meanwhile is seen. FOR NO KEY UPDATE, as no hook
    # changes the person's keys: a filing committed meanwhile for the person is not waited for, the
    # hooks locking the person FOR NO KEY UPDATE too (the contact change, the 608A's correction of the
    # details, a card reissue by the card table's trigger: vssid_portal/locks.py).
    filing.person = Person.objects.select_for_update(no_key=True).get(pk=filing.person_id)
    _still_as_seen(filing, seen, to=Filing.Status.DONE, seen_revision=seen_revision)
    check_move(filing, to=Filing.Status.DONE)  # a second click changes nothing, the hook included
    # what the officer's page showed: what completing writes, and what they were warned to check first
    if confirmed is not None and confirmed != completion_digest(completion_confirmed(filing, officer)):
        raise CompletionChangedMeanwhile(filing)
    done = filing.procedure.on_complete(filing=filing, actor=officer)
    filing.finished_at = timezone.now()
    note = "\n".join(part for part in ((note or "").strip(), done or "") if part)
    return filing_move(filing, to=Filing.Status.DONE, actor=officer, note=note, fields=["finished_at"])


NOTE_MAX_LENGTH = 2000


def _need_note(note: str, field: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({field: message})
    if len(note) > NOTE_MAX_LENGTH:  # refused, not cut: the citizen must read all the officer wrote
        raise ValidationError({field: gettext("Tối đa %(max)s ký tự (hiện có %(count)s).") % {
            "max": NOTE_MAX_LENGTH, "count": len(note)}})
    return note


@transaction.atomic
def filing_reject(*, filing: Filing, officer, reason: str, seen: str | None = None,
                  seen_revision: int | str | None = None) -> Filing:
    """`seen`, `seen_revision`: the status and the revision the officer's page showed
    (FilingChangedMeanwhile when either has moved)."""
    reason = _need_note(reason, "reason", gettext("Hãy ghi lý do từ chối để người nộp biết."))
    filing = _officer_locked(filing, officer)
    _still_as_seen(filing, seen, to=Filing.Status.REJECTED, seen_revision=seen_revision)
    filing.note, filing.finished_at = reason, timezone.now()
    return filing_move(filing, to=Filing.Status.REJECTED, actor=officer, note=reason,
                       fields=["note", "finished_at"])


@transaction.atomic
def filing_return(*, filing: Filing, officer, what: str, seen: str | None = None,
                  seen_revision: int | str | None = None) -> Filing:
    """`seen`: as for filing_reject."""
    what = _need_note(what, "what", gettext("Hãy ghi nội dung người nộp cần bổ sung, sửa đổi."))
    filing = _officer_locked(filing, officer)
    _still_as_seen(filing, seen, to=Filing.Status.RETURNED, seen_revision=seen_revision)
    filing.note = what
    return filing_move(filing, to=Filing.Status.RETURNED, actor=officer, note=what, fields=["note"])
