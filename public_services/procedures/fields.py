"""Form parts several procedures share: contact details, how the result is delivered."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import VnMobileField
from accounts.validators import MOBILE_INVALID
from vssid_portal.forms import EmailField, TextField, first_lower, named

from .base import ProcedureForm, pdf_wording

POST, PICKUP = "buu_dien", "tai_co_quan"
DELIVERY_CHOICES = [(POST, _("Gửi qua bưu điện đến địa chỉ dưới đây")),
                    (PICKUP, _("Nhận tại cơ quan BHXH giải quyết hồ sơ"))]
# The same choices as a declaration states them: one row, the address in it.
DELIVERY_ON_PAPER = {POST: "Qua bưu điện, tại địa chỉ: {delivery_address}",
                     PICKUP: "Tại cơ quan BHXH giải quyết hồ sơ"}
TEXT_LIMIT = 1000  # "Nội dung thay đổi, yêu cầu" and "Hồ sơ kèm theo" on VssID: at most 1000 characters
EMAIL_LIMIT = 254  # what an address may hold (RFC 5321) and what the outbox stores (Message.recipient)


def enter(label) -> str:
    """The message of a required field left empty, from its label: "Nhập số điện thoại …". The
    procedures give their own messages (a sentence made of a label reads badly in English); this
    is the fallback of a field declared without one."""
    return format_lazy(_("Nhập {label}."), label=first_lower(label))


def long_text(label, *, required: bool = True, help_text="", missing="") -> TextField:
    return TextField(
        label=label, required=required, max_length=TEXT_LIMIT,
        help_text=help_text or format_lazy(_("Tối đa {limit} ký tự."), limit=TEXT_LIMIT),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": missing or enter(label),
                        "max_length": named(label, format_lazy(_("Nhập tối đa {limit} ký tự."), limit=TEXT_LIMIT))},
    )


def phone_field(label=None, missing=None, **kwargs) -> VnMobileField:
    """A mobile number; left empty, it asks for itself by its label, and a wrong number names the
    field (`named`), so a form with two phone fields (authorisation) never lists the same sentence
    twice. Without a label: the number the agency may call about the filing. Messages about the
    filing go to the phone registered with the account (services.filings._notify), never to a number typed
    in a form, which nobody verified."""
    if label is None:
        label = _("Số điện thoại di động để cơ quan BHXH liên hệ")
        missing = missing or _("Nhập số điện thoại di động để cơ quan BHXH liên hệ.")
        return pdf_wording(VnMobileField(
            label=label, error_messages={"required": missing, **wrong_number(label)},
            help_text=_("Cán bộ BHXH gọi số này khi cần trao đổi về hồ sơ. Tin nhắn về hồ sơ được gửi đến số "
                        "điện thoại đã đăng ký với tài khoản."), **kwargs,
        ), "Số điện thoại liên hệ")
    return VnMobileField(label=label, error_messages={"required": missing or enter(label), **wrong_number(label)},
                         **kwargs)


def wrong_number(label) -> dict:
    """Not a number at all (`invalid`) and not a Vietnamese mobile (`mobile`): one advice, naming the field."""
    wrong = named(label, MOBILE_INVALID)
    return {"invalid": wrong, "mobile": wrong}


def email_field(label, *, pdf: str):
    """An optional e-mail address, named `pdf` on the declaration."""
    return pdf_wording(EmailField(
        label=label, required=False, max_length=EMAIL_LIMIT, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Nhập địa chỉ email đúng dạng, ví dụ ten@example.com."),
                        "max_length": format_lazy(_("Địa chỉ email dài tối đa {limit} ký tự."), limit=EMAIL_LIMIT)},
    ), pdf)

class DeliveryForm(ProcedureForm):
    """How the citizen is reached and gets the result (607A/608A: "by post to the address given")."""

    phone = phone_field()
    email = email_field(_("Thư điện tử (không bắt buộc)"), pdf="Thư điện tử")
    delivery = pdf_wording(forms.ChoiceField(
        label=_("Cách nhận kết quả"), choices=DELIVERY_CHOICES, widget=forms.RadioSelect, initial=POST,
        error_messages={"required": _("Chọn cách nhận kết quả.")},
    ), "Nhận kết quả", choices=DELIVERY_ON_PAPER)
    delivery_address = pdf_wording(TextField(
        label=_("Địa chỉ nhận kết quả"), required=False, max_length=300,
        help_text=_("Số nhà, đường, phường/xã, tỉnh/thành phố. Bắt buộc khi nhận qua bưu điện."),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={"max_length": _("Nhập địa chỉ tối đa 300 ký tự.")},
    ), "")  # printed in the "Nhận kết quả" row

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("delivery") == POST:
            self.require(cleaned, ["delivery_address"], _("Nhập địa chỉ nhận kết quả qua bưu điện."))
        elif cleaned.get("delivery") == PICKUP:
            cleaned["delivery_address"] = ""
        return cleaned
