"""The data-access log of card checks ("Ai đã xem thẻ của tôi"): a holder's checks and whom each names as
having made it, and the checks an officer may see."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from accounts.models import Guardianship
from lookup.selectors import within_officer_scope

from ..models import CardCheck


def card_checks_for(*, person):
    """The data-access log of the person's cards, newest first, with the agency of an officer who
    checked (the log names an officer by it, and another citizen by no name) and `by_guardian`:
    whether the login that checked is, or was, the holder's parent or guardian (named as such)."""
    return (CardCheck.objects.filter(person=person)
            .select_related("facility", "checked_by__agency", "token", "card")
            .annotate(by_guardian=Exists(Guardianship.objects.filter(parent_id=OuterRef("checked_by_id"),
                                                                     child_id=OuterRef("person_id"))))
            .order_by("-at", "-pk"))


# The checks only clinic staff make: on the clinic page, by a scan or typed.
CLINIC_CHANNELS = (CardCheck.Channel.QR, CardCheck.Channel.TYPED)


def checker_name(check: CardCheck, *, viewer) -> str:
    """Who the access log names as having made `check` (a row of card_checks_for) to `viewer`, the
    login reading the log: the viewer themself, the holder, the holder's parent or guardian, clinic
    staff (at the check, whatever their login is now) by name, an officer by their agency, any other
    citizen by no name; a clinic's software by its token's name; a check whose login was deleted since
    as clinic staff's when made on the clinic page or logged with the login's facility, else as another
    signed-in user's; and a check made without login as a guest's."""
    user = check.checked_by
    if user is None:
        return checker_name_without_login(check)
    if user.pk == viewer.pk:
        return gettext("Bạn")
    if user.person_id == check.person_id:
        return gettext("Chủ thẻ")
    if check.by_guardian:
        return gettext("Cha, mẹ hoặc người giám hộ")
    # Clinic staff at the check: on the clinic page, or logged with the facility their login still has (a
    # clinic whose contract lapsed checks on the public page), whatever their login's facility is now.
    if check.channel in CLINIC_CHANNELS or (check.facility_id is not None and check.facility_id == user.facility_id):
        return user.get_full_name() or user.username
    if user.agency_id:
        return gettext("Cán bộ %(agency)s") % {"agency": user.agency.name}
    return gettext("Người dùng khác (đã đăng nhập)")


def checker_name_without_login(check: CardCheck) -> str:
    """Who made `check`, which has no login (now): what checker_name names it to anyone reading the
    access log, and what the officers' log names it. A clinic's software by its token's name; a check
    whose login was deleted since as clinic staff's when made on the clinic page or logged with the
    login's facility, else as another signed-in user's; a check made without login as a guest's."""
    if check.token_id is not None:
        return gettext("Phần mềm: %(name)s") % {"name": check.token.name}
    # A login deleted since, not a guest: without a token, only a login's facility is logged.
    if check.channel in CLINIC_CHANNELS or check.facility_id is not None:
        return gettext("Nhân viên cơ sở KCB")
    if check.signed_in:
        return gettext("Người dùng khác (đã đăng nhập)")
    return gettext("Khách (không đăng nhập)")


def checks_visible_to(user):
    checks = CardCheck.objects.select_related("card", "person", "facility", "checked_by", "token")
    return within_officer_scope(checks, user, field="card__agency_id")
