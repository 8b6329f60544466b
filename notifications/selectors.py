"""Reads of the outbox: a user's in-portal notices."""

from django.core.cache import cache

from .models import Message

# The header shows the unread count on every page; it is cached per user and dropped whenever
# one of the user's notices is written, read or deleted (services.forget_unread_count).
UNREAD_CACHE_SECONDS = 300


def unread_cache_key(user_id) -> str:
    return f"notifications:unread:{user_id}"


def notices_for(*, user):
    return Message.objects.filter(user=user, channel=Message.Channel.INBOX).only(
        "id", "subject", "body", "language", "link", "created_at", "read_at"
    )


def newest_notice_id(*, user) -> int | None:
    return notices_for(user=user).order_by("-pk").values_list("pk", flat=True).first()


def unread_notice_count(*, user) -> int:
    key = unread_cache_key(user.pk)
    # Read with the session's user in one round trip when it was cached (accounts.selectors.user_for_session).
    count = getattr(user, "prefetched_unread_count", None)
    if count is None:
        count = cache.get(key)
    if count is None:
        count = Message.objects.filter(user=user, channel=Message.Channel.INBOX, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def recent_outgoing_messages(*, limit: int = 50):
    """The latest SMS and e-mail, for the development inbox."""
    return Message.objects.exclude(channel=Message.Channel.INBOX).order_by("-created_at", "-id")[:limit]
