"""The portal's form renderer, and the fields every form shares: dates, free text, people's
names and numbers typed by hand.

The renderer: every field gets its label above it, its hint and its errors
linked by `aria-describedby` (GOV.UK pattern; jinja2/forms/field.html).

Fields and widgets are rendered by Django's Jinja2 form renderer, with the widget templates
Django ships for it: a select of 34 provinces costs a third of what the template language
takes. The admin's own widgets (related-object wrappers, file inputs...) exist only as Django
templates and are rendered by them.
"""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.renderers import Jinja2, TemplatesSetting
from django.forms.widgets import ChoiceWidget
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .templatetags.vn_format import vn_number, vnd
from .text import PERSON_NAME_ERROR, clean_text, is_person_name, normalize_code, normalize_name, without_controls


def echoed(field: forms.Field, value):
    """What was typed in `field` as it is put back in its box: without what the field itself drops when
    it reads the value, so that the next save stores what the box shows. A field of the portal's own
    that cleans its text (`TextField`, `NameField`, `CodeField`: `clean_text`) loses the characters
    nobody types on purpose, a textarea keeping its line breaks and tabs; any other field, which
    stores format characters and tabs as typed (an emoji's zero-width joiners, a soft hyphen: the
    admin's titles and bodies), loses only its control characters but tabs and line breaks
    (`without_controls`), enough never to show a NUL again. The boxes of a MultiWidget (a date and a
    time) are each put back so."""
    if isinstance(value, (list, tuple)):
        return [echoed(field, part) for part in value]
    if not isinstance(value, str):
        return value
    if isinstance(field, (TextField, CodeField)):
        return clean_text(value, multiline=isinstance(field.widget, forms.Textarea))
    return without_controls(value)


def dropped_unseen(field: forms.Field, value) -> bool:
    """Whether `echoed` drops a character of `value` rather than keeping it or making it a space: a
    control character other than a tab or a line break, or, in a field that cleans its text, a format
    character (a zero-width space) or a noncharacter. A line break sent as CR LF, which such a field
    reads as one, is no such drop."""
    if isinstance(value, (list, tuple)):
        return any(dropped_unseen(field, part) for part in value)
    if not isinstance(value, str) or value.isprintable():
        return False
    read_as_one = value.count("\r\n") if isinstance(field, (TextField, CodeField)) else 0
    return len(echoed(field, value)) < len(value) - read_as_one


# Beside a box put back without characters nobody sees (EchoedBoundField.unseen_note): the box shows
# text as typed but for them, and the next send stores what it shows.
UNSEEN_DROPPED = _("Đã bỏ các ký tự không nhìn thấy được (ký tự điều khiển hoặc định dạng) khỏi nội dung đã nhập. "
                   "Hãy kiểm tra lại ô này trước khi gửi.")


class EchoedBoundField(BoundField):
    """A field that puts back what was typed as `echoed`: Django puts back the raw data, so a search
    refused for its NUL ("Không được chứa ký tự rỗng (NUL).") showed the NUL again in its box. Only
    typed text is put back so: not a choice, lest a value not offered become one offered, nor a value
    the form did not receive (a record's own, in the admin). A box that lost characters so says it
    beside it (`unseen_note`), rather than change what was typed without a word."""

    def _typed(self) -> bool:
        return not self.field.disabled and not isinstance(self.field.widget, ChoiceWidget)

    def _echoes(self) -> bool:
        return self.form.is_bound and self._typed()

    def value(self):
        value = super().value()
        return echoed(self.field, value) if self._echoes() else value

    @cached_property
    def unseen_note(self):
        """UNSEEN_DROPPED when the box puts back what was typed less a character (`dropped_unseen`),
        else "": not for a NUL the field refuses in its own words ("Không được chứa ký tự rỗng"). A form
        shown again unbound from what was posted (`posted_as_initial`, `typed_to_keep`) says it of the
        boxes its `initial` names under UNSEEN_KEY, what they show having lost them already."""
        if not self.form.is_bound:
            dropped = self.form.initial.get(UNSEEN_KEY)
            return UNSEEN_DROPPED if self._typed() and isinstance(dropped, list) and self.name in dropped else ""
        if not self._echoes() or not dropped_unseen(self.field, self.data):
            return ""
        if self.form.has_error(self.name, "null_characters_not_allowed"):
            return ""
        return UNSEEN_DROPPED

    @property
    def aria_describedby(self):
        described = super().aria_describedby
        if described is None or not self.unseen_note:
            return described
        return " ".join(filter(None, [described, f"{self.auto_id}_note"]))


# The key of an `initial` made from a post (`posted_as_initial`) that lists the fields whose text lost
# characters nobody sees (`dropped_unseen`), for the form shown again unbound to say so beside them
# (`EchoedBoundField.unseen_note`): no field is so named.
UNSEEN_KEY = "__unseen__"


def posted_as_initial(form_class, post) -> dict:
    """A posted form's values as the `initial` of the same form shown again without judging it (the
    no-JavaScript "update the list" button): every value of a several-choices field, no file, and each
    typed text as its box would put it back once bound (`echoed`): an unbound form's initial is shown
    as given, so a NUL typed came back in its box. The texts that lost a character so are named under
    UNSEEN_KEY, when there are any."""
    initial, unseen = {}, []
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.MultipleChoiceField):
            initial[name] = post.getlist(name)
        elif isinstance(field.widget, ChoiceWidget):
            initial[name] = post.get(name)
        else:
            initial[name] = echoed(field, post.get(name))
            if dropped_unseen(field, post.get(name)):
                unseen.append(name)
    if unseen:
        initial[UNSEEN_KEY] = unseen
    return initial


# What is kept of a posted form to show it again later (a procedure's draft in the session): a text
# without a length of its own is cut there, a choice value longer than this is no choice.
KEPT_TEXT_LENGTH = 1000
KEPT_CHOICE_LENGTH = 100


def _offered(field: forms.Field, value) -> bool:
    """Whether `value` is one of `field`'s choices as the form offers them (a list made for the
    province chosen included), or no choice at all."""
    if value in (None, ""):
        return True
    if not isinstance(value, str) or len(value) > KEPT_CHOICE_LENGTH:
        return False
    if isinstance(field, forms.ModelChoiceField):
        try:
            field.to_python(value)
        except ValidationError:
            return False
        return True
    return field.valid_value(value) if isinstance(field, forms.ChoiceField) else True


def kept_as_typed(form, initial: dict) -> dict:
    """`initial` (`posted_as_initial` of `form`'s class), bounded to be kept beyond the request (a
    procedure's draft in the session, read on every request): only `form`'s own fields, each text
    cut to its field's max_length (KEPT_TEXT_LENGTH when it has none), a choice only if `form`,
    made with that `initial`, offers it, and of a several-choices field only the choices offered,
    each once. A forged post of megabytes keeps at most what the form itself could hold. The fields
    named under UNSEEN_KEY are kept, of `form`'s own, to say beside them that characters were removed."""
    kept = {}
    unseen = initial.get(UNSEEN_KEY)
    if isinstance(unseen, list) and (unseen := [name for name in form.fields if name in unseen]):
        kept[UNSEEN_KEY] = unseen
    for name, field in form.fields.items():
        if name not in initial:
            continue
        value = initial[name]
        if isinstance(field, forms.MultipleChoiceField):
            values = value if isinstance(value, (list, tuple)) else []
            kept[name] = list(dict.fromkeys(part for part in values if part and _offered(field, part)))
        elif isinstance(field.widget, ChoiceWidget):
            kept[name] = value if _offered(field, value) else None
        elif isinstance(value, str):
            kept[name] = value[:getattr(field, "max_length", None) or KEPT_TEXT_LENGTH]
        else:
            kept[name] = None
    return kept


# What static/js/refresh-list.js sends with its request for a list (X-Requested-With): the form is
# answered as it was posted, nothing kept, since the script's page stays and what is typed after it
# would not be; only the button without JavaScript keeps what was typed (`typed_to_keep`).
REFRESH_LIST_HEADER_VALUE = "refresh-list"


def refreshed_by_script(request) -> bool:
    """Whether a list's "update" post is refresh-list.js's, not the button's without JavaScript."""
    return request.headers.get("X-Requested-With") == REFRESH_LIST_HEADER_VALUE


def typed_to_keep(form_class, post, make_form=None) -> dict:
    """What the no-JavaScript "update the list" button keeps of `post` in the session, to show the form
    again by a GET (post/redirect/get: Back then never comes to a post a browser would only send
    again): `posted_as_initial` bounded by `kept_as_typed` against the form made with it by
    `make_form(initial)` (`form_class(initial=…)` when None), which offers the list of the choice
    posted. No file: a file chosen is never kept so, and must be chosen again."""
    initial = posted_as_initial(form_class, post)
    return kept_as_typed((make_form or (lambda initial: form_class(initial=initial)))(initial), initial)


class PortalFormRenderer(Jinja2):
    field_template_name = "forms/field.html"
    fallback = TemplatesSetting()
    bound_field_class = EchoedBoundField  # every form the portal renders (its own, allauth's, the admin's)

    @cached_property
    def engine(self):
        engine = super().engine
        # `{{ _("…") }}` in the field template, in the language of the request (Django's catalogues).
        engine.env.add_extension("jinja2.ext.i18n")
        engine.env.install_gettext_callables(gettext, ngettext, newstyle=True)
        return engine

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)


first_lower = lazy(lambda text: str(text)[:1].lower() + str(text)[1:], str)  # a label or sentence inside another


def named(label, problem) -> str:
    """A refusal that names its field ("Hồ sơ kèm theo: nhập tối đa 1000 ký tự."), for a refusal two
    fields of a form may give alike (two phone numbers, two dates, two texts): the error summary
    then lists sentences that say which field each is about, never the same sentence twice."""
    return format_lazy(_("{label}: {problem}"), label=label, problem=first_lower(problem))


def name_alike_refusals(form) -> None:
    """Give each labelled choice field of `form` that kept Django's own refusal of a value not
    offered ("Hãy chọn một giá trị trong danh sách.", alike for every field) one naming the field
    (`named`), so two radio groups posted a value not offered are two lines of the error summary;
    a message a field was given is its own."""
    for field in form.fields.values():
        default = next((cls.default_error_messages["invalid_choice"] for cls in type(field).__mro__
                        if "invalid_choice" in getattr(cls, "default_error_messages", {})), None)
        if field.label and default is not None and field.error_messages.get("invalid_choice") is default:
            field.error_messages["invalid_choice"] = named(field.label, default)


EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def validate_birth_date(value: datetime.date | int) -> None:
    """A birth date from 01/01/1900 to today, or a birth year (DateOrYearField) from 1900 to this
    year: any other names nobody, and a form that takes it would check or search in vain."""
    today = timezone.localdate()
    if isinstance(value, int):
        if value > today.year:
            raise ValidationError(_("Năm sinh không được sau năm nay."), code="future")
        if value < EARLIEST_BIRTH_DATE.year:
            raise ValidationError(_("Năm sinh phải từ năm 1900 trở về sau."), code="too_early")
    elif value > today:
        raise ValidationError(_("Ngày sinh không được sau ngày hôm nay."), code="future")
    elif value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("Ngày sinh phải từ ngày 01/01/1900 trở về sau."), code="too_early")


# Day, month and year as people write them: with slashes, or with dashes or dots as many do
# (15-03-1988, 15.03.1988); a field shows and stores a date with slashes.
DAY_MONTH_YEAR_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
_DATE_SHAPE = re.compile(r"[0-9]{1,2}([/.-])[0-9]{1,2}\1[0-9]{4}")
# Or two digits of day, two of month and four of year one after the other (15031988): a date box
# brings up a phone's number pad (inputmode numeric), which on an iPhone has no slash, dash or dot.
_DIGITS_ONLY_DATE = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")


# What a date typed wrong is told, where the format is not said beside the box (the admin's date
# fields): Django's "Nhập một ngày hợp lệ." says neither the order of day and month nor the separator.
DATE_FORMAT_ERROR = _("Nhập một ngày có thật theo dạng dd/mm/yyyy, ví dụ 25/12/2026.")


class DayMonthYearField(forms.DateField):
    """A date typed as day/month/year (25/12/1990, or 25-12-1990, 25.12.1990 and 25121990 on a phone's
    number pad), fullwidth digits read as ASCII and other scripts' digits refused. A value of that shape naming no day of the calendar (31/02/1988,
    29/02/2023, 12/13/1990) is told so, quoting what was typed; any other value gets the field's
    "invalid" message, which says the shape to type."""

    default_error_messages = {
        "nonexistent": _("Ngày %(value)s không có thật. Kiểm tra lại ngày, tháng."),
    }

    def __init__(self, *, input_formats=None, widget=None, **kwargs):
        super().__init__(
            input_formats=input_formats or DAY_MONTH_YEAR_FORMATS,
            widget=widget or forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
            **kwargs,
        )
        if self.label and "nonexistent" not in (kwargs.get("error_messages") or {}):
            # The same impossible date typed in two date fields (an authorisation's start and end)
            # would otherwise be the same sentence twice in the error summary.
            self.error_messages["nonexistent"] = named(self.label, self.error_messages["nonexistent"])

    def to_python(self, value):
        if isinstance(value, str):  # without invisible characters pasted with it, fullwidth digits as ASCII
            value = unicodedata.normalize("NFKC", clean_text(value))
            if not value.isascii():  # other scripts' digits, which strptime would take
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if digits := _DIGITS_ONLY_DATE.fullmatch(value.strip()):
                value = "/".join(digits.groups())
        try:
            return super().to_python(value)
        except ValidationError as error:
            typed = value.strip() if isinstance(value, str) else ""
            if error.code == "invalid" and _DATE_SHAPE.fullmatch(typed):
                raise ValidationError(self.error_messages["nonexistent"], code="nonexistent",
                                      params={"value": typed}) from error
            raise


class DateOrYearField(DayMonthYearField):
    """A birth date as dd/mm/yyyy, or the year alone (yyyy) where a record holds only the year (the
    registry, a card): a year comes out as an int, so that it never passes for a full date. Either
    must be a possible birth date (validate_birth_date)."""

    default_validators = [validate_birth_date]

    def to_python(self, value):
        typed = unicodedata.normalize("NFKC", clean_text(value)).strip() if isinstance(value, str) else ""
        if re.fullmatch(r"[0-9]{4}", typed) and int(typed) > 0:
            return int(typed)
        return super().to_python(value)


# An amount as people write it: digits grouped by threes with dots, commas or spaces, one kind in
# an amount (1.234.567, 1,234,567, 1 234 567), or digits alone; "đ", "đồng" or "VND" after it.
_GROUPED_AMOUNT = re.compile(r"[0-9]{1,3}([., ])[0-9]{3}(?:\1[0-9]{3})*")
_CURRENCY = re.compile(r"\s*(?:đ|đồng|vnđ|vnd)$", re.IGNORECASE)


class _WordedLimit:
    """A limit of a number field that gives the limit as the portal writes numbers (32.767), or
    money (1.234.567 đ) with `written = vnd`: Django's own words ("Đảm bảo giá trị này là nhỏ hơn
    hoặc bằng với 32767 .") leave its digits ungrouped and a space before the full stop."""

    written = staticmethod(vn_number)

    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError as error:
            raise ValidationError(self.message, code=self.code,
                                  params={**error.params, "limit_value": self.written(self.limit_value)}) from None


class _NumberAtLeast(_WordedLimit, MinValueValidator):
    message = _("Nhập số không nhỏ hơn %(limit_value)s.")


class _NumberAtMost(_WordedLimit, MaxValueValidator):
    message = _("Nhập số không lớn hơn %(limit_value)s.")


class _MoneyAtLeast(_WordedLimit, MinValueValidator):
    written = staticmethod(vnd)
    message = _("Số tiền không được nhỏ hơn %(limit_value)s.")


class _MoneyAtMost(_WordedLimit, MaxValueValidator):
    written = staticmethod(vnd)
    message = _("Số tiền không được lớn hơn %(limit_value)s.")


def _worded(validators: list, at_least: type, at_most: type) -> list:
    """`validators` with Django's own limits (MinValueValidator, MaxValueValidator) said in the portal's words."""
    limits = {MinValueValidator: at_least, MaxValueValidator: at_most}
    return [limits[type(validator)](validator.limit_value) if type(validator) in limits else validator
            for validator in validators]


def limits_in_words(field: forms.Field) -> forms.Field:
    """`field`, an integer or decimal form field (forms.DecimalField is an IntegerField), with its
    limits said as the portal writes numbers (32.767, 0,5)."""
    field.validators = _worded(field.validators, _NumberAtLeast, _NumberAtMost)
    return field


def own_limits(db_field) -> dict:
    """The `min_value` and `max_value` of the form field of a model's integer or decimal field `db_field`: the
    tightest of its limits said in Django's words (a bare MinValueValidator(1), or the range of the
    database's column that Django adds), which the form field then says in the portal's. A limit
    with the model's own message is left to the model, which says it ("Tổng chi phí không được lớn
    hơn 100.000.000.000 đ: …"): without this, a BigIntegerField's form field refused first
    whatever passed the column's range, in words naming 9.223.372.036.854.775.807 đ. A decimal
    field's limits, which its form field does not take by itself, were said by the model in Django's
    words ("… lớn hơn hoặc bằng với 1 .")."""
    if not isinstance(db_field, (models.IntegerField, models.DecimalField)):
        return {}
    found = {"min_value": [], "max_value": []}
    for validator in db_field.validators:
        if type(validator) in (MinValueValidator, MaxValueValidator) and not callable(validator.limit_value):
            if validator.message == type(validator).message:  # Django's words, not the model's own
                found["min_value" if type(validator) is MinValueValidator else "max_value"].append(
                    validator.limit_value)
    return {"min_value": max(found["min_value"], default=None), "max_value": min(found["max_value"], default=None)}


class MoneyField(forms.IntegerField):
    """A whole number of đồng as officers type it (see _GROUPED_AMOUNT), shown grouped with dots as
    the portal writes money (1.234.567). Anything else, a decimal comma included ("1,5"), gets
    the integer field's message.

    The field's own limits carry their messages, not its error_messages: a model form gives a
    model validator's error the field's message of the same code, which would replace the model's
    own words ("Tổng chi phí không được lớn hơn …") with the field's."""

    default_error_messages = {
        "invalid": _("Nhập số tiền bằng chữ số, không có phần lẻ, ví dụ 1.234.567."),
    }

    def __init__(self, **kwargs):
        # The portal holds no negative amount: refused here in its words, before a model's bare
        # MinValueValidator(0) answers in Django's.
        kwargs["min_value"] = max(kwargs.get("min_value") or 0, 0)
        # Always typed as text: a number input (the admin's own for integer columns) refuses "1.234.567".
        super().__init__(**{**kwargs, "widget": forms.TextInput(attrs={"inputmode": "numeric"})})
        self.validators = _worded(self.validators, _MoneyAtLeast, _MoneyAtMost)

    def prepare_value(self, value):
        return f"{value:,}".replace(",", ".") if isinstance(value, int) and not isinstance(value, bool) else value

    def to_python(self, value):
        if isinstance(value, str):
            typed = _CURRENCY.sub("", unicodedata.normalize("NFKC", clean_text(value)).strip())
            value = typed.replace(typed[-4], "") if _GROUPED_AMOUNT.fullmatch(typed) else typed
        return super().to_python(value)


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
