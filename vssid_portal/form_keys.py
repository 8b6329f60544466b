"""The random keys of the portal's forms, made in one place for registrations, filings and feedback
alike: the key a form carries from one rendering (whatever is posted with it makes one registration,
one filing or one feedback), and the reference numbers a citizen reads and types back.

KEY_LENGTH fits every model's key column (a registration's and a feedback's hold 32 characters, a
filing's 64) and KEY_PATTERN, which a key posted with a form is checked against (posted_key). A reference number
keeps each one's format: a registration's DK + year and month + 6 characters, a filing's HS + 6, a
feedback's PA + 8, which its status page's URL is read with (public_services.services.feedback.TRACKING_NUMBER).
"""

import re
from secrets import choice, token_urlsafe

from django.utils import timezone

KEY_LENGTH = 32
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I lookalikes
# A key as new_idempotency_key makes it (token_urlsafe's alphabet), from 16 characters to KEY_LENGTH.
KEY_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{16,{KEY_LENGTH}}}")


def new_idempotency_key() -> str:
    """One per rendering of a registration's last step, a procedure's or the feedback form: every
    submission that carries it is one registration, one filing or one feedback."""
    return token_urlsafe(24)[:KEY_LENGTH]


def posted_key(request_or_post, name: str) -> str | None:
    """The one-time key posted under `name` (a request or its POST), or None when it is missing or is not
    such a key (KEY_PATTERN): too short, too long, or of other characters."""
    key = getattr(request_or_post, "POST", request_or_post).get(name, "")
    return key if isinstance(key, str) and KEY_PATTERN.fullmatch(key) else None


def new_reference(model, *, field: str, prefix: str, length: int) -> str:
    """`prefix` + year and month + `length` random characters of REFERENCE_ALPHABET, one that no row of
    `model` has in `field` yet: not guessable (8 characters are 40 bits), and useless alone."""
    while True:
        number = prefix + timezone.localdate().strftime("%y%m") + "".join(choice(REFERENCE_ALPHABET) for _ in range(length))
        if not model.objects.filter(**{field: number}).exists():
            return number
