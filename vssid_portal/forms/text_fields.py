"""Text typed by hand: free text (`TextField`), people's names (`NameField`), e-mail addresses
(`EmailField`), numbers and codes (`CodeField`)."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..text import PERSON_NAME_ERROR, clean_text, is_person_name, normalize_code, normalize_name


class TextField(forms.CharField):
    """Text as typed, without the characters nobody types on purpose (zero-width and other format
    characters, control characters, noncharacters): they are removed before the required check,
    so text made only of them gets the field's "Nhập …" message. A textarea keeps its line breaks
    and tabs."""

    def to_python(self, value):
        if isinstance(value, str):
            value = clean_text(value, multiline=isinstance(self.widget, forms.Textarea))
        return super().to_python(value)


class FirstRefusalOnly:
    """Mixin for a form field whose validators can refuse one value for several reasons at once: only
    the first is told, so the error summary and the field each say it once."""

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError(error.error_list[:1]) from None


class EmailField(FirstRefusalOnly, forms.EmailField):
    """An e-mail address as typed or pasted: the invisible characters a clipboard adds (a byte order
    mark, a zero-width space: format characters) are not part of it, and an address refused for
    several reasons (a NUL is both malformed and forbidden) is told once, the first reason. A NUL
    is not dropped: an address is never changed into another one without a word."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(char for char in value if unicodedata.category(char) != "Cf")
        return super().to_python(value)


class NameField(TextField):
    """A person's name, as the registry stores it (NFC, single spaces): letters with their marks,
    spaces, hyphens, apostrophes and dots, with at least one letter. Its length is checked after
    normalising: NFC can lengthen text (U+0958 becomes two characters)."""

    default_error_messages = {"invalid": PERSON_NAME_ERROR}

    def __init__(self, *, max_length=100, error_messages=None, **kwargs):
        too_long = format_lazy(_("Họ và tên dài tối đa {limit} ký tự."), limit=max_length)
        super().__init__(max_length=max_length, error_messages={"max_length": too_long, **(error_messages or {})},
                         **kwargs)

    def to_python(self, value):
        return normalize_name(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and not is_person_name(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class CodeField(forms.CharField):
    """A number or code typed by hand (BHXH code, CCCD, OTP, account or reference number): fullwidth
    digits and letters ("０７９…", as some keyboards type them) are read as the ASCII ones they stand
    for (NFKC) and spaces are dropped, as are the characters nobody types on purpose (a NUL, a byte
    order mark or a zero-width space pasted with it): kept, they would count against its length and
    be refused once per check (`normalize_code`). Other scripts' digits stay as typed, for the field's
    validators (ASCII digits only) to refuse.

    Its box has no maxlength: max_length counts the code once its spaces are dropped, so
    "7901 234 567" is a 10-digit BHXH code, but a browser limit of 10 would cut it at "7901 234 5"
    without a word as it is typed or pasted. A code still too long without its spaces (a huge
    paste too) is refused by the form, in the field's own words."""

    def __init__(self, *, upper=False, **kwargs):
        self.upper = upper
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_code(value)
            value = value.upper() if self.upper else value
        return super().to_python(value)
