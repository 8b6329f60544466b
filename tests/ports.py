"""Loopback ports for the servers the tests start themselves (PostgreSQL, Redis, gunicorn)."""

import random
import socket
import time
from pathlib import Path


def _outgoing_ports() -> range:
    """The ports the kernel hands to outgoing connections (ip_local_port_range)."""
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    return range(low, high + 1)


def free_port() -> int:
    """A free loopback port outside the kernel's range for outgoing connections. A server is started on
    it seconds later (after initdb, again after each restart): a port of that range could meanwhile be
    taken by any connection the machine opens, and the server would not start."""
    outgoing = _outgoing_ports()
    candidates = [port for port in range(10000, 65536) if port not in outgoing]
    for port in random.sample(candidates, min(len(candidates), 200)):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:  # every candidate taken: let the kernel choose
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, server, log: Path, seconds: float = 60) -> None:
    """Return once `server` (a process started by the test) accepts connections on `port`; fail with
    its log once it has ended, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, f"did not start: {log.read_text()}"
            time.sleep(0.2)
