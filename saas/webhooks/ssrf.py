"""Where a webhook may go: public addresses only, checked and pinned per attempt.

A customer chooses the URL, so without a check a webhook is a way to make our
workers POST to 169.254.169.254 or to the Redis next door. Every attempt
resolves the host, refuses unless every address is globally routable (no
loopback, private, link-local, CGNAT, multicast, reserved or cloud-metadata
address, nor one inside an IPv6 address), and returns the checked address so
that the transport connects to exactly those addresses. DNS cannot be rebound
between the check and the connection because nothing resolves the name again.

Hosts in WEBHOOKS_ALLOWED_HOSTS (names or addresses) skip the address check:
that is how tests and local setups reach a receiver on 127.0.0.1.

Which addresses are public, and how host literals are read (`127.1`,
`0x7f.0.0.1`, IPv4 inside IPv6), is the scraper's rule set (scraper/ssrf.py):
one definition for every URL a customer gives us.
"""

import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from saas.errors import ServiceError
from scraper import ssrf as addresses
from scraper.errors import NetworkError
from scraper.errors import RefusedUrl as RefusedLiteral

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

BLOCKED_NAMES = ("localhost", "metadata.google.internal", "metadata", "instance-data")
BLOCKED_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")
MAX_URL_LENGTH = 2000
MAX_ADDRESSES = 3  # tried in turn (an IPv6 address may be unreachable from here)


class RefusedUrl(ServiceError):
    """A webhook URL we will not send to. Permanent: retrying cannot help."""

    code = "url_refused"

    def __init__(self, message: str):
        super().__init__(message, field="url")


class ResolveFailed(Exception):
    """The host did not resolve. Temporary: DNS may answer on a later attempt."""


@dataclass(frozen=True)
class Policy:
    allow_http: bool = False
    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls) -> "Policy":
        hosts = frozenset(h.lower() for h in settings.WEBHOOKS_ALLOWED_HOSTS)
        return cls(allow_http=settings.WEBHOOKS_ALLOW_HTTP, allowed_hosts=hosts)


@dataclass(frozen=True)
class Target:
    """A checked URL and the addresses to connect to, in order."""

    scheme: str
    host: str  # for TLS (SNI and certificate check)
    port: int
    host_header: str
    path: str
    addresses: tuple[str, ...]

    @property
    def address(self) -> str:
        return self.addresses[0]


@dataclass(frozen=True)
class _Parsed:
    scheme: str
    host: str
    port: int
    netloc: str
    path: str


def _parse(url: str) -> _Parsed:
    if not isinstance(url, str):
        raise RefusedUrl("Give the URL as text, such as https://example.com/hooks.")
    if len(url) > MAX_URL_LENGTH:
        raise RefusedUrl(f"A webhook URL is at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise RefusedUrl(f"This is not a valid URL: {exc}.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedUrl("Enter a full URL starting with https://.")
    if parts.username is not None or parts.password is not None:
        raise RefusedUrl("Put no user name or password in the URL; verify our signature instead.")
    default = 443 if parts.scheme == "https" else 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname.rstrip(".").lower()
    return _Parsed(parts.scheme, host, port or default, parts.netloc, path)


def _literal(host: str) -> IPAddress | None:
    """The address a host names literally, read as browsers read it; None for a name."""
    try:
        return addresses.parse_ip_literal(host)
    except RefusedLiteral as exc:
        raise RefusedUrl(f"This is not a valid URL: {exc}.") from None


def is_public(address: IPAddress) -> bool:
    """Globally routable, and no private address hides inside it."""
    return addresses.refusal_reason(address) is None


def _check_address(address: IPAddress, policy: Policy, name: str | None = None) -> None:
    """Refuse a non-public ADDRESS; NAME: the host name it was resolved from, which the
    message says instead (the address is logged: told, it maps the internal network)."""
    if str(address) in policy.allowed_hosts:
        return
    reason = addresses.refusal_reason(address)
    if reason is None:
        return
    if name is not None and name != str(address):
        log.warning("Refused webhook host %s: it resolves to %s (%s)", name, address, reason)
        raise RefusedUrl(f"{name} points to an address that is not public ({reason}); "
                         "webhooks go to the internet only.")  # fmt: skip
    if address in addresses.METADATA_ADDRESSES:
        raise RefusedUrl(f"{address} is a cloud metadata address; webhooks cannot go there.")
    raise RefusedUrl(
        f"{address} is not a public address ({reason}); webhooks go to the internet only."
    )


def validate_url(url: str, policy: Policy | None = None) -> str:
    """Check a URL as a customer saves it (scheme, form, literal addresses). Returns it.

    Raises RefusedUrl with a message for the user. Names are resolved only at
    delivery time, by resolve_target.
    """
    policy = policy or Policy.from_settings()
    parsed = _parse(url)
    if parsed.host in policy.allowed_hosts:
        return url.strip()
    if parsed.scheme != "https" and not policy.allow_http:
        raise RefusedUrl("Webhook URLs must use https://.")
    literal = _literal(parsed.host)
    if literal is not None:
        _check_address(literal, policy)
    elif parsed.host in BLOCKED_NAMES or parsed.host.endswith(BLOCKED_SUFFIXES):
        raise RefusedUrl(f"{parsed.host} is a local name; webhooks go to the internet only.")
    return url.strip()


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address HOST resolves to. Raises ResolveFailed."""
    try:
        found = addresses.resolve_host(host, port)
    except NetworkError as exc:
        raise ResolveFailed(str(exc)) from None
    if not found:
        raise ResolveFailed(f"{host} has no addresses.")
    return found


Resolver = Callable[[str, int], list[IPAddress]]


def resolve_target(url: str, policy: Policy | None = None, resolver: Resolver | None = None):
    """Check URL, resolve its host and return the Target to connect to.

    Raises RefusedUrl (permanent) or ResolveFailed (temporary). Refuses when
    any address is not public, so a name cannot mix a public and a private one.
    """
    policy = policy or Policy.from_settings()
    validate_url(url, policy)
    parsed = _parse(url)
    addresses = (resolver or resolve)(parsed.host, parsed.port)
    if parsed.host not in policy.allowed_hosts:
        for address in addresses:
            _check_address(address, policy, parsed.host)
    checked = tuple(str(a) for a in addresses[:MAX_ADDRESSES])
    return Target(parsed.scheme, parsed.host, parsed.port, parsed.netloc, parsed.path, checked)
