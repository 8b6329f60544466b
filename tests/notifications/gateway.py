"""A real local HTTP SMS gateway for tests: records requests, fails on demand."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGateway:
    """Listens on 127.0.0.1; `fail_next` requests answer 500, `fail_every` fails every n-th."""

    def __init__(self, fail_next=0, fail_every=0):
        self.requests = []
        self.fail_next = fail_next
        self.fail_every = fail_every
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                with gateway.lock:
                    count = len(gateway.requests) + 1
                    fail = gateway.fail_next > 0 or bool(gateway.fail_every and count % gateway.fail_every == 0)
                    if gateway.fail_next > 0:
                        gateway.fail_next -= 1
                    status = 500 if fail else 202
                    gateway.requests.append({"headers": dict(self.headers), "body": body, "status": status})
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def delivered(self):
        """Message ids of the requests the gateway accepted (one entry per accepted SMS)."""
        return [r["body"]["id"] for r in self.requests if r["status"] < 300]
