"""Every line the web container writes (gunicorn's master, its workers, their access log, the portal's
own logging) is dated in one time zone, the portal's (TIME_ZONE), with its offset written, so that the
lines of one incident read in order. The master loads no settings: its lines were in the container's UTC,
between the workers' +0700 ones, and the portal's own lines had no offset at all. The portal's own lines
keep their milliseconds beside the offset: several lines of one incident fall within one second. The
worker's and beat's lines are the portal's too: Celery wrote them in its own format, without the offset."""

import copy
import http.client
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from tests.conftest import ROOT, missing, running_worker, wait_for, worker_unavailable
from vssid_portal import time_zone

from .test_access_log import image_gunicorn

# A time of day and the offset after it: gunicorn's "[2026-12-05 21:31:39 +0700]", its access log's
# "[05/Dec/2026:21:31:39 +0700]", and the portal's own lines.
DATED = re.compile(r"\d\d:\d\d:\d\d(?:[.,]\d+)? ?([+-]\d\d:?\d\d)\b")
# The portal's own lines: "2026-12-05 21:31:39,045 +0700 WARNING django.request Not Found: ...".
PORTAL_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [+-]\d{4} (?:DEBUG|INFO|WARNING|ERROR|CRITICAL) \S")


def test_every_line_of_the_web_container_is_dated_in_the_portals_time_zone_with_its_offset(tmp_path):
    offset = datetime.now(ZoneInfo(settings.TIME_ZONE)).strftime("%z")
    static = tmp_path / "static"  # collected, as in the image
    static.mkdir()
    with image_gunicorn(tmp_path, DJANGO_DEBUG="false", STATIC_ROOT=str(static)) as (port, log):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/khong-co-trang-nay/")  # a 404: the portal logs it, as gunicorn does
        assert connection.getresponse().status == 404
        connection.close()
        deadline = time.monotonic() + 10
        while "/khong-co-trang-nay/ HTTP/1.1" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    lines = log.read_text().splitlines()
    assert any("django.request" in line for line in lines), lines
    assert any("Shutting down: Master" in line for line in lines), lines
    for line in lines:
        dated = DATED.search(line)
        assert dated and dated.group(1).replace(":", "") == offset, (line, lines)
        if not line.startswith("[") and "HTTP/1.1" not in line:  # neither gunicorn's nor its access log's
            assert PORTAL_LINE.match(line), (line, lines)
    assert any(PORTAL_LINE.match(line) and "django.request" in line for line in lines), lines
    # gunicorn's own lines (its error log) are the portal's too, to the millisecond, not "[... 21:31:39 +0700]".
    for text in ("Listening at", "Booting worker", "Shutting down: Master"):
        assert any(PORTAL_LINE.match(line) and "gunicorn.error" in line and text in line for line in lines), lines


def test_the_portals_own_lines_are_dated_to_the_millisecond_with_the_offset():
    # configure_formatter rewrites the dict it is given: hand it a copy, not the settings' own.
    formatter = logging.config.DictConfigurator(settings.LOGGING).configure_formatter(
        copy.deepcopy(settings.LOGGING["formatters"]["plain"]))
    at = datetime(2026, 12, 5, 21, 31, 39, 45_000, tzinfo=ZoneInfo(settings.TIME_ZONE))
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/",), None)
    record.created, record.msecs = at.timestamp(), 45.0
    assert formatter.format(record) == (
        f"2026-12-05 21:31:39,045 {at.strftime('%z')} WARNING django.request Not Found: /x/")


def test_the_portal_its_tasks_and_gunicorns_master_read_one_time_zone_without_the_master_loading_settings():
    assert settings.TIME_ZONE == settings.CELERY_TIMEZONE == time_zone.TIME_ZONE
    env = {key: value for key, value in os.environ.items() if key not in {"TZ", "DJANGO_SETTINGS_MODULE"}}
    probe = ("import os, sys, vssid_portal.gunicorn_conf\n"
             "print(os.environ['TZ'], 'vssid_portal.settings' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [time_zone.TIME_ZONE, "False"]


# Celery's own format, which the worker and beat wrote before: "[2026-12-05 21:31:39,045: INFO/MainProcess] ...".
CELERY_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: ")


def _assert_portal_line(lines: list[str], text: str) -> None:
    """The line holding `text` is one of the portal's, dated in its time zone with the offset."""
    offset = datetime.now(ZoneInfo(settings.TIME_ZONE)).strftime("%z")
    line = next((line for line in lines if text in line), None)
    assert line and PORTAL_LINE.match(line), (text, lines)
    assert DATED.search(line).group(1) == offset, (line, lines)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_workers_lines_and_its_task_results_are_the_portals(settings, tmp_path):
    """The worker container's lines read as the web container's beside them, the task results of its
    pool's processes too, instead of Celery's "[2026-12-05 21:31:39,045: INFO/MainProcess]"."""
    reason = worker_unavailable()
    if reason:
        missing(reason)
    from vssid_portal.tasks import clear_expired_sessions

    log = tmp_path / "worker.log"
    with open(log, "w") as output, running_worker(settings, pool="prefork", loglevel="INFO", output=output):
        clear_expired_sessions.delay()
        wait_for(lambda: "vssid_portal.tasks.clear_expired_sessions" in log.read_text()
                 and "succeeded in" in log.read_text())
    lines = log.read_text().splitlines()
    assert not [line for line in lines if CELERY_LINE.match(line)], lines
    for text in ("Connected to redis", " ready.", "succeeded in"):
        _assert_portal_line(lines, text)


def test_beats_lines_are_the_portals(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "TZ"}}
    log = tmp_path / "beat.log"
    with open(log, "w") as output:
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "vssid_portal", "beat", "--loglevel", "INFO",
             "--schedule", str(tmp_path / "celerybeat-schedule")],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "Starting..." in log.read_text() or beat.poll() is not None, timeout=60)
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    lines = log.read_text().splitlines()
    assert not [line for line in lines if CELERY_LINE.match(line)], lines
    _assert_portal_line(lines, "beat: Starting...")


def test_python_warnings_are_logged_as_the_portals_lines():
    """A warning (a naive datetime saved, a deprecation) reached stderr as Python prints it, undated."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "TZ"}}
    probe = ("import django, warnings\n"
             "django.setup()\n"
             "warnings.warn(" + json.dumps("Cảnh báo thử") + ", RuntimeWarning)\n")
    result = subprocess.run([sys.executable, "-W", "always", "-c", probe], cwd=ROOT,
                            env={**env, "DJANGO_SETTINGS_MODULE": "vssid_portal.settings"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    _assert_portal_line(lines, "py.warnings")
    assert "RuntimeWarning: Cảnh báo thử" in next(line for line in lines if "py.warnings" in line), lines
