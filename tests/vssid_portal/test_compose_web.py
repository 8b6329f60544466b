"""docker-compose's web service: its shell migrates and loads the reference data, then gives its place
to gunicorn, so that gunicorn is the container's first process and `docker stop`'s SIGTERM reaches it.
A shell left waiting as the first process ignores that signal, and ten seconds later Docker kills
gunicorn with its requests under way."""

import os
import re
import shlex
import subprocess

from django.conf import settings
from gunicorn.config import Config

from tests.conftest import ROOT
from vssid_portal import gunicorn_conf

from .test_beat import _compose_blocks


def test_gunicorn_replaces_the_web_container_shell(tmp_path):
    line = next(line for line in _compose_blocks()["services.web"] if line.startswith("command:"))
    command = shlex.split(line.removeprefix("command:"))
    assert command[:2] == ["sh", "-c"], command
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name, body in [("python", "exit 0"), ("gunicorn", 'echo $$ > "$RECORD/gunicorn"')]:
        (stubs / name).write_text(f"#!/bin/sh\n{body}\n")
        (stubs / name).chmod(0o755)
    shell = subprocess.Popen(command, env={"PATH": f"{stubs}:{os.environ['PATH']}", "RECORD": str(tmp_path)})
    assert shell.wait(timeout=10) == 0
    assert int((tmp_path / "gunicorn").read_text()) == shell.pid


def _grace(service: str) -> int:
    lines = _compose_blocks()[f"services.{service}"]
    grace = next((line.removeprefix("stop_grace_period:").strip() for line in lines
                  if line.startswith("stop_grace_period:")), "10s")
    number, unit = re.fullmatch(r"(\d+)([sm])", grace).groups()
    return int(number) * {"s": 1, "m": 60}[unit]


def test_docker_stop_waits_for_gunicorn_to_finish_its_requests():
    """On SIGTERM gunicorn takes no new request and gives those under way its graceful_timeout (30 s
    unless set) before killing its workers: Docker, killing everything after 10 s unless told, cut the
    longer ones (a big admin export, a statement's page under load) with no answer."""
    config = Config()
    for name in dir(gunicorn_conf):
        if name in config.settings:
            config.set(name, getattr(gunicorn_conf, name))
    assert "--graceful-timeout" not in (ROOT / "Dockerfile").read_text()
    assert _grace("web") > config.graceful_timeout


def test_docker_stop_waits_for_the_worker_to_finish_its_tasks():
    """`docker stop` sends SIGTERM and kills what still runs after the service's stop_grace_period (10 s
    unless set). On SIGTERM a Celery worker takes no new task and finishes those under way, which stop
    at CELERY_TASK_TIME_LIMIT at the latest: killed sooner, a PDF's build and the messages the worker had
    taken next wait for the hour of the broker's visibility timeout or a sweep, a login code past its life."""
    assert _grace("worker") > settings.CELERY_TASK_TIME_LIMIT
