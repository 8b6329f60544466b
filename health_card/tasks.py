"""Celery wrappers around the health_card services."""

import datetime

from celery import shared_task
from django.utils import timezone

from vssid_portal.jobs import dispatch

from . import selectors
from .services import cards


@shared_task
def expire_cards(today: str | None = None):
    """The nightly expiry (beat: no argument, today in Vietnam). A run works for a bounded time
    (services.cards.EXPIRE_RUN_SECONDS); what is left goes to the next run, queued for the same day
    behind the messages waiting meanwhile."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    expired = cards.cards_expire(today=day, seconds=cards.EXPIRE_RUN_SECONDS)
    if selectors.cards_past_end(today=day).exists():
        dispatch(expire_cards, day.isoformat())
    return expired
