"""A webhook receiver on 127.0.0.1 for tests, the way a customer would write one.

    with WebhookReceiver(secret=secret) as receiver:
        ...  # point an endpoint at receiver.url
        [request] = receiver.wait_for(1)
        assert request.verified and request.json()["type"] == "video.completed"

It records every request and checks its signature with
saas.webhooks.signing.verify_signature when it knows the secret. It can be
told to fail the next N requests, to answer every request with a status, or
to hang before answering. The `webhook_receiver` fixture also allows
127.0.0.1 as a webhook host for the test (WEBHOOKS_ALLOWED_HOSTS).
"""

import json
import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from saas.webhooks.signing import verify_signature


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool | None  # None: the receiver had no secret to check with
    status: int  # what the receiver answered

    def json(self):
        return json.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    server_version = "WebhookReceiver/1"
    receiver: "WebhookReceiver"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        status, hang = self.receiver._answer(self, body)
        if hang:
            self.receiver._release.wait(hang)
        payload = json.dumps({"received": status < 400}).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the sender gave up waiting

    def do_OPTIONS(self):  # HeyGen checks an endpoint this way before adding it
        self.receiver.options_seen += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


class WebhookReceiver:
    """A threading HTTP server that records webhook requests. See the module docstring."""

    def __init__(
        self,
        secret: str | None = None,
        *,
        reject_unsigned: bool = False,
        tls: ssl.SSLContext | None = None,
    ):
        self.secret = secret
        self.reject_unsigned = reject_unsigned  # answer 401 when the signature is wrong
        self.requests: list[ReceivedRequest] = []
        self.options_seen = 0
        self.status = 200
        self.hang_seconds = 0.0
        self._failures: list[int] = []
        self._arrived = threading.Condition()
        self._release = threading.Event()
        handler = type("Handler", (_Handler,), {"receiver": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        if tls is not None:  # a server-side context holding the certificate
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/hooks"

    def start(self) -> "WebhookReceiver":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def fail(self, times: int = 1, status: int = 500) -> None:
        """Answer the next TIMES requests with STATUS, then go back to normal."""
        self._failures += [status] * times

    def respond_with(self, status: int) -> None:
        """Answer every request (after any queued failures) with STATUS."""
        self.status = status

    def hang(self, seconds: float) -> None:
        """Wait SECONDS (or until stop) before answering each request."""
        self.hang_seconds = seconds

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[ReceivedRequest]:
        """Block until COUNT requests have arrived; returns them. Fails after TIMEOUT."""
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.requests) >= count, timeout)
            if not arrived:
                raise AssertionError(f"{len(self.requests)} of {count} webhook requests arrived")
            return list(self.requests)

    def _answer(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, float]:
        headers = dict(handler.headers.items())
        verified = None if self.secret is None else verify_signature(self.secret, headers, body)
        with self._arrived:
            status = self._failures.pop(0) if self._failures else self.status
            if self.reject_unsigned and not verified:
                status = 401
            request = ReceivedRequest(
                handler.command, handler.path, headers, body, verified, status
            )
            self.requests.append(request)
            self._arrived.notify_all()
        return status, self.hang_seconds


@pytest.fixture
def webhook_receiver(settings):
    """A running WebhookReceiver; 127.0.0.1 is an allowed webhook host during the test."""
    settings.WEBHOOKS_ALLOWED_HOSTS = [*settings.WEBHOOKS_ALLOWED_HOSTS, "127.0.0.1"]
    with WebhookReceiver() as receiver:
        yield receiver
