"""Template helpers of the lookup pages."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def phone_link(phone: str) -> str:
    """A phone number as the data writes it, as a link a phone can dial: "(028) 39.979.039" →
    <a href="tel:02839979039">(028) 39.979.039</a>. Text with no digit stays text."""
    digits = "".join(char for char in phone if char in "0123456789")
    if not digits:
        return phone
    plus = "+" if phone.lstrip().startswith("+") else ""
    return format_html('<a href="tel:{}{}">{}</a>', plus, digits, phone)
