"""Reads of the reference data."""

from vssid_portal.text import fold

from .models import Agency


def agency_subtree_ids(agency: Agency) -> set[int]:
    """The agency and every agency below it (province 079 → its districts, any depth)."""
    ids, level = {agency.pk}, [agency.pk]
    while level:
        # `ids` guards against a loop someone made in the tree: each agency is visited once.
        level = [pk for pk in Agency.objects.filter(parent_id__in=level).values_list("pk", flat=True) if pk not in ids]
        ids.update(level)
    return ids


def agencies_search(*, query: str = "", limit: int = 30):
    """Agencies whose code, name or address contains the query, accent-insensitively."""
    agencies = Agency.objects.select_related("province", "parent").order_by("code")
    for word in fold(query).split():
        agencies = agencies.filter(search_key__contains=word)
    return agencies[:limit]

