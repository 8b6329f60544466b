"""Registration for electronic transactions, one module per concern: the registration sent, the citizen's own
and a parent's for their child (submission), its files, the photos and the declaration PDF built once it is
sent (files), and the officer's decision, approve or reject, with what the registrant is told (decision).

The public names are imported here, so that `from accounts.services.registration import registration_submit`
reads as before; a test replacing a name replaces it in the module that looks it up
(`accounts.services.registration.submission.adult_born_by`), not here.
"""

from .decision import (
    OWN_REGISTRATION,
    OWN_REGISTRATION_HERE,
    REJECT_REASON_MAX_LENGTH,
    RegistrationAlreadyDecided,
    registration_approve,
    registration_reject,
)
from .files import (
    PHOTO_FIELDS,
    PHOTO_RETENTION,
    UPLOAD_DIR,
    UPLOAD_RETENTION,
    registration_build_declaration,
    registration_draft_discard,
    registration_uploads_sweep,
    registrations_delete_stale_photos,
    registrations_missing_declarations,
    registrations_retry_declarations,
)
from .submission import (
    CHILD_ADULT,
    CHILD_MISMATCH,
    IDENTITY_MISMATCH,
    PHOTO_EXPIRED,
    REGISTRY_TO_CORRECT,
    STALE_SUBMISSION,
    PhotosExpired,
    child_registration_submit,
    registration_check_declaration,
    registration_submit,
    registration_submitted_with,
    validate_child_birth_date,
)

__all__ = [
    "CHILD_ADULT", "CHILD_MISMATCH", "IDENTITY_MISMATCH", "OWN_REGISTRATION", "OWN_REGISTRATION_HERE",
    "PHOTO_EXPIRED", "PHOTO_FIELDS", "PHOTO_RETENTION", "REGISTRY_TO_CORRECT", "REJECT_REASON_MAX_LENGTH",
    "STALE_SUBMISSION", "UPLOAD_DIR", "UPLOAD_RETENTION", "PhotosExpired", "RegistrationAlreadyDecided",
    "child_registration_submit", "registration_approve", "registration_build_declaration",
    "registration_check_declaration", "registration_draft_discard", "registration_reject", "registration_submit",
    "registration_submitted_with", "registration_uploads_sweep", "registrations_delete_stale_photos",
    "registrations_missing_declarations", "registrations_retry_declarations", "validate_child_birth_date",
]
