"""gunicorn's access log, as the image runs it: each request is named by its path, without its query
string or the page it came from. The admin's search (`?q=`) carries the ID numbers, phone numbers and
names officers look citizens up by, and a Referer repeats the query of the page before."""

import contextlib
import http.client
import json
import os
import re
import subprocess
import sys
import time

from tests.conftest import ROOT
from tests.ports import free_port, wait_until_listening

from .test_beat import _compose_blocks

ID_NUMBER, PHONE = "001099012345", "0912345678"


def _image_command() -> list[str]:
    return json.loads(re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.MULTILINE).group(1))


def test_compose_starts_gunicorn_as_the_image_does():
    web = next(line for line in _compose_blocks()["services.web"] if line.startswith("command:"))
    assert web.endswith("&& exec " + " ".join(_image_command()) + '"'), web


@contextlib.contextmanager
def image_gunicorn(tmp_path, **environment):
    """gunicorn started with the image's CMD on a free loopback port and one worker, its output in a file;
    yields the port and the file once it answers. Without the TZ that Django's settings gave this process:
    the image sets none."""
    command = _image_command()
    assert command[0] == "gunicorn", command
    port = free_port()
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "1"
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "TZ"}}
    env.update(environment)
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        server = subprocess.Popen([sys.executable, "-m", *command], cwd=ROOT, env=env, stdout=output,
                                  stderr=subprocess.STDOUT)
    try:
        wait_until_listening(port, server, log)
        yield port, log
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_access_log_holds_no_query_string_and_no_referrer(tmp_path):
    with image_gunicorn(tmp_path) as (port, log):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/quan-tri/accounts/person/?q={ID_NUMBER}", headers={
            "Referer": f"http://127.0.0.1:{port}/quan-tri/notifications/message/?q={PHONE}"})
        connection.getresponse().read()
        connection.close()
        deadline = time.monotonic() + 10
        while "/quan-tri/accounts/person/" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    written = log.read_text()
    assert '"GET /quan-tri/accounts/person/ HTTP/1.1" 302' in written, written
    assert ID_NUMBER not in written and PHONE not in written, written
