"""Celery wrappers around the accounts services."""

from celery import shared_task

from vssid_portal.jobs import dispatch

from .services import password_reset as password_reset_services
from .services import registration as registration_services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def build_registration_declaration(registration_id: int):
    registration_services.registration_build_declaration(registration_id=registration_id)


@shared_task
def send_password_reset_code(queued: str, *legacy):
    """A password reset's code, sent by the worker so that the request's time tells no account apart;
    the message carries the BHXH code, the client's address and the code's nonce sealed
    (password_reset_code_queued). `legacy`: a task queued by the release before, whose message named
    (BHXH code, nonce, address) in plain text, still sent while its code lives (5 minutes) — to be removed
    with the next release."""
    if len(legacy) == 2:
        nonce, client = legacy
        password_reset_services.password_reset_code_send(subject=queued, nonce=nonce, client=client)
        return
    password_reset_services.password_reset_code_queued(queued=queued)


@shared_task
def build_missing_declarations():
    """Sweep: declarations whose task was lost (broker outage) or failed are tried again."""
    for registration_id in registration_services.registrations_missing_declarations():
        dispatch(build_registration_declaration, registration_id)


@shared_task
def delete_stale_registration_photos():
    return registration_services.registrations_delete_stale_photos()


@shared_task
def delete_abandoned_uploads():
    return registration_services.registration_uploads_sweep()
