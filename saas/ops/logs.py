"""Structured logs: which request or job a line belongs to, in JSON or key=value.

A context variable holds the fields of the current request (request_id) or job
(job_id, actor, video_id, stage, workspace_id); ContextFilter copies them onto
every record, so a plain `log.info("...")` deep inside a stage still says which
video it was about. LOG_FORMAT=json picks JsonFormatter (one object a line, for
log shippers); the default is KeyValueFormatter (readable, still greppable).

This module is imported by the logging configuration, before Django's apps are
ready: it must not import models.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import dramatiq

log = logging.getLogger("saas.jobs")

_context: contextvars.ContextVar[dict] = contextvars.ContextVar("talkingads_log_context")

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def current() -> dict:
    return _context.get({})


def push(**fields) -> contextvars.Token:
    """Add FIELDS to the log context until the returned token is reset."""
    return _context.set({**current(), **{k: v for k, v in fields.items() if v is not None}})


def reset(token: contextvars.Token) -> None:
    _context.reset(token)


class ContextFilter(logging.Filter):
    """Copy the current request's or job's fields onto each record (never overwriting)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in current().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


def record_fields(record: logging.LogRecord) -> dict:
    """The context and `extra=` fields of RECORD."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, message, then the fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **record_fields(record),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """The classic line, then the fields as key=value."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = record_fields(record)
        if not fields:
            return line
        pairs = " ".join(f"{k}={_logfmt(v)}" for k, v in fields.items())
        head, sep, tail = line.partition("\n")  # keep a traceback below the fields
        return f"{head} {pairs}{sep}{tail}"


def _logfmt(value) -> str:
    text = str(value)
    if not text or any(c in text for c in ' "=\n'):
        return json.dumps(text, ensure_ascii=False)
    return text


# Jobs -----------------------------------------------------------------------------


class JobLogContext(dramatiq.Middleware):
    """Dramatiq middleware: every line logged while a message runs names its job."""

    def __init__(self):
        self._local = threading.local()  # each worker thread runs one message at a time

    def before_process_message(self, broker, message):
        subject = message.args[0] if message.args else None
        fields = {"job_id": message.message_id, "actor": message.actor_name}
        if message.actor_name.startswith("video_"):
            fields["video_id"] = subject
        elif message.actor_name == "prepare_avatar":
            fields["avatar_id"] = subject
        elif subject is not None:  # a stage of another pipeline: the job record's id
            fields["job_record_id"] = subject
        # Not in message.options: those are serialised when a retry re-enqueues it.
        self._local.token = push(**fields)

    def after_process_message(self, broker, message, *, result=None, exception=None):
        token = getattr(self._local, "token", None)
        self._local.token = None
        if token is not None:
            with contextlib.suppress(ValueError):  # set in another context: nothing to undo
                reset(token)

    after_skip_message = after_process_message


@contextlib.contextmanager
def stage_logged(job) -> Iterator[None]:
    """Log a job stage's start, then its finish or failure with how long it took.

    JOB is a job record: a Video's lines carry `video_id`, other records'
    `job_record_id` and `pipeline`.
    """
    if job._meta.model_name == "video":
        ids = {"video_id": str(job.pk)}
    else:
        ids = {"job_record_id": str(job.pk), "pipeline": job.pipeline_name}
    workspace = str(job.workspace_id) if job.workspace_id else None
    token = push(**ids, stage=job.stage, workspace_id=workspace)
    started = time.monotonic()
    log.info("stage started", extra={"event": "stage_started"})
    try:
        yield
    except Exception as exc:
        log.warning(
            "stage failed: %s",
            exc,
            extra={
                "event": "stage_failed",
                "duration_s": round(time.monotonic() - started, 3),
                "error": type(exc).__name__,
                "error_code": getattr(exc, "code", None) or "",
            },
        )
        raise
    else:
        duration = round(time.monotonic() - started, 3)
        log.info("stage finished", extra={"event": "stage_finished", "duration_s": duration})
    finally:
        reset(token)
