"""Background jobs: handed to the worker without failing the write that asked for them, and, as
they may never finish, each attempt counted before it runs.

A job is queued through `dispatch`, by a write once it commits or by a sweep. The broker away must
not fail the citizen's request: the job is left to do, and the periodic sweeps (or the page that
waits for it) start it again.

A task is acknowledged late and handed out again when its worker dies (settings: acks_late,
reject_on_worker_lost), and the sweeps queue again what is still missing. A job that always
fails, or that always kills its worker process (memory, a crash in a C library, the hard time
limit), would then run for ever. Counting the attempt in its own transaction, committed before
the job starts, survives both the job's rollback and the death of its process. After
`JOB_MAX_ATTEMPTS` attempts the job is given up.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet

logger = logging.getLogger(__name__)


def dispatch(task, *args, personal: bool = False) -> None:
    """Queue `task(*args)` for the worker; when the broker cannot take it (or an eager run raised),
    log a warning and leave the job to be started again. The warning names the arguments unless
    they are `personal` (a BHXH code, a client's address), which no log keeps."""
    try:
        task.delay(*args)
    except Exception:  # broker down: the row still says the job is to do
        logger.warning("%s%s not dispatched; left to be started again", task.name,
                       "(…)" if personal else repr(args), exc_info=True)


def attempt_begun(queryset: QuerySet, field: str) -> int | None:
    """Count one more attempt at the job of the single row in `queryset` (filtered to rows whose
    job is still to do) and commit it. Returns the attempts made, this one included, or None
    when there is nothing to do (the row is gone or its job is done)."""
    with transaction.atomic():
        if not queryset.update(**{field: F(field) + 1}):
            return None
        return queryset.values_list(field, flat=True).get()


def attempt_returned(queryset: QuerySet, field: str) -> None:
    """Give back the attempt counted by `attempt_begun` for a failure that is not the job's (the
    storage away: its task retries with a growing delay and the sweeps queue it again), so an
    outage does not use up the attempts of every job that ran during it."""
    with transaction.atomic():
        queryset.filter(**{f"{field}__gt": 0}).update(**{field: F(field) - 1})


def restart_given_up(queryset: QuerySet, field: str, dispatch: Callable[[int], None]) -> int:
    """Start again the given-up jobs of the rows in `queryset`: their attempts back to none, and
    `dispatch(pk)` of each once the transaction commits. Returns how many were started."""
    with transaction.atomic():
        # The rows locked in key order first, as the due-date recount locks filings: an UPDATE alone
        # locks them in whatever order its plan reads them, and could deadlock with such a writer.
        ids = list(queryset.model.objects.select_for_update().filter(pk__in=list(queryset.values_list("pk", flat=True)))
                   .order_by("pk").values_list("pk", flat=True))
        queryset.model.objects.filter(pk__in=ids).update(**{field: 0})
        for pk in ids:
            transaction.on_commit(lambda pk=pk: dispatch(pk))
    return len(ids)


def run_counted(queryset: QuerySet, field: str, job: Callable, *, name: str,
                on_give_up: Callable[[], None] | None = None):
    """Run `job()` as one counted attempt at the job of the single row in `queryset` and return
    what it returns; None when there is nothing to do, or when the attempts are used up (logged
    as an error, `name` saying what was given up, then `on_give_up()`). A storage error (OSError)
    gives its attempt back and is raised for the task to retry."""
    attempts = attempt_begun(queryset, field)
    if attempts is None:
        return None
    if attempts > settings.JOB_MAX_ATTEMPTS:
        logger.error("%s given up after %s attempts", name, attempts - 1)
        if on_give_up:
            on_give_up()
        return None
    try:
        return job()
    except OSError:
        attempt_returned(queryset, field)
        raise
