"""Validation of the identifiers a person carries (facts in ../shared/DESIGN.md, "Identifiers").

Digits are ASCII digits, [0-9]: `\\d` would also take other scripts' ("０", "٣"), which would be stored
beside the same number in ASCII as if it were another. Forms read fullwidth digits as the ASCII ones
(vssid_portal.forms.CodeField) before these checks."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

bhxh_code_validator = RegexValidator(r"^[0-9]{10}$", _("Mã số BHXH gồm đúng 10 chữ số."), code="bhxh_code")
CCCD_INVALID = _("Số CCCD gồm đúng 12 chữ số.")  # a CCCD field too long, too short or not digits: one message

# Mobile prefixes assigned to Vietnamese networks (10-digit numbers starting with 0).
MOBILE_PREFIXES = frozenset(
    ["032", "033", "034", "035", "036", "037", "038", "039", "052", "056", "058", "059", "070",
     "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "088", "089", "090",
     "091", "092", "093", "094", "096", "097", "098", "099"]
)
# The first three digits of a CCCD number: the province where the birth was registered, numbered as
# the 63 provinces were before the 2025 merger. The merger renumbered no CCCD, and each of the 34
# provinces since then kept the code of one of those it joined.
CCCD_PROVINCE_CODES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa – Vũng Tàu",
    "079": "TP. Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

MOBILE_INVALID = _("Nhập số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678.")


class IdType:
    CCCD = "cccd"
    CMND = "cmnd"
    PASSPORT = "passport"
    CHOICES = [(CCCD, _("Căn cước công dân / Căn cước (12 số)")), (CMND, _("Chứng minh nhân dân (9 số)")),
               (PASSPORT, _("Hộ chiếu"))]
    # The label of the number on a declaration: the choices' "(12 số)" is a hint for typing it on a screen.
    # Declarations are Vietnamese whatever the page's language, so these are plain Vietnamese.
    NUMBER_ON_PAPER = {CCCD: "Số CCCD/Căn cước", CMND: "Số CMND", PASSPORT: "Số hộ chiếu"}


def validate_vn_mobile(phone) -> None:
    """A Vietnamese mobile number: 10 digits, 0 + an assigned prefix (E.164 +84…)."""
    national = "0" + str(phone.national_number) if getattr(phone, "national_number", None) else ""
    if getattr(phone, "country_code", 84) != 84 or len(national) != 10 or national[:3] not in MOBILE_PREFIXES:
        raise ValidationError(MOBILE_INVALID, code="mobile")


def cccd_sex(number: str) -> int:
    """The sex a 12-digit CCCD number's century/sex digit gives: 1 male (even), 2 female (odd)."""
    return 1 if int(number[3]) % 2 == 0 else 2


# Digit 4 of a CCCD number: 0/1 for a man/woman born 1900–1999, 2/3 for 2000–2099, … 8/9 for 2300–2399
# (Decree 137/2015/NĐ-CP, art. 7, as amended by Decree 37/2021/NĐ-CP); digits 5–6 the birth year's last two.
CCCD_FIRST_CENTURY = 1900
CCCD_CENTURIES = 5


def cccd_birth_digits(year: int, sex: int) -> str | None:
    """Digits 4 to 6 of the CCCD number of a person of `sex` (1 male, 2 female) born in `year`; None for a
    year no CCCD can be of."""
    century = year // 100 - CCCD_FIRST_CENTURY // 100
    if not 0 <= century < CCCD_CENTURIES:
        return None
    return f"{century * 2 + sex - 1}{year % 100:02d}"


BIRTH_DIGITS_OF_ANYONE = _(
    "Chữ số thứ 4 đến 6 của số CCCD cho biết giới tính, thế kỷ sinh và năm sinh: người sinh năm %(year)s có các "
    "chữ số này là %(male)s (nam) hoặc %(female)s (nữ). Hãy kiểm tra lại số CCCD và ngày sinh.")
BIRTH_DIGITS_OF_A_SEX = {
    1: _("Chữ số thứ 4 đến 6 của số CCCD cho biết giới tính, thế kỷ sinh và năm sinh: nam sinh năm %(year)s có "
         "các chữ số này là %(digits)s. Hãy kiểm tra lại số CCCD, ngày sinh và giới tính."),
    2: _("Chữ số thứ 4 đến 6 của số CCCD cho biết giới tính, thế kỷ sinh và năm sinh: nữ sinh năm %(year)s có "
         "các chữ số này là %(digits)s. Hãy kiểm tra lại số CCCD, ngày sinh và giới tính."),
}


def validate_id_number(id_type: str, number: str) -> None:
    """Check the number's shape for its type, and a CCCD's province digits: what the number alone says,
    told beside the other fields' mistakes without waiting for the birth date or sex to be valid."""
    if id_type == IdType.CCCD:
        if not re.fullmatch(r"[0-9]{12}", number or ""):
            raise ValidationError({"id_number": CCCD_INVALID})
        if number[:3] not in CCCD_PROVINCE_CODES:
            raise ValidationError({"id_number": ValidationError(
                # Not "from 001 to 096": 33 codes inside that range are no province's either.
                _("Ba chữ số đầu của số CCCD là mã tỉnh nơi đăng ký khai sinh; không tỉnh nào có mã %(code)s. "
                  "Hãy kiểm tra lại số CCCD."),
                code="cccd_province", params={"code": number[:3]})})
    elif id_type == IdType.CMND:
        if not re.fullmatch(r"[0-9]{9}", number or ""):
            raise ValidationError({"id_number": _("Số CMND gồm đúng 9 chữ số.")})
    elif id_type == IdType.PASSPORT:
        if not re.fullmatch(r"[A-Z][0-9]{7,8}", number or ""):
            raise ValidationError({"id_number": _("Số hộ chiếu gồm 1 chữ cái in hoa và 7–8 chữ số, ví dụ C1234567.")})
    else:
        raise ValidationError({"id_type": _("Hãy chọn loại giấy tờ tùy thân.")})


def validate_id_document(id_type: str, number: str, *, birth_date: datetime.date | int | None,
                         sex: int | None) -> None:
    """Check the number alone (validate_id_number); for a CCCD also its century/sex and birth-year digits
    (4 to 6) against `birth_date` (a date, or a year alone) and `sex`, each when given. A mismatch is told
    on the number, saying what its digits 4 to 6 would be: the 12 digits are likelier mistyped than one's
    own birth date, and the message names both to check; told on both fields, it would be said twice in the
    error summary. A CMND's and a passport's number encode nothing to compare."""
    validate_id_number(id_type, number)
    if id_type != IdType.CCCD:
        return
    year = birth_date if isinstance(birth_date, int) or birth_date is None else birth_date.year
    if year is None:
        if sex is not None and cccd_sex(number) != sex:
            raise ValidationError({"id_number": _("Số CCCD không khớp với giới tính đã khai. Hãy kiểm tra lại.")})
        return
    expected = {of: cccd_birth_digits(year, of) for of in (1, 2)}
    if expected[1] is None:  # a date before 1900 or after 2399, which other checks refuse first
        raise ValidationError({
            "id_number": _("Số CCCD không khớp với năm sinh đã khai. Hãy kiểm tra lại số CCCD hoặc ngày sinh.")})
    if sex is None and number[3:6] not in expected.values():
        raise ValidationError({"id_number": ValidationError(
            BIRTH_DIGITS_OF_ANYONE, code="cccd_birth_digits",
            params={"year": year, "male": expected[1], "female": expected[2]})})
    if sex is not None and number[3:6] != expected[sex]:
        raise ValidationError({"id_number": ValidationError(
            BIRTH_DIGITS_OF_A_SEX[sex], code="cccd_birth_digits", params={"year": year, "digits": expected[sex]})})
