"""Registration for electronic transactions: submit, build the declaration PDF, approve, reject.

Every write is one function, one transaction; what leaves the process (SMS, e-mail, the PDF
task) starts on commit.
"""

import datetime
import logging
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lookup.models import Agency
from notifications.models import Message
from notifications.services import send_message
from vssid_portal.files import delete_files, delete_files_once_committed, delete_stale_uploads, kept_only_if_committed
from vssid_portal.form_keys import KEY_LENGTH, new_reference
from vssid_portal.jobs import dispatch, restart_given_up, run_counted
from vssid_portal.locks import Lock, advisory_xact_lock
from vssid_portal.pdf import render_pdf
from vssid_portal.templatetags.vn_format import vn_time_date

from ..models import Guardianship, Person, Registration, RegistrationEvent, User
from ..selectors import (
    OFFICER_RECORD_UNKNOWN,
    adult_born_by,
    has_own_login,
    identity_match,
    is_officers_own_registration,
    officer_record_unknown,
    registration_told_by,
    registrations_visible_to,
)
from ..sessions import REGISTRATION_DRAFT
from ..validators import IdType, cccd_sex, validate_id_document

logger = logging.getLogger(__name__)

PHOTO_FIELDS = ("portrait", "id_front", "id_back")
PHOTO_RETENTION = timedelta(days=30)
UPLOAD_DIR = "registrations/tmp"
UPLOAD_RETENTION = timedelta(days=1)  # longer than any session that could still submit them
PHOTO_EXPIRED = _(
    "Ảnh đã tải lên trước đó không còn được lưu (ảnh chỉ được lưu tạm trong 1 ngày). Hãy tải lên lại ảnh này."
)
CHILD_MISMATCH = _(
    "Họ tên hoặc ngày sinh không khớp với hồ sơ BHXH của mã số này. Hãy ghi đúng họ, chữ đệm, tên và ngày sinh "
    "như trên giấy khai sinh của trẻ."
)
# Said as well of a code the registry does not hold: the form would otherwise tell anyone which codes exist.
IDENTITY_MISMATCH = _(
    "Mã số BHXH, họ và tên, ngày sinh hoặc số giấy tờ tùy thân không khớp với hồ sơ BHXH: hãy kiểm tra lại mã số "
    "BHXH theo sổ BHXH hoặc thẻ BHYT và ba thông tin còn lại theo giấy tờ tùy thân."
)
REGISTRY_TO_CORRECT = _(
    "Hồ sơ BHXH của mã số này có thông tin cần được cơ quan BHXH điều chỉnh trước khi đăng ký tài khoản. Hãy mang "
    "giấy tờ tùy thân đến cơ quan BHXH quản lý hoặc gọi %(hotline)s để được hướng dẫn."
)
CHILD_ADULT = _("Chỉ đăng ký thay cho trẻ dưới 18 tuổi. Người từ 18 tuổi tự đăng ký tài khoản.")
STALE_SUBMISSION = _("Phiên đăng ký không hợp lệ. Hãy tải lại trang và gửi lại.")


class PhotosExpired(ValidationError):
    """Temporary photos that are gone: swept after a day, or moved by an earlier submission."""

    def __init__(self, fields):
        self.fields = list(fields)
        super().__init__({field: PHOTO_EXPIRED for field in self.fields})


def validate_child_birth_date(birth_date: datetime.date) -> None:
    """A parent registers only a minor: told from the date typed, before and whatever the registry holds."""
    if birth_date <= adult_born_by():
        raise ValidationError(CHILD_ADULT, code="adult")


def _refuse_a_login(user: User | None) -> None:
    """A person's own registration is refused once the code has a login (`user`), saying whether it is
    locked: "Quên mật khẩu" sends a login an officer deactivated no code, only the agency opens it again."""
    if user is None:
        return
    if not user.is_active:
        raise ValidationError({"bhxh_code": gettext(
            "Tài khoản của mã số BHXH này đang bị khóa. Hãy liên hệ cơ quan BHXH quản lý hoặc gọi tổng đài "
            "%(hotline)s để được hỗ trợ.") % {"hotline": settings.PORTAL_HOTLINE}})
    raise ValidationError({"bhxh_code": gettext(
        "Mã số BHXH này đã có tài khoản. Nếu quên mật khẩu, hãy dùng chức năng Quên mật khẩu.")})


def registration_check_declaration(*, bhxh_code: str, full_name: str, birth_date: datetime.date, id_type: str,
                                   id_number: str, for_child: bool = False) -> Person:
    """The registry person the declaration names, or a ValidationError that does not reveal what
    the registry holds: one answer whichever of the identity's fields does not match."""
    if for_child:
        try:
            validate_child_birth_date(birth_date)
        except ValidationError as error:
            raise ValidationError({"birth_date": error}) from None
    else:  # the number's shape and its digits against the typed birth date: nothing of the registry
        validate_id_document(id_type, id_number, birth_date=birth_date, sex=None)
    person = Person.objects.filter(bhxh_code=bhxh_code).select_related("user").first()
    # A code the registry does not hold is answered as one whose identity does not match, on both forms:
    # the child's too, where a parent could otherwise find which codes exist.
    if person is None and for_child:
        raise ValidationError(CHILD_MISMATCH, code="child_mismatch")
    if person is None:
        raise ValidationError({"bhxh_code": ValidationError(IDENTITY_MISMATCH, code="identity_mismatch")})
    match = identity_match(person, full_name=full_name, birth_date=birth_date,
                           id_number=None if for_child else id_number)
    # Anyone may fill in these forms (the adult's with no login at all): an answer per field would let
    # whoever knows a code find its holder's name or birth date one field at a time.
    # A typed minor's date never matches an adult's record, nor may a year-only record of the year
    # someone turns 18 in: "under 18" after a match would confirm an adult's birth date.
    if for_child and not (match.whole and person.birth_date > adult_born_by()):
        raise ValidationError(CHILD_MISMATCH, code="child_mismatch")
    if not for_child and not match.whole:
        # On the first of the four fields, the code the sentence names first, so the error summary links to
        # where checking starts; the same whichever does not match, the code included.
        raise ValidationError({"bhxh_code": ValidationError(IDENTITY_MISMATCH, code="identity_mismatch")})
    # Only after the identity matched: from the code alone this would tell anyone whether a code
    # has an account, which "Quên mật khẩu" keeps to itself.
    if not for_child:
        _refuse_a_login(getattr(person, "user", None))
    # The form asks no sex: the record's own number contradicting the sex it records is the registry's to
    # correct. Said without naming the field, which would tell whoever typed the number the recorded sex.
    if not for_child and id_type == IdType.CCCD and cccd_sex(id_number) != person.sex:
        raise ValidationError({NON_FIELD_ERRORS: ValidationError(
            REGISTRY_TO_CORRECT, code="registry_to_correct", params={"hotline": settings.PORTAL_HOTLINE})})
    return person


def _check_child(child: Person, parent: User) -> None:
    """A parent registers for a child who is not themself, has no login of their own that can sign in
    (has_own_login) and is not already linked to them (that the child is a minor,
    registration_check_declaration checks)."""
    if parent.person_id is None:
        raise ValidationError(gettext("Chỉ người tham gia có tài khoản mới đăng ký được cho con."))
    if not parent.person.phone:  # the registration's SMS and its result go to the parent's phone
        raise ValidationError(gettext(
            "Tài khoản của bạn chưa có số điện thoại di động để nhận kết quả đăng ký cho con. Hãy liên hệ cơ quan "
            "BHXH quản lý hoặc gọi %(hotline)s để cập nhật số điện thoại.") % {"hotline": settings.PORTAL_HOTLINE})
    if child.pk == parent.person_id:
        raise ValidationError({"bhxh_code": gettext("Đây là mã số BHXH của chính bạn. Hãy nhập mã số BHXH của con.")})
    if has_own_login(child):  # a login an officer deactivated counts for nothing, as everywhere in the portal
        raise ValidationError({"bhxh_code": gettext("Người này đã có tài khoản riêng nên không đăng ký thay được.")})
    if Guardianship.objects.filter(parent=parent, child=child).exists():
        raise ValidationError({"bhxh_code": gettext("Bạn đã được duyệt xem thông tin của trẻ này.")})


def _photo_names(registration: Registration) -> list[str]:
    return [getattr(registration, field).name for field in PHOTO_FIELDS if getattr(registration, field)]


def registration_submitted_with(*, submission_key: str, parent: User | None = None) -> Registration | None:
    """The registration an earlier post of the same form made, if any.

    A key is a secret of one browser session (adults) or one parent's form (children): a key
    that exists under another submitter is refused, not answered.
    """
    if not submission_key or len(submission_key) > KEY_LENGTH:
        return None
    existing = Registration.objects.filter(submission_key=submission_key).first()
    if existing is not None and existing.parent_id != (parent.pk if parent is not None else None):
        raise ValidationError(STALE_SUBMISSION)
    return existing


def registration_submit(*, declaration: dict, photos: dict[str, str], agency: Agency, parent: User | None = None,
                        relationship: str = "", birth_certificate_number: str = "",
                        submission_key: str = "") -> Registration:
    """Record a registration. A pending one for the same code by the same submitter (the same
    parent, or the citizen themself) is replaced (its photos deleted).

    `photos` maps each photo field to a validated, re-encoded image already in private storage
    (a temporary name); it is copied under the registration and the temporary file removed.
    With a `submission_key`, the same key always yields the same registration: a double click or
    a repeated post returns the first one (no second registration, no second SMS). Temporary
    photos that are gone raise PhotosExpired, a ValidationError naming the photos to upload again.
    """
    existing = registration_submitted_with(submission_key=submission_key, parent=parent)
    if existing is not None:
        return existing
    missing = [field for field in PHOTO_FIELDS if not photos.get(field)]
    if missing:
        raise ValidationError({field: gettext("Hãy tải lên ảnh này.") for field in missing})
    saved: list[str] = []
    try:
        with transaction.atomic():
            person = registration_check_declaration(
                bhxh_code=declaration["bhxh_code"], full_name=declaration["full_name"],
                birth_date=declaration["birth_date"], id_type=declaration["id_type"],
                id_number=declaration["id_number"], for_child=parent is not None,
            )
            # One registration at a time per person: a second submit waits here, then replaces. An advisory
            # lock, not the person's row: a decision or a declaration's PDF locks the registration, then the
            # person (saving it: accounts/content_version.py), and would wait in a circle with a submit
            # holding the person and waiting for that registration.
            advisory_xact_lock(Lock.REGISTRATION_SUBMISSIONS, of=person.pk)
            # A second post of the same form waited here for the first: it gets the first's result.
            existing = registration_submitted_with(submission_key=submission_key, parent=parent)
            if existing is not None:
                return existing
            expired = [field for field in PHOTO_FIELDS if not default_storage.exists(photos[field])]
            if expired:
                raise PhotosExpired(expired)
            # Every pending registration of the person, whoever sent it, in key order: a decision of one
            # (the only writer of a login or a guardianship for it) commits before the checks below read.
            pending = list(Registration.objects.select_for_update().filter(
                bhxh_code=person.bhxh_code, status=Registration.Status.PENDING).order_by("pk"))
            if parent is not None:
                _check_child(person, parent)
            else:  # read again now: a decision approving the pending one may have made the login meanwhile
                _refuse_a_login(User.objects.filter(person=person).first())
            replaced_photos, replaced = [], []
            # Only the submitter's own earlier registration is replaced: each parent registers for
            # their own right to the child's records, and a minor's own registration is theirs.
            for old in [mine for mine in pending if mine.parent_id == (parent.pk if parent is not None else None)]:
                replaced_photos += _photo_names(old) + ([old.declaration_pdf.name] if old.declaration_pdf else [])
                old.status = Registration.Status.REPLACED
                old.decided_at = timezone.now()
                old.photos_deleted_at = timezone.now()
                old.portrait = old.id_front = old.id_back = old.declaration_pdf = ""
                old.save()
                RegistrationEvent.objects.create(registration=old, action=RegistrationEvent.Action.REPLACED)
                replaced.append(old)
            registration = Registration(
                reference=new_reference(Registration, field="reference", prefix="DK", length=6), person=person, agency=agency, parent=parent, relationship=relationship,
                birth_certificate_number=birth_certificate_number, submission_key=submission_key,
                language=_request_language(),
                **{key: declaration[key] for key in ("bhxh_code", "full_name", "id_type", "id_number", "birth_date",
                                                     "province", "ward", "street", "phone", "email")},
            )
            for field in PHOTO_FIELDS:
                extension = photos[field].rsplit(".", 1)[-1]
                try:
                    with default_storage.open(photos[field], "rb") as handle:
                        content = handle.read()
                except FileNotFoundError as exc:  # swept or moved since the check above
                    raise PhotosExpired([field]) from exc
                getattr(registration, field).save(f"{field}.{extension}", ContentFile(content), save=False)
                saved.append(getattr(registration, field).name)
            registration.full_clean()
            registration.save()
            RegistrationEvent.objects.create(registration=registration, action=RegistrationEvent.Action.SUBMITTED)
            send_message(
                channel=Message.Channel.SMS, template="registration_received", recipient=registration.phone.as_e164,
                context={"registration": registration}, idempotency_key=f"registration-{registration.reference}-received",
                language=registration.language,  # the registrant's own request: in the language they read it in
            )
            # Whoever sent a registration this one replaces is told, on the number they gave: if
            # it was not them, someone else holds their identity data.
            for old in replaced:
                if old.phone and old.phone != registration.phone:
                    send_message(
                        channel=Message.Channel.SMS, template="registration_replaced", recipient=old.phone.as_e164,
                        context={"registration": old}, idempotency_key=f"registration-{old.reference}-replaced",
                        language=old.language,  # the number that sender typed, told in the language they sent it in
                    )
            delete_files_once_committed(replaced_photos + list(photos.values()))
            transaction.on_commit(lambda: _dispatch_declaration(registration.pk))
    except (IntegrityError, ValidationError):
        delete_files(saved)
        # The database's unique key caught a post of the same form that no lock serialised.
        existing = registration_submitted_with(submission_key=submission_key, parent=parent)
        if existing is not None:
            return existing
        raise
    except Exception:
        delete_files(saved)
        raise
    return registration


def _request_language() -> str:
    """The language of the pages the registration is sent from, one the portal offers, else Vietnamese."""
    language = translation.get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def child_registration_submit(*, parent: User, child: dict, photos: dict[str, str], submission_key: str) -> Registration:
    """A parent's registration of their child (`child`: the child form's cleaned data). A child
    has no ID document of their own yet: the parent's address and contacts stand for theirs."""
    own = parent.person
    declaration = {
        "bhxh_code": child["bhxh_code"], "full_name": child["full_name"], "birth_date": child["birth_date"],
        "id_type": "", "id_number": "", "province": own.province, "ward": own.ward, "street": own.street or Registration.NO_STREET,
        "phone": own.phone, "email": parent.email,
    }
    return registration_submit(
        declaration=declaration, photos=photos, agency=child["agency"], parent=parent,
        relationship=child["relationship"], birth_certificate_number=child["birth_certificate_number"],
        submission_key=submission_key,
    )


def _dispatch_declaration(registration_id: int) -> None:
    from ..tasks import build_registration_declaration

    dispatch(build_registration_declaration, registration_id)  # broker away: the periodic sweep builds it


def registrations_missing_declarations(limit: int = 500) -> list[int]:
    """Registrations without a declaration (a task lost while the broker was down, or a failed
    build), decided meanwhile or not, that have attempts left, oldest first."""
    return list(
        Registration.objects.declaration_missing().filter(pdf_attempts__lte=settings.JOB_MAX_ATTEMPTS)
        .order_by("submitted_at").values_list("pk", flat=True)[:limit]
    )


def registration_build_declaration(*, registration_id: int) -> Registration | None:
    """Render the declaration PDF once and store it privately; an address given is told the registration
    was received (its reference and what follows, never the PDF nor the registrant's identity: nobody
    confirmed that address, which may be a stranger's).
    After `JOB_MAX_ATTEMPTS` attempts it is given up, for an officer to start again
    (`registrations_retry_declarations`). Returns None when there was nothing to build."""
    return run_counted(Registration.objects.declaration_missing().filter(pk=registration_id), "pdf_attempts",
                       lambda: _declaration_rendered(registration_id), name=f"registration {registration_id}: declaration")


def _declaration_rendered(registration_id: int) -> Registration:
    with kept_only_if_committed() as saved, transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))  # the parent, of a child's only, may be none
            .select_related("agency", "province", "ward", "person", "parent__person")
            .get(pk=registration_id)
        )
        if registration.declaration_pdf or registration.status == Registration.Status.REPLACED or (
                registration.photos_deleted_at is not None):  # replaced or swept: its files are not kept
            return registration
        pdf = render_pdf("accounts/pdf/registration_declaration.html", {"registration": registration})
        registration.declaration_pdf.save("to-khai-dang-ky.pdf", ContentFile(pdf), save=False)
        saved.append(registration.declaration_pdf.name)
        registration.save(update_fields=["declaration_pdf"])
        if registration.email:  # typed, never confirmed, maybe a stranger's: the reference and what follows, no PDF
            send_message(
                channel=Message.Channel.EMAIL, template="registration_declaration", recipient=registration.email,
                context={"registration": registration},
                idempotency_key=f"registration-{registration.reference}-declaration",
                language=registration.language,  # what the registrant declared, in the language they declared it in
            )
    return registration


def registrations_retry_declarations(*, registrations, officer) -> int:
    """Start again the declarations given up (`registration_build_declaration`) of the given
    registrations within the officer's scope; returns how many were started."""
    if not officer.has_perm("accounts.decide_registration"):
        raise PermissionDenied("Cán bộ không có quyền xử lý đăng ký.")
    given_up = registrations_visible_to(officer).declaration_given_up().filter(pk__in=registrations.values("pk"))
    return restart_given_up(given_up, "pdf_attempts", _dispatch_declaration)


def _temporary_password() -> str:
    """12 characters from letters and digits without lookalikes; changed at first login."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


class RegistrationAlreadyDecided(ValidationError):
    """The locked registration is no longer pending: a double click, or a colleague deciding it at
    the same moment. Nothing changed (no second account, no second notice). The message says what
    was decided, by whom and when; `same` tells whether it was the decision asked for."""

    # {(the status it has, the decision asked for): the sentence}; a refusal's sentence names its reason
    SAID = {
        (Registration.Status.APPROVED, Registration.Status.APPROVED): _(
            "Đăng ký %(reference)s đã được duyệt (%(by)s); không cần thực hiện lại."),
        (Registration.Status.APPROVED, Registration.Status.REJECTED): _(
            "Đăng ký %(reference)s đã được duyệt (%(by)s) nên không từ chối được nữa."),
        (Registration.Status.REJECTED, Registration.Status.REJECTED): _(
            "Đăng ký %(reference)s đã bị từ chối (%(by)s) với lý do “%(reason)s”; không cần thực hiện lại."),
        (Registration.Status.REJECTED, Registration.Status.APPROVED): _(
            "Đăng ký %(reference)s đã bị từ chối (%(by)s) với lý do “%(reason)s” nên không duyệt được nữa."),
        (Registration.Status.REPLACED, Registration.Status.APPROVED): _(
            "Đăng ký %(reference)s đã được thay bằng một đăng ký mới của người nộp (%(by)s) nên không duyệt được nữa."),
        (Registration.Status.REPLACED, Registration.Status.REJECTED): _(
            "Đăng ký %(reference)s đã được thay bằng một đăng ký mới của người nộp (%(by)s) nên không từ chối được "
            "nữa."),
    }

    def __init__(self, registration: Registration, *, wanted: str):
        self.registration = registration
        self.same = registration.status == wanted
        officer = registration.decided_by
        when = vn_time_date(registration.decided_at)
        by = (gettext("%(officer)s, lúc %(when)s") % {"officer": officer.get_full_name() or officer.get_username(),
                                                       "when": when}
              if officer else gettext("lúc %(when)s") % {"when": when})
        super().__init__(str(self.SAID[registration.status, wanted]) % {
            "reference": registration.reference, "by": by, "reason": registration.reject_reason})


# What an officer is told of a registration of their own case, one whole sentence for each use: the
# refusal of registration `reference` (by the service, and by the admin before a reason is typed),
# and the registration's page in the admin, instead of its buttons.
OWN_REGISTRATION = _("Đăng ký %(reference)s là của chính bạn, của con hoặc người bạn là cha, mẹ, người giám hộ, hoặc "
                     "do bạn đăng ký thay: cán bộ không xử lý đăng ký của chính mình. Hãy để một cán bộ khác của cơ "
                     "quan xử lý.")
OWN_REGISTRATION_HERE = _("Đăng ký này là của chính bạn, của con hoặc người bạn là cha, mẹ, người giám hộ, hoặc do bạn "
                          "đăng ký thay: cán bộ không xử lý đăng ký của chính mình. Hãy để một cán bộ khác của cơ quan "
                          "xử lý.")


def _locked_for_decision(registration: Registration, officer: User, *, wanted: str) -> Registration:
    # The registration and its person (whose login the approval checks, then creates), not the agency,
    # province and ward it is read with: a filing, card or registration referring to them commits
    # without waiting for the decision, and a parent's filing whose commit holds the parent's person
    # (checking its keys) and waits for the agency cannot meet the decision in a circle when saving the
    # registration locks the parent's person (accounts/content_version.py). FOR NO KEY UPDATE, as the
    # decision changes no key of either (the registration's status and decision, the person's phone and
    # agency, each saved alone): a filing for the person, a guardian's for a child, committed meanwhile is
    # not waited for (vssid_portal/locks.py).
    locked = (registrations_visible_to(officer).select_for_update(no_key=True, of=("self", "person"))
              .filter(pk=registration.pk).first())
    if locked is None or not officer.has_perm("accounts.decide_registration"):
        raise PermissionDenied("Cán bộ không có quyền xử lý đăng ký này.")
    if officer_record_unknown(officer):  # whether it is their own case cannot be known
        raise ValidationError(str(OFFICER_RECORD_UNKNOWN))
    if is_officers_own_registration(locked, officer):
        raise ValidationError(OWN_REGISTRATION % {"reference": locked.reference})
    if locked.status != Registration.Status.PENDING:
        raise RegistrationAlreadyDecided(locked, wanted=wanted)
    return locked


@transaction.atomic
def registration_approve(*, registration: Registration, officer: User, link_base: str = "") -> Registration:
    """Approve: create the login (temporary password, changed at first login) or, for a child, the
    parent's right to view the child's records; tell the citizen by SMS and e-mail (the temporary
    password by SMS only: the e-mail address was never verified), and welcome a new account in its
    inbox; a new login, and what an adult registrant is told, take the language the registration was
    sent in (Registration.language), never the officer's. The e-mail, the notice and the SMS (an
    adult's with the temporary password, a parent's for a child) say where to log in (`login_url`): the login page under
    PORTAL_PUBLIC_URL when set, else under `link_base` (the scheme and host of the officer's
    request), neither: not said."""
    registration = _locked_for_decision(registration, officer, wanted=Registration.Status.APPROVED)
    person = registration.person
    now = timezone.now()
    context = {"registration": registration, "login_url": _login_url(link_base)}
    if registration.is_child:
        # The rule of the child form (no registering for someone with an account of their own),
        # again: the minor's own registration may have been approved since this one was sent.
        if has_own_login(person):
            raise ValidationError(gettext("Người này đã có tài khoản riêng nên không duyệt được đăng ký thay; hãy từ "
                                          "chối đăng ký này để báo cho người đăng ký thay."))
        Guardianship.objects.get_or_create(
            parent=registration.parent, child=person, defaults={"relationship": registration.relationship}
        )
        template = "registration_child_approved"
    else:
        if User.objects.filter(person=person).exists() or User.objects.filter(username=person.bhxh_code).exists():
            raise ValidationError(gettext("Mã số BHXH này đã có tài khoản."))
        password = _temporary_password()
        user = User.objects.create_user(
            username=person.bhxh_code, password=password, person=person, email=registration.email,
            must_change_password=True, last_name=person.full_name,
            language=registration.language,  # what the registrant read the portal in, never the officer's
        )
        send_message(channel=Message.Channel.INBOX, template="welcome", user=user,
                     context={"name": person.full_name, "code": person.bhxh_code},
                     idempotency_key=f"registration-{registration.reference}-welcome")
        if person.phone and person.phone != registration.phone:
            # The registry's number is told its place was taken: if the registration was not the
            # holder's, they hear of it before the codes go to someone else.
            send_message(
                channel=Message.Channel.SMS, template="registration_approved_elsewhere",
                recipient=person.phone.as_e164, context={"registration": registration},
                idempotency_key=f"registration-{registration.reference}-approved-elsewhere",
            )
        person.phone = registration.phone  # the number the citizen chose for codes and notices
        # The registration names the agency receiving it for electronic transactions, not the one managing
        # the person (Decree 166/2016): only a person no agency manages yet takes it.
        if person.agency_id is None:
            person.agency = registration.agency
        person.save(update_fields=["phone", "agency", "updated_at"])
        context["password"] = password
        template = "registration_approved"
    registration.status = Registration.Status.APPROVED
    registration.decided_at, registration.decided_by = now, officer
    registration.save(update_fields=["status", "decided_at", "decided_by"])
    RegistrationEvent.objects.create(registration=registration, action=RegistrationEvent.Action.APPROVED, actor=officer)
    _notify(registration, template, context)
    return registration


def _login_url(link_base: str) -> str:
    """The portal's login page as a message writes it, PORTAL_PUBLIC_URL's or `link_base`'s, or ""."""
    base = (settings.PORTAL_PUBLIC_URL or link_base).rstrip("/")
    return base + reverse("account_login") if base else ""


REJECT_REASON_MAX_LENGTH = 500


@transaction.atomic
def registration_reject(*, registration: Registration, officer: User, reason: str) -> Registration:
    # Decided meanwhile (a colleague): said first, rather than asking for a reason that could not be sent.
    registration = _locked_for_decision(registration, officer, wanted=Registration.Status.REJECTED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Hãy ghi lý do từ chối để người đăng ký biết cần sửa gì.")})
    if len(reason) > REJECT_REASON_MAX_LENGTH:  # it goes out by SMS
        raise ValidationError({"reason": gettext("Lý do tối đa %(max)s ký tự (hiện có %(count)s).") % {
            "max": REJECT_REASON_MAX_LENGTH, "count": len(reason)}})
    registration.status = Registration.Status.REJECTED
    registration.decided_at, registration.decided_by = timezone.now(), officer
    registration.reject_reason = reason
    registration.save(update_fields=["status", "decided_at", "decided_by", "reject_reason"])
    RegistrationEvent.objects.create(
        registration=registration, action=RegistrationEvent.Action.REJECTED, actor=officer, note=reason
    )
    _notify(registration, "registration_rejected", {"registration": registration})
    return registration


def _notify(registration: Registration, template: str, context: dict) -> None:
    """Tell the registrant of a decision: by SMS, by e-mail if an address was given and, a parent
    registering a child having an account already, in the parent's inbox too while that login is active
    (registration_told_by)."""
    key = f"registration-{registration.reference}-{template}"
    parent_phone = registration.parent.person.phone if registration.is_child and registration.parent.person else None
    phone = parent_phone or registration.phone  # a parent's removed since: the number the registration gave
    sensitive = "password" in context
    # A parent's phone and address hear in the parent's language; a registrant without a login yet, in the
    # language they registered in (their own request), never in the deciding officer's.
    language = registration.parent.language if registration.is_child else registration.language
    channels = registration_told_by(registration)  # named beside the reason on the reject page
    if Message.Channel.INBOX in channels:
        send_message(channel=Message.Channel.INBOX, template=template, user=registration.parent, context=context,
                     idempotency_key=f"{key}-inbox")
    send_message(channel=Message.Channel.SMS, template=template, recipient=phone.as_e164, context=context,
                 idempotency_key=f"{key}-sms", sensitive=sensitive, language=language)
    if Message.Channel.EMAIL in channels:  # never verified: no temporary password goes there
        context = {name: value for name, value in context.items() if name != "password"}
        send_message(channel=Message.Channel.EMAIL, template=template, recipient=registration.email, context=context,
                     idempotency_key=f"{key}-email", language=language)


def registrations_delete_stale_photos(*, now: datetime.datetime | None = None) -> int:
    """Delete the photos and the declaration PDF of registrations rejected more than 30 days ago (an
    approved registration's are the agency's dossier and stay), and the declaration a sweep made before it
    went with the photos left behind (the photos' deletion recorded once, when they went). Returns how many
    registrations were tidied. A registration whose
    files cannot be deleted (the storage refuses) is logged and left as it was, for the next sweep; the
    others are still done. Deleted in the transaction, not once it commits: a refusal then keeps the row
    pointing to its files, and a commit that fails afterwards leaves a row whose files are gone, which
    the next sweep marks done (a file already gone is no error)."""
    cutoff = (now or timezone.now()) - PHOTO_RETENTION
    count = 0
    # Also a registration swept before the declaration went with the photos: its photos gone, its
    # declaration left behind (and offered by the admin) until this sweep deletes it.
    stale = Registration.objects.filter(
        Q(photos_deleted_at__isnull=True) | ~Q(declaration_pdf=""),
        status=Registration.Status.REJECTED, decided_at__lt=cutoff,
    )
    for registration_id in stale.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                registration = stale.select_for_update().filter(pk=registration_id).first()
                if registration is None:  # done meanwhile by a sweep running at the same time
                    continue
                names = [*_photo_names(registration), registration.declaration_pdf.name]
                registration.portrait = registration.id_front = registration.id_back = ""
                registration.declaration_pdf = ""
                photos_deleted = registration.photos_deleted_at is None  # else its photos went at an earlier sweep
                if photos_deleted:
                    registration.photos_deleted_at = timezone.now()
                registration.save(update_fields=["portrait", "id_front", "id_back", "declaration_pdf",
                                                 "photos_deleted_at"])
                if photos_deleted:
                    RegistrationEvent.objects.create(registration=registration,
                                                     action=RegistrationEvent.Action.PHOTOS_DELETED)
                delete_files(names)  # a file already gone is no error; a refusal keeps the row as it was
        except OSError:
            logger.error("registration %s: photos not deleted, tried again at the next sweep",
                         registration.reference, exc_info=True)
            continue
        count += 1
    return count


def registration_draft_discard(*, session) -> None:
    """Forget the registration typed in this browser's `session` (its answers, accepted or typed, and
    the photos kept between the steps) and delete those photos: at a login, which keeps what the
    session held before (Django's login), so that whoever logs in at a shared computer never finds the
    registration another person left half-way. Tidying as the sweep's: a photo the storage will not
    delete is logged and left to it (registration_uploads_sweep)."""
    draft = session.pop(REGISTRATION_DRAFT, None) or {}
    delete_files_once_committed(name for name in (draft.get("photos") or {}).values()
                                if isinstance(name, str) and name.startswith(f"{UPLOAD_DIR}/"))


def registration_uploads_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete photos uploaded during a registration that was never submitted (the visitor left
    between the steps): every file under registrations/tmp/ older than a day. Returns how many."""
    return delete_stale_uploads(UPLOAD_DIR, cutoff=(now or timezone.now()) - UPLOAD_RETENTION)
