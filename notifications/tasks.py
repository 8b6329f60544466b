"""Celery wrappers around the outbox services."""

from datetime import datetime

from celery import shared_task
from django.conf import settings

from . import services


# One SMS or e-mail takes seconds: limits far shorter than the other tasks' (a PDF's) bound a try, so
# that the hold it puts on its message (NOTIFICATION_CLAIM_SECONDS, longer than the hard limit) is
# short too, and a worker killed mid-send leaves a one-time code waiting about a minute, not three.
# The soft limit is an ordinary failed try, retried as any other.
@shared_task(bind=True, max_retries=None, acks_late=True,
             soft_time_limit=settings.NOTIFICATION_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.NOTIFICATION_TASK_TIME_LIMIT)
def deliver_message(self, message_id: int, waiting_for: str | None = None):
    delivery = services.message_deliver(
        message_id=message_id, waiting_for=datetime.fromisoformat(waiting_for) if waiting_for else None
    )
    if delivery.retry_in is not None:
        waiting_for = delivery.waiting_for.isoformat() if delivery.waiting_for else None
        raise self.retry(countdown=delivery.retry_in, kwargs={"waiting_for": waiting_for})


@shared_task
def redispatch_pending_messages():
    return services.messages_redispatch_pending()


@shared_task
def redispatch_lapsed_holds():
    return services.messages_redispatch_lapsed_holds()


@shared_task
def delete_old_messages():
    return services.messages_delete_old()
