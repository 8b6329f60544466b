"""A throwaway stack on loopback for the benchmarks: PostgreSQL, Redis, a Celery worker, gunicorn.

Every part runs from a temporary folder on a free port picked at start and is stopped (and the
folder removed) when the `Stack` context ends, also after an error or Ctrl-C. Nothing here
touches a server that was already running.

PostgreSQL runs as the `postgres` user when started as root (initdb refuses root), with
durability switched off (`fsync=off`): the data is rebuilt on every run, and a lost write would
only cost a rebuild. That speeds up the data build, not the page measurements (reads).
"""

import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def postgres_bin(root: Path = Path("/usr/lib/postgresql")) -> Path:
    """PostgreSQL's server binaries: `PG_BIN` when set, else those of the newest server installed in
    Debian's `/usr/lib/postgresql/<version>/bin`, the newest folder holding initdb and pg_ctl (a newer
    client-only version, postgresql-client-16 beside the server 15, has neither), as `.ci/run` picks them
    (and exports them as PG_BIN). Shared with the fault suite (tests/faults/services.py)."""
    if os.environ.get("PG_BIN", "").strip():
        return Path(os.environ["PG_BIN"].strip())
    versions = [path for path in root.glob("*/bin") if re.fullmatch(r"\d+(\.\d+)*", path.parent.name)
                and (path / "initdb").is_file() and (path / "pg_ctl").is_file()]
    if not versions:
        return root  # no initdb there: the caller says which folder it looked in
    return max(versions, key=lambda path: [int(part) for part in path.parent.name.split(".")])


PG_BIN = postgres_bin()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["su", "postgres", "-c", " ".join(f"'{part}'" for part in command)]


class Stack:
    """`with Stack() as stack:` → `stack.env` (DATABASE_URL, REDIS_URL, production settings)."""

    def __init__(self, *, database: str = "vssid_bench", keep: bool = False, log=print):
        self.database = database
        self.keep = keep
        self.log = log
        self.folder = Path(tempfile.mkdtemp(prefix="vssid-bench-"))
        self.pg_data = self.folder / "pg"
        self.pg_port = free_port()
        self.redis_port = free_port()
        self.web_port = None
        self.processes: list[subprocess.Popen] = []
        self.pg_started = False
        # Made for this run only: the stack is thrown away afterwards and signs nothing real.
        self.secret_key = secrets.token_urlsafe(64)
        self.audit_key = secrets.token_hex(32)
        seed = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
        self.signing_keys = json.dumps({"0001": seed})

    # --- the environment every process of the stack shares ---------------------------------
    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "TRUSTED_PROXY_COUNT": "0",
            "DATABASE_URL": self.database_url(self.database),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "HEALTH_CARD_SIGNING_KEYS": self.signing_keys,
            "HEALTH_CARD_SIGNING_KEY_ID": "0001",
            "CODE_LOOKUP_AUDIT_KEY": self.audit_key,
            # Codes of the benchmark's logins are read back from this file (the real gateway is not here).
            "SMS_BACKEND": "notifications.sms.FileSmsBackend",
            "SMS_FILE_PATH": str(self.folder / "sms"),
            "EMAIL_URL": "consolemail://",
            "PRIVATE_FILES_ROOT": str(self.folder / "private"),
            "STATIC_ROOT": str(self.folder / "static"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        return env

    def database_url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/{name}"

    # --- parts --------------------------------------------------------------------------------
    def start_postgres(self) -> None:
        self.pg_data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.pg_data, "postgres")
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.pg_data), "-A", "trust", "-U", "postgres",
                                     "-E", "UTF8", "--locale=C.UTF-8"]), check=True, stdout=subprocess.DEVNULL)
        options = " ".join([
            f"-p {self.pg_port}", "-k /tmp", "-c listen_addresses=127.0.0.1", "-c fsync=off",
            "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=1GB",
            "-c maintenance_work_mem=1GB", "-c max_wal_size=8GB", "-c wal_level=minimal", "-c max_wal_senders=0",
            "-c max_connections=300", "-c work_mem=16MB", "-c checkpoint_timeout=30min",
        ])
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data), "-o", options,
                                     "-l", str(self.pg_data / "log"), "-w", "start"]),
                       check=True, stdout=subprocess.DEVNULL)
        self.pg_started = True
        self.create_database(self.database)

    def create_database(self, name: str) -> None:
        subprocess.run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", name],
                       check=True)

    def start_redis(self) -> None:
        self._spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--daemonize", "no"])
        wait_for_port(self.redis_port)

    def start_worker(self) -> None:
        self._spawn("worker", [PYTHON, "-m", "celery", "-A", "vssid_portal", "worker", "--loglevel", "WARNING",
                               "--concurrency", "1", "--max-tasks-per-child", "200", "--without-gossip",
                               "--without-mingle", "--without-heartbeat"])

    def start_web(self, workers: int = 2) -> int:
        self.web_port = free_port()
        self._spawn("gunicorn", [PYTHON, "-m", "gunicorn", "vssid_portal.wsgi", "--bind", f"127.0.0.1:{self.web_port}",
                                 "--workers", str(workers), "--worker-class", "sync", "--backlog", "2048",
                                 "--keep-alive", "5", "--log-level", "warning"])
        wait_for_port(self.web_port)
        return self.web_port

    def manage(self, *args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        with open(self.folder / f"{name}.log", "wb") as log:  # the child keeps its own descriptor
            process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        process.name = name
        self.processes.append(process)
        return process

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.folder / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    # --- life -------------------------------------------------------------------------------
    def __enter__(self):
        try:
            self.start_postgres()
            self.start_redis()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        if self.pg_started:
            subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data), "stop", "-m", "fast"]),
                           stdout=subprocess.DEVNULL, check=False)
            self.pg_started = False
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)
        else:
            self.log(f"kept: {self.folder}")
