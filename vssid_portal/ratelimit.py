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
from django.core.cache import cache
from django_ratelimit.core import get_usage

from vssid_portal.cache import cache_reachable


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


def counted_in_the_last(request, *, action: str, rate: str, count: bool = True,
                        key: str | None = None) -> ratelimit_internals.RateLimitUsage | None:
    """Count this request against `rate` ("10/h", per client address unless it says "/key", counted under
    `key`, or "/user"), a limit of the portal's own named `action`, with allauth's limiter, as
    ACCOUNT_RATE_LIMITS's are counted (`request` None: a limit whose rates are all counted per key):
    the requests of the last hour (or whatever the rate's window), whatever its minute, not of hours ending
    at a given second, in which a script spends the limit just before such an end and again just after.
    Answers what give_back takes back (this request's own hit, whenever given back, the others left
    counted), or None when the limit is reached, or when the count cannot be kept (the cache down, or
    its lock busy): refused. Not `count`ed, it spends nothing and answers whether one more would pass.
    While Redis is known to be down it is refused at once: allauth's lock would try for a second a cache
    that refuses every try."""
    if not cache_reachable():
        return None
    return ratelimit_internals.consume(request, app="allauth.account", action=action, config={action: rate},
                                       key=key, dry_run=not count, limit_get=request is None)


def give_back(usage: ratelimit_internals.RateLimitUsage | None) -> None:
    """Take back the hits that counted_in_the_last has counted (its answer `usage`), once what was counted
    turns out not to have been done, so that it spends nothing of the limit: one hit of each rate, its own
    time's, whenever given back. allauth's own rollback would take back every hit of that time, another
    request's counted in the same instant too. A cache that does not answer (or a lock busy) keeps the
    hit: the limit is then only stricter, and while Redis is known to be down nothing is tried."""
    if not cache_reachable():
        return
    for counted in usage.usage if usage else ():
        with ratelimit_internals.cache_lock(counted.cache_key) as locked:
            history = cache.get(counted.cache_key, []) if locked else []
            if counted.timestamp in history:
                history.remove(counted.timestamp)
                cache.set(counted.cache_key, history, counted.cache_duration)


def seconds_until_allowed(request, *, action: str, key: str | None = None, per: str | None = None,
                          rate: str | None = None) -> float | None:
    """How long until allauth's limiter (`ACCOUNT_RATE_LIMITS[action]`, or `rate` for a limit counted by
    counted_in_the_last, only its rates counted `per` "ip" or "key" when given) lets this client and
    `key` through again, or None when it would now. Reads the limiter's records and spends nothing:
    allauth's public `ratelimit.consume(dry_run=True)` says whether, not when, so the records are
    read through its internal helpers (the cache key and the rates as allauth makes them). A rate
    is full while it holds `amount` hits within its window, and frees a slot when the oldest of
    them leaves it."""
    now, until = time.time(), None
    config = {action: rate} if rate is not None else None
    for counted in ratelimit_internals.get_rates(app="allauth.account", action=action, config=config):
        if per is not None and counted.per != per:
            continue
        cache_key = ratelimit_internals.get_cache_key(request, app="allauth.account", action=action, rate=counted,
                                                      key=key)
        hits = sorted((at for at in cache.get(cache_key, []) if at > now - counted.duration), reverse=True)
        if len(hits) >= counted.amount:
            until = max(until or 0, hits[counted.amount - 1] + counted.duration - now)
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
