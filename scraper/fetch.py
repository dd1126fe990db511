"""Plain HTTP(S) downloads under the SSRF guard, pinned to the checked address.

The host is resolved once, every address is checked, and the connection goes
to a checked address with the original ``Host`` header and TLS server name.
A DNS server that answers differently on a second lookup (DNS rebinding)
therefore cannot move the connection to an internal address. Each redirect
is checked the same way. Size and time are capped.
"""

from __future__ import annotations

import contextlib
import functools
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3

from .config import DownloadLimits, UrlPolicy
from .errors import Blocked, NetworkError, NotFound, RefusedUrl, Timeout, TooLarge
from .ssrf import Resolver, Target, check_url, resolve_host

REDIRECTS = (301, 302, 303, 307, 308)


@dataclass
class Fetched:
    """A finished download."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def fetch(
    url: str,
    policy: UrlPolicy,
    limits: DownloadLimits | None = None,
    *,
    resolve: Resolver = resolve_host,
    headers: dict[str, str] | None = None,
) -> Fetched:
    """GET ``url`` with the SSRF guard on every hop.

    Args:
        url: absolute http(s) URL.
        policy: SSRF policy (allowlist for tests).
        limits: size and time limits.
        resolve: DNS resolver, injectable for tests.
        headers: extra request headers.

    Returns:
        The final response (any status; see :func:`raise_for_status`).

    Raises:
        RefusedUrl, Timeout, TooLarge, NetworkError.
    """
    limits = limits or DownloadLimits()
    deadline = time.monotonic() + limits.timeout_s
    with _Cutoff(deadline) as cutoff, cutoff.as_timeout(url):
        return _follow(url, policy, limits, resolve, headers, deadline)


def _follow(url, policy, limits, resolve, headers, deadline) -> Fetched:
    hops: list[str] = []
    for _ in range(policy.max_redirects + 1):
        target = check_url(url, policy, resolve)
        response = _open(target, limits, deadline, headers or {})
        location = response.headers.get("location")
        if response.status in REDIRECTS and location:
            response.release_conn()
            hops.append(url)
            url = urljoin(url, location.strip())
            continue
        body = _read_capped(response, limits, deadline, url)
        lowered = {k.lower(): v for k, v in response.headers.items()}
        return Fetched(url=url, status=response.status, headers=lowered, body=body, redirects=hops)
    raise RefusedUrl(f"Too many redirects (more than {policy.max_redirects})", url=url)


class PinnedSession:
    """Requests, from any thread, to addresses checked by the SSRF guard, for the browser.

    The browser's route handler hands every request here instead of letting
    Playwright fetch it, so Chromium and Playwright never resolve a name themselves:
    the address checked is the address connected to (no DNS-rebinding window).
    Connections are kept per (scheme, address, port, host) for the scrape.
    """

    def __init__(self, policy: UrlPolicy, resolve: Resolver = resolve_host) -> None:
        self.policy = policy
        self._lookup = resolve
        self._answers: dict[tuple[str, int], list] = {}
        self._pools = _Pools()
        self._lock = threading.Lock()  # the browser fetches a page's requests on threads

    def resolve(self, host: str, port: int) -> list:
        """HOST's addresses, looked up once per session: a name cannot change its
        address while the page loads (the first answer is checked and kept, also when
        two threads looked it up at once)."""
        key = (host.lower(), port)
        with self._lock:
            answer = self._answers.get(key)
        if answer is None:
            answer = self._lookup(host, port)
            with self._lock:
                answer = self._answers.setdefault(key, answer)
        return answer

    def request(
        self,
        url: str,
        method: str,
        headers: dict[str, str],
        body: bytes | None,
        limits: DownloadLimits,
        deadline: float,
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """(status, headers, body) of one hop (redirects are returned, not followed).

        Raises:
            RefusedUrl, Timeout, TooLarge, NetworkError.
        """
        target = check_url(url, self.policy, self.resolve)
        with _Cutoff(deadline) as cutoff, cutoff.as_timeout(url):
            response = _open(target, limits, deadline, headers, method, body, self._pools)
            content = _read_capped(response, limits, deadline, url)
        return response.status, list(response.headers.iteritems()), content

    def close(self) -> None:
        self._pools.close()


class _Pools:
    """Connection pools kept per (scheme, address, port, host); shared by threads."""

    def __init__(self) -> None:
        self._pools: dict = {}
        self._lock = threading.Lock()

    def get(self, key, make):
        """The pool for KEY, made by MAKE now if there is none (it connects later)."""
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                pool = self._pools[key] = make()
        return pool

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()


def raise_for_status(fetched: Fetched) -> Fetched:
    """Map an HTTP error status to the library's typed errors."""
    status = fetched.status
    if status in (404, 410):
        raise NotFound(f"The page was not found (HTTP {status})", url=fetched.url)
    if status in (401, 403, 429, 451):
        raise Blocked(f"The shop refused the request (HTTP {status})", url=fetched.url)
    if status >= 400:
        raise NetworkError(f"The server answered HTTP {status}", url=fetched.url)
    return fetched


class _Cutoff:
    """The deadline of one download, enforced on its socket.

    A read timeout bounds each read, not the download: a server that sends a byte
    every second never trips it, in the headers or the body. At the deadline a timer
    shuts the connection's socket down, which ends the blocked read at once."""

    _local = threading.local()

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.expired = False
        self.conn = None
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._cut)
        self._timer.daemon = True

    def __enter__(self) -> _Cutoff:
        self._outer = getattr(self._local, "cutoff", None)
        self._local.cutoff = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        self._local.cutoff = self._outer

    @classmethod
    def watch(cls, conn) -> None:
        """Called with each connection a pool hands to this thread."""
        cutoff = getattr(cls._local, "cutoff", None)
        if cutoff is not None:
            cutoff.conn = conn

    @contextlib.contextmanager
    def as_timeout(self, url: str):
        """A failure caused by the cut is the Timeout it is, not a network error."""
        try:
            yield
        except (NetworkError, urllib3.exceptions.HTTPError, OSError) as exc:
            if self.expired:
                raise Timeout("The download took too long", url=url) from exc
            raise

    def _cut(self) -> None:
        self.expired = True
        sock = getattr(self.conn, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Watched:
    """A pool that hands each connection it gives out to this thread's _Cutoff."""

    def _get_conn(self, timeout=None):
        conn = super()._get_conn(timeout)
        _Cutoff.watch(conn)
        return conn


class _WatchedPool(_Watched, urllib3.HTTPConnectionPool):
    pass


class _WatchedHTTPSPool(_Watched, urllib3.HTTPSConnectionPool):
    pass


def _pool(target: Target, address: str, limits: DownloadLimits, remaining: float):
    timeout = urllib3.Timeout(connect=min(limits.connect_timeout_s, remaining), read=remaining)
    if target.scheme == "https":
        return _WatchedHTTPSPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=POOL_CONNECTIONS,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    return _WatchedPool(
        address, target.port, timeout=timeout, retries=False, maxsize=POOL_CONNECTIONS
    )


# Connections kept per host: the browser fetches up to this many requests at once.
POOL_CONNECTIONS = 6


def _open(
    target: Target,
    limits: DownloadLimits,
    deadline: float,
    extra: dict[str, str],
    method: str = "GET",
    body: bytes | None = None,
    pools: _Pools | None = None,
):
    """Send one request to one of TARGET's checked addresses (never a fresh lookup);
    POOLS keeps the connections (without it, each request has a pool of its own)."""
    parts = urlsplit(target.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    headers = {"User-Agent": limits.user_agent, "Accept": "*/*", **extra, "Host": host_header}
    last_error: Exception | None = None
    for address in target.addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        key = (target.scheme, str(address), target.port, target.host)
        make = functools.partial(_pool, target, str(address), limits, remaining)
        pool = pools.get(key, make) if pools is not None else make()
        timeout = urllib3.Timeout(connect=min(limits.connect_timeout_s, remaining), read=remaining)
        try:
            return pool.urlopen(
                method, path, body=body, headers=headers, redirect=False,
                preload_content=False, timeout=timeout,
            )  # fmt: skip
        except urllib3.exceptions.TimeoutError as exc:
            last_error = exc
        except urllib3.exceptions.HTTPError as exc:
            last_error = exc
    if last_error is None or isinstance(last_error, urllib3.exceptions.TimeoutError):
        raise Timeout(f"{target.host} did not answer in time", url=target.url)
    raise NetworkError(f"Cannot connect to {target.host}: {last_error}", url=target.url)


def _read_capped(response, limits: DownloadLimits, deadline: float, url: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        response.release_conn()
        raise TooLarge(f"The response is larger than {limits.max_bytes} bytes", url=url)
    chunks, size = [], 0
    try:
        for chunk in response.stream(64 * 1024):
            size += len(chunk)
            if size > limits.max_bytes:
                raise TooLarge(f"The response is larger than {limits.max_bytes} bytes", url=url)
            if time.monotonic() > deadline:
                raise Timeout("The download took too long", url=url)
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError as exc:
        raise Timeout("The download took too long", url=url) from exc
    except urllib3.exceptions.HTTPError as exc:
        raise NetworkError(f"The download failed: {exc}", url=url) from exc
    finally:
        response.release_conn()
    return b"".join(chunks)
