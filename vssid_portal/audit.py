"""A change of a model field as the audit trails (a benefit record's, a visit's) write it:
`tên trường: cũ → mới`, with choice labels, related objects and dates dd/mm/yyyy."""

from .templatetags.vn_format import vn_date, vnd

EMPTY = "(trống)"


def field_label(model, name: str) -> str:
    """The field's name as the audit trail says it (`agency_id` is the agency's)."""
    return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def field_display(model, name: str, value, *, money: tuple[str, ...] = ()) -> str:
    """A stored value as the audit trail shows it; fields named in `money` in VND."""
    if value is None or value == "":
        return EMPTY
    field = model._meta.get_field(name.removesuffix("_id"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return str(field.related_model.objects.filter(pk=value).first() or value)
    if hasattr(value, "strftime"):
        return vn_date(value)
    if name in money:
        return vnd(value)
    return str(value)


def field_change(model, name: str, old, new, *, money: tuple[str, ...] = ()) -> str:
    """`tên trường: cũ → mới`."""
    return (f"{field_label(model, name)}: {field_display(model, name, old, money=money)} → "
            f"{field_display(model, name, new, money=money)}")
