"""The celery beat schedule: every entry names a task the worker registers, callable with the
arguments the entry gives. A renamed or moved task would otherwise fail only in production, when
beat sends a message no worker knows ("Received unregistered task")."""

import copy
import datetime
import inspect
import json
import os
import subprocess
import sys

from django.conf import settings

from tests.conftest import ROOT

# What a freshly started worker registers: the Celery app, then the apps' tasks modules found by
# autodiscovery (the worker calls the same loader step at start-up). A new process, so tasks
# imported by other tests cannot hide a module that autodiscovery misses.
REGISTERED = """
import json
from vssid_portal.celery import app
app.loader.import_default_modules()
print(json.dumps(sorted(app.tasks)))
"""


def registered_in_a_fresh_worker_process() -> set[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vssid_portal.settings"}
    output = subprocess.run([sys.executable, "-c", REGISTERED], cwd=ROOT, env=env, capture_output=True, text=True,
                            check=True, timeout=120).stdout
    return set(json.loads(output.strip().splitlines()[-1]))


def test_every_beat_entry_names_a_task_registered_by_autodiscovery():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule, "the beat schedule is empty"
    registered = registered_in_a_fresh_worker_process()
    assert "accounts.tasks.delete_stale_registration_photos" in registered  # the check itself sees app tasks
    missing = {name: entry["task"] for name, entry in schedule.items() if entry["task"] not in registered}
    assert missing == {}, f"beat entries naming no registered task: {missing}"


def test_every_beat_entry_can_be_called_with_its_arguments():
    from vssid_portal.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = app.tasks[entry["task"]]
        try:
            inspect.signature(task.run).bind(*entry.get("args", ()), **entry.get("kwargs", {}))
        except TypeError as error:
            raise AssertionError(f"beat entry {name!r} cannot call {entry['task']}: {error}") from None


def runs_between(name: str, started, hours: int) -> bool:
    """Whether beat, started afresh at `started` (no saved state), sends the entry within `hours`."""
    from celery.beat import ScheduleEntry
    from celery.schedules import maybe_schedule

    from vssid_portal.celery import app

    now = started
    schedule = maybe_schedule(copy.copy(settings.CELERY_BEAT_SCHEDULE[name]["schedule"]), app=app)  # the settings' own untouched
    schedule.nowfun = lambda: now
    entry = ScheduleEntry(name=name, task=settings.CELERY_BEAT_SCHEDULE[name]["task"], schedule=schedule, app=app)
    for minutes in [*range(1, hours * 60, 5), hours * 60 - 1]:  # up to the last minute before the next start
        now = started + datetime.timedelta(minutes=minutes)
        if entry.is_due().is_due:
            return True
    return False


def test_every_beat_entry_runs_when_beat_is_restarted_each_day():
    """Beat keeps when each entry last ran in a file (docker-compose: in the container's /tmp),
    lost when the container is recreated: a deployment. Started afresh, an entry counts from the
    start, so an entry every 24 hours would never run on a portal deployed every day; whatever the
    hour of the daily restart, each entry must run before the next one (the daily ones at a fixed hour)."""
    starts = [datetime.datetime(2026, 12, 1, hour, 2, tzinfo=datetime.UTC) for hour in range(24)]
    never_ran = {name for name in settings.CELERY_BEAT_SCHEDULE for started in starts
                 if not runs_between(name, started, hours=24)}
    assert never_ran == set(), f"beat entries that never run when beat restarts every day: {never_ran}"


SIX_HOURLY = ("registrations-delete-abandoned-uploads", "filings-delete-abandoned-uploads", "sessions-clear-expired")


def test_the_six_hourly_sweeps_run_when_beat_is_restarted_every_six_hours():
    """Several deployments a day (or a beat that crashes and restarts): the abandoned uploads
    (photos of ID papers, said to be kept one day) and the expired sessions are still swept, at
    fixed hours, whatever the hour of the restarts."""
    starts = [datetime.datetime(2026, 12, 1, hour, 2, tzinfo=datetime.UTC) for hour in range(24)]
    never_ran = {name for name in SIX_HOURLY for started in starts if not runs_between(name, started, hours=6)}
    assert never_ran == set(), f"beat entries that never run when beat restarts every 6 hours: {never_ran}"
