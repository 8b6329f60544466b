"""Celery wrappers around the health_card services."""

from celery import shared_task

from . import services


@shared_task
def expire_cards():
    return services.cards_expire()
