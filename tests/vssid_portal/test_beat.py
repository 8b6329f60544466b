"""The celery beat schedule: every entry names a task the worker registers, callable with the
arguments the entry gives. A renamed or moved task would otherwise fail only in production, when
beat sends a message no worker knows ("Received unregistered task")."""

import copy
import datetime
import inspect
import json
import os
import re
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
    """Beat keeps when each entry last ran in a file (docker-compose: on a named volume), lost with
    the volume or a beat started elsewhere. Started afresh, an entry counts from the
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


def _compose_blocks() -> dict[str, list[str]]:
    """docker-compose.yml's top-level keys and its services ("services.beat"), each with its lines,
    stripped (the project has no YAML parser; the file is in block style, two spaces a level)."""
    blocks, block = {}, None
    for line in (ROOT / "docker-compose.yml").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0 or (indent == 2 and block and block.split(".")[0] == "services"):
            block = ("services." if indent else "") + line.strip().rstrip(":")
            blocks[block] = []
        else:
            blocks[block].append(line.strip())
    return blocks


def test_compose_keeps_the_beat_schedule_on_a_named_volume_its_user_can_write():
    """The schedule file says when each entry last ran: in the container's /tmp it was lost at every
    recreation of the container (a deployment), so an entry due then was skipped or sent twice."""
    blocks = _compose_blocks()
    beat = blocks["services.beat"]
    command = next(line for line in beat if line.startswith("command:")).split()
    schedule = command[command.index("--schedule") + 1]
    mounts = [line.removeprefix("- ").split(":") for line in beat if line.startswith("- ")]
    kept = [(volume, directory) for volume, directory in mounts if schedule.startswith(directory.rstrip("/") + "/")]
    assert kept, f"beat's schedule {schedule} is on no volume of the beat service: {mounts}"
    volume, directory = kept[0]
    assert f"{volume}:" in blocks["volumes"], f"{volume} is not a named volume"
    # A new named volume takes the owner of the image's directory: the image's user must own it.
    made = re.search(r"mkdir -p ([^&\\\n]+)\\?\s*&& chown -R portal ([^\n]+)", (ROOT / "Dockerfile").read_text())
    assert directory in made.group(1).split(), f"the image does not make {directory}"
    assert any(directory.startswith(owned.rstrip("/")) for owned in made.group(2).split()), directory


def test_the_messages_whose_hold_has_run_out_are_swept_every_minute():
    """A delivery ended by its hard time limit is handed out to nobody again: beat's sweep of the
    holds run out sends its message, a 5-minute code, again within a minute of its hold's end."""
    entries = [name for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
               if entry["task"] == "notifications.tasks.redispatch_lapsed_holds"]
    assert entries, "no beat entry sweeps the messages whose hold has run out"
    started = datetime.datetime(2026, 12, 1, 9, 2, tzinfo=datetime.UTC)
    assert all(runs_between_minutes(name, started, minutes=1) for name in entries)


def runs_between_minutes(name: str, started, minutes: int) -> bool:
    """Whether beat, having sent the entry at `started`, sends it again within `minutes`."""
    from celery.schedules import maybe_schedule

    from vssid_portal.celery import app

    schedule = maybe_schedule(copy.copy(settings.CELERY_BEAT_SCHEDULE[name]["schedule"]), app=app)
    schedule.nowfun = lambda: started + datetime.timedelta(minutes=minutes)
    return schedule.is_due(started).is_due
