"""Errors raised by services. Views and the API turn them into responses."""


class ServiceError(Exception):
    """A request that cannot be carried out; `message` is safe to show the user."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class Forbidden(ServiceError):
    status = 403
    code = "permission_denied"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


def parse_uuid(value, what: str = "object"):
    """An id from a URL or form as a UUID; anything malformed is simply not found."""
    import uuid

    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise NotFound(f"No such {what}.") from None


class TooManyRequests(ServiceError):
    """Over a rate or concurrency limit; `retry_after` says when to come back (s)."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int = 30, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class PaymentRequired(ServiceError):
    status = 402
    code = "insufficient_credits"
