"""Every write to filings: submit (idempotent), resubmit after a return, withdraw, the officer's
steps (receive, start, complete, reject, return for correction) and the declaration PDF.

Each function is one transaction. A status change goes through `_move`, which allows only the
transitions in models.TRANSITIONS, writes the FilingEvent (who, when, note) and queues the
citizen's notices once for that event (in-portal + SMS, and e-mail when an address is known and,
typed on the form, confirmed by its owner: _ask_email_confirmation, filing_email_confirm);
PDF tasks and message delivery start on commit, so a broker outage loses nothing: the outbox and
the PDF sweep (tasks.build_missing_filing_declarations) catch up.

Due dates: when a filing is submitted its expected completion date is counted from the
submission day, so the citizen sees an estimate at once; when the agency receives it, the date
is counted again from the receipt day, because the legal handling time runs from the receipt of
a complete file. Both use the working-day calendar (weekends and public holidays skipped).
"""

import datetime
import logging
import math
import secrets
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.models import Person
from accounts.selectors import OFFICER_RECORD_UNKNOWN, logins_told_of, officer_record_unknown
from accounts.services.notices import person_notify, user_notify
from accounts.validators import IdType
from health_card.models import Card
from lookup.selectors import within_officer_scope
from notifications.models import Message
from notifications.services import send_message
from vssid_portal.files import delete_files_once_committed, delete_stale_uploads, kept_only_if_committed
from vssid_portal.form_keys import KEY_LENGTH, new_reference
from vssid_portal.jobs import dispatch, restart_given_up, run_counted
from vssid_portal.locks import Lock, advisory_xact_lock
from vssid_portal.pdf import render_pdf
from vssid_portal.ratelimit import minutes_left, recipient_counted
from vssid_portal.templatetags.vn_format import vn_date, vn_time_date

from .calendar import WorkingCalendar, add_working_days, estimated_days
from .models import (
    AGENCY_PENDING_STATUSES,
    NOTE_RESUBMITTED,
    NOTE_WITHDRAWN,
    TRANSITIONS,
    Filing,
    FilingDocument,
    FilingEvent,
    Holiday,
)
from .procedures.base import document_field, file_name, form_to_data, is_several
from .selectors import (
    EMAIL_CONFIRMATION_DAYS,
    OWN_CASE,
    already_open,
    citizen_person_ids,
    completion_confirmed,
    completion_digest,
    email_confirmation_resend_offered,
    email_confirmation_token,
    email_key,
    filer_told_instead,
    filing_declarant,
    filing_email_recipient,
    filing_of_email_confirmation,
    filing_submitted_with,
    filings_made_since,
    filings_visible_to,
    is_officers_own_case,
    open_filing_of,
    resubmit_refused,
    typed_email,
    typed_email_confirmed,
    typed_email_confirmed_elsewhere,
)

UPLOAD_DIR = "filings/tmp"

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
    from .tasks import notify_due_dates_moved

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


def _identity(person) -> dict:
    """Who the filing is for, as the registry said at submission, taken again at each resubmission (the
    declaration of that submission prints it, in Vietnamese whatever the language of the page it was
    filed from). "id_type" is the label of the identity paper's number on that declaration."""
    with translation.override(settings.LANGUAGE_CODE):
        sex = person.get_sex_display()
    return {
        "bhxh_code": person.bhxh_code, "full_name": person.full_name,
        "birth_date": vn_date(person.birth_date, person.birth_year_only),
        "sex": sex, "id_type": IdType.NUMBER_ON_PAPER[person.id_type],
        "id_number": person.id_number,
        "address": person.address, "phone": person.phone.as_national if person.phone else "",
    }


def _validated(procedure, *, person, user, data: dict, uploads: dict) -> dict:
    reason = procedure.unavailable(person, user=user)
    if reason:  # the form is not offered to them: a crafted or stale post is refused the same way
        raise ValidationError(reason)
    form = procedure.form(data=data, person=person, user=user, kept=uploads)
    if not form.is_valid():
        raise ValidationError(dict(form.errors.as_data()))
    return form_to_data(form)


def _attach(filing: Filing, uploads: dict[str, str], saved: list[str]) -> list[str]:
    """Copy uploads (temporary names in private storage) under the filing; returns old files to
    delete once committed (a replaced document). The names of the files it stores are added to
    `saved`, for the caller to delete if the transaction fails. A file of a several-files field
    keeps its (safe) name in a folder of its own: "attached_files-2-r0/Giấy_xác_nhận.pdf"."""
    replaced = []
    with translation.override(settings.LANGUAGE_CODE):  # stored with the filing: Vietnamese
        labels = {name: str(field.label) for name, field in filing.procedure.form_class.base_fields.items()}
    for field, name in uploads.items():
        if name.startswith(f"filings/{filing.tracking_number}/"):
            continue  # already the filing's own document
        document = FilingDocument.objects.filter(filing=filing, field=field).first()
        if document is None:
            document = FilingDocument(filing=filing, field=field)
        else:
            replaced.append(document.file.name)
        document.label = labels.get(document_field(field), field)
        if is_several(field):
            target = f"{field}-r{filing.revision}/{file_name(name)}"
        else:
            target = f"{field}-r{filing.revision}.{name.rsplit('.', 1)[-1]}"
        with default_storage.open(name, "rb") as handle:
            document.file.save(target, ContentFile(handle.read()), save=False)
        saved.append(document.file.name)
        document.save()
    return replaced


def _dispatch_declaration(filing_id: int) -> None:
    from .tasks import build_filing_declaration

    dispatch(build_filing_declaration, filing_id)  # broker away: the periodic sweep builds it


def _notify(filing: Filing, event: FilingEvent) -> None:
    """Tell the logins that may view the filing of its new status; when there are none, a rejection
    or a return for correction is told to the parent or guardian who filed it (filer_told_instead),
    without its reason. What the officer is told of it: selectors.filings_told; the channels that carry
    a note, named beside it on the officer's page: selectors.filing_note_told_by."""
    context = {"filing": filing, "event": event, "procedure_name": filing.procedure.name,
               "procedure_sms_name": filing.procedure.sms_name,
               # a return's SMS says where to correct the filing only when it can still be sent again
               "correctable": event.status == Filing.Status.RETURNED and not resubmit_refused(filing),
               # what a completion decided, said by the notice and the e-mail, and shorter by the SMS when
               # the procedure has it said there too (the SMS otherwise keeps to its step)
               "outcome": filing.procedure.completion_outcome(filing) if event.status == Filing.Status.DONE else "",
               "sms_outcome": (filing.procedure.completion_sms_outcome(filing)
                               if event.status == Filing.Status.DONE else ""),
               # and what it says after that to the person's own login alone (person_notify's `own_login`)
               "sms_alert": filing.procedure.completion_sms_alert(filing) if event.status == Filing.Status.DONE else ""}
    key = f"filing-{filing.tracking_number}-e{event.pk}"
    told = logins_told_of(filing.person)
    filer = None if told else filer_told_instead(filing)
    if filer is not None:
        user_notify(user=filer, template="public_service_filing_left", key=f"{key}-{filer.pk}",
                    context={**context, "person": filing.person, "filer": filer},
                    email=filer.email)
        return
    person_notify(person=filing.person, template="public_service_filing", context=context, change_key=key, told=told)
    email, for_child = filing_email_recipient(filing, told=told)
    if email:  # a parent who filed for a child is told whose filing it is, as in the notice
        # In the language of the login whose address it is, however its case was typed (as
        # typed_email_confirmed compares it); a typed address of no login's, in the language of the
        # filer's request that asked it confirmed (Filing.email_language; "", Vietnamese, before it was kept).
        reader = next((user for user in [filing.submitted_by, *told]
                       if user.email and user.email.casefold() == email.casefold()), None)
        typed = email.casefold() == filing.email_confirmed.casefold()
        language = reader.language if reader else filing.email_language if typed else ""
        send_message(channel=Message.Channel.EMAIL, template="public_service_filing", recipient=email,
                     context={**context, "person": filing.person, "for_child": for_child},
                     idempotency_key=f"{key}-email", language=language)


# Confirmation e-mails to one address, whichever filing, login or client asks them (a stranger's
# address typed, withdrawn and typed again), and those asked again for one filing by its button.
CONFIRMATIONS_PER_ADDRESS = "3/d"
RESENDS_PER_FILING = "3/h"
# Asked again within this of the filing's last confirmation e-mail to the address (a double click),
# nothing is sent nor counted against the limits above.
RESEND_WAIT = datetime.timedelta(seconds=60)


def _confirmation_mail(filing: Filing, address: str, *, link_base: str, key: str) -> None:
    path = reverse("public_services:email_confirm", args=[email_confirmation_token(filing, address)])
    # sensitive: the working link is kept out of the outbox (and its backups) once sent, as an OTP is.
    send_message(channel=Message.Channel.EMAIL, template="public_service_email_confirm", recipient=address,
                 context={"confirm_url": (settings.PORTAL_PUBLIC_URL or link_base).rstrip("/") + path,
                          "days": EMAIL_CONFIRMATION_DAYS},
                 idempotency_key=key, sensitive=True,
                 expires_at=timezone.now() + datetime.timedelta(days=EMAIL_CONFIRMATION_DAYS),
                 language=_filer_language(filing))  # asked by the filer's own request, in its language


def _filer_language(filing: Filing) -> str:
    """The language of the filer's own request that asks the typed address to be confirmed (the
    confirmation e-mail's), kept on the filing for the address's later e-mails (Filing.email_language),
    whichever page or phone then opens the link."""
    language = translation.get_language()
    filing.email_language = language if language in dict(settings.LANGUAGES) else ""
    filing.save(update_fields=["email_language", "updated_at"])
    return filing.email_language


def _address_counted(address: str) -> dict | None:
    return recipient_counted(group="public_services.filing_email_confirmation", recipient=address.casefold(),
                             rate=CONFIRMATIONS_PER_ADDRESS)


def _confirmed_elsewhere(filing: Filing) -> bool:
    """Confirm the address typed on the filing's form, sending nothing and counting nothing, when
    it was confirmed on another filing of the same login (typed_email_confirmed_elsewhere)."""
    if not typed_email_confirmed_elsewhere(filing):
        return False
    filing.email_confirmed = typed_email(filing)
    filing.save(update_fields=["email_confirmed", "updated_at"])
    _filer_language(filing)
    return True


def _ask_email_confirmation(filing: Filing, *, link_base: str) -> None:
    """Mail the address typed on a submitted or resubmitted filing's form, when its e-mails may not go
    there yet (typed_email_confirmed), the link confirming it: once per address per filing (its
    idempotency key), whichever step or revision asks, none when the same login's other filing has it
    confirmed (_confirmed_elsewhere), and at most CONFIRMATIONS_PER_ADDRESS to one
    address (beyond it, or while the count cannot be kept, the filing is still recorded and the
    citizen may ask the e-mail again from its page: filing_email_confirmation_resend). The e-mail
    says nothing of the filing, its person or its procedure: a mistyped address reaches a stranger.
    The link starts with PORTAL_PUBLIC_URL when set, else `link_base` (the scheme and host of the
    request)."""
    address = typed_email(filing)
    if not address or typed_email_confirmed(filing) or _confirmed_elsewhere(filing):
        return
    key = f"filing-{filing.tracking_number}-email-confirm-{email_key(address)}"
    if Message.objects.filter(idempotency_key=key).exists():
        return
    usage = _address_counted(address)
    if usage is not None and usage["should_limit"]:
        return
    _confirmation_mail(filing, address, link_base=link_base, key=key)


class ConfirmationsRefused(ValidationError):
    """The confirmation e-mail is not sent again: the filing's RESENDS_PER_FILING or the address's
    CONFIRMATIONS_PER_ADDRESS is reached. `usages`: django-ratelimit's counts, this request counted,
    which say how long is left (vssid_portal.ratelimit.usages_refusal)."""

    def __init__(self, usages: list):
        self.usages = usages
        super().__init__(gettext("Thư xác nhận đã được gửi lại nhiều lần. Hãy mở thư đã gửi hoặc thử lại sau."),
                         code="too_many")


class ConfirmationsUnavailable(ValidationError):
    """The limits could not be counted (Redis down): nothing is sent, and it is no fault of the citizen's."""

    def __init__(self):
        super().__init__(gettext("Gửi lại thư xác nhận đang tạm gián đoạn. Hãy thử lại sau vài phút."),
                         code="unavailable")


def filing_email_confirmation_resend(*, filing: Filing, link_base: str) -> str:
    """Send the address typed on an open filing's form, not confirmed yet, a new link confirming it
    (the citizen deleted the first, let it expire, or its delivery was given up), under a key of its
    own so that it is sent again; the address it went to. At most RESENDS_PER_FILING for the
    filing and CONFIRMATIONS_PER_ADDRESS to the address (ConfirmationsRefused). ValidationError,
    nothing sent nor counted, within RESEND_WAIT of the last one (a double click). ValidationError,
    nothing sent, when there is nothing to confirm any more (confirmed, here or on another filing of
    the same login, which confirms it here: _confirmed_elsewhere; address changed or filing ended
    meanwhile). The caller has checked that the login may view the filing."""
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        needed = email_confirmation_resend_offered(filing) and not _confirmed_elsewhere(filing)
        if needed:
            address = typed_email(filing)
            prefix = f"filing-{filing.tracking_number}-email-confirm-{email_key(address)}"
            last = Message.objects.filter(idempotency_key__startswith=prefix).order_by("-created_at").first()
            if last is not None and timezone.now() - last.created_at < RESEND_WAIT:
                minutes = math.ceil(RESEND_WAIT.total_seconds() / 60)
                raise ValidationError(ngettext(
                    "Thư xác nhận vừa được gửi. Hãy kiểm tra hộp thư, kể cả mục thư rác, rồi thử lại sau %(minutes)s "
                    "phút nếu chưa nhận được.",
                    "Thư xác nhận vừa được gửi. Hãy kiểm tra hộp thư, kể cả mục thư rác, rồi thử lại sau %(minutes)s "
                    "phút nếu chưa nhận được.", minutes) % {"minutes": minutes}, code="just_sent")
            usages = [recipient_counted(group="public_services.filing_email_resend", recipient=str(filing.pk),
                                        rate=RESENDS_PER_FILING), _address_counted(address)]
            if any(usage is not None and usage["should_limit"] for usage in usages):
                raise ConfirmationsRefused(usages)
            sent = Message.objects.filter(idempotency_key__startswith=prefix).count()
            _confirmation_mail(filing, address, link_base=link_base, key=f"{prefix}-{sent + 1}")
    if not needed:  # raised once the address confirmed from another filing is committed
        raise ValidationError(gettext("Không cần gửi lại thư xác nhận: địa chỉ email đã được xác nhận, "
                                      "đã thay đổi hoặc hồ sơ đã kết thúc."), code="not_needed")
    return address


@transaction.atomic
def filing_email_confirm(*, token: str) -> Filing | None:
    """Confirm the address typed on a filing's form by the link mailed to it (`token`): the filing's
    later e-mails go there, in the language the filer asked the confirmation in (Filing.email_language,
    not the page's that opens the link: a phone without the portal's cookie reads Vietnamese). None,
    nothing written, for a forged or expired link, or one of an address the filing no longer has
    (checked again on the locked row: a resubmission meanwhile)."""
    filing = filing_of_email_confirmation(token, queryset=Filing.objects.select_for_update())
    if filing is not None and not typed_email_confirmed(filing):
        filing.email_confirmed = typed_email(filing)
        filing.save(update_fields=["email_confirmed", "updated_at"])
    return filing


def _record(filing: Filing, *, from_status: str, actor, note: str = "") -> FilingEvent:
    event = FilingEvent.objects.create(filing=filing, from_status=from_status, status=filing.status, actor=actor,
                                       note=note)
    _notify(filing, event)
    return event


class FilingAlreadyInStatus(ValidationError):
    """The locked filing already stands in the status asked for: a double click, or two officers
    taking the same step at once. Nothing changed (no second event, no second notice); `event` is
    the step that put it there (who, when, with which note), for the caller to say so."""

    def __init__(self, filing: Filing):
        self.filing = filing
        self.event = event = filing.events.order_by("-at", "-id").select_related("actor").first()
        super().__init__(
            gettext("Hồ sơ %(number)s đã ở trạng thái “%(status)s” (%(actor)s, lúc %(when)s); không cần thực hiện lại.")
            % {"number": filing.tracking_number, "status": filing.get_status_display(), "actor": event.actor or "–",
               "when": vn_time_date(event.at)})


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


def check_move(filing: Filing, *, to: str) -> None:
    """Refuse a status change that is not an allowed transition (or that was made already)."""
    if to == filing.status:
        raise FilingAlreadyInStatus(filing)
    if to not in TRANSITIONS[filing.status]:
        raise ValidationError(
            gettext("Hồ sơ %(number)s đang ở trạng thái “%(status)s” nên không thể chuyển sang “%(to)s”.")
            % {"number": filing.tracking_number, "status": filing.get_status_display(), "to": Filing.Status(to).label}
        )


def _move(filing: Filing, *, to: str, actor, note: str = "", fields=()) -> Filing:
    """Change the status of a locked filing along an allowed transition."""
    check_move(filing, to=to)
    from_status, filing.status = filing.status, to
    filing.save(update_fields=["status", "updated_at", *fields])
    _record(filing, from_status=from_status, actor=actor, note=note)
    return filing


# New filings one login may submit in SUBMISSIONS_WINDOW, whatever the procedure or the person: each tells
# its holder (and a minor's parents) by SMS, and one withdrawn by SMS again, and has its declaration PDF
# built. A family filing for each of its members stays far below; a script submitting and withdrawing in
# a loop stops. Counted from the filings' first submissions in PostgreSQL (selectors.filings_made_since),
# not in Redis, so that filings are still taken while Redis is down. A returned filing corrected and sent
# again (filing_resubmit) is no new filing and is not counted, nor refused by this limit: it is texted and
# built again too, but is sent only while the filing is returned, once per return (its row locked, the
# revision its page was opened on checked), so that an officer's return, not the citizen, bounds it.
SUBMISSIONS_PER_LOGIN = 10
SUBMISSIONS_WINDOW = datetime.timedelta(hours=1)


class FilingsRefused(ValidationError):
    """The login has sent SUBMISSIONS_PER_LOGIN filings within SUBMISSIONS_WINDOW already: this one is
    not recorded. `wait`: the seconds until the oldest of them leaves the window, said in minutes."""

    def __init__(self, wait: float):
        self.wait = wait
        minutes = minutes_left(wait)
        super().__init__(ngettext("Bạn đã nộp quá nhiều hồ sơ trong một giờ. Hãy thử lại sau %(minutes)s phút; "
                                  "nội dung đã khai vẫn được giữ.",
                                  "Bạn đã nộp quá nhiều hồ sơ trong một giờ. Hãy thử lại sau %(minutes)s phút; "
                                  "nội dung đã khai vẫn được giữ.", minutes) % {"minutes": minutes}, code="too_many")


def _submissions_refused(user) -> FilingsRefused | None:
    """The refusal of a new filing by `user` once SUBMISSIONS_PER_LOGIN new filings it made are within
    SUBMISSIONS_WINDOW (withdrawn ones too: the loop this guards withdraws each; not a correction sent
    again, which makes no new filing), with the wait until the oldest of the last SUBMISSIONS_PER_LOGIN
    leaves the window; None while the login is below. Read once the login's submissions are locked
    (filing_submit), so that its submissions sent at the same moment are counted one after another,
    each seeing those committed before it, instead of all reading the same count."""
    now = timezone.now()
    sent = filings_made_since(user=user, since=now - SUBMISSIONS_WINDOW, latest=SUBMISSIONS_PER_LOGIN)
    if len(sent) < SUBMISSIONS_PER_LOGIN:
        return None
    return FilingsRefused((sent[-1] + SUBMISSIONS_WINDOW - now).total_seconds())


def filing_submit(*, procedure, person, user, data: dict, uploads: dict[str, str], idempotency_key: str,
                  link_base: str = "") -> Filing:
    """Record a filing from the form's answers (validated again here) and the uploaded images
    (temporary names in private storage). The same idempotency key always yields the same filing:
    a double click, the back button or a retry after a timeout submits once. A person has at most
    one filing of a procedure in hand, and one of the procedures reissuing the book (607A/608A):
    another is refused until that one is finished (checked here, and held by the constraints
    filing_one_open_per_procedure and filing_one_open_book_reissue when two forms are sent at the
    same moment). `link_base`: the scheme and host the link confirming a typed e-mail address starts
    with (_ask_email_confirmation). A new filing is refused (FilingsRefused) once the login has sent
    SUBMISSIONS_PER_LOGIN within SUBMISSIONS_WINDOW (a retry of one recorded is not refused)."""
    if not idempotency_key or len(idempotency_key) > KEY_LENGTH:
        raise ValidationError(gettext("Phiên khai hồ sơ không hợp lệ. Hãy mở lại biểu mẫu."))
    existing = filing_submitted_with(idempotency_key=idempotency_key, user=user)
    if existing is not None:
        return existing
    cleaned = _validated(procedure, person=person, user=user, data=data, uploads=uploads)
    missing = [name for name in procedure.upload_fields
               if procedure.form_class.base_fields[name].required and not uploads.get(name)]
    if missing:
        raise ValidationError({name: gettext("Hãy tải lên ảnh giấy tờ này.") for name in missing})
    agency = procedure.agency_for(person=person, data=cleaned)
    try:
        with kept_only_if_committed() as saved, transaction.atomic():
            wait_for_holiday_changes()  # first in the transaction: before any row is locked
            # The login's submissions one at a time, for the count of its filings: an advisory lock, not
            # the login's row, which an officer's completion of a contact change locks after the person's.
            advisory_xact_lock(Lock.LOGIN_SUBMISSIONS, of=user.pk)
            now = timezone.now()  # after the wait for a holiday change, which may end past midnight
            existing = filing_submitted_with(idempotency_key=idempotency_key, user=user)  # committed meanwhile
            if existing is not None:
                return existing
            refused = _submissions_refused(user)
            if refused is not None:
                raise refused
            in_hand = open_filing_of(person=person, procedure=procedure)
            if in_hand is not None:
                raise ValidationError(already_open(in_hand, procedure, user=user))
            filing = Filing(
                tracking_number=new_reference(Filing, field="tracking_number", prefix="HS", length=6), procedure_code=procedure.code, person=person, submitted_by=user,
                agency=agency, data=cleaned, identity={**_identity(person), **procedure.remembered(person)},
                idempotency_key=idempotency_key, submitted_at=now, due_date=add_working_days(timezone.localdate(now), procedure.handling_days),
            )
            # Uniqueness is left to the database: checked here, the same form committed a moment
            # ago by a parallel request would be refused as "already exists"; as an
            # IntegrityError (below) it is the filing the citizen gets back, and another form of
            # the same procedure, or of the other one reissuing the book, committed meanwhile
            # (filing_one_open_per_procedure, filing_one_open_book_reissue) is named.
            filing.full_clean(validate_unique=False)
            filing.save()
            _attach(filing, uploads, saved)
            _record(filing, from_status="", actor=user)
            _ask_email_confirmation(filing, link_base=link_base)
            procedure.on_submit(filing=filing)
            delete_files_once_committed(uploads.values())
            transaction.on_commit(lambda: _dispatch_declaration(filing.pk))
    except IntegrityError:
        existing = filing_submitted_with(idempotency_key=idempotency_key, user=user)
        if existing is not None:
            return existing
        in_hand = open_filing_of(person=person, procedure=procedure)
        if in_hand is None:
            raise
        raise ValidationError(already_open(in_hand, procedure, user=user)) from None
    return filing


def _citizen_locked(filing: Filing, user) -> Filing:
    locked = Filing.objects.select_for_update().filter(pk=filing.pk, person_id__in=citizen_person_ids(user)).first()
    if locked is None:
        raise PermissionDenied("Hồ sơ không thuộc tài khoản này.")
    return locked


@transaction.atomic
def filing_withdraw(*, filing: Filing, user) -> Filing:
    """The citizen takes back a filing the agency has not received yet, or has returned."""
    filing = _citizen_locked(filing, user)
    if not filing.can_withdraw:
        raise ValidationError(gettext("Chỉ rút được hồ sơ khi cơ quan BHXH chưa tiếp nhận hoặc đã trả lại để "
                                      "bổ sung."))
    filing.finished_at = timezone.now()
    return _move(filing, to=Filing.Status.WITHDRAWN, actor=user, note=NOTE_WITHDRAWN, fields=["finished_at"])


class FilingReturnedAgain(ValidationError):
    """A correction made on a page opened at an earlier revision: the filing was resubmitted and
    returned again since, with a request that page did not show."""

    def __init__(self, filing: Filing):
        super().__init__(gettext(
            "Hồ sơ %(number)s đã được trả lại lần nữa sau khi trang này được mở. Đọc đề nghị bổ sung mới "
            "ở đầu trang, kiểm tra nội dung dưới đây rồi nộp lại.") % {"number": filing.tracking_number})


def filing_resubmit(*, filing: Filing, user, data: dict, uploads: dict[str, str], removed=(),
                    revision: int | None, link_base: str = "") -> Filing:
    """The citizen corrects a returned filing and sends the same filing again. `removed` names
    attached files (keys of a several-files field) the citizen took out; `revision` is the one the
    correction page was opened on (FilingReturnedAgain when it is no longer the filing's). `user`
    becomes who declared it (`submitted_by`): the new revision's declaration is theirs. A typed e-mail
    address not confirmed yet for the filing is asked to confirm (`link_base`: as for filing_submit)."""
    procedure = filing.procedure
    removed = {key for key in removed if is_several(key) and key not in uploads}
    kept = {document.field: document.file.name for document in filing.documents.all() if document.field not in removed}
    cleaned = _validated(procedure, person=filing.person, user=user, data=data, uploads={**kept, **uploads})
    with kept_only_if_committed() as saved, transaction.atomic():
        wait_for_holiday_changes()  # first in the transaction: before the filing's row is locked
        filing = _citizen_locked(filing, user)
        if not filing.can_edit:
            raise ValidationError(gettext("Chỉ sửa được hồ sơ cơ quan BHXH đã trả lại để bổ sung."))
        if revision != filing.revision:
            raise FilingReturnedAgain(filing)
        filing.revision += 1
        filing.submitted_by = user  # who declares this revision: the other parent, or the child grown up since
        filing.pdf_attempts = 0
        filing.data = cleaned
        filing.agency = procedure.agency_for(person=filing.person, data=cleaned)
        # Declared again: the person as the registry has them now (a new phone or address since).
        filing.identity = {**_identity(filing.person), **procedure.remembered(filing.person, before=filing.identity)}
        filing.note = ""
        filing.received_at = None
        filing.submitted_at = timezone.now()
        filing.due_date, filing.due_date_told = add_working_days(timezone.localdate(), procedure.handling_days), None
        filing.full_clean(validate_constraints=False)  # the status changes below, in _move
        replaced = _attach(filing, uploads, saved)
        for document in FilingDocument.objects.filter(filing=filing, field__in=removed):
            replaced.append(document.file.name)
            document.delete()
        _move(filing, to=Filing.Status.SUBMITTED, actor=user, note=NOTE_RESUBMITTED,
              fields=["revision", "submitted_by", "pdf_attempts", "data", "agency", "identity", "note",
                      "received_at", "submitted_at", "due_date", "due_date_told"])
        _ask_email_confirmation(filing, link_base=link_base)
        procedure.on_submit(filing=filing)
        delete_files_once_committed([*replaced, *uploads.values()])
        transaction.on_commit(lambda: _dispatch_declaration(filing.pk))
    return filing


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
    return _move(filing, to=Filing.Status.RECEIVED, actor=officer, fields=["received_at", "due_date", "due_date_told"])


@transaction.atomic
def filing_start(*, filing: Filing, officer, seen: str | None = None, seen_revision: int | str | None = None) -> Filing:
    """`seen`, `seen_revision`: as for filing_reject."""
    filing = _officer_locked(filing, officer)
    _still_as_seen(filing, seen, to=Filing.Status.PROCESSING, seen_revision=seen_revision)
    return _move(filing, to=Filing.Status.PROCESSING, actor=officer)


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
    return _move(filing, to=Filing.Status.DONE, actor=officer, note=note, fields=["finished_at"])


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
    return _move(filing, to=Filing.Status.REJECTED, actor=officer, note=reason, fields=["note", "finished_at"])


@transaction.atomic
def filing_return(*, filing: Filing, officer, what: str, seen: str | None = None,
                  seen_revision: int | str | None = None) -> Filing:
    """`seen`: as for filing_reject."""
    what = _need_note(what, "what", gettext("Hãy ghi nội dung người nộp cần bổ sung, sửa đổi."))
    filing = _officer_locked(filing, officer)
    _still_as_seen(filing, seen, to=Filing.Status.RETURNED, seen_revision=seen_revision)
    filing.note = what
    return _move(filing, to=Filing.Status.RETURNED, actor=officer, note=what, fields=["note"])


def filing_build_declaration(*, filing_id: int) -> Filing | None:
    """Render the declaration of the filing's current revision once and store it privately.
    Idempotent: a declaration that exists for this revision is left alone. After
    `JOB_MAX_ATTEMPTS` attempts at one revision it is given up, for an officer to start again
    (`filings_retry_declarations`). Returns None when there was nothing to build."""
    return run_counted(Filing.objects.declaration_missing().filter(pk=filing_id), "pdf_attempts",
                       lambda: _declaration_rendered(filing_id), name=f"filing {filing_id}: declaration")


def declaration_render(filing: Filing) -> bytes:
    """The declaration of the filing's current revision as a PDF, in the portal's language whatever
    the request's (the filing read with its agency, person and `submitted_by__person`)."""
    procedure = filing.procedure
    with translation.override(settings.LANGUAGE_CODE):  # the rows' labels and values, as the PDF prints them
        rows = procedure.filing_rows(filing, user=filing.submitted_by)  # worded for who declared
        declarant = filing_declarant(filing)
    return render_pdf(procedure.pdf_template, {
        "filing": filing, "procedure": procedure, "identity": filing.identity, "rows": rows,
        "data": filing.data, "documents": list(filing.documents.all()), "declarant": declarant,
    })


def _declaration_rendered(filing_id: int) -> Filing:
    with kept_only_if_committed() as saved, transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing_id)
        if filing.pdf_ready:
            return filing
        filing = Filing.objects.select_related("agency", "person", "submitted_by__person").get(pk=filing_id)
        pdf = declaration_render(filing)
        old = filing.declaration_pdf.name if filing.declaration_pdf else ""
        filing.declaration_pdf.save(f"to-khai-r{filing.revision}.pdf", ContentFile(pdf), save=False)
        saved.append(filing.declaration_pdf.name)
        filing.pdf_revision = filing.revision
        filing.save(update_fields=["declaration_pdf", "pdf_revision"])
        if old and old != filing.declaration_pdf.name:
            delete_files_once_committed([old])
    return filing


def filings_missing_declarations(limit: int = 500) -> list[int]:
    """Filings whose declaration for the current revision is missing (a task lost while the
    broker was down, or a failed build) and that have attempts left, oldest first."""
    return list(
        Filing.objects.declaration_missing().filter(pdf_attempts__lte=settings.JOB_MAX_ATTEMPTS)
        .order_by("submitted_at").values_list("pk", flat=True)[:limit]
    )


def filings_retry_declarations(*, filings, officer) -> int:
    """Start again the declarations given up (`filing_build_declaration`) of the given filings
    within the officer's scope; returns how many were started."""
    if not officer.has_perm("public_services.process_filing"):
        raise PermissionDenied("Cán bộ không có quyền xử lý hồ sơ.")
    given_up = filings_visible_to(officer).declaration_given_up().filter(pk__in=filings.values("pk"))
    return restart_given_up(given_up, "pdf_attempts", _dispatch_declaration)


def uploads_sweep(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete evidence uploaded for a form that was never submitted (older than a day)."""
    return delete_stale_uploads(UPLOAD_DIR, cutoff=timezone.now() - older_than)
