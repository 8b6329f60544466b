"""Throwaway Redis servers and PostgreSQL clusters that a fault test may stop and start at will.

Each listens on a free loopback port, keeps nothing on disk beyond a temporary folder, and is
stopped when its context ends. A missing binary fails in CI and skips on a developer machine.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.stack import postgres_bin
from tests.conftest import missing
from tests.ports import free_port

PG_BIN = postgres_bin()  # PG_BIN, else the newest version installed, as .ci/run and the benchmarks take it


def _wait_until(check, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout} s")
        time.sleep(0.05)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class RedisServer:
    """`redis-server` without persistence: a restart starts empty, as a crashed cache would."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            missing("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        _wait_until(lambda: _accepts(self.port), "redis-server did not answer")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        _wait_until(lambda: not _accepts(self.port), "redis-server did not stop")


@contextmanager
def redis_server():
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _as_postgres(args: list[str]) -> list[str]:
    """initdb refuses root: run the cluster as the `postgres` system user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PostgresCluster:
    """A PostgreSQL cluster of its own (trust auth, fsync off) in a temporary folder."""

    def __init__(self):
        if not (PG_BIN / "initdb").exists():
            missing(f"PostgreSQL server binaries not found in {PG_BIN} (apt-get install postgresql)")
        self.port = free_port()
        self.data = Path(tempfile.mkdtemp(prefix="vssid-fault-pg-", dir="/tmp"))
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        subprocess.run(
            _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                          "--locale=C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL,
        )

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]), check=True,
                       stdout=subprocess.DEVNULL)

    def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "-l", str(self.data / "log"), "-w", "start")

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as in a real restart or failover."""
        self._ctl("-m", "fast", "-w", "stop")

    def psql(self, sql: str, db: str = "postgres") -> None:
        subprocess.run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-d", db, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True, stdout=subprocess.DEVNULL)

    def remove(self) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.data, ignore_errors=True)


@contextmanager
def postgres_cluster():
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


# Loaded by every Python process started with its folder on PYTHONPATH: in each pool process of a
# Celery worker, the function named by REPLACE ("package.module.name") is replaced by the one of
# that name in REPLACEMENT (Python source), after writing down the process id, so a test can make
# a render or a delivery hang or end its process the way a crash in a C library or the
# out-of-memory killer would.
_SITECUSTOMIZE = '''
import importlib
import os

from celery.signals import worker_process_init


@worker_process_init.connect
def _replace(**kwargs):
    module_name, name = os.environ["REPLACE"].rsplit(".", 1)
    namespace = {}
    exec(os.environ["REPLACEMENT"], namespace)

    def replacement(*args, **kwargs):
        with open(os.environ["REPLACEMENT_LOG"], "a") as log:
            log.write(f"{os.getpid()}\\n")
        return namespace[name](*args, **kwargs)

    setattr(importlib.import_module(module_name), name, replacement)
'''


def replace_in_workers(monkeypatch, folder: Path, target: str, source: str) -> Path:
    """Make the workers started next run, for `target` ("package.module.name"), the function of
    that name defined by `source`; returns the file where each call writes its process id."""
    (folder / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    log = folder / "calls.log"
    log.touch()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("REPLACE", target)
    monkeypatch.setenv("REPLACEMENT", source)
    monkeypatch.setenv("REPLACEMENT_LOG", str(log))
    return log


def queue_sms(key: str):
    """A welcome SMS to +84912345678 in the outbox, its delivery queued on commit."""
    from django.db import transaction

    from notifications.models import Message
    from notifications.services import send_message

    with transaction.atomic():
        return send_message(channel=Message.Channel.SMS, template="welcome", recipient="+84912345678",
                            context={"name": "Nguyễn Văn Đức", "code": "7901234567"}, idempotency_key=key)


def unacknowledged(broker) -> dict[bytes, float]:
    """Tasks a worker took but has not acknowledged, with the time it took each."""
    return dict(broker.zrange("unacked_index", 0, -1, withscores=True))


def waiting(broker) -> int:
    """Task messages queued and not yet taken by a worker (the default queue, every priority's list).
    With none waiting and none unacknowledged, nothing can be handed out any more."""
    return sum(broker.llen(key) for key in broker.scan_iter(match="celery*") if broker.type(key) == b"list")
