"""Redis holds the sessions and the cached login users (password hashes included): in
docker-compose.yml it asks for a password, required from the environment as the database's is,
and the portal's REDIS_URL carries it; none is committed."""

import json
import os
import re
import secrets
import shutil
import subprocess
import time
from pathlib import Path

from tests.conftest import ROOT, require_tool
from tests.ports import free_port

from .test_beat import _compose_blocks

REQUIRED = re.compile(r"\$\{REDIS_PASSWORD:\?[^}]+\}")


def test_redis_asks_for_the_password_given_by_the_environment():
    redis = _compose_blocks()["services.redis"]
    assert any(REQUIRED.fullmatch(line.removeprefix("REDIS_PASSWORD: ")) for line in redis), redis
    command = next(line for line in redis if line.startswith("command:"))
    # Through the image's entrypoint, which drops root for the `redis` user only when redis-server is
    # what it is asked to run: a shell given first would keep Redis running as root.
    assert command.count("exec docker-entrypoint.sh redis-server ") == 1
    check = next(line for line in redis if line.startswith("test:"))
    assert 'REDISCLI_AUTH=\\"$$REDIS_PASSWORD\\"' in check and "grep -q PONG" in check


def _redis_argv(key: str) -> list[str]:
    """The redis service's `command:` or healthcheck `test:` (a flow sequence, JSON as written) as the
    container receives it: compose turns `$$` into `$`, left to the container's shell."""
    line = next(line for line in _compose_blocks()["services.redis"] if line.startswith(f"{key}:"))
    return [arg.replace("$$", "$") for arg in json.loads(line.removeprefix(f"{key}:"))]


def _executable(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def _run_redis_command(tmp_path: Path, password: str) -> tuple[int, int, list[str], str]:
    """Runs the service's command with the image's entrypoint replaced by one that records what it was
    given (its process, its arguments, its standard input) instead of dropping root and starting Redis."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    _executable(stubs / "docker-entrypoint.sh", '#!/bin/sh\necho $$ > "$RECORD/pid"\n'
                                                 'printf \'%s\\0\' "$@" > "$RECORD/args"\ncat > "$RECORD/stdin"\n')
    command = _redis_argv("command")
    assert command[:2] == ["sh", "-c"], command
    shell = subprocess.Popen(command, stdin=subprocess.DEVNULL, env={
        "PATH": f"{stubs}:{os.environ['PATH']}", "REDIS_PASSWORD": password, "RECORD": str(tmp_path)})
    assert shell.wait(timeout=10) == 0
    args = (tmp_path / "args").read_text().split("\0")[:-1]
    return shell.pid, int((tmp_path / "pid").read_text()), args, (tmp_path / "stdin").read_text()


def test_redis_reads_its_password_from_its_standard_input_not_its_command_line(tmp_path):
    """A process's command line is readable by every user of the machine (`ps`, /proc/<pid>/cmdline):
    Redis is given its password on its standard input, and the healthcheck still gets its PONG."""
    server_binary, client_binary = (shutil.which(require_tool(name, "redis-server"))
                                    for name in ("redis-server", "redis-cli"))
    password = secrets.token_hex(16)
    shell_pid, entrypoint_pid, args, stdin = _run_redis_command(tmp_path, password)
    # The shell replaces itself: Redis is the container's first process and gets `docker stop`'s signal.
    assert entrypoint_pid == shell_pid
    assert args[0] == "redis-server" and not any(password in arg for arg in args), args
    # `-` first: Redis reads its configuration from its standard input only when `-` is its first or last
    # argument, and the image's entrypoint may add options after the command's (its modules).
    assert args[1] == "-", args

    port = free_port()
    config = f"{stdin}\nport {port}\nbind 127.0.0.1\ndir {tmp_path}\n"
    server = subprocess.Popen([server_binary, *args[1:]], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        server.stdin.write(config)
        server.stdin.close()
        ping = [client_binary, "-p", str(port), "ping"]
        deadline = time.monotonic() + 10
        while subprocess.run(ping, capture_output=True).returncode and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "NOAUTH" in subprocess.run(ping, capture_output=True, text=True).stdout
        assert password not in Path(f"/proc/{server.pid}/cmdline").read_text()

        client = tmp_path / "client"
        client.mkdir()
        _executable(client / "redis-cli", f'#!/bin/sh\nexec {client_binary} -p {port} "$@"\n')
        check = _redis_argv("test")
        assert check[0] == "CMD-SHELL", check
        path = f"{client}:{os.environ['PATH']}"
        for given, healthy in [(password, True), (password[::-1], False)]:
            result = subprocess.run(["sh", "-c", check[1]], env={"PATH": path, "REDIS_PASSWORD": given}, timeout=10)
            assert (result.returncode == 0) is healthy, given
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_portal_reaches_redis_with_the_password():
    portal = next(lines for key, lines in _compose_blocks().items() if key.startswith("x-portal"))
    url = next(line for line in portal if line.startswith("REDIS_URL:"))
    assert re.fullmatch(r"REDIS_URL: redis://:\$\{REDIS_PASSWORD:\?[^}]+\}@redis:6379/0", url), url


def test_compose_interpolates_only_required_variables():
    """A bare `$NAME` is filled in by compose from the host's environment (empty when unset): the
    variables are required (`${NAME:?…}`), and what the container's shell reads is written `$$`."""
    text = "\n".join(line for line in (ROOT / "docker-compose.yml").read_text().splitlines()
                     if not line.lstrip().startswith("#"))
    assert re.findall(r"(?<!\$)\$(?!\$|\{)", text.replace("$$", "")) == []
    assert all(re.fullmatch(r"[A-Z_]+:\?.+", inner) for inner in re.findall(r"(?<!\$)\$\{([^}]*)\}", text))


def test_the_env_example_and_the_readme_name_the_password_and_commit_none():
    assert "\nREDIS_PASSWORD=\n" in (ROOT / ".env.example").read_text()
    production = (ROOT / "README.md").read_text().split("## Production", 1)[1].split("\n## ", 1)[0]
    assert "REDIS_PASSWORD" in production


def test_the_env_example_says_how_to_make_each_password_compose_writes_into_a_url():
    """A password compose writes into a URL (DATABASE_URL, REDIS_URL) breaks it with a `/`, `?` or `:`
    (`openssl rand -base64` writes `/`): the portal would stop on a malformed URL the operator never typed."""
    in_urls = set(re.findall(r"://[^\s@]*\$\{([A-Z_]+):\?[^}]*\}@", (ROOT / "docker-compose.yml").read_text()))
    assert in_urls == {"POSTGRES_PASSWORD", "REDIS_PASSWORD"}
    example = (ROOT / ".env.example").read_text()
    for name in in_urls:
        comment = re.search(rf"((?:#[^\n]*\n)+){name}=\n", example)
        assert comment and "letters and digits only" in comment.group(1), name
        assert "openssl rand -hex 32" in comment.group(1), name


def test_the_env_example_says_how_to_make_a_secret_key_nothing_rewrites():
    """compose reads `$NAME` in .env as a variable to fill in (a key with `$` loses its part after it), a
    ` #` as the start of a comment; a shell given the line does the same with `$`, `&`, `(`... Django's
    get_random_secret_key writes all of them: the recipe the .env.example gives makes letters and digits
    only."""
    comment = re.search(r"((?:#[^\n]*\n)+)SECRET_KEY=\n", (ROOT / ".env.example").read_text())
    assert comment, "no recipe above SECRET_KEY="
    recipes = [text for text in re.findall(r"`([^`]+)`", comment.group(1)) if text.startswith("openssl rand ")]
    assert recipes, comment.group(1)
    recipe = recipes[-1]
    require_tool("openssl", "openssl")
    keys = {subprocess.run(["sh", "-c", recipe], capture_output=True, text=True, check=True).stdout.strip()
            for _ in range(2)}
    assert len(keys) == 2, keys
    for key in keys:
        assert re.fullmatch(r"[A-Za-z0-9]{50,}", key) and len(set(key)) >= 5, key  # Django's check --deploy
