"""Whether a page shows a child's records to the parent viewing them (accounts.selectors.viewing puts the
person viewed in the context as `person`): the one rule the page title (templates/base.html) and the box
that says whose records show (accounts/_viewing.html) read."""

from django import template

register = template.Library()


@register.filter
def viewing_child(person, user) -> bool:
    """`{% if person|viewing_child:user %}`: a logged-in parent views the records of someone else, a child."""
    return bool(person and getattr(user, "is_authenticated", False) and person.pk != user.person_id)
