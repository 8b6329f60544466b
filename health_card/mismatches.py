"""The limit on answers of a wrong name or birth date about a card or a BHXH code, per clinic login
(the verify page and the visit admin's patient, which share it) and per API token: such answers would
otherwise let a caller try birth dates (or names) for a known code until one matched.

A check takes its slot before it is made and gives it back when its answer is not a wrong guess, or
when it fails before any answer (given_back_if_raised), so that checks sent at once cannot all pass a
"used up?" reading made before any of them is counted.
Counted with allauth's limiter (vssid_portal.ratelimit), over the last hour whatever its minute.
"""

from contextlib import contextmanager

from django.utils.translation import gettext_lazy, ngettext

from vssid_portal.cache import cache_reachable
from vssid_portal.ratelimit import counted_in_the_last, give_back, minutes_left, seconds_until_allowed

# A desk mistypes now and then; trying the birth dates of a decade takes thousands. The API's is
# per token: all of a clinic's desks through its software.
CLINIC_MISMATCHES = "30/h"
API_MISMATCHES = "300/h"
ACTION = "health_card_mismatch"

# Said when the wait is not known (the count the cache kept has no window): at most the limit's hour.
MISMATCHES_LIMITED = gettext_lazy(
    "Tài khoản này đã có quá nhiều lần xác thực sai họ tên hoặc ngày sinh trong một giờ nên tạm thời không "
    "xác thực được. Hãy thử lại sau 1 giờ; nếu cần ngay, liên hệ cơ quan BHXH.")


def mismatches_limited(wait: float | None) -> str:
    """What a clinic login past its answers of a wrong name or birth date is told: the minutes left of
    the limit's hour (as Retry-After says them), not a whole hour whenever it is refused."""
    minutes = minutes_left(wait)
    if minutes is None:
        return str(MISMATCHES_LIMITED)
    return ngettext(
        "Tài khoản này đã có quá nhiều lần xác thực sai họ tên hoặc ngày sinh trong một giờ nên tạm thời không "
        "xác thực được. Hãy thử lại sau %(minutes)s phút; nếu cần ngay, liên hệ cơ quan BHXH.",
        "Tài khoản này đã có quá nhiều lần xác thực sai họ tên hoặc ngày sinh trong một giờ nên tạm thời không "
        "xác thực được. Hãy thử lại sau %(minutes)s phút; nếu cần ngay, liên hệ cơ quan BHXH.",
        minutes) % {"minutes": minutes}


def clinic_caller(user) -> str:
    """The key a clinic login's wrong guesses are counted under, wherever it makes them."""
    return f"user-{user.pk}"


def mismatch_reserve(*, caller: str, rate: str):
    """Take one of `caller`'s answers of a wrong guess before a check: what mismatch_give_back takes
    back once the answer is not one, or None when they are used up (or the cache cannot count it)."""
    return counted_in_the_last(None, action=ACTION, rate=f"{rate}/key", key=caller)


def mismatch_give_back(reserved) -> None:
    """Give back the slot `mismatch_reserve` took (its answer) for a check that answered no wrong guess,
    or that was not made."""
    give_back(reserved)


@contextmanager
def given_back_if_raised(reserved):
    """Give back the slot `mismatch_reserve` took (its answer) when what runs inside raises, whatever
    it raises (a body too big or unreadable, the database's error, a client gone): the check it was
    taken for was not answered, so it spends nothing of the limit; the error goes on as it was."""
    try:
        yield
    except BaseException:
        mismatch_give_back(reserved)
        raise


def mismatches_wait(*, caller: str, rate: str) -> float | None:
    """The seconds until `caller`'s oldest wrong guess of the window leaves it, letting one more
    check through; None when one may pass now."""
    return seconds_until_allowed(None, action=ACTION, key=caller, rate=f"{rate}/key")


def mismatches_refused_wait(*, caller: str, rate: str) -> float | None:
    """Why mismatch_reserve refused `caller`'s check: the seconds until its answers of a wrong guess let
    one more through, their window being full; or None, the window not full, when the count could not
    be kept (Redis down, or allauth's lock of the count busy past its second): a refusal of the portal's,
    answered 503 as an outage, not as a wrong guess too many of a caller that may have made none."""
    return mismatches_wait(caller=caller, rate=rate) if cache_reachable() else None


class MismatchesUsedUp(Exception):
    """A check refused before it is made: the caller's answers of a wrong guess are used up, `wait` the
    seconds until one more is let through; or (`wait` None) they could not be counted
    (mismatches_refused_wait)."""

    def __init__(self, wait: float | None = None):
        super().__init__(wait)
        self.wait = wait
