"""The password reset request's limit per client: every request for a reset code, asked on the reset
page (a valid BHXH code, the challenge passed) or again on the code page, to an account's phone or
for a BHXH code without one alike, is counted against
ACCOUNT_RESET_PER_CLIENT_RATE under the client's address (an IPv4 address or an IPv6 /64:
vssid_portal.ratelimit.client_ip), whatever BHXH code it names. allauth's own limit on resets
(20 a minute from one address) would let one client send a code to another phone every three
seconds; the challenge each request solves (accounts.services.challenge) makes each one cost work,
this limit caps their number."""

from django.conf import settings
from django_ratelimit.core import get_usage

from vssid_portal.ratelimit import client_ip

RESET_CLIENT_GROUP = "accounts.password_reset_client"


def _rate(group, request) -> str:
    return settings.ACCOUNT_RESET_PER_CLIENT_RATE


def password_reset_client_count(*, request, count: bool) -> dict | None:
    """django-ratelimit's count of the client's reset requests (`get_usage`'s answer), this request
    counted when `count`. Uncounted, its `should_limit` says whether one more would go over: the
    client has none left. A cache that cannot answer says 0 of 0 left: refused."""
    usage = get_usage(request, group=RESET_CLIENT_GROUP, key=client_ip, rate=_rate, method="POST", increment=count)
    if usage is not None and not count:
        usage = {**usage, "should_limit": usage["count"] >= usage["limit"]}
    return usage
