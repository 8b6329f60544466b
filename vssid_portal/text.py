"""Vietnamese text helpers shared by the registry and the lookups."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_name(value: str) -> str:
    """NFC, single spaces, trimmed: the form every name is stored in."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def fold(value: str) -> str:
    """Accent- and case-folded search key: 'Nguyễn Văn Đức' → 'nguyen van duc'."""
    decomposed = unicodedata.normalize("NFD", normalize_name(value).replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn Đức' → 'NGUYỄN V*** Đ***': the family name whole, the rest as initials."""
    words = unicodedata.normalize("NFC", full_name or "").upper().split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "***"
    return " ".join([words[0], *(word[0] + "***" for word in words[1:])])
