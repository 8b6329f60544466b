"""Forms of the accounts app."""

import copy

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core import context as allauth_context
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.phonenumber import to_python as phone_to_python

from lookup.models import Agency, Province, Ward
from vssid_portal.forms import (
    CodeField,
    DayMonthYearField,
    EmailField,
    FirstRefusalOnly,
    NameField,
    TextField,
    name_alike_refusals,
    validate_birth_date,
)
from vssid_portal.images import LIMITS_HELP, SafeImageField
from vssid_portal.text import normalize_code

from .adapter import code_attempts_refusal
from .models import Registration
from .services.registration import registration_check_declaration, validate_child_birth_date
from .validators import (
    MOBILE_INVALID,
    IdType,
    bhxh_code_validator,
    validate_id_document,
    validate_id_number,
    validate_vn_mobile,
)


class VnMobileField(FirstRefusalOnly, PhoneNumberField):
    """A form field for a Vietnamese mobile number, typed in national form (a tel input).

    phonenumber_field's own check (not a number at all) and `validate_vn_mobile` (not a
    Vietnamese mobile) refuse a wrong number with the same advice; only the first refusal is
    reported, so the error summary and the field each show the message once."""

    def __init__(self, *, error_messages=None, validators=(), widget=None, **kwargs):
        super().__init__(
            region="VN", validators=[validate_vn_mobile, *validators],
            widget=widget or forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
            error_messages={"invalid": MOBILE_INVALID, **(error_messages or {})}, **kwargs,
        )

    def prepare_value(self, value):
        """A stored number ("+84786414824", as a filing's answers keep it) is shown the way the
        citizen types it: 0786 414 824."""
        if isinstance(value, str) and value.startswith("+"):
            number = phone_to_python(value)
            if number is not None and number.is_valid():
                return str(number)
        return super().prepare_value(value)


class LoginForm(AllauthLoginForm):
    """allauth's login, worded for citizens: the username is the BHXH code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Mã số BHXH hoặc tên đăng nhập")
        login.help_text = _("Công dân đăng nhập bằng mã số BHXH gồm 10 chữ số.")
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["inputmode"] = "text"
        login.error_messages["required"] = _("Nhập mã số BHXH hoặc tên đăng nhập.")
        password = self.fields["password"]
        password.label = _("Mật khẩu")
        password.error_messages["required"] = _("Nhập mật khẩu.")
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)

    def clean_login(self) -> str:
        """The BHXH code as registration and password recovery read it ("7940 566 123", fullwidth
        digits): the failed-login limit then counts every way of writing it as one account. An
        officer's username has no spaces and Django stores it NFKC already, so it is unchanged."""
        return normalize_code(super().clean_login())


EMAIL_MAX_LENGTH = Registration._meta.get_field("email").max_length
EMAIL_TOO_LONG = format_lazy(_("Địa chỉ email quá dài: tối đa {max_length} ký tự."), max_length=EMAIL_MAX_LENGTH)
# The previews are above the form (_photo_previews.html): what was received is seen before the
# fields that could replace it.
ID_PHOTO_HELP = format_lazy("{} {}", _("Chụp đủ bốn góc, rõ chữ."), LIMITS_HELP)
KEPT_PHOTO_HELP = _("Đã nhận ảnh (xem ở trên). Chọn ảnh khác nếu muốn thay.")


class NumericCodeMixin:
    """allauth.mfa's code box with the phone's number pad: the app's codes and the recovery codes
    (MFA_RECOVERY_CODE_DIGITS) are digits. Its label says what to type; no placeholder repeats it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        attrs = self.fields["code"].widget.attrs
        attrs.update(inputmode="numeric", autocomplete="one-time-code")
        attrs.pop("placeholder", None)


class CodeAttemptsMixin:
    """Too many wrong codes are refused as the code's lock, with the minutes left, instead of
    allauth's word for too many wrong passwords."""

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except ValidationError as refusal:
            if refusal.code != "too_many_login_attempts":
                raise
            raise code_attempts_refusal(allauth_context.request, self.user) from None


class AuthenticateForm(CodeAttemptsMixin, NumericCodeMixin, mfa_forms.AuthenticateForm):
    """The login step asking for the app's code or a recovery code (MFA_FORMS)."""


class ReauthenticateForm(CodeAttemptsMixin, NumericCodeMixin, mfa_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(NumericCodeMixin, totp_forms.ActivateTOTPForm):
    pass


class KeptPhotosMixin:
    """A photo accepted in an earlier attempt (kept in the session) need not be sent again."""

    def mark_kept(self, names) -> None:
        for name in names:
            self.fields[name].required = False
            self.fields[name].help_text = KEPT_PHOTO_HELP
            self[name].help_text = KEPT_PHOTO_HELP  # a bound field made during validation keeps its own copy

    def unmark_kept(self, names) -> None:
        """Ask again for photos that were kept but are gone."""
        for name in names:
            self.fields[name].required = self.base_fields[name].required
            self.fields[name].help_text = self[name].help_text = self.base_fields[name].help_text


class DeclarationForm(forms.Form):
    """Step 1 of the registration: who is registering and how to reach them. Labels, hints and
    messages are lazy translations, shown on the page only (the declaration PDF has its own)."""

    bhxh_code = CodeField(  # no max_length: the validator's "exactly 10 digits" says it once
        label=_("Mã số BHXH"), validators=[bhxh_code_validator],
        help_text=_("10 chữ số, in trên sổ BHXH hoặc thẻ BHYT."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Nhập mã số BHXH gồm 10 chữ số.")},
    )
    full_name = NameField(
        label=_("Họ và tên"), help_text=_("Có dấu, như trên giấy tờ tùy thân."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}), error_messages={"required": _("Nhập họ và tên.")},
    )
    id_type = forms.ChoiceField(label=_("Loại giấy tờ tùy thân"), choices=IdType.CHOICES, initial=IdType.CCCD,
                                error_messages={"required": _("Chọn loại giấy tờ tùy thân.")})
    id_number = CodeField(
        label=_("Số giấy tờ"), max_length=12, upper=True,
        help_text=_("CCCD 12 chữ số, CMND 9 chữ số, hộ chiếu 1 chữ cái và 7–8 chữ số."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Nhập số giấy tờ tùy thân."),
            "max_length": _("Số giấy tờ dài tối đa 12 ký tự: CCCD 12 chữ số, CMND 9 chữ số, hộ chiếu 8–9 ký tự."),
        },
    )
    birth_date = DayMonthYearField(
        label=_("Ngày sinh"), help_text=_("Dạng ngày/tháng/năm, ví dụ 25/12/1990."), validators=[validate_birth_date],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "bday", "inputmode": "numeric"}),
        error_messages={"required": _("Nhập ngày sinh."),
                        "invalid": _("Nhập ngày sinh dạng ngày/tháng/năm, ví dụ 25/12/1990.")},
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.all(), empty_label=_("– Chọn tỉnh/thành phố –"),
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
        error_messages={"required": _("Chọn tỉnh/thành phố."),
                        "invalid_choice": _("Chọn tỉnh/thành phố trong danh sách.")},
    )
    ward = forms.ModelChoiceField(
        label=_("Phường/xã"), queryset=Ward.objects.none(), empty_label=_("– Chọn phường/xã –"),
        widget=forms.Select(attrs={"autocomplete": "address-level2"}),
        help_text=_("Danh sách theo tỉnh/thành phố đã chọn; đổi tỉnh thì bấm “Cập nhật danh sách phường/xã”."),
        error_messages={"required": _("Chọn phường/xã."),
                        "invalid_choice": _("Chọn phường/xã thuộc tỉnh/thành phố đã chọn.")},
    )
    street = TextField(
        label=_("Số nhà, đường/thôn/xóm"), max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={"required": _("Nhập số nhà, tên đường hoặc thôn, xóm.")},
    )
    phone = VnMobileField(
        label=_("Số điện thoại di động"), help_text=_("Mã xác thực và kết quả được gửi qua SMS đến số này."),
        error_messages={"required": _("Nhập số điện thoại di động.")},
    )
    email = EmailField(
        # The registration stores at most 254 characters (RFC 5321's limit on a usable address).
        label=_("Thư điện tử (không bắt buộc)"), required=False, max_length=EMAIL_MAX_LENGTH,
        help_text=_("Để nhận thư báo đã tiếp nhận đăng ký."), widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Nhập địa chỉ email đúng dạng, ví dụ ten@example.com."),
                        "max_length": EMAIL_TOO_LONG},
    )

    def __init__(self, *args, registry_check_refused=None, **kwargs):
        """`registry_check_refused`: asked (and counted) only when the registry is about to be
        checked; whatever it answers but None (the limit's refusal, kept in `refused_by_limit`)
        refuses the check."""
        super().__init__(*args, **kwargs)
        name_alike_refusals(self)
        self.registry_check_refused = registry_check_refused
        self.refused_by_limit = None
        province_id = str((self.data.get("province") if self.is_bound else self.initial.get("province")) or "")
        # isdigit() alone lets "²" or "٣" through, which int() and the database then refuse.
        if province_id.isascii() and province_id.isdigit() and len(province_id) < 10:
            self.fields["ward"].queryset = Ward.objects.filter(province_id=province_id)

    def clean(self):
        cleaned = super().clean()
        if "id_type" in cleaned and "id_number" in cleaned:
            try:  # the number alone: told with the other fields' mistakes, not only once they are mended
                validate_id_number(cleaned["id_type"], cleaned["id_number"])
            except ValidationError as error:
                self.add_error(None, error)
        if self.errors:
            return cleaned
        try:  # from what was typed alone, so told on its field without asking the registry or counting a try
            validate_id_document(cleaned["id_type"], cleaned["id_number"], birth_date=cleaned["birth_date"], sex=None)
        except ValidationError as error:
            self.add_error(None, error)
            return cleaned
        if self.registry_check_refused is not None:
            self.refused_by_limit = self.registry_check_refused()
            if self.refused_by_limit is not None:
                raise ValidationError("", code="limited")
        try:
            self.person = registration_check_declaration(
                bhxh_code=cleaned["bhxh_code"], full_name=cleaned["full_name"], birth_date=cleaned["birth_date"],
                id_type=cleaned["id_type"], id_number=cleaned["id_number"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned


class PhotosForm(KeptPhotosMixin, forms.Form):
    """Step 2: portrait and both sides of the ID document. A photo already accepted may be kept."""

    portrait = SafeImageField(label=_("Ảnh chân dung"),
                              help_text=format_lazy("{} {}", _("Ảnh chụp rõ mặt, không đeo kính râm."), LIMITS_HELP))
    id_front = SafeImageField(label=_("Ảnh mặt trước giấy tờ"), help_text=ID_PHOTO_HELP)
    id_back = SafeImageField(label=_("Ảnh mặt sau giấy tờ"), help_text=ID_PHOTO_HELP)

    def __init__(self, *args, kept=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mark_kept(kept)


class AgencyForm(forms.Form):
    """Step 3: the BHXH agency that receives the registration."""

    agency = forms.ModelChoiceField(
        label=_("Cơ quan BHXH tiếp nhận"), queryset=Agency.objects.all(), widget=forms.RadioSelect,
        error_messages={"required": _("Chọn cơ quan BHXH tiếp nhận."),
                        "invalid_choice": _("Chọn cơ quan BHXH trong danh sách.")},
    )

    def __init__(self, *args, choices_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices_queryset is not None:
            self.fields["agency"].queryset = choices_queryset


class StatusLookupForm(forms.Form):
    """The reference the SMS holds, the BHXH code and the birth date declared: the SMS alone (read on a
    lock screen, or by the holder of a mistyped number) does not open a registration's status page."""

    reference = CodeField(label=_("Số tham chiếu"), max_length=20, upper=True,
                          help_text=_("Ví dụ DK2611ABC234, có trong SMS xác nhận."),
                          error_messages={"required": _("Nhập số tham chiếu.")})
    bhxh_code = CodeField(label=_("Mã số BHXH"), validators=[bhxh_code_validator],
                          error_messages={"required": _("Nhập mã số BHXH.")})
    birth_date = DayMonthYearField(
        label=_("Ngày sinh"),
        help_text=_("Như đã khai khi đăng ký (của trẻ, nếu đăng ký cho con), dạng ngày/tháng/năm, ví dụ 25/12/1990."),
        # "bday" would offer the browser's owner's own, not the child's a parent registered
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": _("Nhập ngày sinh."),
                        "invalid": _("Nhập ngày sinh dạng ngày/tháng/năm, ví dụ 25/12/1990.")},
    )


class ChildRegistrationForm(KeptPhotosMixin, forms.Form):
    """A parent registers a child's account: the child's identity, the relationship, photos, agency.
    Photos accepted in an earlier attempt of the same form are kept (`kept`) and need not be sent again.
    Its texts are lazy translations: the page follows the parent's language."""

    # The child's, not the parent's own: the browser offers neither the parent's own nor, on a computer a
    # family shares, another child's typed before (autocomplete off), as for the birth date below.
    bhxh_code = copy.deepcopy(DeclarationForm.base_fields["bhxh_code"])
    bhxh_code.widget.attrs["autocomplete"] = "off"
    full_name = NameField(label=_("Họ và tên của trẻ"), error_messages={"required": _("Nhập họ và tên của trẻ.")},
                          widget=forms.TextInput(attrs={"autocomplete": "off"}))
    birth_date = copy.deepcopy(DeclarationForm.base_fields["birth_date"])
    birth_date.widget.attrs["autocomplete"] = "off"  # the child's: "bday" would offer the parent's own
    # A minor's date as the example, not the adult's of the citizen's own declaration.
    birth_date.help_text = _("Dạng ngày/tháng/năm, ví dụ 25/12/2015.")
    birth_date.error_messages["invalid"] = _("Nhập ngày sinh của trẻ dạng ngày/tháng/năm, ví dụ 25/12/2015.")
    birth_certificate_number = TextField(
        label=_("Số giấy khai sinh"), max_length=20, error_messages={"required": _("Nhập số giấy khai sinh của trẻ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    relationship = forms.ChoiceField(
        label=_("Quan hệ với trẻ"), widget=forms.RadioSelect,
        choices=Registration.Relationship.choices,
        error_messages={"required": _("Chọn quan hệ của bạn với trẻ.")},
    )
    portrait = SafeImageField(label=_("Ảnh chân dung của trẻ"), help_text=LIMITS_HELP)
    id_front = SafeImageField(label=_("Ảnh giấy khai sinh"), help_text=LIMITS_HELP)
    id_back = SafeImageField(label=_("Ảnh giấy tờ chứng minh quan hệ (hoặc mặt sau giấy khai sinh)"),
                             help_text=LIMITS_HELP)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan BHXH tiếp nhận"), queryset=Agency.objects.all(), empty_label=_("– Chọn cơ quan BHXH –"),
        error_messages={"required": _("Chọn cơ quan BHXH tiếp nhận."),
                        "invalid_choice": _("Chọn cơ quan BHXH trong danh sách.")},
    )

    def __init__(self, *args, province=None, kept=(), **kwargs):
        super().__init__(*args, **kwargs)
        name_alike_refusals(self)
        if province is not None:
            self.fields["agency"].queryset = Agency.objects.filter(province=province)
        self.mark_kept(kept)

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        validate_child_birth_date(birth_date)  # from the date typed: before the registry is asked or a try counted
        return birth_date
