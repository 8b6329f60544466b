"""Celery wrappers around the outbox services."""

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_message(self, message_id: int):
    message, should_retry = services.message_deliver(message_id=message_id)
    if should_retry:
        raise self.retry(countdown=services.retry_delay(message.attempts))


@shared_task
def redispatch_pending_messages():
    return services.messages_redispatch_pending()


@shared_task
def delete_old_messages():
    return services.messages_delete_old()
