"""The keys what the portal signs or derives itself (private-file links, login codes, the BHXH-code
lookup's questions, statement codes) is checked with: SECRET_KEY, and after a rotation the keys it
replaced (SECRET_KEY_FALLBACKS), as Django checks its own signatures and sessions."""

from django.conf import settings


def secret_keys() -> list[str]:
    """SECRET_KEY, which everything new is made with, then the fallback keys, so that what was made
    just before a rotation is still accepted."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
