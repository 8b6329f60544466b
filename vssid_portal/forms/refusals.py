"""A form's refusals said so that the error summary never lists the same sentence twice: each naming
its field (`named`, `name_alike_refusals`)."""

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

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
