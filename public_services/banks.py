"""Banks a pension or benefit can be paid into ("change of payment method" procedure) and the
check of an account number before the agency sees it.

The list holds the banks' VietQR/NAPAS short codes and BINs (the 6-digit bank identifier of the
NAPAS 247 and VietQR schemes). Account-number formats differ from bank to bank and are not
published as rules, so the check is what holds for all of them: digits only (spaces allowed while
typing), 6 to 19 digits, not one digit repeated.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

MIN_DIGITS, MAX_DIGITS = 6, 19


@dataclass(frozen=True)
class Bank:
    code: str
    short_name: str
    full_name: str
    bin: str = ""

    @property
    def label(self) -> str:
        return f"{self.short_name} – {self.full_name}"


BANKS: tuple[Bank, ...] = (
    Bank("VCB", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam", "970436"),
    Bank("ICB", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam", "970415"),
    Bank("BIDV", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam", "970418"),
    Bank("VBA", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam", "970405"),
    Bank("TCB", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam", "970407"),
    Bank("MB", "MB", "Ngân hàng TMCP Quân đội", "970422"),
    Bank("ACB", "ACB", "Ngân hàng TMCP Á Châu", "970416"),
    Bank("VPB", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng", "970432"),
    Bank("STB", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín", "970403"),
    Bank("TPB", "TPBank", "Ngân hàng TMCP Tiên Phong", "970423"),
    Bank("HDB", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh", "970437"),
    Bank("VIB", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam", "970441"),
    Bank("SHB", "SHB", "Ngân hàng TMCP Sài Gòn – Hà Nội", "970443"),
    Bank("SEAB", "SeABank", "Ngân hàng TMCP Đông Nam Á", "970440"),
    Bank("OCB", "OCB", "Ngân hàng TMCP Phương Đông", "970448"),
    Bank("MSB", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam", "970426"),
    Bank("EIB", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam", "970431"),
    Bank("LPB", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam", "970449"),
    Bank("NAB", "Nam A Bank", "Ngân hàng TMCP Nam Á", "970428"),
    Bank("BAB", "BacABank", "Ngân hàng TMCP Bắc Á", "970409"),
    Bank("PVCB", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam", "970412"),
    Bank("ABB", "ABBANK", "Ngân hàng TMCP An Bình", "970425"),
    Bank("VAB", "VietABank", "Ngân hàng TMCP Việt Á", "970427"),
    Bank("VIETBANK", "VietBank", "Ngân hàng TMCP Việt Nam Thương Tín", "970433"),
    Bank("BVB", "BaoViet Bank", "Ngân hàng TMCP Bảo Việt", "970438"),
    Bank("KLB", "Kienlongbank", "Ngân hàng TMCP Kiên Long", "970452"),
    Bank("NCB", "NCB", "Ngân hàng TMCP Quốc Dân", "970419"),
    Bank("PGB", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển", "970430"),
    Bank("SGICB", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương", "970400"),
    Bank("VCCB", "BVBank", "Ngân hàng TMCP Bản Việt", "970454"),
    Bank("SCB", "SCB", "Ngân hàng TMCP Sài Gòn", "970429"),
    Bank("VRB", "VRB", "Ngân hàng Liên doanh Việt – Nga", "970421"),
    Bank("SHBVN", "Shinhan Bank", "Ngân hàng TNHH MTV Shinhan Việt Nam", "970424"),
)
_BY_CODE = {bank.code: bank for bank in BANKS}
_SPACES = re.compile(r"\s+")


def bank_by_code(code: str) -> Bank | None:
    return _BY_CODE.get((code or "").strip().upper())


def bank_choices() -> list[tuple[str, str]]:
    """(code, "Short name – full name") for a form's select, in alphabetical order of short name."""
    return [(bank.code, bank.label) for bank in sorted(BANKS, key=lambda bank: bank.short_name.casefold())]


def validate_account_number(bank_code: str, number: str) -> str:
    """The account number without spaces, or ValidationError with a message for the citizen."""
    if bank_by_code(bank_code) is None:
        raise ValidationError(gettext("Chọn ngân hàng trong danh sách."), code="unknown_bank")
    digits = _SPACES.sub("", number or "")
    if not digits:
        raise ValidationError(gettext("Nhập số tài khoản."), code="required")
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(gettext("Số tài khoản chỉ gồm chữ số (0–9), không có chữ cái hay ký hiệu."),
                              code="not_digits")
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        raise ValidationError(
            ngettext("Số tài khoản gồm từ %(min)s đến %(max)s chữ số; bạn đã nhập %(count)s chữ số.",
                     "Số tài khoản gồm từ %(min)s đến %(max)s chữ số; bạn đã nhập %(count)s chữ số.", len(digits))
            % {"min": MIN_DIGITS, "max": MAX_DIGITS, "count": len(digits)},
            code="length",
        )
    if len(set(digits)) == 1:
        raise ValidationError(
            gettext("Số tài khoản không thể gồm toàn một chữ số lặp lại. Hãy kiểm tra lại trên thẻ hoặc sổ tài khoản."),
            code="repeated",
        )
    return digits
