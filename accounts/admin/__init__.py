"""Officers' admin of the accounts app, one module per concern: the permissions named in the admin's
language and the groups (permissions), the registry's persons (persons), the accounts and their
sessions (logins), the authenticators of allauth.mfa (authenticators), and the review of the
registrations, approve or reject (registrations). Django's autodiscover imports this package: each of
those modules registers its ModelAdmins when imported here.

The public names are imported here, so that `from accounts.admin import PersonAdmin` reads as before;
a test replacing a name replaces it in the module that looks it up, not here.
"""

from .authenticators import AuthenticatorAdmin
from .logins import OfficerPersonField, UserAdmin, UserChangeForm, end_sessions_of
from .permissions import (
    PERMISSION_ACTIONS,
    GroupAdmin,
    PermissionChoiceField,
    PermissionsInVietnamese,
    permission_label,
)
from .persons import PersonAdmin, PersonAdminForm
from .registrations import (
    GONE_WITH_REPLACEMENT,
    REGISTRATIONS_SINCE,
    RegistrationAdmin,
    RegistrationEventInline,
    SubmittedOnFilter,
)

__all__ = [
    "GONE_WITH_REPLACEMENT",
    "PERMISSION_ACTIONS",
    "REGISTRATIONS_SINCE",
    "AuthenticatorAdmin",
    "GroupAdmin",
    "OfficerPersonField",
    "PermissionChoiceField",
    "PermissionsInVietnamese",
    "PersonAdmin",
    "PersonAdminForm",
    "RegistrationAdmin",
    "RegistrationEventInline",
    "SubmittedOnFilter",
    "UserAdmin",
    "UserChangeForm",
    "end_sessions_of",
    "permission_label",
]
