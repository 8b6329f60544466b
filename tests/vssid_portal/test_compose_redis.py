"""Redis holds the sessions and the cached login users (password hashes included): in
docker-compose.yml it asks for a password, required from the environment as the database's is,
and the portal's REDIS_URL carries it; none is committed."""

import re

from tests.conftest import ROOT

from .test_beat import _compose_blocks

REQUIRED = re.compile(r"\$\{REDIS_PASSWORD:\?[^}]+\}")


def test_redis_asks_for_the_password_given_by_the_environment():
    redis = _compose_blocks()["services.redis"]
    assert any(REQUIRED.fullmatch(line.removeprefix("REDIS_PASSWORD: ")) for line in redis), redis
    command = next(line for line in redis if line.startswith("command:"))
    # `$$` reaches the container's shell as `$`: the password is read there, not written in the command.
    assert '--requirepass \\"$$REDIS_PASSWORD\\"' in command
    # Through the image's entrypoint, which drops root for the `redis` user only when redis-server is
    # what it is asked to run: a shell given first would keep Redis running as root.
    assert command.count("exec docker-entrypoint.sh redis-server ") == 1
    check = next(line for line in redis if line.startswith("test:"))
    assert 'REDISCLI_AUTH=\\"$$REDIS_PASSWORD\\"' in check and "grep -q PONG" in check


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
