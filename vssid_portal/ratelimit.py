"""One answer to "who is the client?" for every rate limit in the portal, and to "when may it try again?".

allauth's adapter reads the client address behind `TRUSTED_PROXY_COUNT` reverse proxies;
django-ratelimit uses the same through `client_ip` (`key="vssid_portal.ratelimit.client_ip"`),
so login limits and the portal's own form limits count the same visitor: an IPv4 address, or the
IPv6 network allauth counts as one client (ALLAUTH_RATE_LIMIT_IPV6_PREFIX, a /64), since an IPv6
subscriber may send each request from another address of its network.
"""

import time

from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit as ratelimit_internals
from django.conf import settings
from django.core.cache import cache, caches
from django_ratelimit import core as django_ratelimit_internals
from django_ratelimit.core import get_usage


def client_ip(group, request) -> str:
    return ratelimit_internals.get_ip(request) or "unknown"


def client_address(request) -> str:
    """The client's own address (an IPv6 one whole), for records that name the client, not a limit."""
    return get_adapter(request).get_client_ip(request) or "unknown"


def recipient_counted(*, group: str, recipient: str, rate: str) -> dict | None:
    """Count one message to `recipient` (an E.164 number or a case-folded e-mail address) against
    `rate` (django-ratelimit's "3/d"): its count (`get_usage`'s answer, this one counted), over once
    the rate is passed or when the cache could not count it. Keyed by the recipient alone, whichever
    client or login asks (django-ratelimit keeps a digest of it, not the address), so that nobody can
    text or mail a stranger over and over by asking from several places."""
    return get_usage(None, group=group, key=lambda group, request: recipient, rate=rate, method=get_usage.ALL,
                     increment=True)


def usage_counted(request, *, group: str, key, rate, method: str) -> dict | None:
    """Count this request with django-ratelimit's `get_usage` (`group`, `key`, `rate` and `method`,
    callables as it takes them) and answer its answer, with under "counted" the cache key of the window
    counted, which usage_give_back takes back: a request counted in a window's last second and given
    back in the next is taken from the window that counted it, not from the one the clock says then.
    get_usage does not say which window it counted: it is the one the clock says both before and
    after it; when these differ (a window ended during the call), or nothing was counted, "counted" is
    left out and nothing will be given back. django-ratelimit has no public way to the window or the
    cache key: its internal helpers make them, as get_usage does."""
    value = key(group, request) if callable(key) else key
    amount_rate = rate(group, request) if callable(rate) else rate
    period = django_ratelimit_internals._split_rate(amount_rate)[1] if amount_rate is not None else None
    before = django_ratelimit_internals._get_window(value, period) if period else None
    usage = get_usage(request, group=group, key=key, rate=rate, method=method, increment=True)
    if usage is None or usage["time_left"] < 0 or before != django_ratelimit_internals._get_window(value, period):
        return usage
    return {**usage, "counted": django_ratelimit_internals._make_cache_key(group, before, amount_rate, value, method)}


def usage_give_back(usage: dict | None) -> None:
    """Take back the hit that usage_counted has counted (its answer `usage`), once what was counted
    turns out not to have been done, so that it spends nothing of the limit: from the window that
    counted it, even once the next has begun. Counting first and giving back keeps the limit whole
    when requests come at once, where checking first would let them all through. Nothing counted, a
    window over meanwhile, or a cache that does not answer has nothing to take back."""
    if not usage or "counted" not in usage:
        return
    try:
        caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")].decr(usage["counted"])
    except ValueError:  # no such count (its window over, or the cache down): nothing to give back
        pass


def seconds_until_allowed(request, *, action: str, key: str | None = None, per: str | None = None) -> float | None:
    """How long until allauth's limiter (`ACCOUNT_RATE_LIMITS[action]`, only its rates counted
    `per` "ip" or "key" when given) lets this client and `key` through again, or None when it
    would now. Reads the limiter's records and spends nothing:
    allauth's public `ratelimit.consume(dry_run=True)` says whether, not when, so the records are
    read through its internal helpers (the cache key and the rates as allauth makes them). A rate
    is full while it holds `amount` hits within its window, and frees a slot when the oldest of
    them leaves it."""
    now, until = time.time(), None
    for rate in ratelimit_internals.get_rates(app="allauth.account", action=action):
        if per is not None and rate.per != per:
            continue
        cache_key = ratelimit_internals.get_cache_key(request, app="allauth.account", action=action, rate=rate,
                                                      key=key)
        hits = sorted((at for at in cache.get(cache_key, []) if at > now - rate.duration), reverse=True)
        if len(hits) >= rate.amount:
            until = max(until or 0, hits[rate.amount - 1] + rate.duration - now)
    return until


def key_rate(action: str) -> ratelimit_internals.Rate | None:
    """The first rate of allauth's limit `ACCOUNT_RATE_LIMITS[action]` counted per key (a phone, a BHXH
    code), as the settings set it now, for the pages that say it; None when it has none."""
    return next((rate for rate in ratelimit_internals.get_rates(app="allauth.account", action=action)
                 if rate.per == "key"), None)


def consume_in_turn(request, limits: list[tuple[str, str]]) -> tuple[str, str] | None:
    """Count one hit on each of allauth's limits `limits` ((action, key) pairs), in turn, and
    answer None; or answer the first that refuses it, having given back what the limits before it
    counted, so that what was refused spends nothing. `request` None: counted by a worker, for
    limits whose rates are all counted per key."""
    counted = []
    for action, key in limits:
        usage = ratelimit_internals.consume(request, app="allauth.account", action=action, key=key,
                                            limit_get=request is None)
        if not usage:
            for earlier in counted:
                earlier.rollback()
            return action, key
        counted.append(usage)
    return None


def clear(request, *, action: str, key: str, per: str) -> None:
    """Forget allauth's limiter's records (`ACCOUNT_RATE_LIMITS[action]`) of the rates counted
    `per` "ip" or "key" only, as allauth's `ratelimit.clear` does for all of them."""
    for rate in ratelimit_internals.get_rates(app="allauth.account", action=action):
        if rate.per == per:
            cache_key = ratelimit_internals.get_cache_key(request, app="allauth.account", action=action, rate=rate,
                                                          key=key)
            with ratelimit_internals.cache_lock(cache_key) as locked:
                if locked:
                    cache.delete(cache_key)


# allauth's pages that answer a full limit of theirs with the portal's 429 page (allauth's
# respond_429 calls urls.handler429), by URL name, and the `ACCOUNT_RATE_LIMITS` action each counts.
PAGE_LIMITS = {
    "account_login": "login",
    "account_reauthenticate": "reauthenticate",
    "mfa_reauthenticate": "reauthenticate",
}


def seconds_until_page_allowed(request) -> float | None:
    """How long until the allauth limit that refused this request's page lets it through again, or
    None when not known: a page not in PAGE_LIMITS, or a limit counted per key only (the key, an
    e-mail or a phone, is in the refused form, which the 429 page does not see)."""
    match = getattr(request, "resolver_match", None)
    action = PAGE_LIMITS.get(match.url_name) if match is not None else None
    if action is None:
        return None
    user = getattr(request, "user", None)
    counted = ("ip", "user") if user is not None and user.is_authenticated else ("ip",)
    waits = [wait for per in counted if (wait := seconds_until_allowed(request, action=action, per=per)) is not None]
    return max(waits, default=None)
