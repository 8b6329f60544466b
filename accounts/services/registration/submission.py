"""The registration sent: the citizen's own (the declaration checked against the registry, the photos
kept under it, a pending one of the same submitter replaced) and a parent's for their child.

Every write is one function, one transaction; what leaves the process (SMS, the PDF task) starts on commit.
"""

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lookup.models import Agency
from notifications.models import Message
from notifications.services import send_message
from vssid_portal.files import delete_files, delete_files_once_committed
from vssid_portal.form_keys import KEY_LENGTH, new_reference
from vssid_portal.locks import Lock, advisory_xact_lock

from ...models import Guardianship, Person, Registration, RegistrationEvent, User
from ...selectors import adult_born_by, has_own_login, identity_match
from ...validators import IdType, cccd_sex, validate_id_document
from .files import PHOTO_FIELDS, _dispatch_declaration, _photo_names

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
