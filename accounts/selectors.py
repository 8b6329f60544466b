"""Reads of accounts data, scoped to who is asking."""

from django.utils import timezone

from lookup.selectors import agency_subtree_ids

from .models import Person, Registration


def registrations_visible_to(user):
    """Registrations an officer may see: their agency's, and for a province officer every agency
    below theirs. Superusers see all; anyone else none."""
    registrations = Registration.objects.select_related("agency", "person", "province", "ward")
    if user.is_superuser:
        return registrations
    if not user.is_staff or user.agency_id is None:
        return registrations.none()
    return registrations.filter(agency_id__in=agency_subtree_ids(user.agency))


def persons_visible_to(user, persons=None):
    persons = Person.objects.all() if persons is None else persons
    if user.is_superuser:
        return persons
    if not user.is_staff or user.agency_id is None:
        return persons.none()
    return persons.filter(agency_id__in=agency_subtree_ids(user.agency))


def registration_for_status(*, reference: str, bhxh_code: str):
    return Registration.objects.select_related("agency").filter(reference=reference, bhxh_code=bhxh_code).first()


VIEWING_SESSION_KEY = "viewing_person_id"


def children_of(*, user):
    """Children the user may view: minors only; a parent's access ends on the child's 18th birthday."""
    today = timezone.localdate()
    try:
        adult_born_by = today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        adult_born_by = today.replace(year=today.year - 18, day=28)
    return Person.objects.filter(guardians__parent=user, birth_date__gt=adult_born_by).order_by("birth_date")


def person_in_view(request):
    """Whose records the personal pages show: the user's own, or a child the user may view."""
    user = request.user
    child_id = request.session.get(VIEWING_SESSION_KEY)
    if child_id and user.is_authenticated:
        child = children_of(user=user).filter(pk=child_id).first()
        if child is not None:
            return child
        request.session.pop(VIEWING_SESSION_KEY, None)
    return getattr(user, "person", None)

