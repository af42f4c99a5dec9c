"""A real postcodes.io-compatible HTTP server on 127.0.0.1, in a thread, for the geocoder tests."""
from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Postcodes (no space) the server knows, and how it answers some others.
POINTS = {"LE15WW": (52.6344, -1.1314), "M11AE": (53.4839, -2.2446)}
BAD_JSON = "BA11AA"  # answers 200 with a body that is not JSON
SLOW = "SL11AA"  # answers only after SLOW_SECONDS
SLOW_SECONDS = 1.5


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.requests.append(self.path)
        code = self.path.rsplit("/", 1)[-1]
        if not self.path.startswith("/postcodes/"):
            return self._send(404, {"status": 404, "error": "Resource not found"})
        if code == SLOW:
            time.sleep(SLOW_SECONDS)
            return self._send(200, {"status": 200, "result": {"latitude": 51.5, "longitude": -0.6}})
        if code == BAD_JSON:
            return self._send(200, b"<html>Service temporarily unavailable</html>")
        if code in POINTS:
            lat, lon = POINTS[code]
            return self._send(200, {"status": 200, "result": {"postcode": code, "latitude": lat, "longitude": lon}})
        return self._send(404, {"status": 404, "error": "Postcode not found"})

    def _send(self, status: int, body) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the slow postcode)

    def log_message(self, *_args) -> None:
        """Keep the test output quiet."""


@contextmanager
def postcode_server():
    """Serve the postcodes above on a free port; yields the base URL, with `.requests` listing the paths asked."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield _BaseUrl(f"http://127.0.0.1:{server.server_address[1]}", server.requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _BaseUrl(str):
    """The server's base URL, carrying the list of request paths it has seen."""

    def __new__(cls, url: str, requests: list):
        self = super().__new__(cls, url)
        self.requests = requests
        return self
