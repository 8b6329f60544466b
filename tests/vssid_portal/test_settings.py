"""Settings resolution from the environment, checked in a fresh interpreter each time."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import ROOT, missing

PROD_KEY = "k" * 10 + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9"
AUDIT_KEY = "a1" * 32

PROBE = """
import json, django
django.setup()
from django.conf import settings
from vssid_portal.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "conn_max_age": db.get("CONN_MAX_AGE"),
    "health": db.get("CONN_HEALTH_CHECKS"), "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url, "cache": settings.CACHES["default"]["BACKEND"], "debug": settings.DEBUG,
}))
"""


def run(code_or_args, stdin_text=None, cwd=ROOT, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE",
                                                             "TRUSTED_PROXY_COUNT", "NEWS_MEDIA_ROOT"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="vssid_portal.settings")
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else [sys.executable, *code_or_args]
    return subprocess.run(args, cwd=cwd, env=clean, capture_output=True, text=True, timeout=120, input=stdin_text)


def probe(**env):
    result = run(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_eager_and_local_memory():
    config = probe()
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["name"].endswith("db.sqlite3")
    assert config["eager"] is True
    assert config["cache"].endswith("LocMemCache")


def test_database_url_selects_postgresql_with_persistent_health_checked_connections():
    config = probe(DATABASE_URL="postgres://portal:secret@127.0.0.1:5432/vssid")
    assert config["engine"] == "vssid_portal.postgresql"  # Django's, with a health check asking the socket
    assert config["name"] == "vssid"
    assert config["conn_max_age"] == 60
    assert config["health"] is True


def test_redis_url_selects_redis_broker_and_cache():
    config = probe(REDIS_URL="redis://127.0.0.1:6379/3")
    assert config["eager"] is False
    assert config["broker"] == "redis://127.0.0.1:6379/3"
    assert config["cache"] == "vssid_portal.cache.ResilientRedisCache"  # Django's Redis cache, degrading to misses


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATABASE_URL": "not-a-url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV"),
        ({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "vssid.example"}, "SECRET_KEY"),
        # `SECRET_KEY=` as a copied .env.example leaves it: unset, so still required.
        ({"DJANGO_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "vssid.example"}, "SECRET_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": "  ", "ALLOWED_HOSTS": "vssid.example"}, "SECRET_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x"}, "SECRET_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "TRUSTED_PROXY_COUNT": "1"}, "ALLOWED_HOSTS"),
        # The lookup audit's addresses hashed with SECRET_KEY: a rotation hashes one address otherwise. It was
        # only reported by `check --deploy` (accounts.E001), and production started without it.
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "x"}, "CODE_LOOKUP_AUDIT_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "x", "CODE_LOOKUP_AUDIT_KEY": ""},
         "CODE_LOOKUP_AUDIT_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "x", "CODE_LOOKUP_AUDIT_KEY": " "},
         "CODE_LOOKUP_AUDIT_KEY"),
        # A trivially short key was taken: only an empty or blank one was refused.
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "x", "CODE_LOOKUP_AUDIT_KEY": "x"},
         "CODE_LOOKUP_AUDIT_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "x", "CODE_LOOKUP_AUDIT_KEY": "a1" * 15 + "b"},
         "CODE_LOOKUP_AUDIT_KEY"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "x", "CODE_LOOKUP_AUDIT_KEY": AUDIT_KEY,
          "SMS_GATEWAY_URL": "http://x/", "SMS_GATEWAY_TOKEN": "t"}, "TRUSTED_PROXY_COUNT"),
        # The gateway client always sends `Authorization: Bearer <token>`: with an empty one every SMS, codes
        # included, was refused, retried and given up.
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "x", "CODE_LOOKUP_AUDIT_KEY": AUDIT_KEY,
          "TRUSTED_PROXY_COUNT": "0", "SMS_GATEWAY_URL": "http://x/"}, "SMS_GATEWAY_TOKEN"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "x", "CODE_LOOKUP_AUDIT_KEY": AUDIT_KEY,
          "TRUSTED_PROXY_COUNT": "0", "SMS_GATEWAY_URL": "http://x/", "SMS_GATEWAY_TOKEN": ""}, "SMS_GATEWAY_TOKEN"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "x",
          "SECRET_KEY_FALLBACKS": f"{PROD_KEY},short"}, "SECRET_KEY_FALLBACKS"),
        ({"TRUSTED_PROXY_COUNT": "two"}, "TRUSTED_PROXY_COUNT"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT"),  # was taken as 0 proxies
        ({"NOTIFICATION_MAX_ATTEMPTS": "many"}, "NOTIFICATION_MAX_ATTEMPTS"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),  # was read as false
        # Only the words README lists are true or false: these were taken without being documented.
        ({"DJANGO_DEBUG": "ok"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "y"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "n"}, "DJANGO_DEBUG"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),  # was "Unable to configure root logger"
        ({"EMAIL_URL": "foo"}, "EMAIL_URL"),  # was "Invalid email schema"
    ],
)
def test_bad_environment_stops_start_up_naming_the_variable(env, named):
    result = run("import django; django.setup()", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("name", ["DATABASE_URL", "EMAIL_URL", "REDIS_URL"])
def test_a_malformed_url_stops_start_up_without_writing_its_password(name):
    """A password with a `/` breaks the URL (`openssl rand -base64` writes one): the parser's error quotes
    what it read as the port, the password's beginning, and the start-up error lands in the logs. Redis's
    was read only by the first request, each answered 500 with that error in the log."""
    url = {"DATABASE_URL": "postgres://vssid:Kx9PassPart/rest=@postgres:5432/vssid",
           "EMAIL_URL": "smtp+tls://user:Kx9PassPart/rest=@smtp.example.vn:587",
           "REDIS_URL": "redis://:Kx9PassPart/rest=@redis:6379/0"}[name]
    result = run("import django; django.setup()", **{name: url})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr.strip().splitlines()[-1]
    assert "Kx9PassPart" not in result.stderr + result.stdout, result.stderr


def test_an_empty_variable_reads_as_unset():
    """`NAME=` as a copied .env.example leaves it: the default, not a parse error."""
    config = probe(DJANGO_DEBUG="", TRUSTED_PROXY_COUNT="", HEALTH_CARD_SIGNING_KEYS="", LOG_LEVEL="")
    assert config["debug"] is True


def test_an_empty_secret_key_reads_as_unset_in_development():
    """`SECRET_KEY=` as .env.example ships it gave an empty key in development: `check` passed, and every
    request, which signs its session or CSRF token, stopped on ImproperlyConfigured."""
    shown = run("import django; django.setup(); from django.core import signing; "
                "print(signing.loads(signing.dumps('signed')))", SECRET_KEY="")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "signed"


@pytest.mark.parametrize("name", ["SMS_GATEWAY_TIMEOUT", "NOTIFICATION_RETRY_BASE_SECONDS",
                                  "NOTIFICATION_CLAIM_SECONDS"])
@pytest.mark.parametrize("value", ["x", "5s", "1,5"])
def test_a_malformed_number_of_seconds_stops_start_up_quoting_it(name, value):
    """django-environ's float drops every character but digits, `,`, `.` and `-`: `x` was quoted as '' and
    `5s` read as 5."""
    result = run("import django; django.setup()", **{name: value})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last and name in last and repr(value) in last, last


@pytest.mark.parametrize("name", ["SMS_GATEWAY_TIMEOUT", "NOTIFICATION_RETRY_BASE_SECONDS",
                                  "NOTIFICATION_CLAIM_SECONDS"])
@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_a_number_of_seconds_not_finite_and_positive_stops_start_up_quoting_it(name, value):
    """Python's float reads `nan`, `inf` and negatives: NOTIFICATION_CLAIM_SECONDS=nan passed `check` and then
    every message failed, SMS_GATEWAY_TIMEOUT=-1 failed every SMS."""
    result = run("import django; django.setup()", **{name: value})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last and name in last and repr(value) in last, last


def test_seconds_are_read_as_typed():
    shown = run("import django; django.setup(); from django.conf import settings as s; "
                "print(s.SMS_GATEWAY_TIMEOUT, s.NOTIFICATION_RETRY_BASE_SECONDS, s.NOTIFICATION_CLAIM_SECONDS)",
                SMS_GATEWAY_TIMEOUT="2.5", NOTIFICATION_RETRY_BASE_SECONDS=" 10 ", NOTIFICATION_CLAIM_SECONDS="90")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1].split() == ["2.5", "10.0", "90.0"]


def test_a_secret_that_starts_with_a_dollar_is_read_as_typed():
    """django-environ reads a value starting with `$` as the name of another variable to read instead
    (`$REDIS_PASSWORD`), falling back to the default when none has that name: a key or token that starts
    with `$` (Django's get_random_secret_key writes one in about 50 keys; compose passes `$$` in .env as
    one `$`) became an empty SMS gateway token, every code's SMS refused, and stopped production saying
    SECRET_KEY is missing."""
    key, token = "$" + PROD_KEY, "$Tok3n-with-a-dollar"
    shown = run("import json, django; django.setup(); from django.conf import settings as s; "
                "print(json.dumps([s.SECRET_KEY, s.SMS_GATEWAY_TOKEN, s.DEFAULT_FROM_EMAIL]))",
                DJANGO_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="x", CODE_LOOKUP_AUDIT_KEY=AUDIT_KEY,
                TRUSTED_PROXY_COUNT="0",
                SMS_GATEWAY_URL="http://x/", SMS_GATEWAY_TOKEN=token, DEFAULT_FROM_EMAIL="$HOME@example.vn")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == [key, token, "$HOME@example.vn"]


# Production as docker-compose.yml runs it; the services are not contacted by `check`.
PRODUCTION = dict(
    DJANGO_ENV="production", SECRET_KEY=PROD_KEY, ALLOWED_HOSTS="vssid.example", TRUSTED_PROXY_COUNT="1",
    SMS_GATEWAY_URL="http://127.0.0.1:9/sms", SMS_GATEWAY_TOKEN="gateway-token",
    HEALTH_CARD_SIGNING_KEYS='{"0001": "%s"}' % ("A" * 43), CODE_LOOKUP_AUDIT_KEY=AUDIT_KEY,
    DATABASE_URL="postgres://vssid:secret@127.0.0.1:9/vssid", REDIS_URL="redis://127.0.0.1:9/0",
)


@pytest.mark.security  # part of the security suite as well
def test_production_settings_pass_check_deploy_without_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert probe(DJANGO_ENV="production", SECRET_KEY=PROD_KEY, ALLOWED_HOSTS="x", SMS_GATEWAY_URL="http://x/",
                 SMS_GATEWAY_TOKEN="t", TRUSTED_PROXY_COUNT="0", CODE_LOOKUP_AUDIT_KEY=AUDIT_KEY)[
        "debug"] is False


@pytest.mark.parametrize(
    ("missing", "error"),
    [
        ("HEALTH_CARD_SIGNING_KEYS", "health_card.E001"),
        # The embedded SQLite file; per-process caches: a code sent by one gunicorn worker was
        # refused by the others, and rate limits were counted per worker.
        ("DATABASE_URL", "vssid_portal.E001"),
        ("REDIS_URL", "vssid_portal.E002"),
    ],
)
@pytest.mark.parametrize("how", ["unset", "empty"])
def test_production_without_a_required_variable_fails_check_deploy(missing, error, how):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    if how == "empty":
        env[missing] = ""  # as in a copied .env.example: reported by the check, not a parse error at start-up
    result = run(["manage.py", "check", "--deploy"], **env)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and error in output and missing in output
    assert "Traceback" not in output


@pytest.mark.security
@pytest.mark.parametrize("hosts", ["*", ".example.vn", "vssid.example,*"])
def test_production_taking_any_host_without_a_public_url_fails_check_deploy(hosts):
    """The links mailed and printed were built from the request's Host header, which a wildcard in
    ALLOWED_HOSTS lets any client choose; with PORTAL_PUBLIC_URL set they never are."""
    result = run(["manage.py", "check", "--deploy"], **{**PRODUCTION, "ALLOWED_HOSTS": hosts})
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "vssid_portal.E003" in output and "PORTAL_PUBLIC_URL" in output
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                 **{**PRODUCTION, "ALLOWED_HOSTS": hosts, "PORTAL_PUBLIC_URL": "https://vssid.example"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("backend", ["ConsoleSmsBackend", "FileSmsBackend"])
def test_production_with_an_sms_backend_that_writes_messages_down_is_warned(backend):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                 **PRODUCTION, SMS_BACKEND=f"notifications.sms.{backend}")
    assert result.returncode != 0 and "notifications.W001" in result.stdout + result.stderr


@pytest.mark.django_db
def test_suite_runs_on_postgresql_through_psycopg3_when_database_url_is_set():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        missing("DATABASE_URL does not point at PostgreSQL")
    assert connection.vendor == "postgresql"
    assert connection.Database.__name__ == "psycopg"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


SHOW_PROXY_HEADER = ("import json, django; django.setup(); from django.conf import settings as s; "
                     "print(json.dumps(s.SECURE_PROXY_SSL_HEADER))")


@pytest.mark.parametrize(("proxies", "header"), [("0", None), ("1", ["HTTP_X_FORWARDED_PROTO", "https"]),
                                                 ("2", ["HTTP_X_FORWARDED_PROTO", "https"])])
def test_x_forwarded_proto_says_https_only_when_a_proxy_is_declared(proxies, header):
    """With no proxy in front, the X-Forwarded-Proto a request carries was written by the client: read as
    HTTPS, it made a plain-HTTP request secure in Django's eyes (no redirect to HTTPS, secure links)."""
    shown = run(SHOW_PROXY_HEADER, **{**PRODUCTION, "TRUSTED_PROXY_COUNT": proxies})
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == header


def test_production_without_a_proxy_passes_check_deploy_without_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                 **{**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(("limits", "expected"), [({}, (20, 30, 60.0)),
                                                  ({"NOTIFICATION_TASK_SOFT_TIME_LIMIT": "40",
                                                    "NOTIFICATION_TASK_TIME_LIMIT": "50"}, (40, 50, 80.0))])
def test_a_deliverys_hold_on_its_message_follows_the_delivery_tasks_own_hard_limit(limits, expected):
    """Sending one SMS or e-mail takes seconds: the delivery task has limits of its own, far shorter
    than a PDF's, and the hold a second run waits out is that hard limit and a margin, so that a code
    held by a worker killed mid-send waits about a minute and not three of its five. The gateway's
    and mail timeouts bound each socket operation, not a whole call: only the hard limit bounds a
    try, so the hold is longer than it."""
    code = ("import django; django.setup(); from django.conf import settings; "
            "from notifications.tasks import deliver_message as task; "
            "print(task.soft_time_limit, task.time_limit, settings.NOTIFICATION_CLAIM_SECONDS)")
    result = run(code, CELERY_TASK_SOFT_TIME_LIMIT="120", CELERY_TASK_TIME_LIMIT="150", **limits)
    assert result.returncode == 0, result.stderr
    soft, hard, claim = result.stdout.strip().splitlines()[-1].split()
    assert (int(soft), int(hard), float(claim)) == expected


def test_the_images_collectstatic_step_starts_with_the_production_settings():
    """The Dockerfile's build step runs `collectstatic` with production settings and throwaway values of
    what production refuses to start without: every such variable must be among them, or the image no
    longer builds."""
    import re
    import shlex

    dockerfile = (ROOT / "Dockerfile").read_text()
    steps = re.split(r"\n(?=[A-Z#]+ )", dockerfile)  # an instruction or a comment begins each
    [step] = [step for step in steps if step.startswith("RUN") and "collectstatic" in step]
    words = shlex.split(step.removeprefix("RUN ").replace("\\\n", " "))
    env = dict(word.split("=", 1) for word in words[:words.index("python")])
    assert env["DJANGO_ENV"] == "production"
    result = run("import django; django.setup()", **env)
    assert result.returncode == 0, result.stderr


def test_a_code_lookup_audit_key_shorter_than_32_characters_stops_production_saying_the_minimum():
    short = run("import django; django.setup()", DJANGO_ENV="production", SECRET_KEY=PROD_KEY, ALLOWED_HOSTS="x",
                TRUSTED_PROXY_COUNT="0", SMS_GATEWAY_URL="http://x/", SMS_GATEWAY_TOKEN="t",
                CODE_LOOKUP_AUDIT_KEY="build-only-not-secret")
    assert short.returncode != 0
    assert "CODE_LOOKUP_AUDIT_KEY" in short.stderr and "32 ký tự" in short.stderr.strip().splitlines()[-1]
    assert probe(DJANGO_ENV="production", SECRET_KEY=PROD_KEY, ALLOWED_HOSTS="x", SMS_GATEWAY_URL="http://x/",
                 SMS_GATEWAY_TOKEN="t", TRUSTED_PROXY_COUNT="0", CODE_LOOKUP_AUDIT_KEY="a1" * 16)["debug"] is False


def test_the_production_env_file_beside_the_project_does_not_reach_the_settings(tmp_path):
    """README's production steps copy .env.example to `.env` in the project folder for compose, which hands
    its values to the containers itself. The settings read that file too, in every environment: `make run`
    and `make test` in that folder answered 400 on 127.0.0.1 (its ALLOWED_HOSTS) and sent officers' codes
    through the production SMTP server (its EMAIL_URL). Run here from a copy of the package, with the
    file beside it."""
    import shutil

    shutil.copytree(ROOT / "vssid_portal", tmp_path / "vssid_portal", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    shown = run("import json; from vssid_portal import settings as s; "
                "print(json.dumps([str(s.BASE_DIR), s.ALLOWED_HOSTS, s.EMAIL_BACKEND]))", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    base_dir, hosts, email = json.loads(shown.stdout.strip().splitlines()[-1])
    assert base_dir == str(tmp_path)  # the copy's settings, beside the file
    assert "127.0.0.1" in hosts and "bhxh.example.vn" not in hosts
    assert email == "django.core.mail.backends.filebased.EmailBackend"
