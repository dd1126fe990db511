"""Pure checks on a loaded page: HTTP status and bot walls."""

from __future__ import annotations

import re

from .errors import Blocked, NotFound, ScrapeError

BOT_WALL_MARKERS = (
    "/cdn-cgi/challenge-platform",
    "cf-browser-verification",
    "attention required! | cloudflare",
    "just a moment...",
    "px-captcha",
    "captcha-delivery.com",
    "pardon our interruption",
    "incapsula incident id",
    "_incapsula_resource",
    "robot check",
    "are you a robot",
    "verify you are a human",
    "enter the characters you see below",
    "/errors/validatecaptcha",
    "access denied</title>",
    "request blocked",
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def detect_block(html: str, status: int) -> str | None:
    """A short reason when the page is a bot wall or captcha, else ``None``.

    A captcha widget inside a real product page (a review form, say) is not a
    wall: markers only count on small pages or in the title.
    """
    lowered = html.lower()
    title_match = _TITLE.search(lowered[:20000])
    title = title_match.group(1).strip() if title_match else ""
    for marker in BOT_WALL_MARKERS:
        if marker in title or (marker in lowered and len(lowered) < 60_000):
            return f"the page is a bot check ({marker.strip('<>/')})"
    if status in (403, 429, 503) and len(lowered) < 200_000:
        return f"HTTP {status}"
    return None


def check_page(html: str, status: int, url: str) -> None:
    """Raise the typed error a loaded page calls for: NotFound, Blocked or an HTTP error."""
    if status in (404, 410):
        raise NotFound(f"The page does not exist (HTTP {status})", url=url)
    reason = detect_block(html, status)
    if reason:
        raise Blocked(f"The shop blocked automated access: {reason}", url=url)
    if status >= 400:
        raise ScrapeError(f"The shop answered HTTP {status}", url=url, retryable=status >= 500)
