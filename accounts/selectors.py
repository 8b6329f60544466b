"""Reads of accounts data, scoped to who is asking."""

from lookup.selectors import agency_subtree_ids

from .models import Registration


def registrations_visible_to(user):
    """Registrations an officer may see: their agency's, and for a province officer every agency
    below theirs. Superusers see all; anyone else none."""
    registrations = Registration.objects.select_related("agency", "person", "province", "ward")
    if user.is_superuser:
        return registrations
    if not user.is_staff or user.agency_id is None:
        return registrations.none()
    return registrations.filter(agency_id__in=agency_subtree_ids(user.agency))


def registration_for_status(*, reference: str, bhxh_code: str):
    return Registration.objects.select_related("agency").filter(reference=reference, bhxh_code=bhxh_code).first()
