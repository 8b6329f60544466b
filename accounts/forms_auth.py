"""Forms of the portal's own account pages, and the password rules they enforce.

Password rules follow OWASP ASVS 5 (6.2): length is what makes a password strong — at least 8
characters, 128 accepted — checked against common passwords (Django's validator) and against the
account holder's own data (`PersonalDataValidator`: Django's similarity validator sees only the
login's fields, not the registry's name and birth date); no composition rules. Django's catalogue
leaves the length messages in English, hence the two length validators here.
"""

import re

from allauth.account.fields import PasswordField, SetPasswordField
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from notifications.models import Message
from vssid_portal.forms import CodeField
from vssid_portal.text import fold

from . import otp
from .forms_challenge import ChallengeForm
from .validators import bhxh_code_validator

RECOMMENDED_LENGTH = 12  # ASVS 5 (6.2): at least 8 characters, 12 recommended


def minimum_length() -> int | None:
    """The least length AUTH_PASSWORD_VALIDATORS asks of a password, as set now; None without a length rule."""
    return next((validator.min_length for validator in password_validation.get_default_password_validators()
                 if isinstance(validator, password_validation.MinimumLengthValidator)), None)


def _password_help() -> str:
    minimum = minimum_length()
    if minimum is None:
        length = ngettext("Tốt nhất dùng từ %(recommended)s ký tự trở lên, ví dụ một cụm vài từ chỉ bạn biết.",
                          "Tốt nhất dùng từ %(recommended)s ký tự trở lên, ví dụ một cụm vài từ chỉ bạn biết.",
                          RECOMMENDED_LENGTH)
    elif minimum < RECOMMENDED_LENGTH:
        length = ngettext("Dùng ít nhất %(minimum)s ký tự, tốt nhất từ %(recommended)s ký tự trở lên, ví dụ một cụm "
                          "vài từ chỉ bạn biết.",
                          "Dùng ít nhất %(minimum)s ký tự, tốt nhất từ %(recommended)s ký tự trở lên, ví dụ một cụm "
                          "vài từ chỉ bạn biết.", minimum)
    else:
        length = ngettext("Dùng ít nhất %(minimum)s ký tự, ví dụ một cụm vài từ chỉ bạn biết.",
                          "Dùng ít nhất %(minimum)s ký tự, ví dụ một cụm vài từ chỉ bạn biết.", minimum)
    rest = gettext("Không bắt buộc phải có chữ hoa, chữ số hay ký tự đặc biệt: độ dài mới là điều làm mật khẩu khó "
                   "đoán. Tránh mật khẩu quá phổ biến, mã số BHXH, họ tên hay ngày sinh của bạn.")
    lengths = {"minimum": minimum, "recommended": RECOMMENDED_LENGTH}
    return f"{length % lengths} {rest}"


# Worded when shown, with the least length the validators ask as set then.
PASSWORD_HELP = lazy(_password_help, str)()


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
                        "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.", self.min_length) % {
            "min_length": self.min_length}

    def get_help_text(self):
        return ngettext("Mật khẩu cần ít nhất %(min_length)d ký tự.",
                        "Mật khẩu cần ít nhất %(min_length)d ký tự.", self.min_length) % {"min_length": self.min_length}


class MaximumLengthValidator:
    """Long passphrases are welcome (ASVS: at least 64 characters permitted); the cap only keeps
    hashing cheap."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext("Mật khẩu quá dài: tối đa %(max_length)d ký tự.",
                         "Mật khẩu quá dài: tối đa %(max_length)d ký tự.", self.max_length)
                % {"max_length": self.max_length},
                code="password_too_long", params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return ngettext("Mật khẩu dài tối đa %(max_length)d ký tự.",
                        "Mật khẩu dài tối đa %(max_length)d ký tự.", self.max_length) % {"max_length": self.max_length}


class PersonalDataValidator:
    """Refuses a password that is little more than the account holder's own data: the name (the
    registry's, with or without diacritics, whole or word by word), the birth date as people write
    it, the BHXH code, the ID number, the phone number, the e-mail. Each is taken out of the
    folded password; if any was found and fewer than `min_rest` letters or digits are left, the
    password is refused ("nguyenvanduc1988", "Duc.15031988"); a phrase that merely contains a
    name is not."""

    def __init__(self, min_rest=6):
        self.min_rest = min_rest

    def validate(self, password, user=None):
        if user is None:
            return
        compact = rest = _compact(password)
        for piece in sorted(_personal_pieces(user), key=len, reverse=True):
            rest = rest.replace(piece, "")
        # Only personal data taken out makes a password "made of" it: one that is short or has few
        # letters and digits to begin with is the length and common-password rules' business.
        if rest != compact and len(rest) < self.min_rest:
            raise ValidationError(
                gettext("Mật khẩu gần như chỉ gồm thông tin cá nhân của bạn (họ tên, ngày sinh, mã số BHXH, "
                        "số giấy tờ, số điện thoại hoặc email), rất dễ đoán. Hãy chọn mật khẩu khác."),
                code="password_too_similar",
            )

    def get_help_text(self):
        return gettext("Mật khẩu không được chỉ gồm họ tên, ngày sinh, mã số BHXH, số giấy tờ hay số điện thoại của bạn.")


def _compact(value: str) -> str:
    """Folded, letters and digits only: 'Nguyễn Văn Đức 1988!' → 'nguyenvanduc1988'."""
    return re.sub(r"[\W_]+", "", fold(value))


def _personal_pieces(user) -> set[str]:
    person = getattr(user, "person", None)
    names = [user.get_full_name()]
    texts = [user.get_username(), user.email]
    if len(user.email.partition("@")[0]) >= 3:  # "a@…" would take every "a" out of any password
        texts.append(user.email.partition("@")[0])
    if person is not None:
        names.append(person.full_name)
        born = person.birth_date
        texts += [person.bhxh_code, person.id_number, str(born.year)]
        if not person.birth_year_only:
            texts += [born.strftime(pattern) for pattern in ("%d%m%Y", "%d%m%y", "%Y%m%d", "%d%m", "%m%Y")]
        if person.phone:
            texts += [person.phone.as_e164, person.phone.as_national, "0" + str(person.phone.national_number)]
    pieces = {_compact(text) for text in texts}
    for name in names:
        words = fold(name).split()
        pieces.add("".join(words))
        pieces.update(word for word in words if len(word) >= 3)  # "an", "ha": too common inside other words
    pieces.discard("")
    return pieces


def _code_help(where):
    return format_lazy(where, digits=otp.CODE_DIGITS, minutes=otp.LIFETIME // 60)


CODE_HELP = {  # where the code went: citizens get a text message, officers an e-mail (otp.recipient_for)
    Message.Channel.SMS: _code_help(
        _("Mã gồm {digits} chữ số trong tin nhắn chúng tôi vừa gửi, có hiệu lực {minutes} phút.")),
    Message.Channel.EMAIL: _code_help(
        _("Mã gồm {digits} chữ số trong email chúng tôi vừa gửi, có hiệu lực {minutes} phút.")),
}


class CodeForm(forms.Form):
    """A 6-digit code; a valid form means otp.check_code accepted it (one try spent). Its hint
    names the channel of `recipient` (a text message when not given)."""

    code = CodeField(
        label=_("Mã xác thực"),
        help_text=CODE_HELP[Message.Channel.SMS],
        error_messages={"required": _("Nhập mã xác thực gồm 6 chữ số, ví dụ 123456.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, purpose: otp.Purpose, subject: str, recipient: otp.Recipient | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.purpose, self.subject = purpose, subject
        if recipient is not None:
            self.fields["code"].help_text = CODE_HELP[recipient.channel]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not re.fullmatch(r"[0-9]{6}", code):
            raise ValidationError(gettext("Nhập mã xác thực gồm 6 chữ số, ví dụ 123456."))
        try:
            otp.check_code(purpose=self.purpose, subject=self.subject, code=code)
        except otp.CodeRejected as rejected:
            raise ValidationError(rejected.message) from None
        return code


REQUIRED = {"oldpassword": _("Nhập mật khẩu hiện tại."), "password1": _("Nhập mật khẩu mới."),
            "password2": _("Nhập lại mật khẩu mới.")}


class NewPasswordForm(forms.Form):
    password1 = SetPasswordField(label=_("Mật khẩu mới"), help_text=PASSWORD_HELP)
    password2 = PasswordField(label=_("Nhập lại mật khẩu mới"), autocomplete="new-password")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password1"].user = user  # checked against the account's own data
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)  # labels, not placeholders
            field.error_messages["required"] = REQUIRED[name]

    def clean_password1(self):
        # A temporary password typed again would keep an officer-issued password in use; any other
        # account would "change" nothing.
        password = self.cleaned_data["password1"]
        if self.user.check_password(password):
            raise ValidationError(gettext("Mật khẩu mới phải khác mật khẩu đang dùng."))
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", gettext("Hai lần nhập mật khẩu mới chưa giống nhau."))
        return cleaned


class ChangePasswordForm(NewPasswordForm):
    oldpassword = PasswordField(label=_("Mật khẩu hiện tại"), autocomplete="current-password")
    field_order = ["oldpassword", "password1", "password2"]

    def clean_oldpassword(self):
        if not self.user.check_password(self.cleaned_data["oldpassword"]):
            raise ValidationError(gettext("Mật khẩu hiện tại không đúng."))
        return self.cleaned_data["oldpassword"]


class PasswordResetRequestForm(ChallengeForm):
    """The BHXH code whose reset code is sent, and the challenge that each sending costs."""

    field_order = ["bhxh_code"]

    bhxh_code = CodeField(
        label=_("Mã số BHXH"),
        help_text=_("Gồm 10 chữ số, in trên thẻ BHYT hoặc sổ BHXH."),
        validators=[bhxh_code_validator], error_messages={"required": _("Nhập mã số BHXH.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
