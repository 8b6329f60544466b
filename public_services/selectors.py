"""Reads of filings, scoped to who is asking (page query counts stay constant)."""

from django.db.models import Prefetch

from accounts.selectors import children_of
from lookup.selectors import agency_subtree_ids

from .models import Filing, FilingEvent


def citizen_person_ids(user) -> list[int]:
    """Whose filings a citizen may see: their own and those of the children they may view."""
    if not user.is_authenticated:
        return []
    ids = list(children_of(user=user).values_list("pk", flat=True))
    if user.person_id:
        ids.append(user.person_id)
    return ids


def filings_of(*, person):
    return Filing.objects.filter(person=person).select_related("agency").order_by("-submitted_at", "-id")


def filing_for_citizen(*, user, pk: int) -> Filing | None:
    """A filing with its history and documents, or None when it is not the user's (→ 404)."""
    return (
        Filing.objects.filter(pk=pk, person_id__in=citizen_person_ids(user))
        .select_related("agency", "person", "submitted_by")
        .prefetch_related(Prefetch("events", queryset=FilingEvent.objects.select_related("actor")), "documents")
        .first()
    )


def filings_visible_to(user):
    """Filings an officer may see: their agency's and, for a province officer, every agency below
    it. Superusers see all; anyone else none."""
    filings = Filing.objects.select_related("agency", "person")
    if user.is_superuser:
        return filings
    if not user.is_staff or user.agency_id is None:
        return filings.none()
    return filings.filter(agency_id__in=agency_subtree_ids(user.agency))
