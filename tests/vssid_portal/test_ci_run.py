"""What `.ci/run` installs and finds: the libraries the production image installs for WeasyPrint, and
PostgreSQL's server binaries, found the same way by CI, the fault suite and the benchmarks."""

import os
import re
import shlex
import subprocess
import sys

import pytest

from bench.stack import postgres_bin
from tests.conftest import ROOT

CI_RUN = (ROOT / ".ci" / "run").read_text()


def _ci_packages() -> set[str]:
    return set(re.search(r"^PACKAGES=\(([^)]*)\)", CI_RUN, re.MULTILINE).group(1).split())


def _image_packages() -> set[str]:
    install = re.search(r"apt-get install ([^&]*)&&", (ROOT / "Dockerfile").read_text()).group(1)
    return {word for word in shlex.split(install.replace("\\\n", " ")) if not word.startswith("-")}


def test_ci_installs_every_package_the_image_installs_for_weasyprint():
    """Pango and HarfBuzz's subsetter came to CI only as Chromium's dependencies, which may stop needing them."""
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"} <= _image_packages()
    assert _image_packages() <= _ci_packages()


def test_ci_exports_the_postgresql_binaries_it_runs():
    """The fault suite started its clusters from /usr/lib/postgresql/15/bin whatever CI had installed and
    started: CI hands what it found on to `make test` as PG_BIN, which the fault suite reads."""
    assert re.search(r"^export PG_BIN\b", CI_RUN, re.MULTILINE)
    assert "$PGBIN" not in CI_RUN  # one name for the binaries CI starts and the ones it exports


def _installed(root, *versions, server=True):
    """Debian's folders of PostgreSQL versions; a client-only version (postgresql-client-16 beside the server
    15) has psql and pg_dump but neither initdb nor pg_ctl."""
    for version in versions:
        (root / version / "bin").mkdir(parents=True)
        for program in ("initdb", "pg_ctl") if server else ("psql", "pg_dump"):
            (root / version / "bin" / program).touch(mode=0o755)


def _ci_postgres_bin(root) -> str:
    """The folder `.ci/run` picks under root, by running its own function."""
    function = re.search(r"^newest_postgres_bin\(\) \{.*?^\}$", CI_RUN, re.MULTILINE | re.DOTALL).group(0)
    shown = subprocess.run(["bash", "-c", f'{function}\nnewest_postgres_bin "$1"', "bash", str(root)],
                           capture_output=True, text=True, timeout=30)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip()


def test_postgresql_binaries_are_pg_bin_when_set(monkeypatch, tmp_path):
    _installed(tmp_path, "15", "16")
    monkeypatch.setenv("PG_BIN", "/opt/pg/bin")
    assert str(postgres_bin(tmp_path)) == "/opt/pg/bin"


@pytest.mark.parametrize("pg_bin", [None, ""])
def test_postgresql_binaries_are_the_newest_installed_version_without_pg_bin(monkeypatch, tmp_path, pg_bin):
    """As `.ci/run` picks them (`sort -V`): 16 after 9.6, not before it."""
    _installed(tmp_path, "9.6", "15", "16")
    if pg_bin is None:
        monkeypatch.delenv("PG_BIN", raising=False)
    else:
        monkeypatch.setenv("PG_BIN", pg_bin)
    assert postgres_bin(tmp_path) == tmp_path / "16" / "bin"
    assert _ci_postgres_bin(tmp_path) == str(tmp_path / "16" / "bin")


def test_postgresql_binaries_are_those_of_the_newest_server_not_a_newer_client(monkeypatch, tmp_path):
    """postgresql-client-16 beside the server 15 made /usr/lib/postgresql/16/bin the pick, where initdb is
    missing: CI and the fault suite failed to start their clusters."""
    monkeypatch.delenv("PG_BIN", raising=False)
    _installed(tmp_path, "9.6", "15")
    _installed(tmp_path, "16", "17", server=False)
    assert postgres_bin(tmp_path) == tmp_path / "15" / "bin"
    assert _ci_postgres_bin(tmp_path) == str(tmp_path / "15" / "bin")


def test_the_fault_suite_and_the_benchmarks_read_pg_bin():
    """The fault suite's clusters came from /usr/lib/postgresql/15/bin whatever PG_BIN said."""
    shown = subprocess.run(
        [sys.executable, "-c", "from tests.faults import services; from bench import stack; "
                               "print(services.PG_BIN, stack.PG_BIN)"],
        cwd=ROOT, env={**os.environ, "PG_BIN": "/opt/pg/bin", "DJANGO_SETTINGS_MODULE": "vssid_portal.settings"},
        capture_output=True, text=True, timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["/opt/pg/bin", "/opt/pg/bin"]
