"""Celery wrappers around the public_services services."""

from celery import shared_task

from vssid_portal.jobs import dispatch

from .services import declarations, filings, holidays


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def build_filing_declaration(filing_id: int):
    declarations.filing_build_declaration(filing_id=filing_id)


@shared_task
def build_missing_filing_declarations():
    """Sweep: declarations whose task was lost (broker outage) or whose build failed, with attempts
    left, are tried again."""
    for filing_id in declarations.filings_missing_declarations():
        dispatch(build_filing_declaration, filing_id)


@shared_task(acks_late=True)
def notify_due_dates_moved(change: str, moved: list):
    """The notices of one holiday change's moved due dates ([filing id, date it had, start of its
    handling time, date it set (ISO)] entries), queued a while after the change so that a filing
    moved again meanwhile is told once, by the later change's run; a bounded time per run: what is
    left is queued again (the broker away, it is told in this run). Run twice, it tells nobody twice."""
    left = holidays.due_dates_moved_notify(change=change, moved=moved, seconds=holidays.NOTIFY_RUN_SECONDS)
    if left:
        holidays._dispatch_due_dates_moved(change, left)


@shared_task
def delete_abandoned_filing_uploads():
    return filings.uploads_sweep()
