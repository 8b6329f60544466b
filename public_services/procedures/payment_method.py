"""Change of how benefits are paid (cash at the post office or into a bank account) or of the
beneficiary's contact details. Bank codes and account numbers are checked by
public_services.banks. Only for someone granted a monthly benefit; completing it writes the new
payment method to each of the person's monthly benefits. The agency that pays them handles it. Handling time: 5 working days
(unconfirmed)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from benefits.models import BenefitRecord
from benefits.selectors import monthly_benefits_of, paying_agency
from benefits.services import monthly_benefits_change
from public_services.banks import MAX_DIGITS, MIN_DIGITS
from vssid_portal.forms import CodeField, NameField, TextField
from vssid_portal.text import fold

from .base import (
    Procedure,
    ProcedureForm,
    contact_initial,
    default_agency,
    filled_in_for_another,
    monthly_benefit_missing,
    to_raw,
)
from .fields import long_text, phone_field, wrong_number
from .registry import register

CASH, BANK = "tien_mat", "tai_khoan"
METHODS = [(CASH, _("Nhận tiền mặt tại điểm chi trả bưu điện")), (BANK, _("Chuyển vào tài khoản ngân hàng"))]
PAID_AS = {CASH: BenefitRecord.PaymentMethod.CASH, BANK: BenefitRecord.PaymentMethod.BANK}  # on benefit records
# Whose number `new_phone` was when declared, recorded with the answers: the beneficiary's own mobile,
# or a number to contact (a parent filing for a child without a phone), the declarant's own or another.
PHONE_OF = "new_phone_of"
BENEFICIARY, DECLARANT, CONTACT = "nguoi_huong", "nguoi_khai", "lien_he"


def phone_of(number: str, *, beneficiary_phone, for_another: bool, declarant) -> str:
    """Whose number `number` (E.164) is, declared by `declarant` for a beneficiary whose phone in the
    registry was `beneficiary_phone`: the form asks a number to contact only of another filing for
    someone without a phone (PaymentMethodForm.filled_in_for)."""
    if not for_another or beneficiary_phone:
        return BENEFICIARY
    own = declarant.person.phone if declarant.person_id else None
    return DECLARANT if own and number == own.as_e164 else CONTACT


def _banks():
    from public_services import banks

    return banks


class PaymentMethodForm(ProcedureForm):
    method = forms.ChoiceField(label=_("Phương thức nhận mới"), choices=METHODS, widget=forms.RadioSelect,
                               error_messages={"required": _("Chọn phương thức nhận.")})
    bank = forms.ChoiceField(label=_("Ngân hàng"), required=False, help_text=_("Bắt buộc khi nhận qua tài khoản."))
    account_number = CodeField(label=_("Số tài khoản"), required=False, max_length=30,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                               error_messages={"max_length": format_lazy(_("Số tài khoản gồm từ {min} đến {max} chữ số."),
                                                                         min=MIN_DIGITS, max=MAX_DIGITS)})
    account_holder = NameField(label=_("Chủ tài khoản"), required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "name"}),
                               help_text=_("Tài khoản phải đứng tên người hưởng."))
    post_office = TextField(label=_("Điểm chi trả bưu điện muốn nhận"), required=False, max_length=200,
                            help_text=_("Bắt buộc khi nhận tiền mặt, ví dụ Bưu điện Sài Gòn."))
    new_phone = phone_field(_("Số điện thoại di động của người hưởng"),
                            _("Nhập số điện thoại di động của người hưởng."))
    new_address = TextField(label=_("Địa chỉ liên hệ của người hưởng"), max_length=300,
                            widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),  # one line: not street-address
                            error_messages={"required": _("Nhập địa chỉ liên hệ.")})
    details = long_text(_("Lý do thay đổi"), required=False, help_text=_("Không bắt buộc. Tối đa 1000 ký tự."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].choices = [("", _("– Chọn ngân hàng –")), *_banks().bank_choices()]

    def filled_in_for(self, person):
        # A parent filing for a child without a phone of their own is the one the form starts with
        # (PaymentMethod.initial): the number is the one to contact, not the beneficiary's own. A child
        # with a phone starts with it: the beneficiary's own mobile, which the parent may change. Answers
        # read again (Procedure.rows, a form without a person) are worded as declared (as_declared).
        if self.person is not None and not person.phone:
            self._ask_number_to_contact()
        for name in ("account_holder", "new_address"):  # the beneficiary's, not the parent's the browser would offer
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def _ask_number_to_contact(self):
        field = self.fields["new_phone"]
        field.label = _("Số điện thoại di động để cơ quan BHXH liên hệ")
        field.error_messages |= {"required": _("Nhập số điện thoại di động để cơ quan BHXH liên hệ."),
                                 **wrong_number(field.label)}
        field.pdf_label = "Số điện thoại liên hệ"

    def recorded(self):
        return {PHONE_OF: phone_of(to_raw(self.cleaned_data.get("new_phone")), beneficiary_phone=self.person.phone,
                                   for_another=filled_in_for_another(self.person, self.user), declarant=self.user)}

    def as_declared(self, data):
        # As asked when declared, not as the beneficiary's phone in the registry would have it asked now.
        if data.get(PHONE_OF) in (DECLARANT, CONTACT):
            self._ask_number_to_contact()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == BANK:
            self.require(cleaned, ["bank", "account_number", "account_holder"],
                         {"bank": _("Chọn ngân hàng."), "account_number": _("Nhập số tài khoản."),
                          "account_holder": _("Nhập tên chủ tài khoản.")})
            if cleaned.get("bank") and cleaned.get("account_number") and "account_number" not in self.errors:
                try:
                    cleaned["account_number"] = (
                        _banks().validate_account_number(cleaned["bank"], cleaned["account_number"])
                        or cleaned["account_number"]
                    )
                except forms.ValidationError as error:
                    for message in error.messages:
                        self.add_error("account_number", message)
            holder, person = cleaned.get("account_holder"), self.person
            # Banks write the holder in capitals without diacritics: "NGUYEN VAN DUC" is Nguyễn Văn Đức.
            if holder and "account_holder" not in self.errors and fold(holder) != fold(person.full_name):
                self.add_error("account_holder", gettext("Tài khoản phải đứng tên người hưởng: nhập tên chủ tài khoản "
                                                         "là %(name)s, như trong hồ sơ BHXH.")
                               % {"name": person.full_name})
            cleaned["post_office"] = ""
        elif cleaned.get("method") == CASH:
            self.require(cleaned, ["post_office"], _("Nhập điểm chi trả bưu điện muốn nhận."))
            cleaned["bank"] = cleaned["account_number"] = cleaned["account_holder"] = ""
        return cleaned


@register
class PaymentMethod(Procedure):
    code = "THAY-DOI-CHI-TRA"
    slug = "thay-doi-phuong-thuc-nhan"
    name = _("Thay đổi phương thức nhận lương hưu, trợ cấp hoặc thông tin người hưởng")
    sms_title = pgettext_lazy("tên ngắn của thủ tục trong SMS", "Đổi phương thức chi trả")
    summary = _("Nhận tiền mặt tại bưu điện hay qua tài khoản ngân hàng; đổi số điện thoại, địa chỉ của người hưởng.")
    form_class = PaymentMethodForm
    documents = [_("Đơn đề nghị thay đổi phương thức nhận (cổng tạo sẵn từ nội dung bạn khai)")]
    handling_days = 5
    pdf_template = "public_services/pdf/payment_method.html"
    declaration_name = _("Đơn đề nghị thay đổi phương thức nhận lương hưu, trợ cấp BHXH, thông tin người hưởng")
    order = 50
    reauthenticate = True
    reauthenticate_reason = _("Hồ sơ này đổi cách và nơi nhận lương hưu, trợ cấp BHXH.")

    def initial(self, person, *, user=None):
        # The beneficiary's details as the registry has them; a small child has no phone of its own,
        # so the parent who fills in the form is the one to reach, as for the contact phone.
        phone = person.phone.as_national if person and person.phone else contact_initial(person, user)["phone"]
        return {"new_phone": phone, "new_address": person.address if person else "",
                "account_holder": person.full_name if person else ""}

    def unavailable(self, person, *, user=None):
        return monthly_benefit_missing(person)

    def answers(self, filing):
        if PHONE_OF in filing.data:
            return filing.data
        # Stored before whose number it was was recorded: the beneficiary's phone as the registry had it
        # at submission (the identity; such a filing was last sent before a resubmission took it again,
        # so that of a filing sent again is its first submission's: the phone as it is now), the
        # declarant's own as it is now.
        beneficiary_phone = filing.identity.get("phone") if filing.revision == 1 else filing.person.phone
        return {**filing.data, PHONE_OF: phone_of(
            filing.data.get("new_phone", ""), beneficiary_phone=beneficiary_phone,
            for_another=filled_in_for_another(filing.person, filing.submitted_by), declarant=filing.submitted_by)}

    def declarants_own(self, answers):
        return ["new_phone"] if answers.get(PHONE_OF) == DECLARANT else []

    def agency_for(self, *, person, data):
        return paying_agency(person=person) or default_agency(person)

    def completion_changes(self, filing):
        method = PAID_AS[filing.data["method"]]
        return [gettext("Khoản %(reference)s – %(kind)s: phương thức nhận “%(before)s” → “%(after)s”") % {
                    "reference": record.reference, "kind": record.get_kind_display(),
                    "before": record.get_payment_method_display(), "after": method.label}
                for record in monthly_benefits_of(person=filing.person) if record.payment_method != method]

    def completion_outcome(self, filing):
        if filing.data["method"] == CASH:
            if post_office := filing.data.get("post_office"):  # the paying point chosen, as typed
                # named after a colon, so that it reads right whether it was typed "Bưu điện X" or "Điểm chi trả X"
                return format_lazy(_("Lương hưu, trợ cấp hằng tháng từ nay nhận bằng tiền mặt; nơi nhận: "
                                     "{post_office}."), post_office=post_office)
            return _("Lương hưu, trợ cấp hằng tháng từ nay nhận bằng tiền mặt tại điểm chi trả bưu điện.")
        bank = _banks().bank_by_code(filing.data.get("bank", ""))
        return format_lazy(_("Lương hưu, trợ cấp hằng tháng từ nay được chuyển vào tài khoản ngân hàng {bank}."),
                           bank=bank.short_name if bank else filing.data.get("bank", ""))

    def completion_sms_outcome(self, filing):
        # Read on a lock screen: that it is done, the bank account and the post office left to the notice; after
        # the step, which names the procedure ("Đổi phương thức chi trả – đã có kết quả."), what holds from now on
        # and what is paid so, rather than its name again. A child's name of 28 characters fits 2 parts (exactly,
        # in Vietnamese: "lương hưu, trợ cấp" would make a third).
        return _("Từ nay nhận chế độ theo cách mới.")

    def on_complete(self, *, filing, actor):
        monthly_benefits_change(person=filing.person, actor=actor, payment_method=PAID_AS[filing.data["method"]],
                                because=f"theo hồ sơ {filing.tracking_number}")
