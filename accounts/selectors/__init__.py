"""Reads of accounts data, scoped to who is asking, one module per concern: the logins, their sessions and
who is told of a person's records (logins), the registry's people as the pages show them, an identity
declared and whose records a page shows (persons), an officer's own cases (officers), registrations
(registrations) and the BHXH-code lookup (code_lookup).

The public names are imported here, so that `from accounts.selectors import children_of` reads as before,
as other apps do; a test replacing a name replaces it in the module that looks it up
(`accounts.selectors.code_lookup.fold`), not here.
"""

from .code_lookup import person_for_code_lookup
from .logins import (
    USER_CACHE_SECONDS,
    active_logins,
    deactivated_logins,
    has_own_login,
    has_own_login_besides,
    live_sessions,
    logins_told_of,
    logins_told_of_people,
    may_change_own_contact,
    notice_channels,
    notice_channels_of_people,
    own_login,
    own_logins,
    people_told_of,
    recovery_codes_deleted_with,
    user_cache_key,
    user_for_reset,
    user_for_session,
)
from .officers import (
    OFFICER_RECORD_UNKNOWN,
    OWN_RECORD,
    holder_logins,
    holder_person_ids,
    is_officers_own_person,
    is_officers_own_registration,
    officer_record_unknown,
    officers_own_person_ids,
    own_record_refusal,
    own_records_refusal,
    staff_login_of_record,
)
from .persons import (
    PERSON_PAGE_RELATIONS,
    VIEWING_SESSION_KEY,
    IdentityMatch,
    adult_born_by,
    children_of,
    content_version,
    guardianship_of,
    identity_match,
    is_persons_name,
    others_with_phone,
    person_in_view,
    persons_visible_to,
    viewed_person_id,
    viewing,
    was_guardian_of,
)
from .registrations import (
    registration_for_status,
    registration_told_by,
    registrations_visible_to,
)

__all__ = [
    "OFFICER_RECORD_UNKNOWN", "OWN_RECORD", "PERSON_PAGE_RELATIONS", "USER_CACHE_SECONDS", "VIEWING_SESSION_KEY",
    "IdentityMatch", "active_logins", "adult_born_by", "children_of", "content_version", "deactivated_logins",
    "guardianship_of", "has_own_login", "has_own_login_besides", "holder_logins", "holder_person_ids",
    "identity_match", "is_officers_own_person", "is_officers_own_registration", "is_persons_name", "live_sessions",
    "logins_told_of", "logins_told_of_people", "may_change_own_contact", "notice_channels",
    "notice_channels_of_people", "officer_record_unknown", "officers_own_person_ids", "others_with_phone",
    "own_login", "own_logins", "own_record_refusal", "own_records_refusal", "people_told_of", "person_for_code_lookup",
    "person_in_view", "persons_visible_to", "recovery_codes_deleted_with", "registration_for_status",
    "registration_told_by", "registrations_visible_to", "staff_login_of_record", "user_cache_key", "user_for_reset",
    "user_for_session", "viewed_person_id", "viewing", "was_guardian_of",
]
