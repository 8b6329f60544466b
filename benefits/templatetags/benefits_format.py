"""Numbers on the benefit pages the Vietnamese way: 6.5 → '6,5', 1.41 → '1,41', 2.0 → '2'."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def vn_number(value):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    text = format(number.normalize(), "f")
    if "." in text:
        whole, fraction = text.split(".")
    else:
        whole, fraction = text, ""
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"
