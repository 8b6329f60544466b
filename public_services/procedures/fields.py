"""Form parts several procedures share: contact details and how the result is delivered."""

from django import forms
from phonenumber_field.formfields import PhoneNumberField

from accounts.validators import validate_vn_mobile

from .base import ProcedureForm

POST, PICKUP = "buu_dien", "tai_co_quan"
DELIVERY_CHOICES = [(POST, "Gửi qua bưu điện đến địa chỉ dưới đây"), (PICKUP, "Nhận tại cơ quan BHXH giải quyết hồ sơ")]
TEXT_LIMIT = 1000  # "Nội dung thay đổi, yêu cầu" and "Hồ sơ kèm theo" on VssID: at most 1000 characters


def long_text(label: str, *, required: bool = True, help_text: str = "", missing: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=TEXT_LIMIT, help_text=help_text or f"Tối đa {TEXT_LIMIT} ký tự.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": missing or f"Nhập {label[0].lower() + label[1:]}.",
                        "max_length": f"Nhập tối đa {TEXT_LIMIT} ký tự."},
    )


def phone_field(label="Số điện thoại di động nhận thông báo") -> PhoneNumberField:
    return PhoneNumberField(
        label=label, region="VN", validators=[validate_vn_mobile],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": "Nhập số điện thoại di động.",
                        "invalid": "Nhập số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678."},
    )


class DeliveryForm(ProcedureForm):
    """How the citizen is reached and gets the result (607A/608A: "by post to the address given")."""

    phone = phone_field()
    email = forms.EmailField(
        label="Email (không bắt buộc)", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Nhập địa chỉ email đúng dạng, ví dụ ten@example.com."},
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
