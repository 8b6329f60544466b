"""Form parts several procedures share: contact details, how the result is delivered, birth
dates."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.forms import VnMobileField
from vssid_portal.text import normalize_name

from .base import ProcedureForm

POST, PICKUP = "buu_dien", "tai_co_quan"
DELIVERY_CHOICES = [(POST, "Gửi qua bưu điện đến địa chỉ dưới đây"), (PICKUP, "Nhận tại cơ quan BHXH giải quyết hồ sơ")]
TEXT_LIMIT = 1000  # "Nội dung thay đổi, yêu cầu" and "Hồ sơ kèm theo" on VssID: at most 1000 characters
EMAIL_LIMIT = 254  # what an address may hold (RFC 5321) and what the outbox stores (Message.recipient)
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
NAME_LIMIT = 100


def clean_name(value: str, *, limit: int = NAME_LIMIT) -> str:
    """A name as stored (NFC, single spaces), its length checked after normalising: NFC can
    lengthen text (U+0958 becomes two characters), and the stored answers are validated again
    with the same `max_length` at submission."""
    name = normalize_name(value)
    if len(name) > limit:
        raise ValidationError(f"Họ và tên dài tối đa {limit} ký tự.", code="max_length")
    return name


def validate_birth_date(value: datetime.date) -> None:
    """A birth date from 01/01/1900 to today."""
    if value > timezone.localdate():
        raise ValidationError("Ngày sinh không được sau ngày hôm nay.", code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError("Ngày sinh phải từ ngày 01/01/1900 trở về sau.", code="too_early")


def enter(label: str) -> str:
    """The message of a required field left empty, from its label: "Nhập số điện thoại …"."""
    return f"Nhập {label[0].lower() + label[1:]}."


def long_text(label: str, *, required: bool = True, help_text: str = "", missing: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=TEXT_LIMIT, help_text=help_text or f"Tối đa {TEXT_LIMIT} ký tự.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": missing or enter(label),
                        "max_length": f"Nhập tối đa {TEXT_LIMIT} ký tự."},
    )


def phone_field(label="Số điện thoại di động nhận thông báo") -> VnMobileField:
    """A mobile number; left empty, it asks for itself by its label, so a form with two phone
    fields (authorisation) never lists the same sentence twice."""
    return VnMobileField(label=label, error_messages={"required": enter(label)})


class DeliveryForm(ProcedureForm):
    """How the citizen is reached and gets the result (607A/608A: "by post to the address given")."""

    phone = phone_field()
    email = forms.EmailField(
        label="Thư điện tử (không bắt buộc)", required=False, max_length=EMAIL_LIMIT,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Nhập địa chỉ email đúng dạng, ví dụ ten@example.com.",
                        "max_length": f"Địa chỉ email dài tối đa {EMAIL_LIMIT} ký tự."},
    )
    delivery = forms.ChoiceField(
        label="Cách nhận kết quả", choices=DELIVERY_CHOICES, widget=forms.RadioSelect, initial=POST,
        error_messages={"required": "Chọn cách nhận kết quả."},
    )
    delivery_address = forms.CharField(
        label="Địa chỉ nhận kết quả", required=False, max_length=300,
        help_text="Số nhà, đường, phường/xã, tỉnh/thành phố. Bắt buộc khi nhận qua bưu điện.",
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        error_messages={"max_length": "Nhập địa chỉ tối đa 300 ký tự."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("delivery") == POST:
            self.require(cleaned, ["delivery_address"], "Nhập địa chỉ nhận kết quả qua bưu điện.")
        elif cleaned.get("delivery") == PICKUP:
            cleaned["delivery_address"] = ""
        return cleaned


def contact_initial(person) -> dict:
    user = getattr(person, "user", None) if person is not None else None
    return {
        "phone": person.phone.as_national if person and person.phone else "",
        "email": getattr(user, "email", "") or "",
        "delivery": POST,
        "delivery_address": person.address if person else "",
    }
