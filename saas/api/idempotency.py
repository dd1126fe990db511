"""`Idempotency-Key` on POSTs: the same key replays the first response for 24 hours.

A key is remembered per workspace. Reusing it with a different request body
is an error, and so is reusing it while the first request is still running.
A request that fails with an exception is forgotten, so it can be retried.

Views that set ``idempotency_per_route`` (HeyGen's routes, whose API reference
says so) keep a key per method and path, and replay the first response to a
retry whose body differs.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from saas.studio.models import IdempotencyRecord

from .errors import error_response

TTL = timedelta(hours=24)


def fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _claim(request, key: str, per_route: bool = False) -> IdempotencyRecord | Response:
    workspace = request.membership.workspace
    if per_route:
        key = (
            "route:"
            + hashlib.sha256(f"{request.method} {request.path}\n{key}".encode()).hexdigest()
        )
    IdempotencyRecord.objects.filter(
        workspace=workspace, key=key, created_at__lt=timezone.now() - TTL
    ).delete()
    mark = fingerprint(request)
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(workspace=workspace, key=key, fingerprint=mark)
    except IntegrityError:
        record = IdempotencyRecord.objects.get(workspace=workspace, key=key)
        return _replay(record, record.fingerprint if per_route else mark)


def _replay(record: IdempotencyRecord, mark: str) -> Response:
    if record.fingerprint != mark:
        return error_response(
            "idempotency_key_reused",
            "This Idempotency-Key was used with a different request.",
            "Idempotency-Key",
            422,
        )
    if record.status_code is None:
        return error_response(
            "idempotency_in_progress",
            "A request with this Idempotency-Key is still running; retry shortly.",
            "Idempotency-Key",
            409,
            headers={"Retry-After": "2"},
        )
    return Response(record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"})


def idempotent(view_method):
    """Decorate a DRF view's post() to honour the Idempotency-Key header."""

    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view_method(view, request, *args, **kwargs)
        if len(key) > 255:
            return error_response(
                "invalid", "An Idempotency-Key is at most 255 characters.", "Idempotency-Key"
            )
        claimed = _claim(request, key, getattr(view, "idempotency_per_route", False))
        if isinstance(claimed, Response):
            return claimed
        try:
            response = view_method(view, request, *args, **kwargs)
        except Exception:
            claimed.delete()
            raise
        return _remember(claimed, response)

    return wrapper


def _remember(record: IdempotencyRecord, response: Response) -> Response:
    if response.status_code >= 500:
        record.delete()
        return response
    record.status_code, record.body = response.status_code, response.data
    record.save(update_fields=["status_code", "body"])
    return response
