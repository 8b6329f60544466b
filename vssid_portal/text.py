"""Vietnamese text helpers shared by the registry, the lookups and the messages."""

import functools
import re
import unicodedata

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# The portal's name, the one definition every page, the admin's header, notice, e-mail and SMS takes (the
# context processor's PORTAL_NAME, notifications' {% portal_name %}), in the language of the page or message:
# "Digital Social Insurance Portal" in English. An SMS says the one short form instead, where each character
# of UCS-2 counts towards a part (tests/notifications/sms_parts.py) and the full name would push some into
# another; the message templates name the portal through message_text.portal_name, which picks one of the
# two by the channel, and never write either themselves.
PORTAL_NAME = _("Cổng dịch vụ BHXH số")
PORTAL_SMS_NAME = _("Cổng BHXH số")

_SPACES = re.compile(r"\s+")


def _unseen(char: str) -> bool:
    """A character nobody types on purpose: a format character (zero-width space, direction
    marks: Unicode Cf), a control character (Cc) or a noncharacter (U+FDD0–U+FDEF, U+…FFFE/FFFF)."""
    code = ord(char)
    return (unicodedata.category(char) in ("Cc", "Cf")
            or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Text as typed, less the characters nobody types on purpose (`_unseen`), so text made only
    of them is empty. A line break or a tab is kept in `multiline` text (line breaks as "\\n"), and
    becomes a space elsewhere, as does any other control character that is a space."""
    if value.isprintable():
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = "\n\t" if multiline else ""
    return "".join(char if char in kept or not _unseen(char) else " " if char.isspace() else ""
                   for char in value)


def without_controls(value: str) -> str:
    """Text as a field that keeps it as typed stores it, less the control characters (Cc) other than
    a tab and line breaks: a NUL, which such a field refuses, or another nobody types. Format
    characters stay (a zero-width joiner inside an emoji, a soft hyphen, a direction mark)."""
    if value.isprintable():
        return value
    return "".join(char for char in value if char in "\t\n\r" or unicodedata.category(char) != "Cc")


def normalize_name(value: str) -> str:
    """NFC, single spaces, trimmed, without invisible characters: the form every name is stored in."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", clean_text(value or ""))).strip()


def normalize_code(value: str) -> str:
    """A number or code typed by hand (BHXH code, CCCD, OTP...) as the forms read it: fullwidth
    digits and letters ("０７９…", as some keyboards type them) as the ASCII ones they stand for
    (NFKC), spaces and the characters nobody types on purpose (a NUL, a byte order mark or a
    zero-width space pasted with it, `clean_text`) dropped. Whatever is counted or looked up per
    code uses this same form, so a code written another way is still the same code, and adding an
    invisible character does not make a new one for a per-code limit."""
    return "".join(unicodedata.normalize("NFKC", clean_text(value)).split())


def sentence(value) -> str:
    """Words quoted in a message (a reason, a note) as one sentence: trimmed, with a full stop
    unless they end one already — "Ảnh mờ." and "Ảnh mờ" both read "Ảnh mờ." before the next.
    Templates quote through notifications' `quoted` filter, which cuts them by SMS."""
    text = str(value or "").strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


_NAME_PUNCTUATION = frozenset(" -'’.")


PERSON_NAME_ERROR = _("Họ và tên chỉ được gồm chữ cái, dấu cách và các dấu gạch nối (-), nháy đơn (') "
                      "hoặc chấm (.); không được có chữ số hay ký hiệu.")


def is_person_name(name: str) -> bool:
    """Whether a name (as normalize_name leaves it) reads as a person's: letters of any script with
    their marks, spaces, hyphens, apostrophes and dots, and at least one letter."""
    categories = [unicodedata.category(char)[0] for char in name]
    return "L" in categories and all(kind in "LM" or char in _NAME_PUNCTUATION
                                     for char, kind in zip(name, categories))


def fold(value: str) -> str:
    """Accent- and case-folded search key: 'Nguyễn Văn Đức' → 'nguyen van duc'."""
    decomposed = unicodedata.normalize("NFD", normalize_name(value).replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


# The words a search looks for, the rest being left out: each word is a condition over every field
# searched (several LIKEs), and neither the public lookups (lookup.selectors) nor the officers'
# admin (vssid_portal.admin) would bound a query pasted whole otherwise.
SEARCH_WORDS_MAX = 8


def search_words(query: str) -> list[str]:
    """The folded words of a search, without the punctuation around them: "79 - T04" is 79 and
    t04, "(07909)" is 07909, "nhuận," is nhuan; a hyphen or slash inside a word stays
    ("0301234567-001", "12/3"). Fullwidth digits and letters ("０７９０１", as some keyboards type
    them) are read as the ASCII ones (NFKC), as the forms read a code."""
    words = (_EDGE_PUNCTUATION.sub("", word) for word in fold(unicodedata.normalize("NFKC", query)).split())
    return [word for word in words if word]


def mask_name(full_name: str, *, given_initial: bool = False) -> str:
    """'Nguyễn Văn Đức' → 'NGUYỄN V*** Đ***': the family name whole, the rest as initials. With
    `given_initial`, as card-check answers write it: 'NGUYỄN V*** Đ', the given name's letter bare."""
    words = unicodedata.normalize("NFC", full_name or "").upper().split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "***"
    if given_initial:
        return " ".join([words[0], *(word[0] + "***" for word in words[1:-1]), words[-1][0]])
    return " ".join([words[0], *(word[0] + "***" for word in words[1:])])


# Vietnamese dictionary order: the 29 letters (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư
# v x y, with f j w z of borrowed words where the Latin alphabet puts them), then the tones to
# break ties, in the order ngang, huyền, hỏi, ngã, sắc, nặng.
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


@functools.lru_cache(maxsize=8192)  # a reference-data load keys the same 3,000+ ward names again
def sort_key(value: str) -> str:
    """An ASCII key that puts Vietnamese names in dictionary order when compared byte by byte
    (a database with the C collation, or Python): 'Cà Mau' < 'Cao Bằng' < 'Điện Biên' < 'Gia Lai',
    where the code points would put 'Cao Bằng' first and every 'Đ' last."""
    letters, tones = [], []
    for char in normalize_name(value).casefold():
        base, *marks = unicodedata.normalize("NFD", char)
        tone = next((_TONES[mark] for mark in marks if mark in _TONES), "0")
        letter = unicodedata.normalize("NFC", base + "".join(mark for mark in marks if mark not in _TONES))
        if letter in _LETTERS:
            letters.append(f"{20 + _LETTERS.index(letter):02d}")
        elif letter.isdecimal() and letter.isascii():
            letters.append(f"1{letter}")
        else:
            letters.append("01" if letter == " " else "02")
        tones.append(tone)
    return "".join(letters) + "!" + "".join(tones)  # "!" sorts before every digit: a prefix comes first


def _with_hotline(message, **values) -> str:
    return str(message) % {"hotline": settings.PORTAL_HOTLINE, **values}


# A message that names the portal's hotline as %(hotline)s (settings.PORTAL_HOTLINE), filled in
# when the message is shown: in the language of that request, and from the one setting. Its other
# placeholders are filled from `values`.
with_hotline = lazy(_with_hotline, str)
