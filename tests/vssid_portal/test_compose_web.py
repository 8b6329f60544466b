"""docker-compose's web service: its shell migrates and loads the reference data, then gives its place
to gunicorn, so that gunicorn is the container's first process and `docker stop`'s SIGTERM reaches it.
A shell left waiting as the first process ignores that signal, and ten seconds later Docker kills
gunicorn with its requests under way."""

import os
import shlex
import subprocess

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
