"""The QR signing keyring: private keys from the environment, public keys and their life in the
database (`SigningKey`, editable in the admin), published at `/.well-known/bhyt-keys.json`.

- `settings.HEALTH_CARD_SIGNING_KEYS` = {"<4-digit id>": "<32-byte Ed25519 seed, base64url>"}.
  Without it, development makes one key once in `var/health_card_keys.json` (mode 0600);
  production refuses to sign.
- The key that signs: `HEALTH_CARD_SIGNING_KEY_ID` when set, else the highest configured id whose
  row is not retired. A retired key keeps verifying until its `verify_until`.
- Field 13's MAC key is derived from the private key (HMAC-SHA256 of a label), so only the portal
  can check it; the Ed25519 signature is what anyone can check offline.
"""

import base64
import hashlib
import hmac
import json
import math
import os
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from vssid_portal.cache import forget

from .models import SigningKey

_MAC_LABEL = b"vssid-bhyt-qr-mac-v1"
_synced: set[str] = set()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_private_key_text() -> str:
    """A fresh private key in the form HEALTH_CARD_SIGNING_KEYS takes."""
    return b64url(Ed25519PrivateKey.generate().private_bytes_raw())


def _private(text: str) -> Ed25519PrivateKey:
    raw = b64url_decode(text)
    if len(raw) != 32:
        raise ValueError("cần đúng 32 byte")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _dev_keys() -> dict[str, str]:
    path = settings.HEALTH_CARD_DEV_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump({"0001": new_private_key_text()}, handle)
    return json.loads(path.read_text())


def configured_texts() -> dict[str, str]:
    keys = settings.HEALTH_CARD_SIGNING_KEYS
    if not keys:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("Biến môi trường HEALTH_CARD_SIGNING_KEYS là bắt buộc khi DJANGO_ENV=production.")
        keys = _dev_keys()
    if not isinstance(keys, dict):
        raise ImproperlyConfigured("HEALTH_CARD_SIGNING_KEYS phải là một đối tượng JSON {\"mã khóa\": \"khóa riêng\"}.")
    return keys


def private_keys() -> dict[str, Ed25519PrivateKey]:
    """The configured keys, each id and key checked, and HEALTH_CARD_SIGNING_KEY_ID among them
    when set: what the system check `health_card.E002` reports before any card page fails."""
    result = {}
    for key_id, text in configured_texts().items():
        if not (isinstance(key_id, str) and len(key_id) == 4 and key_id.isdigit()):
            raise ImproperlyConfigured(f"HEALTH_CARD_SIGNING_KEYS: mã khóa {key_id!r} phải gồm 4 chữ số.")
        try:
            result[key_id] = _private(text)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(f"HEALTH_CARD_SIGNING_KEYS: khóa {key_id} không hợp lệ ({exc}).") from exc
    wanted = settings.HEALTH_CARD_SIGNING_KEY_ID
    if wanted and wanted not in result:
        raise ImproperlyConfigured(f"HEALTH_CARD_SIGNING_KEY_ID={wanted} không có trong HEALTH_CARD_SIGNING_KEYS.")
    return result


def sync_public_keys() -> dict[str, Ed25519PrivateKey]:
    """Make sure every configured key has its public row; a row whose public key differs from the
    configured private key is a configuration error, never silently replaced."""
    keys = private_keys()
    fingerprint = hashlib.sha256(json.dumps(sorted(configured_texts().items())).encode()).hexdigest()
    if fingerprint in _synced and SigningKey.objects.filter(key_id__in=keys).count() == len(keys):
        return keys
    for key_id, private in keys.items():
        public = b64url(private.public_key().public_bytes_raw())
        row, _ = SigningKey.objects.get_or_create(key_id=key_id, defaults={"public_key": public})
        if row.public_key != public:
            raise ImproperlyConfigured(f"Khóa {key_id} trong HEALTH_CARD_SIGNING_KEYS không khớp khóa công khai đã công bố.")
    _synced.add(fingerprint)
    return keys


@dataclass(frozen=True)
class Signer:
    key_id: str
    private_key: Ed25519PrivateKey

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def signer(now: datetime | None = None) -> Signer:
    now = now or timezone.now()
    keys = sync_public_keys()
    wanted = settings.HEALTH_CARD_SIGNING_KEY_ID
    if wanted:  # among the keys: private_keys() made sure of it
        return Signer(wanted, keys[wanted])
    retired = set(SigningKey.objects.filter(key_id__in=keys, retired_at__lte=now).values_list("key_id", flat=True))
    usable = sorted(set(keys) - retired)
    if not usable:
        raise ImproperlyConfigured("Mọi khóa ký mã QR đã ngừng ký: hãy thêm khóa mới vào HEALTH_CARD_SIGNING_KEYS.")
    return Signer(usable[-1], keys[usable[-1]])


# A token in the shared cache that a save or delete of a SigningKey row renews (forget_verifying_keys):
# the key's choice, which the database decides, read with one cache read and no query.
SIGNING_CHOICE_CACHE_KEY = "health_card:signing_choice"


def signing_choice() -> str:
    """What picks the signing key, read without a query on a cache hit: HEALTH_CARD_SIGNING_KEY_ID, the
    configured ids, and a token renewed whenever a key row changes (a key retired or ended in the
    admin) and when the next retirement set for later comes, so an image kept under it is never one
    signed by a key that stopped signing. A missing token is made anew, the next retirement read then."""
    token = cache.get(SIGNING_CHOICE_CACHE_KEY)
    if token is None:
        now = timezone.now()
        next_retirement = (SigningKey.objects.filter(retired_at__gt=now).order_by("retired_at")
                           .values_list("retired_at", flat=True).first())
        timeout = None if next_retirement is None else math.ceil((next_retirement - now).total_seconds())
        cache.add(SIGNING_CHOICE_CACHE_KEY, uuid.uuid4().hex, timeout)
        token = cache.get(SIGNING_CHOICE_CACHE_KEY, "")  # another process's, if it made one first
    return f"{settings.HEALTH_CARD_SIGNING_KEY_ID}:{','.join(sorted(configured_texts()))}:{token}"


def signing_started():
    """The day the portal's first signing key was made, or None if it never signed: a card issued
    since then was printed with a signed QR, so an unsigned QR of it is not genuine."""
    first = SigningKey.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return timezone.localdate(first) if first else None


def mac_key(key_id: str) -> bytes | None:
    """The MAC key of a key id, or None where the private key is no longer configured."""
    texts = configured_texts()
    if key_id not in texts:
        return None
    seed = _private(texts[key_id]).private_bytes_raw()
    return hmac.new(seed, _MAC_LABEL, hashlib.sha256).digest()


class KeyState:
    OK = "ok"
    UNKNOWN = "unknown"
    ENDED = "ended"


# Public keys are read on every check; each process keeps the rows it read for a minute. A save or
# delete of a key empties this process's copy at once (signal below); other processes follow within
# VERIFYING_KEY_SECONDS — so ending a leaked key takes effect everywhere within a minute.
VERIFYING_KEY_SECONDS = 60
_verifying: dict[str, tuple[float, tuple[Ed25519PublicKey, datetime | None] | None]] = {}


def verifying_key(key_id: str, now: datetime | None = None) -> tuple[str, Ed25519PublicKey | None]:
    """The public key that checks QRs signed with `key_id`, and whether it still may."""
    now = now or timezone.now()
    read_at, entry = _verifying.get(key_id, (None, None))
    if read_at is None or time.monotonic() - read_at > VERIFYING_KEY_SECONDS:
        row = SigningKey.objects.filter(key_id=key_id).only("public_key", "verify_until").first()
        entry = None if row is None else (Ed25519PublicKey.from_public_bytes(b64url_decode(row.public_key)),
                                          row.verify_until)
        if len(_verifying) > 100:  # unknown ids from forged QRs must not grow it without end
            _verifying.clear()
        _verifying[key_id] = (time.monotonic(), entry)
    if entry is None:
        return KeyState.UNKNOWN, None
    public, verify_until = entry
    if verify_until is not None and verify_until < now:
        return KeyState.ENDED, None
    return KeyState.OK, public


@receiver([post_save, post_delete], sender=SigningKey)
def forget_verifying_keys(instance, created=False, **kwargs):
    _verifying.clear()
    if not (created and instance.retired_at is None):  # a configured key's first row changes no choice
        forget([SIGNING_CHOICE_CACHE_KEY])  # the on-screen QR images drawn are signed again (signing_choice)


def published_keys(now: datetime | None = None) -> dict:
    """The document served at /.well-known/bhyt-keys.json."""
    now = now or timezone.now()
    try:
        sync_public_keys()
    except ImproperlyConfigured:
        pass  # publishing what the database holds is still right
    keys = []
    for row in SigningKey.objects.order_by("key_id"):
        if row.verify_until is not None and row.verify_until < now:
            continue
        keys.append({
            "kid": row.key_id,
            "kty": "OKP",
            "crv": "Ed25519",
            "x": row.public_key,
            "status": "retired" if row.retired_at and row.retired_at <= now else "active",
            "created": row.created_at.isoformat(),
            "notAfter": row.verify_until.isoformat() if row.verify_until else None,
        })
    return {
        "format": "v1.<kid>.<issued-at unix>.<Ed25519 signature base64url> over every character before it",
        "screenQrSeconds": 600,
        "keys": keys,
    }
