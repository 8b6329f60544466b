"""A real local HTTP SMS gateway for tests: records requests, fails or hangs on demand."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG_LIMIT = 60  # seconds a hung request waits for release() at most


class FakeGateway:
    """Listens on 127.0.0.1; `fail_next` requests answer 500, `fail_every` fails every n-th,
    `fail_first_try` fails the first request for each message id; a failure answers `fail_status`. After `hang()` requests get no
    answer until `release()`, then a 504: a hung request is never an accepted message."""

    def __init__(self, fail_next=0, fail_every=0, fail_first_try=False, fail_status=500):
        self.requests = []
        self.fail_next = fail_next
        self.fail_every = fail_every
        self.fail_first_try = fail_first_try
        self.fail_status = fail_status
        self.hanging = 0  # requests waiting for release() right now
        self.lock = threading.Lock()
        self._released = threading.Event()
        self._released.set()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                if not gateway._released.is_set():
                    self._hang(body)
                    return
                with gateway.lock:
                    count = len(gateway.requests) + 1
                    first_try = not any(r["body"]["id"] == body["id"] for r in gateway.requests)
                    fail = (gateway.fail_next > 0 or bool(gateway.fail_every and count % gateway.fail_every == 0)
                            or (gateway.fail_first_try and first_try))
                    if gateway.fail_next > 0:
                        gateway.fail_next -= 1
                    status = gateway.fail_status if fail else 202
                    gateway.requests.append({"headers": dict(self.headers), "body": body, "status": status})
                self._answer(status)

            def _hang(self, body):
                with gateway.lock:
                    gateway.hanging += 1
                gateway._released.wait(HANG_LIMIT)
                with gateway.lock:
                    gateway.hanging -= 1
                    gateway.requests.append({"headers": dict(self.headers), "body": body, "status": 504})
                self._answer(504)

            def _answer(self, status):
                try:
                    self.send_response(status)
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:  # the client gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def hang(self):
        self._released.clear()

    def release(self):
        self._released.set()

    def delivered(self):
        """Message ids of the requests the gateway accepted (one entry per accepted SMS)."""
        return [r["body"]["id"] for r in self.requests if r["status"] < 300]
