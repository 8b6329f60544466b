"""Telling a person that their records changed: an in-portal notice and an SMS, once per change.

Periods, benefit records and cards call `person_notify` from their services after a real change
(never on a no-op save). The idempotency key names the change, so retrying the same change
sends nothing new. Only people with a portal account (who chose electronic transactions) are
told; a parent who may view a child's records (until the child turns 18) is told too.
"""

from notifications.models import Message
from notifications.services import send_message

from ..models import Person, User
from ..selectors import adult_born_by


def person_notify(*, person: Person, template: str, context: dict, change_key: str) -> int:
    """Queue the notices for one change; returns how many messages were written."""
    sent = 0
    recipients = list(User.objects.filter(person=person))
    if person.birth_date > adult_born_by():  # a parent is told until the child's 18th birthday
        recipients += User.objects.filter(guardianships__child=person).select_related("person")
    for user in recipients:
        own = user.person_id == person.pk
        context = {**context, "person": person, "for_child": not own}
        send_message(channel=Message.Channel.INBOX, template=template, context=context, user=user,
                     idempotency_key=f"{change_key}-inbox-{user.pk}")
        sent += 1
        phone = user.person.phone if user.person_id else None
        if phone:
            send_message(channel=Message.Channel.SMS, template=template, context=context, user=user,
                         recipient=phone.as_e164, idempotency_key=f"{change_key}-sms-{user.pk}")
            sent += 1
    return sent
