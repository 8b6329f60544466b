"""The reads of the clinics' API tokens: a token by its hash, and the tokens an officer may see and revoke."""

from django.db.models import Q

from lookup.selectors import officer_agency_ids

from ..models import FacilityApiToken


def api_token_by_hash(digest: str) -> FacilityApiToken | None:
    """The token, live or revoked, whose plain text has this hash (token_hash is unique)."""
    return FacilityApiToken.objects.filter(token_hash=digest).order_by().first()


def tokens_visible_to(user, tokens):
    """API tokens an officer may see and revoke: those made by officers of their agency and the
    agencies below it; a province's top agency answers for every clinic of its province, so its
    officers see all that province's tokens (whoever made them)."""
    ids = officer_agency_ids(user)
    if ids is None:
        return tokens
    if not ids:
        return tokens.none()
    scope = Q(created_by__agency_id__in=ids)
    agency = user.agency
    if agency.parent_id is None:
        scope |= Q(facility__province_id=agency.province_id)
    return tokens.filter(scope)
