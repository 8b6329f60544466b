"""The password reset request's limit per client: every request for a reset code, asked on the reset
page (a valid BHXH code, the challenge passed) or again on the code page, to an account's phone or
for a BHXH code without one alike, is counted against
ACCOUNT_RESET_PER_CLIENT_RATE under the client's address (an IPv4 address or an IPv6 /64:
vssid_portal.ratelimit.client_ip), whatever BHXH code it names, unless the BHXH code's own limits
refuse it (a code asked again within a minute, the code's codes of the hour): it is counted before
them, so that requests at once cannot all pass, and given back when they refuse it. It counts the requests
of the last hour whatever its minute (vssid_portal.ratelimit.counted_in_the_last, allauth's limiter, by which
the codes of a phone or a BHXH code are counted too), not in hours ending at a given second, in which a script
would send the limit just before such an end and as many again just after. allauth's own limit on resets
(20 a minute from one address) would let one client send a code to another phone every three
seconds; the challenge each request solves (accounts.services.challenge) makes each one cost work,
this limit caps their number.

A reset's code is asked in two parts, so that the request's time does not tell an account from an
unknown BHXH code: the request does the same work for both (password_reset_code_ask) and queues one
task, in whose worker alone the account is looked up and its code sent (password_reset_code_send).

The task carries the BHXH code, the client's address and the code's nonce sealed (AES-GCM, a key drawn
from SECRET_KEY under a salt of its own: vssid_portal.files.sealed): the broker's message, which Redis
writes to its disk (appendonly) and whose headers name the arguments (argsrepr), holds neither in a form
that can be read there, and nothing waits for the worker in the cache, which is the same Redis; the
worker opens them (password_reset_code_queued). A task whose text does not open (sealed with a key no
longer kept) is logged, naming nobody, and dropped: the citizen asks again. While Redis is away the
request is refused before anything is queued (otp.Unavailable), as before."""

import logging

from django.conf import settings

from vssid_portal.files import opened, sealed
from vssid_portal.jobs import dispatch
from vssid_portal.ratelimit import client_ip, counted_in_the_last, give_back, seconds_until_allowed

from .. import otp
from ..selectors import user_for_reset

logger = logging.getLogger(__name__)

RESET_CLIENT_ACTION = "password_reset_client"
# The salt of the key a reset's task is sealed with: what is sealed for it opens nowhere else, nor a link there.
QUEUED_SALT = "accounts.password_reset.queued"


def password_reset_client_count(*, request, count: bool):
    """The client's count of reset requests against ACCOUNT_RESET_PER_CLIENT_RATE, this request counted when
    `count`: what password_reset_client_give_back takes to give it back, or None when the client has no
    request left (or the cache cannot count it: refused). Uncounted, it spends nothing and says whether
    one more would pass."""
    return counted_in_the_last(request, action=RESET_CLIENT_ACTION, rate=settings.ACCOUNT_RESET_PER_CLIENT_RATE,
                               count=count)


def password_reset_client_wait(*, request) -> float | None:
    """The seconds until the client's oldest reset request of the last hour leaves it, letting one more
    through; None when one may pass now (or the limit refused because its count was busy)."""
    return seconds_until_allowed(request, action=RESET_CLIENT_ACTION, rate=settings.ACCOUNT_RESET_PER_CLIENT_RATE)


def password_reset_code_ask(*, request, subject: str) -> None:
    """Ask a reset code for the BHXH code `subject`, alike whether it has an account or not: the
    limits counted under the BHXH code and the client, a code recorded for the code page
    (otp.reset_code_ask), and the task that sends it queued. Raises otp.SendRefused, naming no phone.
    Queued at once, not on commit: the request writes nothing to the database that could roll back."""
    from ..tasks import send_password_reset_code

    nonce = otp.reset_code_ask(request, subject=subject)
    dispatch(send_password_reset_code,
             sealed({"subject": subject, "client": client_ip(None, request), "nonce": nonce}, salt=QUEUED_SALT),
             personal=True)


def password_reset_code_queued(*, queued: str) -> bool:
    """The worker's part of a reset code queued by password_reset_code_ask: the BHXH code, the client's
    address and the code's nonce opened from the task's sealed text `queued`, and the code sent by
    password_reset_code_send. A text that does not open (a key rotated away, a message not the portal's) is
    logged without anything of it and dropped. Answers whether a code was sent."""
    asked = opened(queued, salt=QUEUED_SALT) if isinstance(queued, str) else None
    if not isinstance(asked, dict) or not {"subject", "client", "nonce"} <= asked.keys():
        logger.warning("a password reset's task could not be opened; dropped (the citizen asks for a code again)")
        return False
    return password_reset_code_send(subject=asked["subject"], nonce=asked["nonce"], client=asked["client"])


def password_reset_code_send(*, subject: str, nonce: str, client: str) -> bool:
    """The worker's part of a reset code asked by password_reset_code_ask from the `client` address:
    sent to the phone (or an officer's e-mail) of the account of the BHXH code `subject`, as the
    phone's limits allow (otp.reset_code_deliver); for a BHXH code without an account, nothing.
    Answers whether a code was sent."""
    user = user_for_reset(bhxh_code=subject)
    recipient = otp.recipient_for(user) if user is not None else None
    if recipient is None:
        return False
    return otp.reset_code_deliver(subject=subject, nonce=nonce, client=client, recipient=recipient, user=user)


def password_reset_client_give_back(*, counted) -> None:
    """Give back the request `password_reset_client_count` has just `counted` (its answer), which the BHXH
    code's own limits refused: it sent nothing, and a citizen who clicked twice keeps the address's share.
    Its own hit is taken back, whenever given back: another request counted meanwhile stays counted."""
    give_back(counted)
