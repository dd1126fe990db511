"""The one module that sends webhook HTTP requests.

http.client rather than requests: we connect to the address that ssrf.py
checked, never to a fresh DNS answer, while TLS still verifies the
certificate for the URL's host name (SNI). No proxies from the environment,
and no redirects: a 3xx is an answer like any other non-2xx.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from .ssrf import Target

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
SNIPPET_BYTES = 1024
USER_AGENT = "TalkingAds-Webhooks/1"


@dataclass(frozen=True)
class Response:
    """What one POST came to: a status code, or an error before there was one."""

    status: int | None
    latency_ms: int
    body: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _connection(target: Target, connect_timeout: float, read_timeout: float):
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=read_timeout, context=ssl_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=read_timeout)

    def pinned(address, timeout=None, source_address=None):
        return _connect_checked(target, connect_timeout, read_timeout)

    # Both connect() methods open their socket through this hook; TLS then
    # wraps it with server_hostname=target.host.
    conn._create_connection = pinned
    return conn


def _connect_checked(target: Target, connect_timeout: float, read_timeout: float):
    """A socket to the first of the checked addresses that answers; never a new lookup."""
    error: OSError = OSError("No address to connect to.")
    for address in target.addresses:
        try:
            sock = socket.create_connection((address, target.port), connect_timeout)
        except OSError as exc:
            error = exc
            continue
        sock.settimeout(read_timeout)
        return sock
    raise error


def _describe(exc: Exception) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "Timed out waiting for the endpoint."
    if isinstance(exc, ConnectionRefusedError):
        return "Connection refused."
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc}"
    return f"{type(exc).__name__}: {exc}"


def post(
    target: Target,
    body: bytes,
    headers: dict[str, str],
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
) -> Response:
    """POST BODY to TARGET's checked address. Never raises for network errors."""
    connect_timeout = CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
    read_timeout = READ_TIMEOUT if read_timeout is None else read_timeout
    headers = {
        "Host": target.host_header,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **headers,
    }
    started = time.monotonic()
    conn = _connection(target, connect_timeout, read_timeout)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        reply = conn.getresponse()
        snippet = reply.read(SNIPPET_BYTES).decode("utf-8", "replace")
        return Response(reply.status, _ms_since(started), snippet)
    except (OSError, http.client.HTTPException) as exc:
        return Response(None, _ms_since(started), error=_describe(exc))
    finally:
        conn.close()


def options(target: Target, timeout: float = 1.0) -> Response:
    """An OPTIONS request to TARGET's checked address (is anything listening?)."""
    headers = {"Host": target.host_header, "User-Agent": USER_AGENT}
    started = time.monotonic()
    try:
        conn = _connection(target, timeout, timeout)
    except OSError as exc:
        return Response(None, _ms_since(started), error=_describe(exc))
    try:
        conn.request("OPTIONS", target.path, headers=headers)
        reply = conn.getresponse()
        return Response(reply.status, _ms_since(started), "")
    except (OSError, http.client.HTTPException) as exc:
        return Response(None, _ms_since(started), error=_describe(exc))
    finally:
        conn.close()


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
