"""One-time codes for a new device, a forgotten password and a password change.

The rules are the portal's security rules (DESIGN.md; OWASP ASVS 5 wants out-of-band codes to
live at most 10 minutes): 6 digits, valid 5 minutes, void after 5 wrong tries, a new code 60 s
after the last one at the earliest, at most 5 codes an hour to one phone (or e-mail address).

pyotp owns the code: an HOTP value whose secret is derived from SECRET_KEY and a random nonce
(after a key rotation, a code sent just before is checked with the fallback key it was made with).
The cache keeps the nonce and the counters, never the code, so neither a copy of the cache nor
the logs give a code away (the outbox erases the message text once delivered: `sensitive`).
A code is keyed by purpose and subject (the user for login and password change, the typed BHXH
code for a reset), not by browser, so starting over from a fresh login or another browser does
not reset its counters. The hourly cap is allauth's rate limiter (`ACCOUNT_RATE_LIMITS
["otp_send"]`), which needs a real cache (local memory or Redis); of a phone's codes of the hour,
one client address may have only a share sent by password resets (`["otp_send_reset_client"]`),
the codes a stranger who knows a BHXH code can ask for. A reset is refused, visibly, on the same
limits counted under the BHXH code, whether it has an account or not; the phone's cap, which the
holder's other codes fill too, then only keeps its code from being sent, without a word, and leaves
the code the phone has good with the tries spent on it. The reset's request does the same work for
both (reset_code_ask): it records a code sent to nobody and the worker alone looks the account up,
counts the phone's cap and sends the code (reset_code_deliver), so its time tells no account apart.
"""

import base64
import hashlib
import math
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import pyotp
from allauth.core.internal import ratelimit as ratelimit_internals
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from notifications.models import Message
from notifications.services import send_message
from vssid_portal.cache import cache_reachable
from vssid_portal.ratelimit import client_ip, consume_in_turn, key_rate, minutes_left, seconds_until_allowed
from vssid_portal.secret_keys import secret_keys
from vssid_portal.templatetags.vn_format import vn_time_date

CODE_DIGITS = 6
LIFETIME = 5 * 60
MAX_ATTEMPTS = 5
RESEND_AFTER = 60

# What the user reads on the page, in its language (the code itself goes out in its reader's:
# notifications/templates/notifications/messages/otp_*.txt). EXPIRED and VOIDED are worded when
# shown, from LIFETIME (in whole minutes, as the SMS says it) and MAX_ATTEMPTS as set then.


def _expired() -> str:
    minutes = LIFETIME // 60
    return ngettext(
        "Mã xác thực đã hết hạn (mã chỉ có hiệu lực %(minutes)s phút). Hãy bấm “Gửi lại mã” để nhận mã mới.",
        "Mã xác thực đã hết hạn (mã chỉ có hiệu lực %(minutes)s phút). Hãy bấm “Gửi lại mã” để nhận mã mới.",
        minutes,
    ) % {"minutes": minutes}


def _voided() -> str:
    return ngettext(
        "Mã xác thực đã bị hủy vì nhập sai %(tries)s lần. Hãy bấm “Gửi lại mã” để nhận mã mới.",
        "Mã xác thực đã bị hủy vì nhập sai %(tries)s lần. Hãy bấm “Gửi lại mã” để nhận mã mới.",
        MAX_ATTEMPTS,
    ) % {"tries": MAX_ATTEMPTS}


EXPIRED = lazy(_expired, str)()
VOIDED = lazy(_voided, str)()
# While the cache is unreachable (Redis down) a code can be neither kept nor checked.
UNAVAILABLE = _("Hệ thống mã xác thực đang tạm gián đoạn, nên chưa gửi hoặc kiểm tra được mã. Hãy thử lại sau vài phút.")


class Purpose(StrEnum):
    LOGIN = "login"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGE = "password_change"


class SendRefused(Exception):
    """No code was sent; `message` tells the user what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TooSoon(SendRefused):
    """A code went out less than RESEND_AFTER seconds ago; it is still the valid one, and a new one
    may be asked in `seconds`."""

    def __init__(self, message: str, *, seconds: int):
        super().__init__(message)
        self.seconds = seconds


class HourlyCapReached(SendRefused):
    """The phone (or address) has had its codes for this hour."""


class Unavailable(SendRefused):
    """The cache that would keep the code does not answer: nothing was sent."""


class CodeRejected(Exception):
    """The typed code was not accepted; `message` says why (wrong, void or expired)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Recipient:
    channel: str  # Message.Channel.SMS or Message.Channel.EMAIL
    address: str

    @property
    def display(self) -> str:
        """Enough for the user to recognise the phone or mailbox, not enough to learn it."""
        if self.channel == Message.Channel.SMS:
            return gettext("số điện thoại có đuôi %(digits)s") % {"digits": self.address[-3:]}
        name, _at, domain = self.address.partition("@")
        return gettext("địa chỉ email %(masked)s") % {"masked": f"{name[:1]}…@{domain}"}


def recipient_for(user) -> Recipient | None:
    """Citizens receive codes by SMS on the phone registered with their person record; officers
    without a person by e-mail. None when the account has neither."""
    person = user.person
    if person is not None and person.phone:
        return Recipient(Message.Channel.SMS, person.phone.as_e164)
    if user.email:
        return Recipient(Message.Channel.EMAIL, user.email)
    return None


def send_code(request, *, purpose: Purpose, subject: str, recipient: Recipient | None, user=None,
              language: str = "") -> None:
    """Start a fresh code for (purpose, subject) and send it; the previous code stops working.

    Call it on POST requests (allauth's limiter does not count GETs). Without a recipient (an
    officer with neither phone nor e-mail) the code is recorded all the same and nothing is sent.
    At the hourly cap nothing is sent and nothing changes: the code sent before stays good until it
    expires, and the refusal (HourlyCapReached) says so and when the next may be asked, also when
    asked within RESEND_AFTER of the last code if the cap would refuse it even then (not TooSoon,
    whose seconds would end in that refusal). The password reset, which must not tell an account
    from an unknown BHXH code, asks its code by reset_code_ask instead. The code is
    written in `language` when given, else in `user`'s (notifications.services.send_message).
    """
    key = _key(purpose, subject)
    now = time.time()
    limits = _phone_limits(recipient)
    try:
        cooldown = _start_cooldown(key, now)
    except TooSoon as too_soon:
        # Once the wait is over the cap would refuse the code all the same: said, not "ask again in 40 s".
        wait = _wait_until_allowed(request, limits)
        if wait is not None and wait > too_soon.seconds:
            raise HourlyCapReached(_cap_message(recipient, wait, now=now, kept=_outstanding_until(key, now))) from None
        raise
    if limits and consume_in_turn(request, limits):
        cache.delete(cooldown)  # nothing was sent: no reason to make the visitor wait
        # (Refused without a full record only when the limiter's lock was busy: a minute then.)
        raise HourlyCapReached(_cap_message(recipient, _wait_until_allowed(request, limits) or 60, now=now,
                                            kept=_outstanding_until(key, now)))
    state = _record(key, now)
    if recipient:
        _send(purpose, subject, state, recipient=recipient, user=user, now=now, language=language)


def reset_code_ask(request, *, subject: str) -> str:
    """The request's part of a password reset's code, the same work whether the BHXH code `subject`
    has an account or not, so that neither its answer nor its time tells them apart: the wait since
    the last code, the limits counted under the BHXH code and this client's share of them
    (_reset_limits), and a new code recorded for the code page, sent to nobody yet. Returns the
    code's nonce, for reset_code_deliver, which the worker runs: it alone looks the account up.

    Until then the code the phone has, while it may still be typed, stays the one checked (_kept_code):
    the new one opens nothing unless delivered, and is delivered only if the phone's cap allows.
    Raises SendRefused, naming no phone, when a limit refuses: HourlyCapReached also when asked within
    RESEND_AFTER if the BHXH code's limits would refuse it even then; TooSoon worded as the reset's
    other answers, alike for an account and an unknown BHXH code."""
    key = _key(Purpose.PASSWORD_RESET, subject)
    now = time.time()
    limits = _reset_limits(request, subject)
    try:
        cooldown = _start_cooldown(key, now)
    except TooSoon as too_soon:
        wait = _wait_until_allowed(request, limits)
        if wait is not None and wait > too_soon.seconds:  # the cap would refuse it once the wait is over
            raise HourlyCapReached(_quiet_cap_message(wait, now=now, outstanding=_outstanding(key, now),
                                                      per_client=_per_client(request, limits))) from None
        raise _reset_too_soon(too_soon.seconds) from None
    if consume_in_turn(request, limits):
        cache.delete(cooldown)  # nothing was recorded: no reason to make the visitor wait
        raise HourlyCapReached(_quiet_cap_message(_wait_until_allowed(request, limits) or 60, now=now,
                                                  outstanding=_outstanding(key, now),
                                                  per_client=_per_client(request, limits)))
    return _record(key, now, kept=_kept_code(key, now), held=True)["nonce"]


def reset_code_deliver(*, subject: str, nonce: str, client: str, recipient: Recipient, user) -> bool:
    """The worker's part of the reset code `nonce` that reset_code_ask recorded for the BHXH code
    `subject` of `user`'s account: sent to `recipient` if it is still the code recorded, still lives and
    the phone's cap allows, counted against the phone's codes of the hour and first against the share
    of them the client (its address, as client_ip says it) may have; then it is the code checked. Held
    by the phone's cap, it is sent to nobody without a word, and the code the phone has, if any, stays
    the one checked with the tries already spent on it. A task run again (handed out again after a worker
    was lost) sends it again, which the outbox drops as a copy, and counts nothing more. Answers whether
    the code was sent."""
    key = _key(Purpose.PASSWORD_RESET, subject)
    now = time.time()
    state = cache.get(key)
    if state is None or state["nonce"] != nonce or not _live(state, now):  # used, replaced or expired meanwhile
        return False
    left = max(state["sent_at"] + LIFETIME - now, 1)
    # Counted once, however many times the task runs (a worker lost mid-send, the task handed out
    # again); a refusal counted nothing, so a run again may count.
    counted = f"{key}:delivered:{nonce}"
    if cache.add(counted, True, left):
        if consume_in_turn(None, _phone_limits(recipient, client=client)):
            cache.delete(counted)
            return False
    elif not cache_reachable():  # not known to be counted: nothing sent
        return False
    # From now the new code is the one checked, its tries so far counted on it: kept beside itself, so
    # that a delivered code's state has the shape of an unknown BHXH code's, and checking it the same work.
    own = {name: value for name, value in state.items() if name != "kept"}
    cache.set(f"{key}:tries", cache.get(_tries_key(key, state)) or 0, left)
    cache.set(key, {**own, "kept": own}, left)
    _send(Purpose.PASSWORD_RESET, subject, state, recipient=recipient, user=user, now=now)
    return True


def _start_cooldown(key: str, now: float) -> str:
    """Start the RESEND_AFTER wait of `key`'s codes, or raise TooSoon while the last one's lasts
    (Unavailable when the cache does not answer). Returns the wait's own cache key."""
    cooldown = f"{key}:cooldown"
    # Read once before the lock, so that an outage is told at once, as when nothing is locked: allauth's
    # lock would try for a second a cache that refuses every try.
    if cache.get(cooldown) is None and not cache_reachable():
        raise Unavailable(str(UNAVAILABLE))
    # The asks of one code are put one after another, each reading the last one's time and writing its own
    # alone: of two at the same moment (a double click) only one may send. The stored time, not only the
    # cache's own expiry, decides when the wait is over, since Redis lets a record outlive the time it holds
    # by the moments between them, and by the difference of two web servers' clocks; without the lock, the
    # record going while one ask takes the wait over from it would let the other start a wait of its own.
    with ratelimit_internals.cache_lock(cooldown) as locked:
        if not locked:  # another ask of this code holds it (or the cache has just gone)
            if not cache_reachable():
                raise Unavailable(str(UNAVAILABLE))
            raise _too_soon(RESEND_AFTER)
        if not cache.add(cooldown, now, RESEND_AFTER):
            if not cache_reachable():
                raise Unavailable(str(UNAVAILABLE))
            sent_at = cache.get(cooldown) or now
            if now < sent_at + RESEND_AFTER:
                raise _too_soon(sent_at + RESEND_AFTER - now)
            cache.set(cooldown, now, RESEND_AFTER)
    return cooldown


def _too_soon(wait: float) -> TooSoon:
    """The refusal of a code asked `wait` seconds before the last one's RESEND_AFTER is over."""
    seconds = math.ceil(max(wait, 1))
    return TooSoon(ngettext("Mã vừa được gửi. Bạn có thể yêu cầu mã mới sau %(seconds)s giây.",
                            "Mã vừa được gửi. Bạn có thể yêu cầu mã mới sau %(seconds)s giây.", seconds)
                   % {"seconds": seconds}, seconds=seconds)


def still_good(recipient: Recipient, refusal: TooSoon) -> str:
    """What a code page says of a code asked again within RESEND_AFTER while the last one may still be
    typed: that one, and when a new one may be asked."""
    return ngettext(
        "Mã xác thực vừa gửi tới %(recipient)s vẫn dùng được: hãy nhập mã đó. Chưa nhận được thì sau "
        "%(seconds)s giây bạn có thể yêu cầu mã mới.",
        "Mã xác thực vừa gửi tới %(recipient)s vẫn dùng được: hãy nhập mã đó. Chưa nhận được thì sau "
        "%(seconds)s giây bạn có thể yêu cầu mã mới.", refusal.seconds,
    ) % {"recipient": recipient.display, "seconds": refusal.seconds}


def _reset_too_soon(seconds: int) -> TooSoon:
    """_too_soon said of a reset, alike for an account and an unknown BHXH code, as its other answers are:
    a code went out only if the BHXH code has an account."""
    return TooSoon(ngettext(
        "Nếu mã số BHXH này đã có tài khoản, mã xác thực vừa được gửi tới số điện thoại đăng ký. Bạn có thể "
        "yêu cầu mã mới sau %(seconds)s giây.",
        "Nếu mã số BHXH này đã có tài khoản, mã xác thực vừa được gửi tới số điện thoại đăng ký. Bạn có thể "
        "yêu cầu mã mới sau %(seconds)s giây.", seconds) % {"seconds": seconds}, seconds=seconds)


def _record(key: str, now: float, *, kept: dict | None = None, held: bool = False) -> dict:
    """Record a new code for `key`, its wrong tries none yet, and return its state. A `held` code (a
    reset's, until the worker delivers it) is recorded beside the `kept` code (_kept_code), which stays
    the one checked, or beside none (`kept` None) and opens nothing until delivered."""
    state = {"nonce": secrets.token_urlsafe(16), "sent_at": now, "key": _key_id(settings.SECRET_KEY)}
    if held:
        state["kept"] = kept
    cache.set(key, state, LIFETIME)
    cache.set(_tries_key(key, state), 0, LIFETIME)
    return state


def _send(purpose: Purpose, subject: str, state: dict, *, recipient: Recipient, user, now: float,
          language: str = "") -> None:
    """Queue the code of `state` to `recipient`, dropped rather than sent once it has expired."""
    left = state["sent_at"] + LIFETIME - now
    send_message(
        channel=recipient.channel,
        template=f"otp_{purpose}",
        context={"code": _hotp(purpose, subject, state["nonce"], _secret_key_of(state)).at(0),
                 "minutes": LIFETIME // 60},
        recipient=recipient.address,
        idempotency_key=f"otp-{purpose}-{state['nonce']}",
        user=user,
        sensitive=True,
        expires_at=timezone.now() + timedelta(seconds=left),
        language=language,
    )


def _phone_limits(recipient: Recipient | None, *, client: str | None = None) -> list[tuple[str, str]]:
    """allauth's limits (action, key) a code to `recipient` spends: its phone's (or address's) codes
    of the hour; for a reset, first the share of them one `client` address may have sent, so that
    one who asks resets of several BHXH codes with the same phone cannot spend them all."""
    if recipient is None:
        return []
    share = [("otp_send_reset_client", f"{client} {recipient.address}")] if client is not None else []
    return [*share, ("otp_send", recipient.address)]


def _reset_limits(request, subject: str) -> list[tuple[str, str]]:
    """The limits a reset's refusal is decided on, alike whether the BHXH code `subject` has an
    account or not: the codes of the hour asked for that BHXH code, as many as to a phone, and first
    the share of them one client address may have, so that a stranger cannot spend them all. Counted
    under the BHXH code, never the phone, whose other codes (the holder's login or password change)
    would tell an account from an unknown code."""
    counted = f"bhxh:{subject}"
    return [("otp_send_reset_client", f"{client_ip(None, request)} {counted}"), ("otp_send", counted)]


def _waits(request, limits: list[tuple[str, str]]) -> list[tuple[float, str]]:
    """The seconds each full limit of `limits` has left, with its action."""
    return [(wait, action) for action, key in limits
            if (wait := seconds_until_allowed(request, action=action, key=key)) is not None]


def _wait_until_allowed(request, limits: list[tuple[str, str]]) -> float | None:
    """The seconds until every limit of `limits` lets a code through, or None while none is full."""
    waits = _waits(request, limits)
    return max(waits)[0] if waits else None


def _clock(at: float, *, up: bool) -> str:
    """The moment `at` (a time.time() value) as the portal's local time, hh:mm, rounded `up` to the next
    minute (a time from which something may be done) or down (a time until which something lasts); with
    its date (vn_time_date) when it is not today."""
    minute = (math.ceil(at / 60) if up else math.floor(at / 60)) * 60
    moment = timezone.localtime(datetime.fromtimestamp(minute, tz=UTC))
    if moment.date() != timezone.localtime(datetime.fromtimestamp(time.time(), tz=UTC)).date():
        return vn_time_date(moment)
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _per_client(request, limits: list[tuple[str, str]]) -> bool:
    """Whether, of a reset's limits, the one that lets a code through last is the client's share
    (else the BHXH code's codes of the hour): the refusal names what refused."""
    waits = _waits(request, limits)
    return bool(waits) and max(waits)[1] == "otp_send_reset_client"


def _live(state: dict | None, now: float) -> bool:
    """Whether a code's state is there and `now` is within its LIFETIME."""
    return state is not None and now <= state["sent_at"] + LIFETIME


def _outstanding(key: str, now: float) -> bool:
    """Whether the code last sent for `key` may still be typed: not expired, not void."""
    return _outstanding_until(key, now) is not None


def _outstanding_until(key: str, now: float) -> float | None:
    """Until when the code last sent for `key` may still be typed (its expiry), or None when it may not
    (expired, void, or none)."""
    state = cache.get(key)
    if not _live(state, now) or (cache.get(_tries_key(key, state)) or 0) >= MAX_ATTEMPTS:
        return None
    return state["sent_at"] + LIFETIME


def code_outstanding(*, purpose: Purpose, subject: str) -> bool:
    """Whether the code last sent for `subject` may still be typed: not expired, not void."""
    return _outstanding(_key(purpose, subject), time.time())


def _tries_key(key: str, state: dict) -> str:
    """Where the wrong tries typed at `state`, those the pages tell of, are counted: under `key`'s own
    count, except for a reset's code (recorded beside a kept code or none, _record), whose tries
    start anew under its nonce, whether delivered or not, while the kept code's go on under `key`'s own."""
    return f"{key}:tries:{state['nonce']}" if "kept" in state else f"{key}:tries"


def _kept_code(key: str, now: float) -> dict | None:
    """The code for `key` that may still be typed (the one the phone has: not expired, fewer than
    MAX_ATTEMPTS wrong tries in all), to stay the one checked when a reset records another, until
    the worker delivers it (reset_code_deliver), and for good when the phone's cap keeps it from
    being sent: else a stranger's reset, answered as if sent, would void it. Its tries go on counting
    under `key`'s own, never anew, so such resets give no guess more at it. The same cache reads
    whatever the state holds, so that their time tells no account apart."""
    state = cache.get(key)
    tries = cache.get(f"{key}:tries") or 0
    code = state.get("kept", state) if state is not None else None
    return code if _live(code, now) and tries < MAX_ATTEMPTS else None


def _checked(key: str, state: dict, now: float) -> dict | None:
    """The code a typed one is checked against: the one of `state`; for a reset's code, the kept one
    (the code delivered itself once the worker has sent it), while it lives and, counting this try under
    its own count, has had no more than MAX_ATTEMPTS; else none (a code sent to nobody opens nothing).
    A reset's try is counted whether a code is kept or not, alive or not: the same cache calls for an
    account as for an unknown BHXH code."""
    if "kept" not in state:  # a code sent at once (a login's, a password change's)
        return state
    kept = state["kept"]
    try:
        tries = cache.incr(f"{key}:tries")  # the kept code's own count: see _tries_key
    except ValueError:  # expired with the code, or none kept
        return None
    return kept if _live(kept, now) and tries <= MAX_ATTEMPTS else None


def _window(action: str) -> str:
    """The window of allauth's limit `action` per key (ACCOUNT_RATE_LIMITS), as set now and said as
    _every says it; an hour for a limit that has none, which never refuses."""
    rate = key_rate(action)
    return _every(rate.duration if rate is not None else 3600)


def _cap_message(recipient: Recipient, wait: float, *, now: float, kept: float | None = None) -> str:
    """The phone's cap said: no new code was sent, the code sent before still good until `kept` (its
    expiry, when it may still be typed), and when (in `wait` seconds: the minutes and the local time) a
    new one may be asked."""
    minutes = minutes_left(wait)
    said = [gettext("Đã gửi đủ số mã cho phép %(every)s tới %(recipient)s, nên chưa gửi mã mới.")
            % {"every": _window("otp_send"), "recipient": recipient.display}]
    if kept is not None:
        said.append(gettext("Mã đã gửi trước đó vẫn dùng được tới %(until)s: hãy nhập mã đó.")
                    % {"until": _clock(kept, up=False)})
    said.append(ngettext(
        "Bạn có thể yêu cầu mã sau %(minutes)s phút (từ %(time)s), hoặc gọi tổng đài %(hotline)s.",
        "Bạn có thể yêu cầu mã sau %(minutes)s phút (từ %(time)s), hoặc gọi tổng đài %(hotline)s.",
        minutes,
    ) % {"minutes": minutes, "time": _clock(now + wait, up=True), "hotline": settings.PORTAL_HOTLINE})
    return " ".join(said)


# Why a reset's code was not sent: the BHXH code had its codes of the window, or this client its share.
CODE_HAD_ITS_CODES = _("mã số BHXH này đã được yêu cầu đủ số mã cho phép %(every)s")
CLIENT_HAD_ITS_CODES = _("mạng bạn đang dùng đã yêu cầu đủ số mã cho phép %(every)s cho mã số BHXH này")


def _quiet_cap_message(wait: float, *, now: float, outstanding: bool, per_client: bool = False) -> str:
    """The cap said of a reset, alike for an account and an unknown BHXH code: no phone named; a new code
    may be asked in `wait` seconds, said in minutes and as the local time."""
    minutes, at = minutes_left(wait), _clock(now + wait, up=True)
    if per_client:
        reason = CLIENT_HAD_ITS_CODES % {"every": _window("otp_send_reset_client")}
    else:
        reason = CODE_HAD_ITS_CODES % {"every": _window("otp_send")}
    if outstanding:
        return ngettext(
            "Nếu mã số BHXH này đã có tài khoản, mã xác thực đã được gửi tới số điện thoại đăng ký và vẫn dùng được "
            "tới khi hết hạn. Chưa gửi mã mới vì %(reason)s; bạn có thể yêu cầu mã mới sau %(minutes)s phút "
            "(từ %(time)s).",
            "Nếu mã số BHXH này đã có tài khoản, mã xác thực đã được gửi tới số điện thoại đăng ký và vẫn dùng được "
            "tới khi hết hạn. Chưa gửi mã mới vì %(reason)s; bạn có thể yêu cầu mã mới sau %(minutes)s phút "
            "(từ %(time)s).",
            minutes,
        ) % {"minutes": minutes, "time": at, "reason": reason}
    return ngettext(
        "Nếu mã số BHXH này đã có tài khoản, chưa gửi mã mới tới số điện thoại đăng ký vì %(reason)s. Bạn có thể "
        "yêu cầu mã mới sau %(minutes)s phút (từ %(time)s), hoặc gọi tổng đài %(hotline)s.",
        "Nếu mã số BHXH này đã có tài khoản, chưa gửi mã mới tới số điện thoại đăng ký vì %(reason)s. Bạn có thể "
        "yêu cầu mã mới sau %(minutes)s phút (từ %(time)s), hoặc gọi tổng đài %(hotline)s.",
        minutes,
    ) % {"minutes": minutes, "time": at, "reason": reason, "hotline": settings.PORTAL_HOTLINE}


def _every(seconds: float) -> str:
    """A limit's window as the notes say it: "mỗi giờ", "mỗi 2 giờ", "mỗi 30 phút"."""
    if seconds % 3600:
        minutes = math.ceil(seconds / 60)
        return ngettext("mỗi %(minutes)s phút", "mỗi %(minutes)s phút", minutes) % {"minutes": minutes}
    hours = int(seconds // 3600)
    return gettext("mỗi giờ") if hours == 1 else ngettext("mỗi %(hours)s giờ", "mỗi %(hours)s giờ", hours) % {
        "hours": hours}


def reset_sent_note() -> str:
    """What the reset's code page says once a code is asked, alike for an account or an unknown BHXH code:
    the code's digits, the wait before a new one (RESEND_AFTER) and the codes a BHXH code, and one network,
    may be sent (ACCOUNT_RATE_LIMITS "otp_send" and "otp_send_reset_client", _reset_limits), as set now."""
    sent = gettext("Nếu mã số BHXH này đã có tài khoản, mã xác thực gồm %(digits)s chữ số đã được gửi tới số điện "
                   "thoại đăng ký.") % {"digits": CODE_DIGITS}
    codes, share = key_rate("otp_send"), key_rate("otp_send_reset_client")
    wait = {"seconds": RESEND_AFTER}
    if codes is None:
        return f"{sent} " + ngettext("Chưa nhận được thì sau %(seconds)s giây bạn có thể yêu cầu gửi lại.",
                                     "Chưa nhận được thì sau %(seconds)s giây bạn có thể yêu cầu gửi lại.",
                                     RESEND_AFTER) % wait
    limits = {"codes": codes.amount, "every": _every(codes.duration)}
    if share is None:
        resend = ngettext("Chưa nhận được thì sau %(seconds)s giây bạn có thể yêu cầu gửi lại (tối đa %(codes)s mã "
                          "%(every)s).",
                          "Chưa nhận được thì sau %(seconds)s giây bạn có thể yêu cầu gửi lại (tối đa %(codes)s mã "
                          "%(every)s).", codes.amount)
    elif share.duration == codes.duration:
        resend = ngettext("Chưa nhận được thì sau %(seconds)s giây bạn có thể yêu cầu gửi lại (tối đa %(codes)s mã "
                          "%(every)s, và %(share)s mã khi yêu cầu từ cùng một mạng).",
                          "Chưa nhận được thì sau %(seconds)s giây bạn có thể yêu cầu gửi lại (tối đa %(codes)s mã "
                          "%(every)s, và %(share)s mã khi yêu cầu từ cùng một mạng).", codes.amount)
    else:
        resend = ngettext("Chưa nhận được thì sau %(seconds)s giây bạn có thể yêu cầu gửi lại (tối đa %(codes)s mã "
                          "%(every)s, và %(share)s mã %(share_every)s khi yêu cầu từ cùng một mạng).",
                          "Chưa nhận được thì sau %(seconds)s giây bạn có thể yêu cầu gửi lại (tối đa %(codes)s mã "
                          "%(every)s, và %(share)s mã %(share_every)s khi yêu cầu từ cùng một mạng).", codes.amount)
    if share is not None:
        limits |= {"share": share.amount, "share_every": _every(share.duration)}
    return f"{sent} {resend % {**wait, **limits}}"


def unsent_at_cap(request, *, purpose: Purpose, subject: str, recipient: Recipient | None,
                  quiet: bool = False) -> str | None:
    """What a code page says in place of its code field when no code waits to be typed because
    the hourly cap kept it from being sent (with when to ask again), or the code sent is void after
    its wrong tries; None when a code waits, or a new one may be asked for (a code that has expired
    or is void is told so when typed). With `quiet` (the password reset), the cap is the one
    reset_code_ask refuses at: the BHXH code's and this client's share of it, said naming no
    phone."""
    now = time.time()
    if _outstanding(_key(purpose, subject), now):
        return None
    limits = _reset_limits(request, subject) if quiet else _phone_limits(recipient)
    wait = _wait_until_allowed(request, limits)
    if wait is None:
        return None
    if quiet:
        return _quiet_cap_message(wait, now=now, outstanding=False, per_client=_per_client(request, limits))
    return _cap_message(recipient, wait, now=now)


def check_code(*, purpose: Purpose, subject: str, code: str) -> None:
    """Accept the current code once, or raise CodeRejected saying why."""
    key = _key(purpose, subject)
    state = cache.get(key)
    if state is None and not cache_reachable():
        raise CodeRejected(UNAVAILABLE)
    now = time.time()
    if not _live(state, now):
        raise CodeRejected(EXPIRED)
    try:
        tries = cache.incr(_tries_key(key, state))  # atomic: parallel guesses cannot share one try
    except ValueError:
        raise CodeRejected(EXPIRED if cache_reachable() else UNAVAILABLE) from None
    if tries > MAX_ATTEMPTS:
        raise CodeRejected(VOIDED)
    # delete() answers True only once, so a code opens one door even when sent twice at once.
    checked = _checked(key, state, now)
    if checked is not None and _opens(purpose, subject, checked, code) and cache.delete(key):
        cache.delete(f"{key}:cooldown")  # used: the next login may ask for a new code at once
        return
    left = MAX_ATTEMPTS - tries
    if left == 0:
        raise CodeRejected(VOIDED)
    raise CodeRejected(ngettext("Mã xác thực không đúng. Bạn còn %(left)s lần thử.",
                                "Mã xác thực không đúng. Bạn còn %(left)s lần thử.", left) % {"left": left})


def _opens(purpose: Purpose, subject: str, state: dict, code: str) -> bool:
    """Whether `code` is the one of the code `state`, under the key it was made with."""
    secret_key = _secret_key_of(state)
    return bool(secret_key) and _hotp(purpose, subject, state["nonce"], secret_key).verify(code, 0)


def _key(purpose: Purpose, subject: str) -> str:
    # Hashed: the subject may be whatever a visitor typed, and cache keys must stay plain.
    return f"accounts:otp:{purpose}:{hashlib.sha256(subject.encode()).hexdigest()}"


def _key_id(secret_key: str) -> str:
    return salted_hmac("accounts.otp.key", "id", secret=secret_key, algorithm="sha256").hexdigest()[:16]


def _secret_key_of(state: dict) -> str | None:
    """The key a code was derived from: SECRET_KEY, or after a rotation the fallback key it was sent
    with, so that a code sent just before still opens and the other keys make no second code good."""
    wanted = state.get("key")
    return next((key for key in secret_keys()
                 if wanted is None or _key_id(key) == wanted), None)


def _hotp(purpose: Purpose, subject: str, nonce: str, secret_key: str | None = None) -> pyotp.HOTP:
    secret = salted_hmac(f"accounts.otp.{purpose}", f"{subject}:{nonce}", secret=secret_key,
                         algorithm="sha256").digest()
    return pyotp.HOTP(base64.b32encode(secret).decode(), digits=CODE_DIGITS)
