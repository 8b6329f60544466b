"""The officer's decision on a registration: approve (the login or, for a child, the parent's right to
view the child's records) or reject with a reason, refused when decided already or of the officer's own case,
and what the registrant is told of it.

Every write is one function, one transaction; what leaves the process (SMS, e-mail) starts on commit.
"""

import secrets
import string

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.models import Message
from notifications.services import send_message
from vssid_portal.templatetags.vn_format import vn_time_date

from ...models import Guardianship, Registration, RegistrationEvent, User
from ...selectors import (
    OFFICER_RECORD_UNKNOWN,
    has_own_login,
    is_officers_own_registration,
    officer_record_unknown,
    registration_told_by,
    registrations_visible_to,
)


def _temporary_password() -> str:
    """12 characters from letters and digits without lookalikes; changed at first login."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


class RegistrationAlreadyDecided(ValidationError):
    """The locked registration is no longer pending: a double click, or a colleague deciding it at
    the same moment. Nothing changed (no second account, no second notice). The message says what
    was decided, by whom and when; `same` tells whether it was the decision asked for."""

    # {(the status it has, the decision asked for): the sentence}; a refusal's sentence names its reason
    SAID = {
        (Registration.Status.APPROVED, Registration.Status.APPROVED): _(
            "Đăng ký %(reference)s đã được duyệt (%(by)s); không cần thực hiện lại."),
        (Registration.Status.APPROVED, Registration.Status.REJECTED): _(
            "Đăng ký %(reference)s đã được duyệt (%(by)s) nên không từ chối được nữa."),
        (Registration.Status.REJECTED, Registration.Status.REJECTED): _(
            "Đăng ký %(reference)s đã bị từ chối (%(by)s) với lý do “%(reason)s”; không cần thực hiện lại."),
        (Registration.Status.REJECTED, Registration.Status.APPROVED): _(
            "Đăng ký %(reference)s đã bị từ chối (%(by)s) với lý do “%(reason)s” nên không duyệt được nữa."),
        (Registration.Status.REPLACED, Registration.Status.APPROVED): _(
            "Đăng ký %(reference)s đã được thay bằng một đăng ký mới của người nộp (%(by)s) nên không duyệt được nữa."),
        (Registration.Status.REPLACED, Registration.Status.REJECTED): _(
            "Đăng ký %(reference)s đã được thay bằng một đăng ký mới của người nộp (%(by)s) nên không từ chối được "
            "nữa."),
    }

    def __init__(self, registration: Registration, *, wanted: str):
        self.registration = registration
        self.same = registration.status == wanted
        officer = registration.decided_by
        when = vn_time_date(registration.decided_at)
        by = (gettext("%(officer)s, lúc %(when)s") % {"officer": officer.get_full_name() or officer.get_username(),
                                                       "when": when}
              if officer else gettext("lúc %(when)s") % {"when": when})
        super().__init__(str(self.SAID[registration.status, wanted]) % {
            "reference": registration.reference, "by": by, "reason": registration.reject_reason})


# What an officer is told of a registration of their own case, one whole sentence for each use: the
# refusal of registration `reference` (by the service, and by the admin before a reason is typed),
# and the registration's page in the admin, instead of its buttons.
OWN_REGISTRATION = _("Đăng ký %(reference)s là của chính bạn, của con hoặc người bạn là cha, mẹ, người giám hộ, hoặc "
                     "do bạn đăng ký thay: cán bộ không xử lý đăng ký của chính mình. Hãy để một cán bộ khác của cơ "
                     "quan xử lý.")
OWN_REGISTRATION_HERE = _("Đăng ký này là của chính bạn, của con hoặc người bạn là cha, mẹ, người giám hộ, hoặc do bạn "
                          "đăng ký thay: cán bộ không xử lý đăng ký của chính mình. Hãy để một cán bộ khác của cơ quan "
                          "xử lý.")


def _locked_for_decision(registration: Registration, officer: User, *, wanted: str) -> Registration:
    # The registration and its person (whose login the approval checks, then creates), not the agency,
    # province and ward it is read with: a filing, card or registration referring to them commits
    # without waiting for the decision, and a parent's filing whose commit holds the parent's person
    # (checking its keys) and waits for the agency cannot meet the decision in a circle when saving the
    # registration locks the parent's person (accounts/content_version.py). FOR NO KEY UPDATE, as the
    # decision changes no key of either (the registration's status and decision, the person's phone and
    # agency, each saved alone): a filing for the person, a guardian's for a child, committed meanwhile is
    # not waited for (vssid_portal/locks.py).
    locked = (registrations_visible_to(officer).select_for_update(no_key=True, of=("self", "person"))
              .filter(pk=registration.pk).first())
    if locked is None or not officer.has_perm("accounts.decide_registration"):
        raise PermissionDenied("Cán bộ không có quyền xử lý đăng ký này.")
    if officer_record_unknown(officer):  # whether it is their own case cannot be known
        raise ValidationError(str(OFFICER_RECORD_UNKNOWN))
    if is_officers_own_registration(locked, officer):
        raise ValidationError(OWN_REGISTRATION % {"reference": locked.reference})
    if locked.status != Registration.Status.PENDING:
        raise RegistrationAlreadyDecided(locked, wanted=wanted)
    return locked


@transaction.atomic
def registration_approve(*, registration: Registration, officer: User, link_base: str = "") -> Registration:
    """Approve: create the login (temporary password, changed at first login) or, for a child, the
    parent's right to view the child's records; tell the citizen by SMS and e-mail (the temporary
    password by SMS only: the e-mail address was never verified), and welcome a new account in its
    inbox; a new login, and what an adult registrant is told, take the language the registration was
    sent in (Registration.language), never the officer's. The e-mail, the notice and the SMS (an
    adult's with the temporary password, a parent's for a child) say where to log in (`login_url`): the login page under
    PORTAL_PUBLIC_URL when set, else under `link_base` (the scheme and host of the officer's
    request), neither: not said."""
    registration = _locked_for_decision(registration, officer, wanted=Registration.Status.APPROVED)
    person = registration.person
    now = timezone.now()
    context = {"registration": registration, "login_url": _login_url(link_base)}
    if registration.is_child:
        # The rule of the child form (no registering for someone with an account of their own),
        # again: the minor's own registration may have been approved since this one was sent.
        if has_own_login(person):
            raise ValidationError(gettext("Người này đã có tài khoản riêng nên không duyệt được đăng ký thay; hãy từ "
                                          "chối đăng ký này để báo cho người đăng ký thay."))
        Guardianship.objects.get_or_create(
            parent=registration.parent, child=person, defaults={"relationship": registration.relationship}
        )
        template = "registration_child_approved"
    else:
        if User.objects.filter(person=person).exists() or User.objects.filter(username=person.bhxh_code).exists():
            raise ValidationError(gettext("Mã số BHXH này đã có tài khoản."))
        password = _temporary_password()
        user = User.objects.create_user(
            username=person.bhxh_code, password=password, person=person, email=registration.email,
            must_change_password=True, last_name=person.full_name,
            language=registration.language,  # what the registrant read the portal in, never the officer's
        )
        send_message(channel=Message.Channel.INBOX, template="welcome", user=user,
                     context={"name": person.full_name, "code": person.bhxh_code},
                     idempotency_key=f"registration-{registration.reference}-welcome")
        if person.phone and person.phone != registration.phone:
            # The registry's number is told its place was taken: if the registration was not the
            # holder's, they hear of it before the codes go to someone else.
            send_message(
                channel=Message.Channel.SMS, template="registration_approved_elsewhere",
                recipient=person.phone.as_e164, context={"registration": registration},
                idempotency_key=f"registration-{registration.reference}-approved-elsewhere",
            )
        person.phone = registration.phone  # the number the citizen chose for codes and notices
        # The registration names the agency receiving it for electronic transactions, not the one managing
        # the person (Decree 166/2016): only a person no agency manages yet takes it.
        if person.agency_id is None:
            person.agency = registration.agency
        person.save(update_fields=["phone", "agency", "updated_at"])
        context["password"] = password
        template = "registration_approved"
    registration.status = Registration.Status.APPROVED
    registration.decided_at, registration.decided_by = now, officer
    registration.save(update_fields=["status", "decided_at", "decided_by"])
    RegistrationEvent.objects.create(registration=registration, action=RegistrationEvent.Action.APPROVED, actor=officer)
    _notify(registration, template, context)
    return registration


def _login_url(link_base: str) -> str:
    """The portal's login page as a message writes it, PORTAL_PUBLIC_URL's or `link_base`'s, or ""."""
    base = (settings.PORTAL_PUBLIC_URL or link_base).rstrip("/")
    return base + reverse("account_login") if base else ""


REJECT_REASON_MAX_LENGTH = 500


@transaction.atomic
def registration_reject(*, registration: Registration, officer: User, reason: str) -> Registration:
    # Decided meanwhile (a colleague): said first, rather than asking for a reason that could not be sent.
    registration = _locked_for_decision(registration, officer, wanted=Registration.Status.REJECTED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Hãy ghi lý do từ chối để người đăng ký biết cần sửa gì.")})
    if len(reason) > REJECT_REASON_MAX_LENGTH:  # it goes out by SMS
        raise ValidationError({"reason": gettext("Lý do tối đa %(max)s ký tự (hiện có %(count)s).") % {
            "max": REJECT_REASON_MAX_LENGTH, "count": len(reason)}})
    registration.status = Registration.Status.REJECTED
    registration.decided_at, registration.decided_by = timezone.now(), officer
    registration.reject_reason = reason
    registration.save(update_fields=["status", "decided_at", "decided_by", "reject_reason"])
    RegistrationEvent.objects.create(
        registration=registration, action=RegistrationEvent.Action.REJECTED, actor=officer, note=reason
    )
    _notify(registration, "registration_rejected", {"registration": registration})
    return registration


def _notify(registration: Registration, template: str, context: dict) -> None:
    """Tell the registrant of a decision: by SMS, by e-mail if an address was given and, a parent
    registering a child having an account already, in the parent's inbox too while that login is active
    (registration_told_by)."""
    key = f"registration-{registration.reference}-{template}"
    parent_phone = registration.parent.person.phone if registration.is_child and registration.parent.person else None
    phone = parent_phone or registration.phone  # a parent's removed since: the number the registration gave
    sensitive = "password" in context
    # A parent's phone and address hear in the parent's language; a registrant without a login yet, in the
    # language they registered in (their own request), never in the deciding officer's.
    language = registration.parent.language if registration.is_child else registration.language
    channels = registration_told_by(registration)  # named beside the reason on the reject page
    if Message.Channel.INBOX in channels:
        send_message(channel=Message.Channel.INBOX, template=template, user=registration.parent, context=context,
                     idempotency_key=f"{key}-inbox")
    send_message(channel=Message.Channel.SMS, template=template, recipient=phone.as_e164, context=context,
                 idempotency_key=f"{key}-sms", sensitive=sensitive, language=language)
    if Message.Channel.EMAIL in channels:  # never verified: no temporary password goes there
        context = {name: value for name, value in context.items() if name != "password"}
        send_message(channel=Message.Channel.EMAIL, template=template, recipient=registration.email, context=context,
                     idempotency_key=f"{key}-email", language=language)
