"""Shared fixtures: reference data, the SMS file outbox, a real Celery worker, Chromium."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser tests
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def missing(reason: str):
    """A missing real part fails in CI and skips on a developer's machine."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: real parts are required)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _private_and_sms_dirs(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery_unless_worker(request):
    """Tests run Celery tasks in-process, except those marked to use the real worker."""
    from vssid_portal.celery import app

    eager = request.node.get_closest_marker("celery_worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager or previous
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def sms_outbox(settings):
    """Messages written by the file SMS backend, as dicts."""

    def read():
        path = Path(settings.SMS_FILE_PATH) / "sms.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    return read


@pytest.fixture
def reference_data(db):
    from lookup.models import Province

    if not Province.objects.exists():
        call_command("load_reference_data", stdout=open(os.devnull, "w"))


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real `celery worker` process on Redis, connected to the test database."""
    from django.db import connection

    from vssid_portal.celery import app

    if not os.environ.get("REDIS_URL"):
        missing("REDIS_URL is not set: no Redis for a real Celery worker")
    if connection.vendor != "postgresql":
        missing("the real Celery worker needs PostgreSQL (DATABASE_URL)")
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "SMS_FILE_PATH": str(settings.SMS_FILE_PATH),
        "SMS_BACKEND": settings.SMS_BACKEND,
        "SMS_GATEWAY_URL": settings.SMS_GATEWAY_URL,
        "SMS_GATEWAY_TOKEN": settings.SMS_GATEWAY_TOKEN,
        "PRIVATE_FILES_ROOT": str(settings.PRIVATE_FILES_ROOT),
        "NOTIFICATION_RETRY_BASE_SECONDS": str(settings.NOTIFICATION_RETRY_BASE_SECONDS),
        "DB_CONN_MAX_AGE": "0",
    }
    app.control.purge()
    name = f"test-{os.getpid()}@localhost"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "vssid_portal", "worker", "--pool", "solo", "-n", name,
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(predicate, timeout=30.0, interval=0.1):
    """Poll until predicate() is truthy; return its value or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


@pytest.fixture(scope="session")
def chromium_path():
    for candidate in CHROMIUM_CANDIDATES:
        if shutil.which(candidate):
            return candidate
    missing("Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    return {**browser_type_launch_args, "executable_path": chromium_path, "args": CHROMIUM_ARGS}
