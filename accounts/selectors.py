"""Reads of accounts data, scoped to who is asking."""

import datetime
import time
from importlib import import_module
from typing import NamedTuple

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.debug import sensitive_variables

from lookup.selectors import within_officer_scope
from notifications.models import Message
from notifications.selectors import unread_cache_key
from vssid_portal.text import fold

from .models import Guardianship, Person, Registration, User
from .sessions import timed_out

# The logged-in user is read on every request; the row is kept in the cache for a minute and
# dropped on every save or delete of the user, and on every change of their groups or
# permissions (signals.py).
USER_CACHE_SECONDS = 60


def user_cache_key(user_id) -> str:
    return f"accounts:user:{user_id}"


def user_for_session(user_id):
    """The user of a session, or None; read from the cache, else from the database. The header's
    unread-notice count comes in the same round trip when it is cached (one MGET, not two GETs)."""
    key, unread_key = user_cache_key(user_id), unread_cache_key(user_id)
    found = cache.get_many([key, unread_key])
    user = found.get(key)
    if user is not None and unread_key in found:
        user.prefetched_unread_count = found[unread_key]
    if user is None:
        # The facility of clinic staff comes along: the verify page shows it and logs checks under it.
        user = User.objects.select_related("facility").filter(pk=user_id).first()
        if user is not None:
            if user.is_staff or user.facility_id:
                # Officers and clinic staff are asked for permissions on every admin or verify
                # request: ModelBackend's per-object cache of them is kept with the user.
                user.get_all_permissions()
            cache.set(key, user, USER_CACHE_SECONDS)
    return user


def live_sessions(user, *, current_key: str | None = None) -> list[UserSession]:
    """The account's live sessions (purging those already gone). A session the idle or 12-hour
    time-out has ended is not live, though it stays stored until its browser's next request
    flushes it (SessionRulesMiddleware). The requesting session (`current_key`) is live: the
    middleware let it through, and its stored activity stamp is renewed only with the response.

    A row is purged when its session is gone or no longer holds this account's login as it stands
    (an inactive account, a password changed since): read from the stored session, not through
    Django's get_user as allauth's purge does, which renews the key of a session whose login the
    old SECRET_KEY signed and so would log out a browser that has made no request since a rotation."""
    now, store = time.time(), import_module(settings.SESSION_ENGINE).SessionStore
    live = []
    for session in UserSession.objects.filter(user_id=user.pk):
        data = store(session.session_key).load()
        if session.session_key != current_key and not _holds_login_of(data, user):
            session.delete()
        elif session.session_key == current_key or not timed_out(data, now):
            live.append(session)
    return live


def _holds_login_of(data: dict, user) -> bool:
    return (data.get(SESSION_KEY) == str(user.pk) and user.is_active
            and user.has_session_auth_hash(data.get(HASH_SESSION_KEY) or ""))


def user_for_reset(*, bhxh_code: str) -> User | None:
    """The account a password reset by SMS is for: the active login of this BHXH code, with its
    person (whose phone receives the code)."""
    return User.objects.filter(username=bhxh_code, is_active=True).select_related("person").first()


def registrations_visible_to(user):
    """Registrations an officer may see: their agency's, and for a province officer every agency
    below theirs. Superusers see all; anyone else none."""
    return within_officer_scope(Registration.objects.select_related("agency", "person", "province", "ward"), user)


def persons_visible_to(user, persons=None):
    return within_officer_scope(Person.objects.all() if persons is None else persons, user)


def others_with_phone(phone, *, person: Person, officer) -> tuple[list[Person], int]:
    """The other people whose registered phone is `phone`: those the officer may see (persons_visible_to),
    by BHXH code, and how many others there are, outside the officer's scope, whom the officer is not
    shown. A phone several people share is allowed (a family's one phone: notices.person_notify texts
    it once), so this only warns: a phone change moves the person's login codes and security notices there."""
    if not phone:
        return [], 0
    others = Person.objects.filter(phone=phone).exclude(pk=person.pk).order_by("bhxh_code")
    seen = list(persons_visible_to(officer, others))
    return seen, others.count() - len(seen)


def is_persons_name(person: Person, full_name: str) -> bool:
    """Whether `full_name` is `person`'s in the registry, whatever its case, diacritics and spaces
    (text.fold), so "NGUYEN VAN DUC" is Nguyễn Văn Đức."""
    return fold(full_name) == fold(person.full_name)


class IdentityMatch(NamedTuple):
    """Which of a declared identity's fields match the registry's person (identity_match); `id_number`
    None when no number was declared."""

    name: bool
    birth_date: bool
    id_number: bool | None = None

    @property
    def whole(self) -> bool:
        return self.name and self.birth_date and self.id_number is not False


def identity_match(person: Person, *, full_name: str, birth_date: datetime.date | None = None,
                   birth_year: int | None = None, id_number: str | None = None) -> IdentityMatch:
    """What of a name, a birth date (or, where the registry holds only the year, `birth_year`, by default
    `birth_date`'s) and an ID number declared or typed is the registry's `person`'s: the rule of the
    registration's decision, the officer's comparison and the card checks alike. A registry holding only
    the year compares the year; one holding the full date compares the full date, which a year alone never
    matches (it must not reveal a full date of birth). The ID number whatever its case and the spaces
    around it."""
    if person.birth_year_only:
        year = birth_year if birth_year is not None else (birth_date.year if birth_date is not None else None)
        matches_birth = year == person.birth_date.year
    else:
        matches_birth = birth_date is not None and birth_date == person.birth_date
    matches_id = None if id_number is None else id_number.strip().upper() == person.id_number.upper()
    return IdentityMatch(is_persons_name(person, full_name), matches_birth, matches_id)


def registration_for_status(*, reference: str, bhxh_code: str, birth_date):
    """The registration of this reference, BHXH code and birth date as declared in it, or None, the
    same whichever of the three does not match."""
    return Registration.objects.select_related("agency").filter(
        reference=reference, bhxh_code=bhxh_code, birth_date=birth_date).first()


VIEWING_SESSION_KEY = "viewing_person_id"


# What the personal pages show with a person (agency, address): one query instead of four.
PERSON_PAGE_RELATIONS = ("agency", "ward__province", "province")


def registration_told_by(registration: Registration) -> list[str]:
    """The channels a decision on `registration` is told by (services.registration._notify), which the
    reject page names beside the reason (notifications.texts.sent_as_typed): an SMS to the phone, an
    e-mail if an address was given and, for a child's registered by a parent, a notice in the parent's
    portal while that login can sign in (active_logins: one an officer deactivated reads no notice); a
    registrant without a login yet has no notice to read."""
    channels = [Message.Channel.SMS]
    if registration.is_child and registration.parent.is_active:
        channels.append(Message.Channel.INBOX)
    if registration.email:
        channels.append(Message.Channel.EMAIL)
    return channels


def adult_born_by():
    """Whoever was born on or before this date is 18 today. A parent sees a child's records, and is
    told of their changes, until the child's 18th birthday: every guardian's read filters on it."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 18, day=28)


def active_logins():
    """The portal logins that can sign in: a login an officer deactivated counts for nothing, as it
    can neither file anything nor read a notice. Whether a person has a login of their own
    (has_own_login) and who is told of a person's records (logins_told_of_people) are asked of these."""
    return User.objects.filter(is_active=True)


def deactivated_logins():
    """The portal logins an officer deactivated: they sign in no more, "Quên mật khẩu" sends them no
    code and registration refuses their BHXH code, so only the agency opens one again."""
    return User.objects.filter(is_active=False)


def own_logins(person_ids):
    """These people's own logins that can sign in (active_logins): the logins told of their records as their
    own (logins_told_of_people), before their parents'."""
    return active_logins().filter(person_id__in=person_ids)


def own_login(person: Person):
    """The person's own login that can sign in (own_logins), the one logins_told_of names first and
    person_notify tells as its `own_login`; None without one (none yet, or one an officer deactivated,
    which is told nothing). What is said to the holder alone goes to it (a contact change's alert)."""
    return own_logins([person.pk]).select_related("person").order_by("pk").first()


def logins_told_of_people(person_ids):
    """The logins told of a change of these people's records, who may view them now, each with
    `told_of`, the person it is told of, and `as_guardian`: a person's own active logins, and until
    the person's 18th birthday the active logins of their parents and guardians (whether the person
    has a login or not). The one rule of who is told: one person's notice (logins_told_of) and a run
    over many people (people_told_of) read it here, in one query however many."""
    own = own_logins(person_ids).select_related("person").annotate(told_of=F("person_id"), as_guardian=Value(False))
    guardians = (active_logins().filter(guardianships__child_id__in=person_ids,
                                        guardianships__child__birth_date__gt=adult_born_by())
                 .select_related("person").annotate(told_of=F("guardianships__child_id"), as_guardian=Value(True)))
    return own.union(guardians, all=True)


def people_told_of(person_ids) -> set[int]:
    """Of these people, the ones anyone is told of (logins_told_of_people), in one query."""
    return set(logins_told_of_people(person_ids).values_list("told_of", flat=True))


def logins_told_of(person: Person) -> list:
    """The logins told of a change of `person`'s records (logins_told_of_people): their own first,
    then their parents' and guardians', in an order that a run told again keeps. Every notice of a
    person's records, in the portal, by SMS or by e-mail, goes to these."""
    return list(logins_told_of_people([person.pk]).order_by("as_guardian", "pk"))


def notice_channels(told: list) -> list[str]:
    """The channels person_notify tells `told` (logins_told_of) on, which a page names beside an
    officer's words it sends (notifications.texts.sent_as_typed): a notice in the portal and an SMS
    to a told login's person's phone; none when no login is told (a person without an account)."""
    if not told:
        return []
    channels = [Message.Channel.INBOX]
    if any(user.person_id and user.person.phone for user in told):
        channels.append(Message.Channel.SMS)
    return channels


def notice_channels_of_people(person_ids) -> dict[int, list[str]]:
    """For each of these people, the channels person_notify tells of a change of their records
    (notice_channels of the logins told of them, logins_told_of_people), read in one query: a page
    sending words to several people at once names them for each (notifications.texts.sent_as_typed_to_each)."""
    told = {pk: [] for pk in person_ids}
    for user in logins_told_of_people(list(told)):
        told[user.told_of].append(user)
    return {pk: notice_channels(users) for pk, users in told.items()}


def has_own_login(person: Person) -> bool:
    """Whether `person` has a portal login of their own that can sign in (active_logins). Every page
    and service asking whether a person files for themself (the contact change) asks it here."""
    return active_logins().filter(person=person).exists()


def may_change_own_contact(person: Person, *, user=None) -> bool:
    """Whether `user` (None: the person's own login, if any) may ask to change `person`'s phone,
    e-mail and contact address: only the person's own login, whatever their age. A parent still
    linked to a child who has a login of their own may not move where that login's codes go."""
    if user is None:
        return has_own_login(person)
    return user.person_id == person.pk


def has_own_login_besides(person: Person, *, user) -> bool:
    """Whether `person` has a login of their own that is not `user`'s (a child with an account,
    viewed by a parent): the contact change is theirs to file with it (may_change_own_contact)."""
    return person.pk != user.person_id and has_own_login(person)


def children_of(*, user):
    """Children the user may view: minors only; a parent's access ends on the child's 18th birthday."""
    return (Person.objects.filter(guardians__parent=user, birth_date__gt=adult_born_by())
            .select_related(*PERSON_PAGE_RELATIONS).order_by("birth_date"))


def was_guardian_of(*, user, person_id) -> bool:
    """Whether the user is, or was, linked as parent or guardian to this person, whatever their age."""
    return user.guardianships.filter(child_id=person_id).exists()


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


def guardianship_of(*, user, person_id):
    """The user's link as parent or guardian to this person (and how they are related), if any."""
    return user.guardianships.filter(child_id=person_id).first()


def viewing(user, person) -> dict:
    """The context naming whose records a page shows: `person`, and `viewing_child` when they are
    not the user's own (a parent looking at a child's, the parent's login with or without a person
    record of its own). A login without a person in view is told whether it has children to view
    (a guardian's login without a person record of its own: accounts/_children_link.html)."""
    context = {"person": person, "viewing_child": person is not None and person.pk != getattr(user, "person_id", None)}
    if person is None and user.is_authenticated:  # the public services list is open to anyone
        context["has_children"] = children_of(user=user).exists()
    return context


def person_in_view(request):
    """Whose records the personal pages show: the user's own, or a child the user may view. A child
    the user may view no more (18 since, or the guardianship ended) is left, and the user told."""
    user = request.user
    child_id = request.session.get(VIEWING_SESSION_KEY)
    if child_id and user.is_authenticated:
        child = children_of(user=user).filter(pk=child_id).first()
        if child is not None:
            return child
        request.session.pop(VIEWING_SESSION_KEY, None)
        messages.info(request, gettext("Bạn không còn xem được thông tin của người đã chọn (người đó đã đủ 18 tuổi "
                                       "hoặc bạn không còn là cha, mẹ, người giám hộ của họ trên cổng). "
                                       "Các trang hiện thông tin của tài khoản bạn."), fail_silently=True)
    if not getattr(user, "person_id", None):
        return None
    return Person.objects.select_related(*PERSON_PAGE_RELATIONS).filter(pk=user.person_id).first()


def viewed_person_id(request):
    """The id person_in_view would answer with, read from the session without a query; the caller
    must still let person_in_view confirm it before showing anything."""
    return request.session.get(VIEWING_SESSION_KEY) or getattr(request.user, "person_id", None)


def content_version(*person_ids) -> str | None:
    """A token that changes with every write to what these persons' pages show: their rows and
    what hangs from them (moved by database triggers, content_version.py) and the reference data
    beside them. One query by primary key; None on SQLite or when a person does not exist."""
    ids = sorted({int(pk) for pk in person_ids})
    if connection.vendor != "postgresql" or not ids:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT last_value FROM portal_reference_version), "
            "array_agg(content_version ORDER BY id), count(*) FROM accounts_person WHERE id = ANY(%s)", [ids])
        reference, versions, found = cursor.fetchone()
    if found != len(ids):
        return None
    return f"{reference}:{'.'.join(map(str, ids))}:{'.'.join(map(str, versions))}"


@sensitive_variables()  # every local is the identity typed or drawn from it (dates, filters, matches)
def person_for_code_lookup(
    *, full_name: str, birth_date: datetime.date | int, province, id_number: str = "", parent_name: str = ""
) -> Person | None:
    """The one person matching every field exactly (accents and case aside), else None.

    `birth_date` is a date, or a year alone (an int). A person whose registry holds only the
    birth year (kept as 1 January of it) is matched on the year, as registration does; anyone
    else on the full date only, so a year never finds them. Name, birth date and province narrow
    the registry through one index (at most two birth dates to look up in it); the ID number typed
    is compared in the same query, and so, when none is typed, is the parent's name, with the folded
    keys of the mother's and father's names (only people with no ID number on record, whose mother's
    or father's name is the one typed). Nothing cuts the namesakes before those comparisons: old
    records hold the birth year only, so a common name can be shared by dozens born the same year in
    a province; the query answers two rows at most, enough to tell one match from several. A person
    who has an ID number is found by it only: their parents' names are no substitute. No partial
    answer exists: a near miss and a stranger give the same None.
    """
    year = birth_date if isinstance(birth_date, int) else birth_date.year
    first_of_year = datetime.date(year, 1, 1)
    born = Q(birth_date=first_of_year, birth_year_only=True)
    dates = [first_of_year]
    if not isinstance(birth_date, int):
        born |= Q(birth_date=birth_date, birth_year_only=False)
        dates.append(birth_date)
    id_number, parent_key = id_number.strip(), fold(parent_name)
    if id_number:
        identified = Q()
    elif parent_key:
        identified = Q(mother_key=parent_key) | Q(father_key=parent_key)
    else:
        return None
    matches = list(Person.objects.filter(
        born, identified, name_key=fold(full_name), birth_date__in=dates, province=province, id_number=id_number,
    ).order_by().only("bhxh_code", "full_name")[:2])
    return matches[0] if len(matches) == 1 else None


def recovery_codes_deleted_with(authenticators) -> dict[int, Authenticator]:
    """The recovery codes that go when `authenticators` are deleted without being among them, by
    the app they go with: a holder's codes go with the last of their apps, as allauth's removal and
    `authenticators_delete` do (allauth.mfa's delete_dangling_recovery_codes)."""
    selected = {authenticator.pk: authenticator for authenticator in authenticators}
    apps = [a for a in selected.values() if a.type != Authenticator.Type.RECOVERY_CODES]
    holders = {app.user_id for app in apps}
    others = Authenticator.objects.filter(user_id__in=holders).exclude(pk__in=selected)
    keeping_an_app = set(others.exclude(type=Authenticator.Type.RECOVERY_CODES).values_list("user_id", flat=True))
    codes = {codes.user_id: codes for codes in others.filter(type=Authenticator.Type.RECOVERY_CODES)
             .exclude(user_id__in=keeping_an_app)}
    return {app.pk: codes.pop(app.user_id) for app in reversed(apps) if app.user_id in codes}
