"""The registry's people as the portal shows them: whom an officer may see, whether a declared identity
is a person's, who is a minor, the children a parent may view and whose records a page shows, and the version
of what these pages show.
"""

import datetime
from typing import NamedTuple

from django.contrib import messages
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from lookup.selectors import within_officer_scope
from vssid_portal.text import fold

from ..models import Person


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


VIEWING_SESSION_KEY = "viewing_person_id"


# What the personal pages show with a person (agency, address): one query instead of four.
PERSON_PAGE_RELATIONS = ("agency", "ward__province", "province")


def adult_born_by():
    """Whoever was born on or before this date is 18 today. A parent sees a child's records, and is
    told of their changes, until the child's 18th birthday: every guardian's read filters on it."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 18, day=28)


def children_of(*, user):
    """Children the user may view: minors only; a parent's access ends on the child's 18th birthday."""
    return (Person.objects.filter(guardians__parent=user, birth_date__gt=adult_born_by())
            .select_related(*PERSON_PAGE_RELATIONS).order_by("birth_date"))


def was_guardian_of(*, user, person_id) -> bool:
    """Whether the user is, or was, linked as parent or guardian to this person, whatever their age."""
    return user.guardianships.filter(child_id=person_id).exists()


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
