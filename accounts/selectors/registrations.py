"""Registrations for electronic transactions: those an officer may see, one found by its reference for its
status page, and the channels a decision on one is told by.
"""



from lookup.selectors import within_officer_scope
from notifications.models import Message

from ..models import Registration


def registrations_visible_to(user):
    """Registrations an officer may see: their agency's, and for a province officer every agency
    below theirs. Superusers see all; anyone else none."""
    return within_officer_scope(Registration.objects.select_related("agency", "person", "province", "ward"), user)


def registration_for_status(*, reference: str, bhxh_code: str, birth_date):
    """The registration of this reference, BHXH code and birth date as declared in it, or None, the
    same whichever of the three does not match."""
    return Registration.objects.select_related("agency").filter(
        reference=reference, bhxh_code=bhxh_code, birth_date=birth_date).first()


def registration_told_by(registration: Registration) -> list[str]:
    """The channels a decision on `registration` is told by (services.registration.decision._notify), which
    the reject page names beside the reason (notifications.texts.sent_as_typed): an SMS to the phone, an
    e-mail if an address was given and, for a child's registered by a parent, a notice in the parent's
    portal while that login can sign in (active_logins: one an officer deactivated reads no notice); a
    registrant without a login yet has no notice to read."""
    channels = [Message.Channel.SMS]
    if registration.is_child and registration.parent.is_active:
        channels.append(Message.Channel.INBOX)
    if registration.email:
        channels.append(Message.Channel.EMAIL)
    return channels
