"""Webhook payload flavours other than ours: another vendor's event names, body and
signature, for customers whose receivers were written for that vendor (saas.heygen).

A flavour maps our event types to its own names, builds its body from the data we
would have sent, and signs it its own way. Endpoints have one flavour; ours is
``"ours"`` and needs nothing here. Flavours register at app start-up
(``AppConfig.ready``), so web processes and workers both know them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

OURS = "ours"


@dataclass(frozen=True)
class Flavour:
    name: str
    events: dict[str, str]  # our event type -> this flavour's event name
    payload: Callable[[str, dict], dict]  # (our event type, our data) -> the body to send
    headers: Callable[[Iterable[str], str, bytes], dict[str, str]]  # (secrets, event id, body)


FLAVOURS: dict[str, Flavour] = {}


def register(flavour: Flavour) -> None:
    FLAVOURS[flavour.name] = flavour


def get(name: str) -> Flavour | None:
    return FLAVOURS.get(name)
