"""Production settings: `check --deploy` clean, and the security headers on every page.

The headers are read from a real gunicorn started with DJANGO_ENV=production (its own process,
its own settings, static files collected by the production storage), not from the test process:
what is asserted is what a production server sends. Requests carry `X-Forwarded-Proto: https`,
as the TLS-terminating proxy in front of gunicorn does (README, "Production").
"""

import contextlib
import http.client
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import ROOT
from tests.ports import free_port, wait_until_listening

# django_db: so the test database exists (and is the one the server is given) even when only
# these tests run. On SQLite without a wrapping transaction: its BEGIN IMMEDIATE would hold the
# file's write lock for the whole test, and the server could write nothing (sessions).
pytestmark = [pytest.mark.security,
              pytest.mark.django_db(transaction="sqlite" in settings.DATABASES["default"]["ENGINE"])]

SECRET = "s" * 8 + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9zz"
# A sample of URLs with parameters: forged tokens, unknown objects, pages behind a login.
SAMPLE = ["/tin-tuc/khong-co/", "/tin-tuc/anh/999999/", "/dang-ky/ho-so/DK2611ABC234:abc:def/", "/tep/forged/",
          "/the-bhyt/1/in/", "/so-kham-chua-benh/1/", "/thong-tin-huong/1/", "/dich-vu-cong/ho-so/1/",
          "/dich-vu-cong/cap-lai-so-bhxh/", "/xac-thuc/van-ban/ABCD-EFGH-JKMN-PQRS/", "/qua-trinh-tham-gia/bhxh/",
          "/dich-vu-cong/phan-anh/PA2611ABCD2345/", "/quan-tri/accounts/person/1/change/", "/khong-ton-tai/",
          "/quan-tri/public_services/filing/1/buoc/complete/", "/quan-tri/public_services/filing/1/ghi-chu/reject/"]


def parameterless_paths() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
                path = "/" + route.replace("^", "").replace("$", "")
                if "(" not in path and "\\" not in path and "." not in path.rsplit("/", 1)[-1][:1]:
                    yield path

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture(scope="module")
def production_server(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    db = connection.settings_dict
    assert str(db["NAME"]).rsplit("/", 1)[-1].startswith("test"), "the server must get the test database"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    database_url = (f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
                    if connection.vendor == "postgresql" else f"sqlite:///{db['NAME']}")
    folder = tmp_path_factory.mktemp("production")
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_ENV="production", SECRET_KEY=SECRET, ALLOWED_HOSTS="127.0.0.1", TRUSTED_PROXY_COUNT="0",
        SMS_GATEWAY_URL="http://127.0.0.1:9/sms", SMS_GATEWAY_TOKEN="test-token", DATABASE_URL=database_url,
        DB_CONN_MAX_AGE="0", CODE_LOOKUP_AUDIT_KEY="a1" * 32,
        HEALTH_CARD_SIGNING_KEYS='{"0001": "%s"}' % ("A" * 43), STATIC_ROOT=str(folder / "static"),
        PRIVATE_FILES_ROOT=str(folder / "private"), DJANGO_SETTINGS_MODULE="vssid_portal.settings",
    )
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    log = open(folder / "gunicorn.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "vssid_portal.wsgi", "-b", f"127.0.0.1:{port}",
                               "-w", "1", "--timeout", "60"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(port, server, folder / "gunicorn.log")
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextlib.contextmanager
def committed_logins(django_db_blocker, make_users, *, reauthenticated=False):
    """Sessions of the users `make_users()` returns, committed so that the production server can
    read them, as {name: cookie}; with `reauthenticated`, each has just confirmed its password."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import override_settings

    from accounts.models import User

    # Signed with the server's key: the session data and the password hash check both use it.
    with django_db_blocker.unblock(), override_settings(SECRET_KEY=SECRET):
        users = make_users()
        cookies = {}
        for name, user in users.items():
            session = SessionStore()
            session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                            "portal_session_started": time.time(), "portal_session_seen": time.time()})
            if reauthenticated:  # allauth's record of a password confirmation
                session.update({"account_authentication_methods_user": str(user.pk),
                                "account_authentication_methods": [
                                    {"method": "password", "at": time.time(), "reauthenticated": True}]})
            session.create()
            cookies[name] = f"sessionid={session.session_key}"
    yield cookies
    # Removed row by row in SQL: the server recorded the sessions it saw (allauth.usersessions).
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    ids = [user.pk for user in users.values()]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        Session.objects.filter(session_key__in=[c.split("=", 1)[1] for c in cookies.values()]).delete()
        marks = ", ".join(["%s"] * len(ids))  # IN, not ANY(): the embedded SQLite runs this too
        cursor.execute(f"DELETE FROM {UserSession._meta.db_table} WHERE user_id IN ({marks})", ids)
        cursor.execute(f"DELETE FROM {Authenticator._meta.db_table} WHERE user_id IN ({marks})", ids)
        cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE id IN ({marks})", ids)


@pytest.fixture(scope="module")
def session_cookies(django_db_setup, django_db_blocker):
    """Committed logins the production server can read: a citizen account and a superuser."""
    from accounts.models import User

    with committed_logins(django_db_blocker, lambda: {
            "citizen": User.objects.create_user("hdr-citizen", password=SECRET),
            "superuser": User.objects.create_superuser("hdr-admin", password=SECRET)}) as cookies:
        yield cookies


@pytest.fixture(scope="module")
def app_cookies(django_db_setup, django_db_blocker):
    """Officers who have just confirmed their password, without an authenticator app (its
    activation page) and with one (its recovery codes, its deactivation). A fixture of its own:
    on SQLite each test ends by emptying the database, so logins made for an earlier test are gone."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import User

    def make_users():
        users = {"app off": User.objects.create_superuser("hdr-app-off", password=SECRET),
                 "app on": User.objects.create_superuser("hdr-app-on", password=SECRET)}
        TOTP.activate(users["app on"], generate_totp_secret())
        RecoveryCodes.activate(users["app on"])
        return users

    with committed_logins(django_db_blocker, make_users, reauthenticated=True) as cookies:
        yield cookies


def fetch(port: int, path: str, cookie: str = "", method: str = "GET", body: bytes | None = None, **extra):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    headers.update(extra)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def header_problems(response) -> list[str]:
    problems = []
    csp = directives(response.getheader("Content-Security-Policy") or "")
    script = csp.get("script-src", csp.get("default-src"))
    if script is None:
        problems.append("no CSP script-src/default-src")
    elif "'unsafe-inline'" in script or "'unsafe-eval'" in script:
        problems.append(f"script-src {script}")
    if csp.get("frame-ancestors") != ["'none'"] and response.getheader("X-Frame-Options") != "DENY":
        problems.append("framing allowed")
    hsts = response.getheader("Strict-Transport-Security") or ""
    if "max-age=31536000" not in hsts or "includeSubDomains" not in hsts:
        problems.append(f"HSTS {hsts!r}")
    if response.getheader("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if response.getheader("Referrer-Policy") not in {"same-origin", "strict-origin-when-cross-origin", "no-referrer",
                                                      "strict-origin"}:
        problems.append(f"Referrer-Policy {response.getheader('Referrer-Policy')!r}")
    return problems


def test_every_page_carries_the_security_headers(production_server, session_cookies):
    """Every parameterless page and a sample of the others: anonymously, as a citizen (portal
    pages) and as a superuser (admin pages), so the pages behind a login are judged too."""
    paths = parameterless_paths() + SAMPLE
    assert len(paths) > 40
    failures, statuses = [], {}
    for path in paths:
        who = "superuser" if path.startswith("/quan-tri/") else "citizen"
        for name, cookie in (("anonymous", ""), (who, session_cookies[who])):
            response = fetch(production_server, path, cookie)
            statuses[(name, path)] = response.status
            if response.status >= 500:
                failures.append(f"{name} {path}: {response.status}")
            failures += [f"{name} {path} ({response.status}): {problem}" for problem in header_problems(response)]
    assert failures == []
    # Real pages were judged, logged-in ones included.
    assert statuses[("anonymous", "/")] == 200 and statuses[("anonymous", "/tin-tuc/khong-co/")] == 404
    assert statuses[("citizen", "/ca-nhan/")] == 200 and statuses[("superuser", "/quan-tri/accounts/person/")] == 200
    assert sum(status == 200 for status in statuses.values()) > 100


def test_the_error_pages_carry_the_security_headers(production_server):
    """The portal's own error pages, each reached as a visitor reaches it: a post without the CSRF
    cookie (403), a Host the portal does not serve and a post of too many fields (400), a post
    of too many files (413)."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    fields = b"&".join(b"f%d=1" % n for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    files = b"".join(b'--b\r\nContent-Disposition: form-data; name="f"; filename="%d.txt"\r\n\r\nx\r\n' % n
                     for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)) + b"--b--\r\n"
    cases = {
        "403 csrf": (403, fetch(production_server, "/tai-khoan/dang-nhap/", method="POST", body=b"login=x", **form)),
        "400 host": (400, fetch(production_server, "/", Host="evil.example")),
        "400 fields": (400, fetch(production_server, "/tai-khoan/dang-nhap/", method="POST", body=fields, **form)),
        "413": (413, fetch(production_server, "/tai-khoan/dang-nhap/", method="POST", body=files,
                           **{"Content-Type": "multipart/form-data; boundary=b"})),
    }
    failures = []
    for name, (status, response) in cases.items():
        if response.status != status:
            failures.append(f"{name}: {response.status}")
        failures += [f"{name}: {problem}" for problem in header_problems(response)]
    assert failures == []


def test_the_authenticator_app_pages_carry_the_security_headers(production_server, app_cookies):
    """Every page of the authenticator app, opened by an officer who may see it: the page itself,
    not the redirect to the password confirmation that the test of every page meets."""
    app_pages = [path for path in parameterless_paths() if path.startswith("/tai-khoan/2fa/")
                 and path not in {"/tai-khoan/2fa/authenticate/", "/tai-khoan/2fa/trust/"}]  # during a login only
    assert len(app_pages) == 7, app_pages
    failures = []
    for path in app_pages:
        who = "app off" if path.endswith("/activate/") else "app on"
        response = fetch(production_server, path, app_cookies[who])
        if response.status != 200:
            failures.append(f"{who} {path}: {response.status} {response.getheader('Location')}")
        failures += [f"{who} {path}: {problem}" for problem in header_problems(response)]
    assert failures == []


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_a_method_the_portal_does_not_take_gets_the_405_page_with_the_headers(production_server, method):
    for path in ("/dang-ky/", "/tra-cuu/co-so-kcb/", "/quan-tri/"):
        response = fetch(production_server, path, method=method)
        assert response.status == 405 and response.getheader("Allow") == "GET, HEAD, POST", path
        assert "<h1>Trang không nhận yêu cầu này</h1>" in response.body.decode() and header_problems(response) == []
    # At an address with no page the refusal is one line of text: with the headers all the same.
    response = fetch(production_server, "/khong-ton-tai/", method=method)
    assert response.status == 405 and response.getheader("Content-Type").startswith("text/plain")
    assert header_problems(response) == []


def test_plain_http_is_sent_to_https(production_server):
    connection = http.client.HTTPConnection("127.0.0.1", production_server, timeout=30)
    connection.request("GET", "/tra-cuu/", headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    assert response.status == 301 and response.getheader("Location") == "https://127.0.0.1/tra-cuu/"


def test_cookies_are_secure_httponly_and_samesite(production_server):
    """The CSRF cookie from a form page, then the language cookie and the messages cookie that a
    language change sets: all Secure and SameSite, all but the CSRF cookie HttpOnly."""
    response = fetch(production_server, "/tai-khoan/dang-nhap/")
    cookies = response.msg.get_all("Set-Cookie") or []
    csrf = next(cookie for cookie in cookies if cookie.startswith("csrftoken=")).split(";")[0]
    connection = http.client.HTTPConnection("127.0.0.1", production_server, timeout=30)
    connection.request("POST", "/i18n/setlang/", body=f"language=en&next=/&csrfmiddlewaretoken={csrf.split('=')[1]}",
                       headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Cookie": csrf,
                                "Origin": "https://127.0.0.1", "Referer": "https://127.0.0.1/",
                                "Content-Type": "application/x-www-form-urlencoded"})
    changed = connection.getresponse()
    changed.read()
    assert changed.status == 302
    cookies += changed.msg.get_all("Set-Cookie") or []
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert {"csrftoken", "django_language"} <= names, cookies
    for cookie in cookies:
        assert "Secure" in cookie and "SameSite=Lax" in cookie, cookie
        if not cookie.startswith("csrftoken="):
            assert "HttpOnly" in cookie, cookie
