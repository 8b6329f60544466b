"""Shared fixtures: reference data, the SMS file outbox, a real Celery worker, Chromium."""

import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser tests
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
(ROOT / "var").mkdir(exist_ok=True)  # the SQLite test database lives there
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests in a transaction run before those that empty the tables when they end (live
    server, `transaction=True`), as pytest-django orders them. pytest then groups the tests that
    share a parametrized session fixture, such as Playwright's `browser_name`, which any test
    naming a Playwright fixture (`page`, `context`) takes; that grouping can move browser tests
    among the others, whose reference rows they leave emptied. Sorted again last (stably)."""
    from pytest_django.plugin import pytest_collection_modifyitems as in_django_order

    in_django_order(items)


def missing(reason: str):
    """A missing real part fails in CI and skips on a developer's machine."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: real parts are required)")
    pytest.skip(reason)


# zbarimg reading QR codes only, as raw bytes: with every symbology on, a QR's modules could also be
# read as a linear barcode, whose digits binary mode (no newline between symbols) glued to the payload.
ZBAR_QR = ("-q", "--raw", "--nodbus", "-Sdisable", "-Sqrcode.enable", "-Sqrcode.binary")


def require_tool(name: str, package: str) -> str:
    """A command-line tool the test needs (pdftotext, zbarimg, ...): fails in CI when missing."""
    if not shutil.which(name):
        missing(f"{name} is not installed (apt-get install {package})")
    return name


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashes():
    """Django's PBKDF2 takes 0.3 s a hash, and the suite hashes and checks thousands of
    passwords. Tests hash with MD5: which password is right is decided the same way, and a hash
    made with the production hasher (PBKDF2) is still read."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher",
                                             "django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        yield


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
def _rate_windows_held(monkeypatch):
    """django-ratelimit counts in fixed windows (a minute, an hour) that end at a given second: a
    test posting up to a limit across the end of a window would see its count start again and
    the post over the limit let through. Its clock stands still during a test; a test that moves
    time (patching time.time) moves it too."""
    import django_ratelimit.core

    real, start = time.time, time.time()
    monkeypatch.setattr(django_ratelimit.core, "time",
                        SimpleNamespace(time=lambda: start if time.time is real else time.time()))


@pytest.fixture
def open_expired_link(monkeypatch):
    """Opens a download link (vssid_portal.files) once its 15 minutes are over: the clock is moved
    past them for the rest of the test. Returns the response and its page."""
    from vssid_portal import files

    real_time = time.time

    def open_late(client, link):
        monkeypatch.setattr(files.time, "time", lambda: real_time() + files.DEFAULT_MAX_AGE + 1)
        response = client.get(link)
        return response, response.content.decode()

    return open_late


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in the test process unless a test starts a real worker (see running_worker)."""
    from vssid_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
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


NEW_SECRET_KEY = "n3w" + "f6e5d4c3b2a1" * 5


class SecretKeyRotation:
    """SECRET_KEY rotated as the README tells: the key in use (`old`) moved to SECRET_KEY_FALLBACKS and a
    new one (`new`) set, when the test calls it; `drop_old()` then removes the old key from the fallbacks."""

    def __init__(self, settings):
        self._settings = settings
        self.old, self.new = settings.SECRET_KEY, NEW_SECRET_KEY

    def __call__(self) -> None:
        self._settings.SECRET_KEY_FALLBACKS = [self.old]
        self._settings.SECRET_KEY = self.new

    def drop_old(self) -> None:
        self._settings.SECRET_KEY_FALLBACKS = []


@pytest.fixture
def rotate_secret_key(settings) -> SecretKeyRotation:
    """Rotates SECRET_KEY when called, for the rest of the test (SecretKeyRotation)."""
    return SecretKeyRotation(settings)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data (provinces, wards, agencies, clinics, employers, collection points:
    3,700 rows) is loaded once into the test database instead of in every test that reads it.
    A test run outside a transaction (`transaction=True`) empties the tables when it ends; the
    `reference_data` fixture loads it again for those."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", stdout=open(os.devnull, "w"))
        row_locks_readable()


def row_locks_readable() -> None:
    """PostgreSQL's contrib extension pgrowlocks in the test database, where PostgreSQL ships it (Debian's
    package does), so that the tests of two transactions read the mode of a row's lock
    (tests.db_locks.row_lock_modes). The tests' alone, made here: the portal does not use it, and no
    migration makes it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pgrowlocks'")
        if cursor.fetchone() is not None:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgrowlocks")


@pytest.fixture
def reference_data(db):
    from lookup.models import Province

    if not Province.objects.exists():
        call_command("load_reference_data", stdout=open(os.devnull, "w"))


@pytest.fixture
def own_record_family(db, reference_data):
    """A district officer of 07901 naming their own record, with a child of theirs and a stranger
    (tests.accounts.helpers.officer_family_and_stranger), for the admins' own-record rule."""
    from tests.accounts.helpers import officer_family_and_stranger

    return officer_family_and_stranger("07901", "Cán bộ BHXH cơ sở")


@pytest.fixture
def no_reference_data(db):
    """The reference data taken out, as on a database it was never loaded into (the test's
    transaction puts it back)."""
    from lookup.models import Agency
    from lookup.services import LOADED

    Agency.objects.update(parent=None)  # parents are protected from deletion before their children
    for model in reversed(LOADED.values()):
        model.objects.all().delete()


def worker_unavailable() -> str | None:
    """Why a real worker cannot run here, or None when it can (Redis and PostgreSQL present)."""
    from django.db import connection

    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set: no Redis for a real Celery worker"
    if connection.vendor != "postgresql":
        return "the real Celery worker needs PostgreSQL (DATABASE_URL)"
    return None


@contextmanager
def running_worker(settings, pool="solo", loglevel="WARNING", output=None):
    """A real `celery worker` process on Redis, connected to the test database; while it runs,
    tasks are published to Redis instead of running in the test process. `pool="prefork"` runs
    tasks in one child process, as production does. `output`: an open file that takes what the
    worker writes (stdout and stderr), otherwise the test run's own."""
    from django.db import connection

    from vssid_portal.celery import app

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "SMS_FILE_PATH": str(settings.SMS_FILE_PATH),
        # The worker cannot share the test process's in-memory mailbox: it writes beside the SMS file.
        # django-environ drops the first slash of the path: an absolute folder needs four.
        "EMAIL_URL": f"filemail:///{Path(settings.SMS_FILE_PATH).parent / 'email'}",
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
        [sys.executable, "-m", "celery", "-A", "vssid_portal", "worker", "--pool", pool, "--concurrency", "1",
         "-n", name, "--loglevel", loglevel, "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if output else None,
    )
    eager = app.conf.task_always_eager
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start")
        app.conf.task_always_eager = False
        yield process
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real worker, required: missing Redis or PostgreSQL skips (fails in CI)."""
    reason = worker_unavailable()
    if reason:
        missing(reason)
    with running_worker(settings) as process:
        yield process


@pytest.fixture
def task_worker(transactional_db, settings):
    """A real worker where Redis and PostgreSQL are at hand (always in CI); otherwise tasks run
    in-process, so journeys still run on a bare developer machine."""
    reason = worker_unavailable()
    if reason and IN_CI:
        pytest.fail(f"{reason} (CI=true: real parts are required)")
    if reason:
        yield None
        return
    with running_worker(settings) as process:
        yield process


@contextmanager
def save_fails_on(model, field: str):
    """Inside the block, saving `field` of a `model` row raises RuntimeError: the database lost
    after a build wrote its file, before the row pointing to it was saved."""
    real_save = model.save

    def failing_save(self, *args, **kwargs):
        if field in (kwargs.get("update_fields") or ()):
            raise RuntimeError(f"the database went away before {model.__name__}.{field} was saved")
        return real_save(self, *args, **kwargs)

    model.save = failing_save
    try:
        yield
    finally:
        model.save = real_save


def same_queries_whatever_found(client, url: str, add_more, query: str = "Cường") -> None:
    """An admin list searched for `query` runs as many queries after `add_more()` made more rows match."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, {"q": query})  # warm: caches and the session

    def search():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"q": query})
        assert response.status_code == 200
        return len(queries), response.context["cl"].result_count

    queries, found = search()
    add_more()
    queries_after, found_after = search()
    assert found_after > found, "add_more() made no more rows match"
    assert queries_after == queries


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


def assert_search_reads_indexes(model, query: str, user, tables: tuple[str, ...]) -> None:
    """The admin list of `model`, searched for `query` by `user`, finds rows, and on PostgreSQL its plan
    reads none of `tables` whole: each code, reference or name is found through an index."""
    import re

    from django.contrib import admin
    from django.db import connection
    from django.test import RequestFactory

    request = RequestFactory().get("/", {"q": query})
    request.user = user
    changelist = admin.site.get_model_admin(model).get_changelist_instance(request)
    assert changelist.result_list, query
    if connection.vendor != "postgresql":
        missing("the plan asserted is PostgreSQL's")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: see what the planner *can* use,
        cursor.execute("SET LOCAL enable_indexscan = off")  # and no whole index read in order either
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    plan = changelist.queryset.order_by().explain()  # the search's plan, without the list's order
    for table in tables:
        assert f"Seq Scan on {table}" not in plan, plan
    # nor a whole index read in order: the planner needed none of the reads switched off above
    assert float(re.search(r"cost=[\d.]+\.\.([\d.]+)", plan).group(1)) < 1e9, plan
