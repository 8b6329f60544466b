"""The BHYT card QR: build, sign, parse and check the signature — the one module that knows the
layout (DESIGN.md, "Health card QR"). The verify page, the JSON API and the tests all use it.

Layout: fields 0–15 split on `|`, text fields as hex of UTF-8, dates dd/mm/yyyy, empty values
`-`, the string ends `|$`. The portal's own QR keeps fields 0–15 exactly, so existing readers parse
it unchanged, and:
- field 9 (management code, 14 digits, meaning not public) is `<purpose><version:3><BHXH code>`:
  purpose 1 = on-screen QR (valid SCREEN_SECONDS from its issued-at), 2 = printed card (valid with
  the card); version = the card's issue number, so a reissue makes older QRs "replaced";
- field 13 is a keyed 64-bit MAC (HMAC-SHA256, first 8 bytes, hex) of fields 0–12, 14, 15 joined
  with `|`, then `-` and the 4-digit key id;
- one field before `$`: `v1.<key id>.<issued-at unix>.<Ed25519 signature, base64url>` over every
  character before it (fields 0–15 and their `|` separators, the last `|` included).

Accepted for parsing: the old 15-part strings (fields 0–13 + `$`), the new 17-part strings
(fields 0–15 + `$`) and the signed 18-part ones; upper- or lower-case hex; a year-only birth date;
CR/LF and spaces around fields. Every failure is a `QrError` with one `Kind`. An unsigned string
whose field 13 is the portal's MAC is a portal QR with its signature cut off (`check_unsigned`).
The QR of a chip-based citizen ID card (CCCD), which patients hand over as well since its number
identifies their BHYT card, is read as an `IdCard`.
"""

import datetime
import enum
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vssid_portal.templatetags.vn_format import vn_date

from . import keys

SCREEN_SECONDS = 10 * 60
CLOCK_SKEW_SECONDS = 120
SIGNATURE_VERSION = "v1"
MAX_LENGTH = 2000


class Kind(enum.StrEnum):
    """Every answer a card check can give (the page, the API and the log use these values)."""

    VALID = "valid"
    EXPIRED = "expired"  # the card
    NOT_YET_VALID = "not_yet_valid"  # the card
    QR_EXPIRED = "qr_expired"  # an on-screen QR past its SCREEN_SECONDS
    QR_ISSUED_AHEAD = "qr_issued_ahead"  # a QR whose issued-at is still to come
    REPLACED = "replaced"
    REVOKED = "revoked"
    FORGED = "forged"
    UNKNOWN_KEY = "unknown_key"
    MALFORMED = "malformed"  # text that is no card's QR: no closing `$`, not the card's number of fields
    # The card's layout read whole, a field of which does not decode or check (a name's hex that is no
    # UTF-8, a date that is none): written so, it reads the same scanned again.
    INVALID_QR = "invalid_qr"
    TRUNCATED = "truncated"
    JUNK = "junk"
    NOT_FOUND = "not_found"
    WRONG_NAME = "wrong_name"
    WRONG_BIRTH_DATE = "wrong_birth_date"
    UNSIGNED = "unsigned"  # an unsigned QR on the public page, which does not compare it with the registry
    ID_CARD = "id_card"  # a citizen ID card's QR on the public page, or one whose name or birth date is unreadable
    SHARED_ID = "shared_id"  # a CCCD number the registry holds for more than one person: no card is named by it


class Purpose(enum.IntEnum):
    SCREEN = 1
    PRINT = 2


class QrError(Exception):
    def __init__(self, kind: Kind, detail: str | Promise = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class CardFields:
    """Fields 0–15 as values (field 13 is computed when signing)."""

    number: str
    full_name: str
    birth_date: datetime.date | None
    birth_year_only: bool
    sex: int
    facility_code: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    issued_on: datetime.date | None
    management_code: str
    five_year_date: datetime.date | None
    address: str = ""
    guardian: str = ""
    living_area: str = "4"
    level: str = ""
    issuing_place: str = ""
    check: str = ""
    birth_year: int | None = None


@dataclass(frozen=True)
class Signature:
    key_id: str
    issued_at: int
    value: bytes


@dataclass(frozen=True)
class Payload:
    raw: str
    fields: CardFields
    layout: str  # "old" (15 parts), "new" (17 parts) or "signed" (18 parts)
    signature: Signature | None = None
    signed_part: str = ""
    parts: list[str] = field(default_factory=list)

    @property
    def purpose(self) -> Purpose | None:
        match = _MANAGEMENT.match(self.fields.management_code)
        if not match:
            return None
        return Purpose(int(match["purpose"])) if int(match["purpose"]) in (1, 2) else None

    @property
    def version(self) -> int | None:
        match = _MANAGEMENT.match(self.fields.management_code)
        return int(match["version"]) if match else None


@dataclass(frozen=True)
class IdCard:
    """What the QR of a chip-based citizen ID card (CCCD) holds for a card check: from 15/08/2025
    (Decree 188/2025) its 12-digit number identifies the holder's BHYT card."""

    number: str
    full_name: str
    birth_date: datetime.date


# --- building -------------------------------------------------------------------------------

def _hex(text: str) -> str:
    return unicodedata.normalize("NFC", text).encode("utf-8").hex() if text else "-"


def _date_text(value: datetime.date | None, year_only: bool = False) -> str:
    if value is None:
        return "-"
    return vn_date(value, year_only)


def management_code(*, purpose: Purpose, version: int, bhxh_code: str) -> str:
    return f"{int(purpose)}{version:03d}{bhxh_code}"


def facility_text(code: str) -> str:
    """'79032' → '79 - 032', as printed on cards."""
    return f"{code[:2]} - {code[2:]}"


def _field_list(values: CardFields) -> list[str]:
    return [
        values.number,
        _hex(values.full_name),
        _date_text(values.birth_date, values.birth_year_only),
        str(values.sex),
        _hex(values.address),
        facility_text(values.facility_code),
        _date_text(values.valid_from),
        _date_text(values.valid_to),
        _date_text(values.issued_on),
        values.management_code or "-",
        _hex(values.guardian),
        values.living_area or "4",
        _date_text(values.five_year_date),
        values.check or "-",
        values.level or "-",
        _hex(values.issuing_place),
    ]


def unsigned_text(values: CardFields) -> str:
    """Fields 0–15 as a QR of `values` carries them, before its check string and signature: with the
    key and the issued-at, all that a signed QR is made from."""
    return "|".join(_field_list(values))


def _mac(mac_key: bytes, fields: list[str]) -> str:
    message = "|".join(fields[:13] + fields[14:16]).encode("utf-8")
    return hmac.new(mac_key, message, hashlib.sha256).digest()[:8].hex()


def build(values: CardFields, *, issued_at: int, signer: "keys.Signer | None" = None) -> str:
    """The signed QR string for `values`, issued at `issued_at` (unix seconds)."""
    signer = signer or keys.signer()
    fields = _field_list(values)
    mac_key = keys.mac_key(signer.key_id)
    if mac_key is None:
        raise QrError(Kind.UNKNOWN_KEY, _("khóa ký không có khóa riêng"))
    fields[13] = f"{_mac(mac_key, fields)}-{signer.key_id}"
    # The signature covers every character before it: the fields, the version, the key id and the
    # issued-at (which makes an on-screen QR good for ten minutes only).
    signed = "|".join(fields) + f"|{SIGNATURE_VERSION}.{signer.key_id}.{int(issued_at)}."
    return f"{signed}{keys.b64url(signer.sign(signed.encode('utf-8')))}|$"


# --- parsing --------------------------------------------------------------------------------

# ASCII only: \d would also take other scripts' digits ("７", "٣"), which no card carries.
_NUMBER = re.compile(r"^(?:\d{10}|\d{12}|[A-Z]{2}[1-5]\d{2}[0-9A-Z]{10})$", re.ASCII)
_HEX = re.compile(r"^(?:[0-9a-fA-F]{2})+$")
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$", re.ASCII)
_FACILITY = re.compile(r"^(\d{2})\s*-?\s*([0-9A-Za-z]{3})$", re.ASCII)
_CHECK = re.compile(r"^[0-9a-fA-F]{16}-[0-9A-Za-z]{4}$")
_MANAGEMENT = re.compile(r"^(?P<purpose>\d)(?P<version>\d{3})(?P<code>\d{10})$", re.ASCII)
_SIGNATURE = re.compile(r"^v1\.(?P<kid>\d{4})\.(?P<at>\d{1,12})\.(?P<sig>[A-Za-z0-9_-]{86})$", re.ASCII)
# The signature field of any version, to tell one the portal does not sign in from one misread.
_SIGNATURE_VERSION = re.compile(r"^(?P<version>v\d{1,3})\.", re.ASCII)
_PARTS = {15: "old", 17: "new", 18: "signed"}
# A citizen ID card's QR: CCCD number | old CMND number | full name | birth date ddmmyyyy | sex |
# address | issue date ddmmyyyy, 7 parts, or 11 on some cards; plain text, no closing `$`.
_ID_CARD_PARTS = {7, 11}
_ID_CARD_NUMBER = re.compile(r"^\d{12}$", re.ASCII)
_ID_CARD_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$", re.ASCII)


def _text(value: str, index: int) -> str:
    if value in {"-", ""}:
        return ""
    if not _HEX.match(value):
        raise QrError(Kind.MALFORMED, format_lazy(_("trường {index} không phải chuỗi hex"), index=index))
    try:
        return unicodedata.normalize("NFC", bytes.fromhex(value).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise QrError(Kind.MALFORMED, format_lazy(_("trường {index} không phải UTF-8"), index=index)) from exc


def _date(value: str, index: int, *, optional: bool = True) -> datetime.date | None:
    if value in {"-", ""} and optional:
        return None
    match = _DATE.match(value)
    if not match:
        raise QrError(Kind.MALFORMED, format_lazy(_("trường {index} không phải ngày dd/mm/yyyy"), index=index))
    try:
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError as exc:
        detail = format_lazy(_("trường {index} là ngày không có thật"), index=index)
        raise QrError(Kind.MALFORMED, detail) from exc


def _id_card(parts: list[str]) -> IdCard:
    full_name = unicodedata.normalize("NFC", " ".join(parts[2].split()))
    if not full_name:
        raise QrError(Kind.ID_CARD, _("mã QR trên thẻ CCCD không có họ tên"))
    match = _ID_CARD_DATE.match(parts[3])
    try:
        birth_date = datetime.date(int(match[3]), int(match[2]), int(match[1])) if match else None
    except ValueError:
        birth_date = None
    if birth_date is None:
        raise QrError(Kind.ID_CARD, _("ngày sinh trong mã QR trên thẻ CCCD không phải ngày ddmmyyyy"))
    return IdCard(parts[0], full_name, birth_date)


def _around(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def too_long(text: str) -> bool:
    """Longer than any card's QR once trimmed: what a scanner or a clipboard put around it does not
    count. The verify page's scan field and the API refuse such a string alike, checking nothing."""
    return len(trim(text)) > MAX_LENGTH


def trim(text: str) -> str:
    """A scanned or pasted string without what a scanner, a clipboard or a file saved by Notepad
    puts around it: spaces (no-break spaces too), line breaks and invisible format characters
    (byte order mark U+FEFF, zero-width space U+200B, direction marks). Inside the string they
    stay, for `parse` to judge."""
    start, end = 0, len(text)
    while start < end and _around(text[start]):
        start += 1
    while end > start and _around(text[end - 1]):
        end -= 1
    return text[start:end]


def parse(data: bytes | str) -> Payload | IdCard:
    """Parse a scanned string: a BHYT card QR, or a citizen ID card's QR (`IdCard`); raises
    QrError(JUNK | TRUNCATED | MALFORMED | ID_CARD, INVALID_QR for a string in the card's layout with a
    field that does not decode or check, or UNKNOWN_KEY for a signature of a version the portal does
    not sign in)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QrError(Kind.JUNK, _("dữ liệu không phải văn bản UTF-8")) from exc
    if "\ufffd" in data or "\x00" in data:
        raise QrError(Kind.JUNK, _("dữ liệu có ký tự không đọc được"))
    text = trim(data)
    if not text:
        raise QrError(Kind.MALFORMED, _("chuỗi rỗng"))
    if len(text) > MAX_LENGTH:
        raise QrError(Kind.MALFORMED, _("chuỗi quá dài"))
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise QrError(Kind.JUNK, _("dữ liệu có ký tự điều khiển"))
    parts = [part.strip() for part in text.split("|")]
    if len(parts) in _ID_CARD_PARTS and _ID_CARD_NUMBER.match(parts[0]) and parts[-1] != "$":
        return _id_card(parts)  # not a BHYT QR cut short: scanning again would read the same
    if parts[-1] != "$":
        if len(parts) >= 2 and parts[0] and (_NUMBER.match(parts[0].upper()) or len(parts) > 2):
            raise QrError(Kind.TRUNCATED, _("chuỗi bị cắt: thiếu phần kết thúc |$"))
        raise QrError(Kind.MALFORMED, _("không phải mã QR thẻ BHYT"))
    layout = _PARTS.get(len(parts))
    if layout is None:
        if len(parts) < 15:
            raise QrError(Kind.TRUNCATED, format_lazy(_("chỉ có {count} trường"), count=len(parts) - 1))
        raise QrError(Kind.MALFORMED, format_lazy(_("số trường không đúng ({count})"), count=len(parts) - 1))
    try:
        return _card(text, parts, layout)
    except QrError as error:
        if error.kind != Kind.MALFORMED or not text.isascii():
            raise
        # Read whole, in the card's layout: a scanner misreads no single field, so what does not decode
        # or check was written so, and scanning again would read the same. Not so for a letter no card's
        # QR holds (hex, digits, dates, base64url are ASCII): a scanner typing into the page through a
        # Vietnamese keyboard (Telex turns "aa" into "â", "dd" into "đ") changed it, and the card may be
        # genuine.
        raise QrError(Kind.INVALID_QR, error.detail) from error


def _card(text: str, parts: list[str], layout: str) -> Payload:
    """The fields of a string in one of the card's layouts (`parts`: `text` split on `|`, ending `$`);
    QrError(MALFORMED) for a field that does not decode or check."""
    number = parts[0].upper()
    if not _NUMBER.match(number):
        raise QrError(Kind.MALFORMED, _("mã thẻ không đúng dạng"))
    birth = parts[2]
    if re.fullmatch(r"[0-9]{4}", birth):
        birth_date, year_only, birth_year = None, True, int(birth)
    else:
        birth_date, year_only = _date(birth, 2, optional=False), False
        birth_year = birth_date.year
    if parts[3] not in {"1", "2"}:
        raise QrError(Kind.MALFORMED, _("giới tính phải là 1 hoặc 2"))
    facility = _FACILITY.match(parts[5])
    if not facility:
        raise QrError(Kind.MALFORMED, _("mã nơi đăng ký KCB ban đầu không đúng dạng"))
    if parts[13] not in {"-", ""} and not _CHECK.match(parts[13]):
        raise QrError(Kind.MALFORMED, _("chuỗi kiểm tra (trường 13) không đúng dạng"))
    values = CardFields(
        number=number,
        full_name=_text(parts[1], 1),
        birth_date=birth_date,
        birth_year_only=year_only,
        birth_year=birth_year,
        sex=int(parts[3]),
        address=_text(parts[4], 4),
        facility_code=(facility[1] + facility[2]).upper(),
        valid_from=_date(parts[6], 6),
        valid_to=_date(parts[7], 7),
        issued_on=_date(parts[8], 8),
        management_code="" if parts[9] == "-" else parts[9],
        guardian=_text(parts[10], 10),
        living_area=parts[11],
        five_year_date=_date(parts[12], 12),
        check=parts[13],
        level=parts[14] if layout != "old" and parts[14] != "-" else "",
        issuing_place=_text(parts[15], 15) if layout != "old" else "",
    )
    if not values.full_name:
        raise QrError(Kind.MALFORMED, _("thiếu họ tên"))
    signature = None
    signed_part = ""
    if layout == "signed":
        match = _SIGNATURE.match(parts[16])
        if not match:
            other = _SIGNATURE_VERSION.match(parts[16])
            if other and other["version"] != SIGNATURE_VERSION:  # scanned again, it reads the same
                raise QrError(Kind.UNKNOWN_KEY, format_lazy(
                    _("chữ ký phiên bản {version}: Cổng chỉ xác thực chữ ký phiên bản {supported}"),
                    version=other["version"], supported=SIGNATURE_VERSION))
            raise QrError(Kind.MALFORMED,
                          _("trường chữ ký không đúng dạng v1.<khóa>.<thời điểm>.<chữ ký>"))
        try:
            value = keys.b64url_decode(match["sig"])
        except ValueError as exc:
            raise QrError(Kind.MALFORMED, _("chữ ký không phải base64url")) from exc
        signature = Signature(match["kid"], int(match["at"]), value)
        signed_part = (text[: text.rindex("|", 0, text.rindex("|"))] + "|"
                       + parts[16][: -len(match["sig"])])
    return Payload(raw=text, fields=values, layout=layout, signature=signature, signed_part=signed_part, parts=parts)


def verify_signature(payload: Payload, now: datetime.datetime) -> None:
    """Check the Ed25519 signature and field 13's MAC; raises QrError(FORGED | UNKNOWN_KEY)."""
    if payload.signature is None:
        raise QrError(Kind.FORGED, _("chuỗi không có chữ ký của Cổng"))
    key_id = payload.signature.key_id
    state, public = keys.verifying_key(key_id, now)
    if state == keys.KeyState.UNKNOWN:
        raise QrError(Kind.UNKNOWN_KEY, format_lazy(_("khóa {key_id} không do Cổng công bố"), key_id=key_id))
    if state == keys.KeyState.ENDED:
        raise QrError(Kind.UNKNOWN_KEY, format_lazy(_("khóa {key_id} đã hết hạn xác thực"), key_id=key_id))
    try:
        public.verify(payload.signature.value, payload.signed_part.encode("utf-8"))
    except InvalidSignature as exc:
        raise QrError(Kind.FORGED, _("chữ ký không đúng")) from exc
    if not payload.parts[16].endswith(keys.b64url(payload.signature.value)):
        # Base64 leaves four bits of the last character unused: one signature has sixteen spellings,
        # of which only the one the portal writes is taken, so that one card check is one string.
        raise QrError(Kind.FORGED, _("chữ ký không đúng"))
    mac, _dash, mac_key_id = payload.fields.check.partition("-")
    if mac_key_id != key_id:
        raise QrError(Kind.FORGED, _("chuỗi kiểm tra không khớp khóa ký"))
    secret = keys.mac_key(key_id)
    if secret is not None and not hmac.compare_digest(_mac(secret, payload.parts[:16]), mac.lower()):
        raise QrError(Kind.FORGED, _("chuỗi kiểm tra không đúng"))


def check_unsigned(payload: Payload) -> None:
    """An unsigned string is legitimate only as the QR of a card printed before the portal signed
    its own. A check string (field 13) that is the portal's MAC shows the portal issued it: its
    signature field was cut off. Raises QrError(FORGED)."""
    mac, _dash, key_id = payload.fields.check.partition("-")
    secret = keys.mac_key(key_id)
    if secret is not None and hmac.compare_digest(_mac(secret, payload.parts[:16]), mac.lower()):
        raise QrError(Kind.FORGED, _("mã QR do Cổng cấp đã bị bỏ chữ ký"))


def check_fresh(payload: Payload, now: datetime.datetime) -> None:
    """An on-screen QR is good for SCREEN_SECONDS after its issued-at; none is good before it."""
    if payload.signature is None:
        return
    stamp = now.timestamp()
    if payload.signature.issued_at > stamp + CLOCK_SKEW_SECONDS:
        raise QrError(Kind.QR_ISSUED_AHEAD, _("mã QR ghi thời điểm tạo ở tương lai"))
    if payload.purpose == Purpose.SCREEN and payload.signature.issued_at + SCREEN_SECONDS < stamp:
        raise QrError(Kind.QR_EXPIRED, _("mã QR trên màn hình đã quá 10 phút"))
