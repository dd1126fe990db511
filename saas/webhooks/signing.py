"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>".

This module has no Django imports so that customers can copy it verbatim (the
README shows the same recipe). Each delivery carries three headers:

    Webhook-Id: evt_...            the event id, the same on every retry and replay
    Webhook-Timestamp: 1767225600  unix seconds when this attempt was signed
    Webhook-Signature: v1=<hex>    hex HMAC-SHA256(secret, f"{timestamp}.{body}")

The key is the whole secret string ("whsec_..."), UTF-8 encoded. During the
overlap after a secret rotation the signature header holds one `v1=` entry per
valid secret, separated by spaces; a receiver accepts the delivery if any
entry matches its secret.
"""

import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping

SCHEME = "v1"
DEFAULT_TOLERANCE = 300  # seconds either side of now, against replayed captures


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


def sign(secret: str, timestamp: int, body: bytes | str) -> str:
    """The hex HMAC-SHA256 of ``f"{timestamp}.{body}"`` keyed with ``secret``."""
    message = str(int(timestamp)).encode("ascii") + b"." + _bytes(body)
    return hmac.new(_bytes(secret), message, hashlib.sha256).hexdigest()


def signature_header(secrets: Iterable[str], timestamp: int, body: bytes | str) -> str:
    """The Webhook-Signature value: one ``v1=<hex>`` per secret, space-separated."""
    return " ".join(f"{SCHEME}={sign(secret, timestamp, body)}" for secret in secrets)


def signed_headers(
    secrets: Iterable[str], event_id: str, body: bytes | str, timestamp: int | None = None
) -> dict[str, str]:
    """The three signature headers for one delivery attempt."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return {
        "Webhook-Id": event_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature_header(secrets, timestamp, body),
    }


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def _signatures(header: str) -> list[str]:
    entries = header.replace(",", " ").split()
    prefix = f"{SCHEME}="
    return [entry[len(prefix) :] for entry in entries if entry.startswith(prefix)]


def verify_signature(
    secret: str,
    headers: Mapping[str, str],
    body: bytes | str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Whether a delivery was signed with ``secret`` within ``tolerance`` seconds.

    Args:
        secret: the endpoint's signing secret ("whsec_...").
        headers: the request headers (any mapping; names are matched case-insensitively).
        body: the raw request body, exactly as received (not re-serialised JSON).
        tolerance: the largest accepted age (or clock skew) of Webhook-Timestamp.
        now: the current unix time, for tests.

    Returns:
        True if the timestamp is fresh and one ``v1=`` signature matches.
    """
    timestamp, header = _header(headers, "Webhook-Timestamp"), _header(headers, "Webhook-Signature")
    if not timestamp or not header or not timestamp.strip().isdigit():
        return False
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        return False
    expected = sign(secret, int(timestamp), body)
    # compare_digest on every entry, without stopping early, keeps timing flat.
    expected_bytes = expected.encode("ascii")
    matches = [hmac.compare_digest(expected_bytes, _bytes(c)) for c in _signatures(header)]
    return any(matches)
