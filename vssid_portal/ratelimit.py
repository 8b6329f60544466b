"""One answer to "who is the client?" for every rate limit in the portal.

allauth's adapter reads the client address behind `TRUSTED_PROXY_COUNT` reverse proxies;
django-ratelimit uses the same through `client_ip` (`key="vssid_portal.ratelimit.client_ip"`),
so login limits and the portal's own form limits count the same visitor.
"""

from allauth.account.adapter import get_adapter


def client_ip(group, request) -> str:
    return get_adapter(request).get_client_ip(request) or "unknown"
