"""Forms of the clinic verify page: a scanned QR string, or card number + full name + birth date.

Labels and messages are lazy translations: the page shows them in its language, and the card-check
API, which reports a typed check's field errors ("loi"), answers in Vietnamese (views.verify)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from vssid_portal.forms import CodeField, DateOrYearField, TextField
from vssid_portal.text import normalize_code

from .qr import too_long, trim


class ScanForm(forms.Form):
    """What a camera or a handheld scanner read (the scanner types it and presses Enter)."""

    ma_qr = forms.CharField(
        # No max_length: it would count what a scanner or a clipboard put around the QR (strip=False
        # keeps it), where the API trims first; clean_ma_qr judges the length by qr.too_long as the API does.
        label=_("Chuỗi mã QR trên thẻ"), strip=False,
        help_text=_("Đặt con trỏ vào ô này rồi quét mã QR bằng máy quét cầm tay, hoặc dán chuỗi đã quét."),
        error_messages={"required": _("Quét hoặc dán chuỗi mã QR trên thẻ BHYT."),
                        "too_long": _("Chuỗi quá dài: đây không phải mã QR thẻ BHYT.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )

    # A card number typed into the scan field by hand (no scanner, no camera): not a QR to scan again,
    # but the first of the typed check's three fields. `card_number` keeps it for that form.
    CARD_NUMBER = _("Đây là mã thẻ, không phải chuỗi mã QR trên thẻ. Thẻ được đối chiếu theo mã thẻ, họ tên và "
                    "ngày sinh: nhân viên cơ sở KCB nhập các thông tin này ở mục «Hoặc nhập thông tin trên thẻ».")

    def __init__(self, *args, autofocus: bool = False, **kwargs):
        """`autofocus` on clinic staff's first visit, for the handheld scanner; after a check the
        verdict takes the focus (verify.html), after an error the error summary."""
        super().__init__(*args, **kwargs)
        self.card_number = ""
        if autofocus:
            self.fields["ma_qr"].widget.attrs["autofocus"] = True

    def clean_ma_qr(self):
        text = self.cleaned_data["ma_qr"]
        if not trim(text):  # spaces or invisible characters only (strip=False keeps a QR's own): nothing was scanned
            raise forms.ValidationError(self.fields["ma_qr"].error_messages["required"], code="required")
        if too_long(text):
            raise forms.ValidationError(self.fields["ma_qr"].error_messages["too_long"], code="max_length")
        if number := card_number_in(text):
            self.card_number = number
            raise forms.ValidationError(self.CARD_NUMBER, code="card_number")
        return text


_NUMBER = re.compile(r"[0-9]{10}|[0-9]{12}|[A-Z]{2}[1-5][0-9]{2}[0-9A-Z]{10}")


def card_number_in(text: str) -> str:
    """The card number (10-digit code, 15-character old number or 12-digit CCCD) that `text` is,
    typed where a scanned QR string is expected (the page's scan field, the API's maQR), or "".
    Invisible characters a clipboard or a file saved by Notepad adds (a byte order mark, a
    zero-width space) are not part of it."""
    number = normalize_code(text).upper()
    return number if _NUMBER.fullmatch(number) else ""


class TypedForm(forms.Form):
    so_the = CodeField(
        upper=True, label=_("Mã thẻ BHYT"), max_length=20,
        help_text=_("Mã số BHXH 10 chữ số, mã thẻ cũ 15 ký tự (ví dụ HS4790123456789) hoặc số CCCD 12 chữ số."),
        error_messages={"required": _("Nhập mã thẻ BHYT.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    ho_ten = TextField(label=_("Họ và tên"), max_length=100,
                       error_messages={"required": _("Nhập họ và tên ghi trên thẻ.")},
                       widget=forms.TextInput(attrs={"autocomplete": "off"}))
    ngay_sinh = DateOrYearField(
        label=_("Ngày sinh"), help_text=_("dd/mm/yyyy hoặc ddmmyyyy, hoặc chỉ năm sinh (yyyy) nếu thẻ chỉ ghi năm."),
        error_messages={
            "required": _("Nhập ngày sinh theo dạng dd/mm/yyyy."),
            "invalid": _("Nhập ngày sinh theo dạng dd/mm/yyyy, ví dụ 15/03/1988, hoặc năm sinh yyyy."),
            "nonexistent": _("Ngày sinh không có thật: kiểm tra lại ngày và tháng."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_so_the(self):
        number = self.cleaned_data["so_the"]
        if not _NUMBER.fullmatch(number):
            raise forms.ValidationError(_("Mã thẻ gồm 10 chữ số, 15 ký tự (mã thẻ cũ) hoặc 12 chữ số (CCCD)."))
        return number

    def clean_ngay_sinh(self):
        """(date of birth or None, year of birth): a card may hold the year only."""
        born = self.cleaned_data["ngay_sinh"]
        return (None, born) if isinstance(born, int) else (born, born.year)
