"""Telling a person that their records changed: an in-portal notice and an SMS, once per change;
and telling one account of something (user_notify, which account security notices use too).

Periods, benefit records and cards call `person_notify` from their services after a real change
(never on a no-op save). The idempotency key names the change, so retrying the same change
sends nothing new. Only people with a portal login that can sign in (who chose electronic
transactions; a login an officer deactivated is told nothing) are told; a parent who may view a
child's records (until the child turns 18) is told too, whether the child has a login or not.
"""

from notifications.models import Message
from notifications.services import send_message

from ..models import Person
from ..selectors import logins_told_of


def person_notify(*, person: Person, template: str, context: dict, change_key: str, told: list | None = None) -> int:
    """Queue the notices for one change of a person's records, to their account and to the
    parents who view a minor's records (`told`: logins_told_of(person), if the caller read them
    already); returns how many messages were written."""
    sent = 0
    recipients = logins_told_of(person) if told is None else told
    phones = [user.person.phone.as_e164 if user.person_id and user.person.phone else None for user in recipients]
    # A family's one phone (the child's and the parents' in the registry) gets one SMS: the first
    # login's, in an order that a run told again (a task delivered twice) keeps. It names whose records
    # changed, by the branch each template's SMS has for a parent told of a child (`for_child`), so that
    # a minor's own SMS does not read as the parent's own on the phone they share; the notices in the
    # portal, each read by its login, are not changed. `own_login` tells each template whether the login
    # is the person's own, which the shared phone's SMS keeps: what only the holder is told (a filing's
    # security alert: Procedure.completion_sms_alert) reaches their phone, never a parent's own.
    shared = {phone for phone in phones if phone and phones.count(phone) > 1}
    texted = set()
    for user, phone in zip(recipients, phones):
        own_login = user.person_id == person.pk
        own = {**context, "person": person, "for_child": not own_login, "own_login": own_login}
        sent += user_notify(user=user, template=template, key=f"{change_key}-{user.pk}", sms=phone not in texted,
                            context=own, sms_context={**own, "for_child": True} if phone in shared else None)
        texted.add(phone)
    return sent


def user_notify(*, user, template: str, context: dict, key: str, email: str = "", sms: bool = True,
                sms_context: dict | None = None) -> int:
    """Tell one account: a notice in the portal, an SMS to its person's phone where there is one
    (unless `sms` is False: the phone was texted of it already; written with `sms_context` if given,
    else `context`), and an e-mail to `email` if given.
    `key` names the occurrence for this account (one message of each kind, however often it is
    told). Returns how many messages were written."""
    send_message(channel=Message.Channel.INBOX, template=template, context=context, user=user,
                 idempotency_key=f"{key}-inbox")
    sent = 1
    phone = user.person.phone if user.person_id else None
    if phone and sms:
        send_message(channel=Message.Channel.SMS, template=template, context=sms_context or context, user=user,
                     recipient=phone.as_e164, idempotency_key=f"{key}-sms")
        sent += 1
    if email:
        send_message(channel=Message.Channel.EMAIL, template=template, context=context, user=user,
                     recipient=email, idempotency_key=f"{key}-email")
        sent += 1
    return sent
