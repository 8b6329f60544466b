"""Reads of the outbox: a user's in-portal notices."""

from .models import Message


def notices_for(*, user):
    return Message.objects.filter(user=user, channel=Message.Channel.INBOX).only(
        "id", "subject", "body", "created_at", "read_at"
    )


def unread_notice_count(*, user) -> int:
    return Message.objects.filter(user=user, channel=Message.Channel.INBOX, read_at__isnull=True).count()


def recent_outgoing_messages(*, limit: int = 50):
    """The latest SMS and e-mail, for the development inbox."""
    return Message.objects.exclude(channel=Message.Channel.INBOX).order_by("-created_at", "-id")[:limit]
