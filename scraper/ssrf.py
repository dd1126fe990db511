"""SSRF guard: decide whether a URL may be fetched, before connecting.

Pure apart from DNS resolution (injectable). A URL is refused unless its scheme
is allowed and *every* address its host resolves to is globally routable: no
loopback, private, link-local, multicast, reserved, CGNAT or cloud-metadata
address, in IPv4 or IPv6, and none hidden inside an IPv6 address (mapped,
6to4, Teredo, NAT64). Host literals are read the way browsers read them, so
``http://2130706433/``, ``http://0x7f.1/`` and ``http://[::ffff:127.0.0.1]/``
are all 127.0.0.1. The check runs again on every redirect and every request.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .config import UrlPolicy
from .errors import NetworkError, RefusedUrl

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[IPAddress]]

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud (classic)
        "fd00:ec2::254",  # AWS IMDS over IPv6
    )
)
BLOCKED_NAMES = ("localhost", "metadata", "metadata.google.internal", "instance-data")
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_BAD_URL_CHARS = re.compile(r"[\\\x00-\x20\x7f]")


@dataclass(frozen=True)
class Target:
    """A URL that passed the check, with the addresses it may be connected to."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[IPAddress, ...]


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (A and AAAA). Raises NetworkError."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise NetworkError(f"Cannot resolve {host}: {exc}", retryable=True) from exc
    seen: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in seen:
            seen.append(address)
    return seen


def parse_ipv4_literal(host: str) -> ipaddress.IPv4Address | None:
    """Read ``host`` as an IPv4 number the way browsers do (inet_aton forms).

    ``127.1``, ``2130706433``, ``0x7f.0.0.1`` and ``0177.0.0.1`` are all
    127.0.0.1. Returns ``None`` when ``host`` is not a number-like host.
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    numbers = [_ipv4_part(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(parts)):
        raise RefusedUrl(f"Invalid IPv4 address {host!r}")
    value = last
    for index, number in enumerate(head):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _ipv4_part(part: str) -> int | None:
    try:
        if part.lower().startswith("0x"):
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part, 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host literal names (IPv6 in brackets or any IPv4 form), else None."""
    if host.startswith("[") and host.endswith("]"):
        try:
            return ipaddress.IPv6Address(host[1:-1].split("%", 1)[0])
        except ValueError as exc:
            raise RefusedUrl(f"Invalid IPv6 address {host!r}") from exc
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return None
    return parse_ipv4_literal(host)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses carried inside an IPv6 address (mapped, 6to4, Teredo, NAT64)."""
    found = []
    if address.ipv4_mapped:
        found.append(address.ipv4_mapped)
    if address.sixtofour:
        found.append(address.sixtofour)
    if address.teredo:
        found.extend(address.teredo)
    if any(address in net for net in (*NAT64_PREFIXES, IPV4_COMPATIBLE)):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be contacted, or ``None`` when it is public."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.version == 4 and address in CGNAT, "a shared (CGNAT) address"),
    )
    reason = next((reason for failed, reason in checks if failed), None)
    if reason is None and isinstance(address, ipaddress.IPv6Address):
        reason = _ipv6_inner_reason(address)
    if reason is None and address.is_private:
        reason = "a private address"
    if reason is None and not address.is_global:
        reason = "a reserved, non-public address"
    return reason


def _ipv6_inner_reason(address: ipaddress.IPv6Address) -> str | None:
    for inner in embedded_ipv4(address):
        reason = refusal_reason(inner)
        if reason:
            return f"{reason} (inside IPv6 {address})"
    if any(address in net for net in NAT64_PREFIXES):
        return "a NAT64 address"
    return None


def normalise_host(raw: str) -> str:
    """Lower-case ASCII host: percent-decoded, IDNA-encoded, trailing dots removed."""
    host = unquote(raw)
    if _BAD_URL_CHARS.search(host) or "%" in host:
        raise RefusedUrl(f"Invalid host {raw!r}")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise RefusedUrl(f"Invalid host {raw!r}") from exc
    return host.lower().rstrip(".")


def split_url(url: str, policy: UrlPolicy) -> tuple[str, str, int]:
    """Scheme, normalised host and port of ``url``. Raises RefusedUrl."""
    if _BAD_URL_CHARS.search(url.strip()):
        raise RefusedUrl("The URL contains spaces, control characters or backslashes", url=url)
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        raise RefusedUrl(f"Invalid URL {url!r}", url=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in policy.schemes:
        shown = scheme or "no scheme"
        raise RefusedUrl(f"Only http and https URLs can be scraped ({shown})", url=url)
    if "@" in parts.netloc:
        raise RefusedUrl("URLs with a user name or password are not fetched", url=url)
    try:
        port = parts.port or (443 if scheme == "https" else 80)
        raw_host = parts.hostname
    except ValueError as exc:
        raise RefusedUrl(f"Invalid host or port in {url!r}", url=url) from exc
    if not raw_host:
        raise RefusedUrl("The URL has no host", url=url)
    return scheme, normalise_host(raw_host), port


def _allowed(address: IPAddress, host: str, policy: UrlPolicy) -> bool:
    if host in policy.allow_hosts:
        return True
    return any(address in ipaddress.ip_network(net, strict=False) for net in policy.allow_networks)


def check_addresses(host: str, addresses: Iterable[IPAddress], policy: UrlPolicy, url: str):
    """Raise RefusedUrl unless every address is public or allowlisted."""
    addresses = list(addresses)
    if not addresses:
        raise NetworkError(f"{host} has no address", url=url)
    for address in addresses:
        if _allowed(address, host, policy):
            continue
        reason = refusal_reason(address)
        if reason:
            if str(address) == host:
                raise RefusedUrl(f"Refused {url}: {host} is {reason}", url=url)
            # The address stays in the log: told to the user, a name's address would map
            # the internal network for them (postgres, redis, minio ... by name).
            log.warning("Refused %s: %s resolves to %s, %s", url, host, address, reason)
            raise RefusedUrl(f"Refused {url}: {host} points to {reason}", url=url)


def check_url(url: str, policy: UrlPolicy, resolve: Resolver = resolve_host) -> Target:
    """Check ``url`` against ``policy`` and return where it may be connected.

    Args:
        url: the absolute URL to fetch.
        policy: schemes and the allowlist (for tests).
        resolve: DNS resolver, ``(host, port) -> [addresses]``.

    Returns:
        A :class:`Target` with the checked addresses; connect only to those.

    Raises:
        RefusedUrl: bad scheme or host, or an internal address.
        NetworkError: the host does not resolve.
    """
    scheme, host, port = split_url(url, policy)
    literal = parse_ip_literal(host)
    if (
        policy.only_allowlisted
        and host not in policy.allow_hosts
        and (literal is None or not _allowed(literal, host, policy))
    ):
        raise RefusedUrl(f"Refused {url}: {host} is not on the allowlist", url=url)
    if literal is None:
        blocked_name = host in BLOCKED_NAMES or host.endswith((".localhost", ".internal"))
        if blocked_name and host not in policy.allow_hosts:
            raise RefusedUrl(f"Refused {url}: {host} is an internal host name", url=url)
        addresses = resolve(host, port)
    else:
        addresses = [literal]
    check_addresses(host, addresses, policy, url)
    return Target(url=url, scheme=scheme, host=host, port=port, addresses=tuple(addresses))
