"""One answer to "who is the client?" for every rate limit in the portal, to "when may it try again?", and
to "how is a request refused?": a limit's refusal (LimitRefusal, 429 or 503 while Redis is down) and the
helpers that give it and say it (its page's status and Retry-After, a form's summary, the minutes left).

allauth's adapter reads the client address behind `TRUSTED_PROXY_COUNT` reverse proxies;
django-ratelimit uses the same through `client_ip` (`key="vssid_portal.ratelimit.client_ip"`),
so login limits and the portal's own form limits count the same visitor: an IPv4 address, or the
IPv6 network allauth counts as one client (ALLAUTH_RATE_LIMIT_IPV6_PREFIX, a /64), since an IPv6
subscriber may send each request from another address of its network.
"""

import logging
import math
import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit as ratelimit_internals
from django.core.cache import cache
from django_ratelimit.core import get_usage

from vssid_portal.cache import UNAVAILABLE_RETRY_AFTER, cache_reachable

logger = logging.getLogger(__name__)


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


def unavailable_instead(response):
    """A refusal by a limit that could not be counted (Redis down) is no fault of the visitor's: the
    page, saying in its own words that it is briefly unavailable, answers 503 with Retry-After
    instead of 429."""
    response.status_code = 503
    response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    return response


@dataclass(frozen=True)
class LimitRefusal:
    """A request refused by one of the portal's limits: 429 saying `message` when the limit is
    reached, or 503 saying its own `message` when it could not be counted (Redis down). `wait`: the
    seconds left before the limit lets the visitor through, when it can tell."""

    status: int
    message: object
    wait: float | None = None

    def answer(self, response):
        """The page that says `message`, answered with the refusal's status (a 503 with Retry-After,
        a 429 with it when the wait is known)."""
        if self.status == 503:
            return unavailable_instead(response)
        response.status_code = self.status
        return retry_after(response, self.wait)


def refusal_on_form(form, message) -> None:
    """Say a limit's refusal (`message`: too many requests, or the limit uncounted while Redis is down)
    at the top of `form`, marked `refused`, so that the error summary heads it as a request not
    carried out, not as errors for the visitor to fix: nothing typed is wrong, and an outage is the
    portal's fault (as the BHXH-code lookup's refusal is a notice, not a form error)."""
    form.add_error(None, message)
    form.refused = True


def limit_refusal(too_many, unavailable, wait: float | None = None) -> LimitRefusal:
    """The refusal by a limit: `too_many` with 429 (and Retry-After, when `wait` is known) while the
    limit can be counted, else `unavailable` with 503, since the visitor sent nothing too many.
    `too_many` may be a function of `wait` giving the message, for one that says the minutes left."""
    if not cache_reachable():
        return LimitRefusal(503, unavailable)
    return LimitRefusal(429, too_many(wait) if callable(too_many) else too_many, wait)


def usage_refusal(usage: dict | None, too_many, unavailable) -> LimitRefusal | None:
    """The refusal by a django-ratelimit limit whose count (`get_usage`'s answer, the request counted)
    is over, as `limit_refusal` gives it, with the seconds left of the limit's window; None while it
    lets the request through."""
    return usages_refusal([usage], too_many, unavailable)


def usages_refusal(usages: list[dict | None], too_many, unavailable) -> LimitRefusal | None:
    """The refusal by the django-ratelimit limits checked at once (`get_usage`'s answers, the request
    counted by each) when any is over, as `limit_refusal` gives it, with the seconds left of the
    window of the limit that refused: of several, the longest, since the request is let through
    only once each of them lets it, a limit just filled by this one included. None while all let
    it through."""
    counted = [usage for usage in usages if usage is not None]
    if not any(usage["should_limit"] for usage in counted):
        return None
    # The next try is counted by every limit: one this request has just filled refuses it too.
    waits = [usage["time_left"] for usage in counted if usage["count"] >= usage["limit"]]
    # a count the cache failed to keep has no window (time_left -1): the longest wait is not known
    return limit_refusal(too_many, unavailable, max(waits) if min(waits) >= 0 else None)


def counted_or_let_through(request, *, group: str, key, rate: str, too_many,
                           method=get_usage.ALL) -> LimitRefusal | None:
    """Count this request against a django-ratelimit limit (`get_usage`'s `group`, `key`, `rate` and
    `method`) that only spares the portal work a citizen may need done (the public directory, the
    printable card, files attached to a filing): the refusal, 429 saying `too_many` with the seconds
    left of the window, once it is over; else None. `too_many` may be a function of those seconds
    giving the message, for one that says the minutes left (minutes_left). While the count cannot be kept (Redis down) the
    request is let through uncounted, with a warning logged, since an outage of the counter must not
    take those pages down. The limits that guard enumeration, SMS or accounts refuse instead, with 503
    (usage_refusal)."""
    usage = get_usage(request, group=group, key=key, rate=rate, method=method, increment=True)
    # get_usage's answer for a count the cache failed to keep: a count kept is at least this request's
    # (a kept one may have time_left -1 too, when the window ends while it is counted)
    if usage is not None and usage["count"] == 0:
        logger.warning("Limit %s not counted (cache unavailable): the request is let through", group)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    wait = usage["time_left"]
    return LimitRefusal(429, too_many(wait) if callable(too_many) else too_many, wait)


def minutes_left(wait: float | None) -> int | None:
    """The whole minutes a 429 says are left of a wait of `wait` seconds (at least 1), or None when
    the limit cannot tell it."""
    return math.ceil(max(wait, 1) / 60) if wait is not None else None


def retry_after(response, wait: float | None):
    """A 429 whose limit can tell the wait (`wait` seconds) says it in Retry-After, as whole seconds,
    at least 1."""
    if wait is not None:
        response["Retry-After"] = str(math.ceil(max(wait, 1)))
    return response
