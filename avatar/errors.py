"""Typed errors for the avatar library.

Every failure a caller can act on is an :class:`AvatarError`. It carries a
machine-readable ``code``, a human ``message``, the request ``field`` at fault
(when one is) and whether retrying the same request could help.
"""

from __future__ import annotations


class AvatarError(Exception):
    """Base error of the avatar library.

    Args:
        code: short machine-readable identifier, e.g. ``"encode_failed"``.
        message: sentence a user can act on.
        field: name of the request field at fault, or ``None``.
        retryable: ``True`` when the same request may succeed later.
    """

    def __init__(
        self, code: str, message: str, field: str | None = None, retryable: bool = False
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.retryable = retryable

    def __str__(self) -> str:
        prefix = f"{self.field}: " if self.field else ""
        return f"{prefix}{self.message}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
            f"field={self.field!r}, retryable={self.retryable!r})"
        )


class InvalidInput(AvatarError):
    """A request field is invalid; retrying the same request cannot help."""

    def __init__(self, field: str, message: str, code: str = "invalid_input") -> None:
        super().__init__(code, message, field=field, retryable=False)


class SpeechFailed(AvatarError):
    """The speech engine could not turn the script into audio."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__("speech_failed", message, field=field, retryable=False)


class EncodeFailed(AvatarError):
    """ffmpeg failed to write the video; ``stderr_tail`` holds its last words."""

    def __init__(self, message: str, stderr_tail: str = "", retryable: bool = False) -> None:
        super().__init__("encode_failed", message, field=None, retryable=retryable)
        self.stderr_tail = stderr_tail
