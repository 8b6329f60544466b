"""An officer's own cases: the records that are the holder's and their children's, which an officer
does not decide nor write (own_record_refusal, is_officers_own_registration), and the officer whose own
record is not known, who decides nothing.
"""


from django.db.models import Q
from django.utils.translation import gettext_lazy

from ..models import Guardianship, Person, Registration, User


def holder_person_ids(user) -> set[int]:
    """The records in the registry that are `user`'s own: the one the login logs in as and, for an
    officer's staff login, the officer's own (User.officer_person). No query."""
    return {pk for pk in (user.person_id, getattr(user, "officer_person_id", None)) if pk is not None}


def holder_logins(user):
    """Every login of the holder of `user`: itself, and the logins, active or not, that log in as
    or name as the officer's one of its records (holder_person_ids): an officer's staff login and
    citizen login are one holder's."""
    ids = holder_person_ids(user)
    return User.objects.filter(Q(pk=user.pk) | Q(person_id__in=ids) | Q(officer_person_id__in=ids))


# What an officer whose own record is not known (officer_record_unknown) is told instead of the
# steps of a filing or the decision of a registration, and by the services that refuse them.
OFFICER_RECORD_UNKNOWN = gettext_lazy(
    "Tài khoản cán bộ của bạn chưa có mã số BHXH của chính cán bộ nên chưa xử lý được hồ sơ, đăng ký, cũng chưa "
    "sửa được dữ liệu của người tham gia: đề nghị quản trị viên nhập mã số đó trên trang tài khoản của bạn trước.")


def officer_record_unknown(user) -> bool:
    """Whether `user` decides cases, an officer of an agency (a staff login attached to one) or a
    superuser (who decides every agency's), and their own record in the registry is not known: no
    User.officer_person, and the login logs in as no record. Their own-case checks could not see their
    citizen login nor their children, so they decide nothing until an administrator types their code
    (fail closed). No query."""
    decides = user.is_superuser or (user.is_staff and user.agency_id is not None)
    return decides and not holder_person_ids(user)


def staff_login_of_record(record: Person, *, besides: User) -> str:
    """The username of an active staff login other than `besides` that names `record` as the officer's
    own (User.officer_person) or logs in as it, "" if none: one record is one officer's, so that no
    officer's own-case checks follow a colleague's family. A deactivated login (an officer's account
    of an earlier post) does not count: it decides nothing, and would otherwise keep the officer's
    new account from naming their record."""
    return (User.objects.filter(Q(officer_person=record) | Q(person=record), is_staff=True, is_active=True)
            .exclude(pk=besides.pk).values_list("username", flat=True).first()) or ""


def is_officers_own_person(officer, person_id, *, by_login=None) -> bool:
    """Whether `person_id` is the officer's own record or that of a person one of their logins
    (holder_logins: the staff login and a citizen login of their own record) is, or was, parent or
    guardian of: an officer does not decide, nor write the money and entitlements of, themselves or
    their child. `by_login`: the login that filed or registered the case, their own case too when it is
    one of theirs. One query at most."""
    if person_id in holder_person_ids(officer) or (by_login is not None and by_login == officer.pk):
        return True
    theirs = Q(pk=by_login) if by_login is not None else Q()
    if person_id is not None:
        theirs |= Q(guardianships__child_id=person_id)
    return bool(theirs) and holder_logins(officer).filter(theirs).exists()


def officers_own_person_ids(officer) -> set[int]:
    """Every record is_officers_own_person names for the officer: their own and those of the people one
    of their logins is, or was, parent or guardian of. One query, for the rows of a list action."""
    children = Guardianship.objects.filter(parent__in=holder_logins(officer)).values_list("child_id", flat=True)
    return holder_person_ids(officer) | set(children)


# What an officer is told of a row of their own record or of their child's in the admins of periods,
# benefit records and cards: shown, not written (own_record_refusal).
OWN_RECORD = gettext_lazy(
    "Đây là dữ liệu của chính bạn hoặc của người bạn là cha, mẹ, người giám hộ: cán bộ chỉ được xem, không được "
    "thêm, sửa hay xóa dữ liệu của chính mình. Hãy để một cán bộ khác của cơ quan thực hiện.")


def own_record_refusal(officer, person_id, *, own_ids: set[int] | None = None) -> str:
    """Why the officer may not write a row of `person_id` (a period, a benefit record, a card): an officer
    whose own record is not known (officer_record_unknown) writes none, and nobody writes their own or their
    child's (is_officers_own_person); "" when they may. `own_ids`: officers_own_person_ids, when already read."""
    if officer_record_unknown(officer):
        return str(OFFICER_RECORD_UNKNOWN)
    own = person_id in own_ids if own_ids is not None else is_officers_own_person(officer, person_id)
    return str(OWN_RECORD) if own else ""


def own_records_refusal(officer, person_ids) -> str:
    """own_record_refusal of the first of several people whose rows a write touches (a deletion of many),
    "" when the officer may write them all. One query at most."""
    own = set() if officer_record_unknown(officer) else officers_own_person_ids(officer)
    return next(filter(None, (own_record_refusal(officer, pk, own_ids=own) for pk in person_ids)), "")


def is_officers_own_registration(registration: Registration, officer) -> bool:
    """An officer does not decide a registration of their own case: for their own record, for a child
    one of their logins registered, or for a person one of their logins is (or was) parent or guardian
    of (is_officers_own_person). One query at most."""
    return is_officers_own_person(officer, registration.person_id, by_login=registration.parent_id)
