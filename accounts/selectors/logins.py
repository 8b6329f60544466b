"""The portal's logins: the user of a session (kept in the cache) and the account's live sessions, the
login a password reset is for, which logins can sign in and whether a person has one of their own, who is
told of a person's records and on which channels, and the recovery codes that go with an authenticator app.
"""

import time
from importlib import import_module

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db.models import F, Value

from notifications.models import Message
from notifications.selectors import unread_cache_key

from ..models import Person, User
from ..sessions import timed_out
from .persons import adult_born_by

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
