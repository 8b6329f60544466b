"""gunicorn, as the image starts it, opens no control socket. From gunicorn 25.1 it opens one by default
in $XDG_RUNTIME_DIR or $HOME/.gunicorn, from a thread of the master, once the master listens; the image's
`portal` user has /app, owned by root, as its home, so every start logged an error that it could not
create it, and the portal has no use for `gunicornc`."""

import time

from .test_access_log import image_gunicorn

SETTLE = 3  # seconds the master's threads are given, once it listens, to open or fail to open the socket


def _settled(log, runtime=None) -> str:
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline and "control" not in log.read_text().lower():
        if runtime is not None and any(runtime.iterdir()):
            break
        time.sleep(0.1)
    return log.read_text()


def test_a_start_with_a_home_it_cannot_write_to_logs_nothing_about_a_control_socket(tmp_path):
    home = tmp_path / "home"
    home.write_text("")  # a home where nothing can be created, as /app is for the portal user
    with image_gunicorn(tmp_path, HOME=str(home), XDG_RUNTIME_DIR="") as (_port, log):
        written = _settled(log)
    assert "control" not in written.lower(), written
    assert "[WARNING]" not in written and "[ERROR]" not in written, written


def test_a_start_creates_no_control_socket(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir()
    with image_gunicorn(tmp_path, XDG_RUNTIME_DIR=str(runtime)) as (_port, log):
        written = _settled(log, runtime)
        assert list(runtime.iterdir()) == [], written  # gunicorn removes the socket when it stops
