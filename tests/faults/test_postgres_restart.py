"""PostgreSQL restarts while the portal serves a logged-in citizen's pages under load (gunicorn,
one worker, four threads, persistent health-checked connections): requests fail only while the
database is down, and then with the portal's Vietnamese error page; afterwards every request
succeeds again without restarting anything — also after a restart that no request noticed."""

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, wait_for
from tests.ports import free_port

from .services import postgres_cluster

pytestmark = pytest.mark.faults

CLIENTS = 4
NOTICE = "Chào mừng bạn đến với Cổng dịch vụ BHXH số"
ERROR_PAGE = "Hệ thống đang gặp sự cố"

# Run once against the fresh cluster: the schema, a citizen with one notice, a logged-in session.
PREPARE = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from accounts.models import User
from notifications.models import Message
from notifications.services import send_message
call_command("migrate", verbosity=0)
user = User.objects.create_user("7901234567", password="x-Pass-2026!")
send_message(channel=Message.Channel.INBOX, template="welcome", user=user, idempotency_key="welcome",
             context={"name": "Nguyễn Văn Đức", "code": "7901234567"})
client = Client()
client.force_login(user)
print(client.cookies["sessionid"].value)
"""


class Load:
    """CLIENTS threads asking for the citizen's notices page in a loop, recording every answer."""

    def __init__(self, url: str, session: str):
        self.url, self.session = url, session
        self.results = []  # (started, ended, status or exception name, body)
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(CLIENTS)]

    def _run(self):
        deadline = time.monotonic() + 120
        while not self.stop.is_set() and time.monotonic() < deadline:
            request = urllib.request.Request(self.url, headers={"Cookie": f"sessionid={self.session}"})
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, body = response.status, response.read().decode()
            except urllib.error.HTTPError as exc:
                status, body = exc.code, exc.read().decode()
            except OSError as exc:
                status, body = type(exc).__name__, ""
            self.results.append((started, time.monotonic(), status, body))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=40)

    def count(self, predicate) -> int:
        return sum(1 for result in list(self.results) if predicate(*result))


def worker_pids(master: int) -> list[int]:
    return sorted(int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split())


@pytest.fixture
def portal_on_own_postgres(tmp_path):
    """gunicorn serving the portal (DEBUG off) from a cluster the test may stop; yields
    (cluster, base URL, session cookie of a logged-in citizen, gunicorn process)."""
    with postgres_cluster() as cluster:
        cluster.psql("CREATE DATABASE vssid")
        env = {**os.environ, "DATABASE_URL": cluster.url("vssid"), "DJANGO_DEBUG": "false", "LOG_LEVEL": "WARNING",
               "PRIVATE_FILES_ROOT": str(tmp_path / "private"), "DB_CONN_MAX_AGE": "60"}
        session = subprocess.run([sys.executable, "-c", PREPARE], cwd=ROOT, env=env, check=True, text=True,
                                 capture_output=True).stdout.split()[-1]
        port = free_port()
        log = open(tmp_path / "gunicorn.log", "w")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "vssid_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--worker-class", "gthread", "--threads", str(CLIENTS), "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(lambda: server.poll() is None and _answers(url), timeout=60)
            yield cluster, url, session, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def test_requests_fail_only_while_postgres_is_down_and_recover_without_a_restart(portal_on_own_postgres):
    cluster, url, session, server = portal_on_own_postgres
    workers = worker_pids(server.pid)

    def ok(started, ended, status, body):
        return status == 200 and NOTICE in body

    with Load(f"{url}/thong-bao/", session) as load:
        wait_for(lambda: load.count(ok) >= 20, timeout=60)
        stopping = time.monotonic()
        cluster.stop()
        down = time.monotonic()
        wait_for(lambda: load.count(lambda started, ended, *_: started > down and ended) >= 2 * CLIENTS, timeout=60)
        starting = time.monotonic()  # the cluster may accept connections before start() returns
        cluster.start()
        up = time.monotonic()
        wait_for(lambda: load.count(lambda started, *_: started > up) >= 40, timeout=60)

    results = list(load.results)
    before = [r for r in results if r[1] < stopping]
    during = [r for r in results if r[0] > down and r[1] < starting]
    after = [r for r in results if r[0] > up]
    assert before and all(ok(*r) for r in before)
    # While the database is down the portal still answers: its Vietnamese error page.
    assert during and all(r[2] in (500, 503) and ERROR_PAGE in r[3] for r in during)
    # Around the edges a request may succeed or get that page, never a broken connection.
    assert all(ok(*r) or (r[2] in (500, 503) and ERROR_PAGE in r[3]) for r in results)
    # Back at once: every request that started after the restart succeeded, same processes.
    assert len(after) >= 40 and all(ok(*r) for r in after)
    assert server.poll() is None and worker_pids(server.pid) == workers

    # A restart no request saw: every thread's kept connection is now dead, and the health check
    # replaces it before use, so not even the first request after it fails.
    cluster.stop()
    cluster.start()
    with Load(f"{url}/thong-bao/", session) as quiet:
        wait_for(lambda: len(quiet.results) >= 40, timeout=60)
    assert all(ok(*r) for r in quiet.results)
    assert worker_pids(server.pid) == workers
