"""The public BHXH-code lookup: its challenge, its rate-limit keys and its audit trail.

Challenge (no outside service): the page carries a signed, single-use token. A browser with
JavaScript proves work on it (`static/js/code-lookup-pow.js`: a counter whose SHA-256 over
`token:counter` starts with `bits` zero bits); without JavaScript the visitor answers the
arithmetic question printed on the page (in the page's language: it is shown, never stored). The
answer travels only as a keyed MAC inside the token, and a token is spent by its first use, right or
wrong, so a replay is refused.
"""

import dataclasses
import hashlib
import hmac
import ipaddress
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy

from vssid_portal.cache import cache_reachable
from vssid_portal.ratelimit import client_address, client_ip
from vssid_portal.secret_keys import secret_keys
from vssid_portal.text import normalize_code

from ..models import CodeLookupAudit, Person

CHALLENGE_SALT = "accounts.code_lookup.challenge"
CHALLENGE_MAX_AGE = 10 * 60
AUDIT_SALT = "accounts.code_lookup.audit"
NUMBER_WORDS = [
    pgettext_lazy("số đếm", "không"), pgettext_lazy("số đếm", "một"), pgettext_lazy("số đếm", "hai"),
    pgettext_lazy("số đếm", "ba"), pgettext_lazy("số đếm", "bốn"), pgettext_lazy("số đếm", "năm"),
    pgettext_lazy("số đếm", "sáu"), pgettext_lazy("số đếm", "bảy"), pgettext_lazy("số đếm", "tám"),
    pgettext_lazy("số đếm", "chín"),
]


def _pow_bits() -> int:
    return getattr(settings, "CODE_LOOKUP_POW_BITS", 14)


def _answer_mac(nonce: str, answer: str, secret: str | None = None) -> str:
    """The answer's MAC, keyed with SECRET_KEY (or `secret`)."""
    return salted_hmac(CHALLENGE_SALT, f"{nonce}:{answer.strip()}", secret=secret).hexdigest()[:32]


def _answer_right(nonce: str, answer: str, mac: str) -> bool:
    """Whether `mac` is the answer's, made with SECRET_KEY or, for a question asked just before the
    key was rotated, with one of SECRET_KEY_FALLBACKS (as the token's signature is checked)."""
    return any(hmac.compare_digest(_answer_mac(nonce, answer, secret), mac)
               for secret in secret_keys())


class ChallengeUnavailable(Exception):
    """The challenge cannot be spent: the cache that records spent tokens does not answer."""


@dataclasses.dataclass(frozen=True)
class Challenge:
    token: str
    question: str
    bits: int


def code_lookup_challenge_issue() -> Challenge:
    nonce = secrets.token_urlsafe(16)
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    bits = _pow_bits()
    token = signing.dumps({"n": nonce, "m": _answer_mac(nonce, str(a + b)), "b": bits}, salt=CHALLENGE_SALT, compress=True)
    question = capfirst(gettext("%(a)s cộng %(b)s bằng mấy?") % {"a": NUMBER_WORDS[a], "b": NUMBER_WORDS[b]})
    return Challenge(token=token, question=question, bits=bits)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def code_lookup_challenge_spend(*, token: str, work: str = "", answer: str = "") -> bool:
    """True when the token is genuine, fresh, unused, and its work or its answer is right.

    The token is spent whatever the outcome: each one allows a single attempt. Raises
    ChallengeUnavailable when it cannot be spent because the cache is unreachable.
    """
    try:
        data = signing.loads(token or "", salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return False
    if not cache.add(f"code-lookup-challenge:{data['n']}", 1, timeout=CHALLENGE_MAX_AGE + 60):
        if not cache_reachable():
            raise ChallengeUnavailable
        return False  # replayed
    work = (work or "").strip()
    if work.isascii() and work.isdigit() and len(work) <= 12:  # isdigit() alone admits "²", which int() refuses
        digest = hashlib.sha256(f"{token}:{int(work)}".encode()).digest()
        if leading_zero_bits(digest) >= data["b"]:
            return True
    answer = normalize_code(answer or "")  # "１２" as some keyboards type it, "1 2"
    if answer.isascii() and answer.isdigit() and len(answer) <= 4:
        answer = str(int(answer))  # "07" is 7
    return bool(answer) and len(answer) <= 4 and _answer_right(data["n"], answer, data["m"])


def client_network(group, request) -> str:
    """The client's /24 (IPv4) or /64 (IPv6) network: a rate-limit key against spread-out lookups.

    client_ip gives an IPv4 client in its IPv4 form even when it arrives IPv4-mapped
    (accounts.adapter), so its network is its /24, not the ::/64 that all such clients share."""
    ip = client_ip(group, request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _hash(value: str) -> str:
    """An address's hash in the audit, keyed with CODE_LOOKUP_AUDIT_KEY, not SECRET_KEY: a rotation of
    SECRET_KEY would hash one address otherwise and split the lookups from one place. Without it (a production
    that ignored accounts.E001 of `check --deploy`) SECRET_KEY, as before it existed."""
    return salted_hmac(AUDIT_SALT, value, secret=settings.CODE_LOOKUP_AUDIT_KEY or settings.SECRET_KEY).hexdigest()


@transaction.atomic
def code_lookup_audit(*, person: Person, request) -> CodeLookupAudit:
    """Record one answered lookup: who (hashed address, login if any), when, which person."""
    audit = CodeLookupAudit(
        person=person,
        ip_hash=_hash(client_address(request)),
        network_hash=_hash(client_network(None, request)),
        user=request.user if request.user.is_authenticated else None,
        user_agent=request.headers.get("User-Agent", "")[:200],
    )
    audit.full_clean()
    audit.save()
    return audit
