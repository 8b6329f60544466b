"""Every write to filings by the citizen: submit (idempotent), resubmit after a return, withdraw, and
the status change each step goes through.

A status change goes through `filing_move`, which allows only the transitions in models.TRANSITIONS, writes
the FilingEvent (who, when, note) and queues the citizen's notices once for that event (in-portal +
SMS, and e-mail when an address is known and, typed on the form, confirmed by its owner:
email_confirmation); PDF tasks and message delivery start on commit, so a broker outage loses nothing:
the outbox and the PDF sweep (tasks.build_missing_filing_declarations) catch up.

Due dates: when a filing is submitted its expected completion date is counted from the submission day,
so the citizen sees an estimate at once; it is counted again from the receipt day when the agency
receives it (officer_steps.filing_receive). Both use the working-day calendar (weekends and public
holidays skipped).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.selectors import logins_told_of
from accounts.services.notices import person_notify, user_notify
from accounts.validators import IdType
from notifications.models import Message
from notifications.services import send_message
from vssid_portal.files import delete_files_once_committed, delete_stale_uploads, kept_only_if_committed
from vssid_portal.form_keys import KEY_LENGTH, new_reference
from vssid_portal.locks import Lock, advisory_xact_lock
from vssid_portal.ratelimit import minutes_left
from vssid_portal.templatetags.vn_format import vn_date, vn_time_date

from ..calendar import add_working_days
from ..models import (
    NOTE_RESUBMITTED,
    NOTE_WITHDRAWN,
    TRANSITIONS,
    Filing,
    FilingDocument,
    FilingEvent,
)
from ..procedures.base import document_field, file_name, form_to_data, is_several
from ..selectors import (
    already_open,
    citizen_person_ids,
    filer_told_instead,
    filing_email_recipient,
    filing_submitted_with,
    filings_made_since,
    open_filing_of,
    resubmit_refused,
)
from .declarations import _dispatch_declaration
from .email_confirmation import _ask_email_confirmation
from .holidays import wait_for_holiday_changes

UPLOAD_DIR = "filings/tmp"

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
               # the e-mail's, which may go to an address nobody confirmed
               "email_outcome": (filing.procedure.completion_email_outcome(filing)
                                 if event.status == Filing.Status.DONE else ""),
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


def check_move(filing: Filing, *, to: str) -> None:
    """Refuse a status change that is not an allowed transition (or that was made already)."""
    if to == filing.status:
        raise FilingAlreadyInStatus(filing)
    if to not in TRANSITIONS[filing.status]:
        raise ValidationError(
            gettext("Hồ sơ %(number)s đang ở trạng thái “%(status)s” nên không thể chuyển sang “%(to)s”.")
            % {"number": filing.tracking_number, "status": filing.get_status_display(), "to": Filing.Status(to).label}
        )


def filing_move(filing: Filing, *, to: str, actor, note: str = "", fields=()) -> Filing:
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
    return filing_move(filing, to=Filing.Status.WITHDRAWN, actor=user, note=NOTE_WITHDRAWN,
                       fields=["finished_at"])


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
        filing.full_clean(validate_constraints=False)  # the status changes below, in filing_move
        replaced = _attach(filing, uploads, saved)
        for document in FilingDocument.objects.filter(filing=filing, field__in=removed):
            replaced.append(document.file.name)
            document.delete()
        filing_move(filing, to=Filing.Status.SUBMITTED, actor=user, note=NOTE_RESUBMITTED,
                    fields=["revision", "submitted_by", "pdf_attempts", "data", "agency", "identity", "note",
                            "received_at", "submitted_at", "due_date", "due_date_told"])
        _ask_email_confirmation(filing, link_base=link_base)
        procedure.on_submit(filing=filing)
        delete_files_once_committed([*replaced, *uploads.values()])
        transaction.on_commit(lambda: _dispatch_declaration(filing.pk))
    return filing


def uploads_sweep(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete evidence uploaded for a form that was never submitted (older than a day)."""
    return delete_stale_uploads(UPLOAD_DIR, cutoff=timezone.now() - older_than)
