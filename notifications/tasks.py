"""Celery wrappers around the outbox services."""

from datetime import datetime

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=None, acks_late=True)
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
def delete_old_messages():
    return services.messages_delete_old()
