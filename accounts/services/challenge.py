"""The portal's own challenge (no outside service) on the public forms a script would abuse: the
BHXH-code lookup and the password reset request, which sends a text message.

The page carries a signed, single-use token. A browser with JavaScript proves work on it
(`static/js/code-lookup-pow.js`: a counter whose SHA-256 over `token:counter` starts with `bits`
zero bits); without JavaScript the visitor answers the arithmetic question printed on the page, the
sum of two two-digit numbers (in the page's language: it is shown, never stored), whose 179 answers
a script guessing is right once in 90 tries at best. The answer travels only as a keyed MAC inside the
token, and a token is spent by its first use, right or wrong, so a replay is refused. Each form
has its own purpose: a token made for one is refused by the other.

Every challenge failed by a wrong answer or wrong work on a genuine, fresh, unspent token is counted
under the client's address (an IPv4 address or an IPv6 /64: vssid_portal.ratelimit.client_ip), on
either form alike, against CHALLENGE_FAILURE_RATE: past it the client's tries are refused until its
window ends, so that a script cannot pass by guessing the question instead of doing the work. A
forged, expired or replayed token is refused too, and the page asks again, but not counted: it can
never pass, and it is what a double click (the second post carries the spent token) or a page left
open sends, which would spend the count a carrier's address shares among its subscribers.
"""

import dataclasses
import hashlib
import hmac
import secrets
from enum import Enum, StrEnum

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django_ratelimit.core import get_usage

from vssid_portal.cache import cache_reachable
from vssid_portal.ratelimit import client_ip
from vssid_portal.secret_keys import secret_keys
from vssid_portal.text import normalize_code

CHALLENGE_MAX_AGE = 10 * 60
FAILURES_GROUP = "accounts.challenge_failures"
OPERANDS = range(10, 100)  # the question's two numbers: their sums run from 20 to 198


class ChallengePurpose(StrEnum):
    """The form a challenge is made for: its signing salt and its record of spent tokens."""

    CODE_LOOKUP = "code_lookup"
    PASSWORD_RESET = "password_reset"

    @property
    def salt(self) -> str:
        return f"accounts.{self.value}.challenge"

    def spent_key(self, nonce: str) -> str:
        return f"{self.value.replace('_', '-')}-challenge:{nonce}"


def _pow_bits() -> int:
    return getattr(settings, "CHALLENGE_POW_BITS", 14)


def _answer_mac(purpose: ChallengePurpose, nonce: str, answer: str, secret: str | None = None) -> str:
    """The answer's MAC, keyed with SECRET_KEY (or `secret`)."""
    return salted_hmac(purpose.salt, f"{nonce}:{answer.strip()}", secret=secret).hexdigest()[:32]


def _answer_right(purpose: ChallengePurpose, nonce: str, answer: str, mac: str) -> bool:
    """Whether `mac` is the answer's, made with SECRET_KEY or, for a question asked just before the
    key was rotated, with one of SECRET_KEY_FALLBACKS (as the token's signature is checked)."""
    return any(hmac.compare_digest(_answer_mac(purpose, nonce, answer, secret), mac)
               for secret in secret_keys())


class ChallengeSpent(Enum):
    """What spending a challenge found (challenge_spend); true only when it was passed."""

    PASSED = "passed"
    WRONG = "wrong"  # a genuine, fresh, unspent token, its answer or its work wrong: a failure counted
    STALE = "stale"  # a forged, expired or replayed token, or another form's: refused, counted as no failure

    def __bool__(self) -> bool:
        return self is ChallengeSpent.PASSED


class ChallengeUnavailable(Exception):
    """The challenge cannot be spent: the cache that records spent tokens does not answer."""


@dataclasses.dataclass(frozen=True)
class Challenge:
    token: str
    question: str
    bits: int


def challenge_issue(*, purpose: ChallengePurpose) -> Challenge:
    nonce = secrets.token_urlsafe(16)
    a, b = (OPERANDS[secrets.randbelow(len(OPERANDS))] for _ in range(2))
    bits = _pow_bits()
    token = signing.dumps({"n": nonce, "m": _answer_mac(purpose, nonce, str(a + b)), "b": bits}, salt=purpose.salt,
                          compress=True)
    question = gettext("%(a)s cộng %(b)s bằng mấy?") % {"a": a, "b": b}
    return Challenge(token=token, question=question, bits=bits)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def challenge_spend(*, purpose: ChallengePurpose, token: str, work: str = "", answer: str = "") -> ChallengeSpent:
    """PASSED (true) when the token is genuine, made for `purpose`, fresh, unused, and its work or its answer
    is right; WRONG when such a token's work and answer are both wrong; STALE for any other token.

    The token is spent whatever the outcome: each one allows a single attempt. Raises
    ChallengeUnavailable when it cannot be spent because the cache is unreachable.
    """
    try:
        data = signing.loads(token or "", salt=purpose.salt, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:  # forged, another form's, or expired (SignatureExpired)
        return ChallengeSpent.STALE
    if not cache.add(purpose.spent_key(data["n"]), 1, timeout=CHALLENGE_MAX_AGE + 60):
        if not cache_reachable():
            raise ChallengeUnavailable
        return ChallengeSpent.STALE  # replayed
    work = (work or "").strip()
    if work.isascii() and work.isdigit() and len(work) <= 12:  # isdigit() alone admits "²", which int() refuses
        digest = hashlib.sha256(f"{token}:{int(work)}".encode()).digest()
        if leading_zero_bits(digest) >= data["b"]:
            return ChallengeSpent.PASSED
    answer = normalize_code(answer or "")  # "１２" as some keyboards type it, "1 2"
    if answer.isascii() and answer.isdigit() and len(answer) <= 4:
        answer = str(int(answer))  # "07" is 7
    if answer and len(answer) <= 4 and _answer_right(purpose, data["n"], answer, data["m"]):
        return ChallengeSpent.PASSED
    return ChallengeSpent.WRONG


def _failure_rate(group, request) -> str:
    return settings.CHALLENGE_FAILURE_RATE


def challenge_failure_count(*, request, count: bool) -> dict | None:
    """django-ratelimit's count of the challenges the client failed on either form (`get_usage`'s
    answer), this request's failure counted when `count`. Uncounted, its `should_limit` says whether
    the client has failed as many as CHALLENGE_FAILURE_RATE allows: no try is left to it. A cache that
    cannot answer says 0 of 0 left: refused."""
    usage = get_usage(request, group=FAILURES_GROUP, key=client_ip, rate=_failure_rate, method="POST",
                      increment=count)
    if usage is not None and not count:
        usage = {**usage, "should_limit": usage["count"] >= usage["limit"]}
    return usage
