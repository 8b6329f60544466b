"""Vulnerability scan of the running portal with wapiti (`make security-scan`; not a pytest file).

    .venv/bin/python tests/security/scan.py [--scan-time 420] [--attack-time 20] [--port 0]

What it does, every request staying on loopback:
1. makes `var/wapiti-venv` with PyPI `wapiti3` when missing (its own venv: wapiti pins versions
   the portal does not want);
2. builds a throwaway database (`SCAN_DATABASE_URL`, default a fresh SQLite file in
   `var/security/`) with `migrate`, `load_reference_data` and `seed_demo`;
3. serves the portal with gunicorn on a free loopback port, development settings with DEBUG off
   (production error pages; cookies without `Secure`, so the scanner can keep a session over
   plain HTTP — the production headers are asserted by tests/security/test_headers.py);
4. scans it logged in as the demo citizen (a session made for it; logout excluded) with the
   modules below — never `ssrf` or any other module that calls an outside host;
5. saves the JSON report in `var/security/` and prints every finding. Findings explained in
   EXPLAINED (reviewed false positives or accepted by design) are printed but do not fail;
   anything else makes the exit status 1.
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "var" / "wapiti-venv"
OUT = ROOT / "var" / "security"
MODULES = "csp,http_headers,cookieflags,csrf,exec,file,permanentxss,redirect,sql,xss,upload,methods"
# (category, path prefix) → why the finding is not a defect. Reviewed on each change of this list.
EXPLAINED = {
    ("HTTP Strict Transport Security (HSTS)", "/"):
        "the scan runs over plain HTTP with development settings; production sends HSTS "
        "(max-age 1 year, includeSubDomains, preload), asserted on every page by test_headers.py",
    ("HTTP Secure Headers", "/"):
        "HSTS only: sent in production (test_headers.py), never over plain HTTP",
    ("Secure Flag cookie", "/"):
        "every cookie (session, CSRF, language, messages) is Secure in production "
        "(test_headers.py::test_cookies_are_secure_httponly_and_samesite); the scan runs over plain HTTP",
    ("HTTP Methods", "/"):
        "informational. Every method but GET, HEAD and POST is answered 405 with Allow: GET, HEAD, POST "
        "(vssid_portal.middleware.AllowedMethodsMiddleware; the first scans saw TRACE and OPTIONS answered like GET); "
        "the card-check API answers every method but POST with its own JSON 405 and Allow: POST",
    ("HttpOnly Flag cookie", "/"):
        "only csrftoken lacks HttpOnly, as Django's CSRF_COOKIE_HTTPONLY=False default intends "
        "(the token is also in every form; HttpOnly on it adds no protection, Django docs); sessionid and messages "
        "are HttpOnly. django_language is HttpOnly since LANGUAGE_COOKIE_HTTPONLY=True (reported by the first scan)",
}


def log(message: str) -> None:
    print(f"[scan] {message}", flush=True)


def ensure_wapiti() -> Path:
    wapiti = VENV / "bin" / "wapiti"
    if not wapiti.exists():
        log(f"installing wapiti3 into {VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "wapiti3"], check=True)
    return wapiti


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(run: Path) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key not in {"REDIS_URL", "DJANGO_ENV", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    database_url = os.environ.get("SCAN_DATABASE_URL") or f"sqlite:///{run / 'scan-db.sqlite3'}"
    env.update(
        DJANGO_SETTINGS_MODULE="vssid_portal.settings", DJANGO_ENV="development", DJANGO_DEBUG="false",
        DATABASE_URL=database_url, PRIVATE_FILES_ROOT=str(run / "private"), SMS_FILE_PATH=str(run / "sms"),
        SMS_BACKEND="notifications.sms.FileSmsBackend", LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True,
                            capture_output=capture, check=False)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout or ''}{result.stderr or ''}")
    return result.stdout or ""


SESSION_SCRIPT = """
import time
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
user = User.objects.get(username="7901234567")
session = SessionStore()
session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                "portal_session_started": time.time(), "portal_session_seen": time.time()})
session.create()
print(session.session_key)
"""


def prepare_database(env: dict) -> str:
    """A fresh database with reference and demo data; returns a session key of the demo citizen."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    log("migrate, load_reference_data, seed_demo")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_reference_data", capture=True)
    manage(env, "seed_demo", "--persons", "20", capture=True)
    return manage(env, "shell", "-c", SESSION_SCRIPT, capture=True).strip().splitlines()[-1]


def start_portal(env: dict, port: int, run: Path) -> subprocess.Popen:
    log(f"gunicorn on http://127.0.0.1:{port}/")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "vssid_portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--timeout", "120", "--access-logfile", str(run / "access.log")],
        cwd=ROOT, env=env, stdout=open(run / "portal.log", "w"), stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped: see " + str(run / "portal.log"))
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def scan(wapiti: Path, port: int, session_key: str, report: Path, args) -> None:
    base = f"http://127.0.0.1:{port}/"
    command = [
        str(wapiti), "-u", base, "--scope", "folder", "-m", args.modules, "--flush-session",
        "--max-scan-time", str(args.scan_time), "--max-attack-time", str(args.attack_time),
        # wapiti's -C replaces what the server sets: the CSRF cookie goes along (any 32 letters are a
        # valid secret; the forms then carry a token masked from it), else every POST is a 403.
        "-C", f"sessionid={session_key}; csrftoken={secrets.token_hex(16)}",
        # Modules that need a callback host (log4shell, xxe, ssrf) are not run; the endpoints point
        # at a closed loopback port all the same, so nothing is ever looked up or sent outside.
        "--endpoint", "http://127.0.0.1:9/", "--dns-endpoint", "localhost",
        # Ending the session would leave the rest of the scan anonymous.
        "-x", f"{base}tai-khoan/dang-xuat/", "-x", f"{base}tai-khoan/logout/", "-x", f"{base}quan-tri/logout/",
        "-f", "json", "-o", str(report), "--no-bugreport", "--tasks", "4",
    ]
    log("wapiti " + " ".join(command[1:]))
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, "HOME": str(VENV)}, check=False)
    if result.returncode != 0 or not report.exists():
        raise SystemExit(f"wapiti failed (exit {result.returncode})")


def explained(category: str, path: str) -> str | None:
    for (known_category, prefix), reason in EXPLAINED.items():
        if known_category == category and path.startswith(prefix):
            return reason
    return None


def log_requests(access_log: Path) -> dict[str, int]:
    """How much the scan exercised the portal: requests by method and status (from gunicorn)."""
    counts: dict[str, int] = {}
    for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split('"')
        if len(parts) < 3:
            continue
        method = parts[1].split(" ", 1)[0]
        status = parts[2].split()[0] if parts[2].split() else "?"
        counts[f"{method} {status}"] = counts.get(f"{method} {status}", 0) + 1
    log("requests served: " + ", ".join(f"{key}: {value}" for key, value in sorted(counts.items())))
    return counts


def summarise(report: Path) -> int:
    data = json.loads(report.read_text(encoding="utf-8"))
    unexplained = 0
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, findings in sorted(data.get(section, {}).items()):
            for finding in findings:
                reason = explained(category, finding.get("path", ""))
                mark = "explained" if reason else "FINDING"
                unexplained += reason is None
                log(f"{mark}: [{section}] {category}: {finding.get('method')} {finding.get('path')} "
                    f"{finding.get('parameter') or ''} – {finding.get('info')}")
                if reason:
                    log(f"    why: {reason}")
    crawled = data.get("infos", {}).get("crawled_pages_nbr", "?")
    log(f"report: {report.relative_to(ROOT)}; pages crawled: {crawled}; unexplained findings: {unexplained}")
    return unexplained


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scan-time", type=int, default=420,
                        help="seconds for the whole scan, crawl and attacks (wapiti --max-scan-time)")
    parser.add_argument("--attack-time", type=int, default=20, help="seconds per attack module (--max-attack-time)")
    parser.add_argument("--modules", default=MODULES, help="wapiti modules (never ssrf: it calls an outside host)")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    args = parser.parse_args()
    if "ssrf" in args.modules.split(","):
        parser.error("the ssrf module sends requests to an outside host: not allowed here")
    OUT.mkdir(parents=True, exist_ok=True)
    run = OUT / "scan-run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    wapiti = ensure_wapiti()
    env = portal_env(run)
    session_key = prepare_database(env)
    port = args.port or free_port()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    report = OUT / f"wapiti-{stamp}.json"
    server = start_portal(env, port, run)
    try:
        scan(wapiti, port, session_key, report, args)
    finally:
        stop(server)
    shutil.copyfile(report, OUT / "wapiti-latest.json")
    # A server error is a 5xx answer. Django also logs a traceback with some 400s (a multipart body
    # it cannot parse): those are answered with the portal's 400 page and are not counted.
    counts = log_requests(run / "access.log")
    errors = sum(count for key, count in counts.items() if key.split(" ")[-1].startswith("5"))
    errors += sum("Internal Server Error" in line
                  for line in (run / "portal.log").read_text(encoding="utf-8", errors="replace").splitlines())
    if errors:
        log(f"server errors during the scan: {errors} (see {run / 'portal.log'})")
    return 1 if summarise(report) or errors else 0


if __name__ == "__main__":
    sys.exit(main())
