"""Typed errors of the scraper library.

Every failure the UI can show is a :class:`ScrapeError` with a machine-readable
``code``, a sentence the user can act on, and whether retrying could help.
"""

from __future__ import annotations


class ScrapeError(Exception):
    """Base error of the scraper library.

    Args:
        code: short machine-readable identifier, e.g. ``"not_found"``.
        message: sentence a user can act on.
        retryable: ``True`` when the same request may succeed later.
        url: the URL at fault, when there is one.
    """

    code = "scrape_failed"
    retryable = False

    def __init__(self, message: str, *, url: str | None = None, retryable: bool | None = None):
        super().__init__(message)
        self.message = message
        self.url = url
        if retryable is not None:
            self.retryable = retryable

    def to_dict(self) -> dict:
        """JSON-ready form for the CLI and the API: code, message, retryable, url."""
        return {
            "code": self.code,
            "message": self.message,
            "retryable": self.retryable,
            "url": self.url,
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class RefusedUrl(ScrapeError):
    """The URL (or a redirect or subresource) points somewhere we never fetch."""

    code = "refused_url"


class NotProductPage(ScrapeError):
    """The page loaded but holds no recognisable product."""

    code = "not_product_page"


class NotCollectionPage(ScrapeError):
    """The page loaded but lists no products to make videos of."""

    code = "not_collection_page"


class Blocked(ScrapeError):
    """The shop refused us: 403, 429, a captcha or a bot wall."""

    code = "blocked"
    retryable = True


class NotFound(ScrapeError):
    """The page does not exist (404 or 410)."""

    code = "not_found"


class Timeout(ScrapeError):
    """The page or a download did not finish within its time limit."""

    code = "timeout"
    retryable = True


class NoImages(ScrapeError):
    """No usable product image could be found or downloaded."""

    code = "no_images"


class TooLarge(ScrapeError):
    """A response exceeded its size limit."""

    code = "too_large"


class NetworkError(ScrapeError):
    """The connection failed (DNS, TLS, reset); often transient."""

    code = "network"
    retryable = True


class ProviderError(ScrapeError):
    """The optional LLM provider failed; the offline writer can be used instead."""

    code = "llm_failed"
    retryable = True
