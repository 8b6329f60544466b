"""Celery wrappers around the participation services."""

import logging

from celery import shared_task

from .services import statements

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=5)
def build_statement_pdf(self, statement_id: int, verify_base: str):
    """Build a statement's PDF. Idempotent: a statement that has its PDF is left alone, so a task
    delivered twice (acks_late after a worker loss) renders once. Storage errors are retried with
    a growing delay; any other error marks the statement failed, and its page offers a retry."""
    try:
        statements.statement_build(statement_id=statement_id, verify_base=verify_base)
    except OSError as exc:
        if self.request.retries >= self.max_retries:
            statements.statement_mark_failed(statement_id=statement_id)
            raise
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc
    except Exception:
        logger.exception("statement %s: PDF not built", statement_id)
        statements.statement_mark_failed(statement_id=statement_id)
        raise
