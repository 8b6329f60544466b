"""Django's Redis cache, made to degrade instead of fail while Redis is away.

Sessions (`cached_db`), rate limits, one-time codes and cached QR images live in Redis. Without
this wrapper a Redis outage turns every page into a 500, although PostgreSQL holds everything
that matters. Here a connection error reads as a cache miss and a write is dropped: sessions
come from the database, pages are rendered afresh, a one-time code cannot be issued (nothing
could store it) and counters start again when Redis returns. After a failure Redis is left alone
for RETRY_AFTER seconds, so a request during the outage does not wait on it once per lookup.
"""

import logging
import time

from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0
_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


class _PooledClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` (and its table of ~170 reply parsers) for every
    cache call; one per connection pool is enough: it is thread-safe and holds no connection."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _down_until = 0.0  # per process: monotonic time before which Redis is not asked

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _PooledClient

    def _call(self, name, fallback, *args, **kwargs):
        if time.monotonic() < ResilientRedisCache._down_until:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except _UNAVAILABLE as exc:
            ResilientRedisCache._down_until = time.monotonic() + RETRY_AFTER
            logger.warning("Redis cache unavailable (%s); serving without cache for %s s", exc, RETRY_AFTER)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout=timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, key, delta, version=version)
        if value is missing:  # as for a key that does not exist
            raise ValueError(f"Key '{key}' not found (Redis unavailable).")
        return value

    def clear(self):
        return self._call("clear", False)


# Seconds a refusal made while Redis is away (a limit or a one-time code that cannot be counted or
# kept: 503 "briefly unavailable") asks the client to wait before trying again.
UNAVAILABLE_RETRY_AFTER = 120


def cache_reachable() -> bool:
    """False while the default cache is a ResilientRedisCache leaving Redis alone after a failed
    call: what it read as a miss or a dropped write may be the outage, not the visitor's doing."""
    return not (isinstance(caches["default"], ResilientRedisCache)
                and time.monotonic() < ResilientRedisCache._down_until)


def forget(keys) -> None:
    """Drop cached copies of rows a write changes: at once, and again once the transaction
    commits, so a request that read the old rows while the write was in flight does not keep
    them."""
    keys = list(keys)
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
