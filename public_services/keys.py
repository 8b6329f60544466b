"""The random keys of public services, made in one place for filings and feedback alike: the key a
form carries from one rendering (whatever is posted with it makes one filing, or one feedback), and
the tracking numbers a citizen reads and types back.

KEY_LENGTH fits both models' idempotency_key columns (a feedback's holds 32 characters, a
filing's 64) and the pattern a procedure's form checks the posted key against. A tracking number
keeps each one's format: a filing's HS + year and month + 6 characters, a feedback's PA + year and
month + 8, which its status page's URL is read with (feedback_services.TRACKING_NUMBER).
"""

from secrets import choice, token_urlsafe

from django.utils import timezone

KEY_LENGTH = 32
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I lookalikes


def new_idempotency_key() -> str:
    """One per rendering of a procedure's or the feedback form: every submission that carries it is
    one filing, or one feedback."""
    return token_urlsafe(24)[:KEY_LENGTH]


def new_tracking_number(model, *, prefix: str, length: int) -> str:
    """`prefix` + year and month + `length` random characters of TRACKING_ALPHABET, one no row of
    `model` has yet: not guessable (8 characters are 40 bits), and useless alone."""
    while True:
        number = prefix + timezone.localdate().strftime("%y%m") + "".join(choice(TRACKING_ALPHABET) for _ in range(length))
        if not model.objects.filter(tracking_number=number).exists():
            return number
