"""One error shape for the whole API: {"error": {"code", "message", "field"}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from saas.errors import ServiceError

# DRF's words that read as jargon where the web app shows them (the editor's cost box
# said "This field may not be null."): the code stays, the message says it plainly.
PLAIN_MESSAGES = {
    "null": "This is empty: give it a value, or leave it out to use the default.",
}


def _first_error(detail, prefix=""):
    """Walk DRF's nested error detail down to the first (field path, message)."""
    if isinstance(detail, dict):
        field, value = next(iter(detail.items()))
        path = field if field == "non_field_errors" else f"{prefix}{field}"
        return _first_error(value, f"{path}.")
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], prefix)
    return prefix.rstrip(".") or None, str(detail), getattr(detail, "code", "invalid")


def error_response(code, message, field=None, status_code=400, headers=None):
    body = {"error": {"code": code, "message": message, "field": field}}
    return Response(body, status=status_code, headers=headers)


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        return error_response(exc.code, exc.message, exc.field, exc.status, headers)
    if isinstance(exc, Http404):  # Django's own, from a view or a shortcut
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message, code = _first_error(exc.detail)
        if field == "non_field_errors":
            field = None
        message = PLAIN_MESSAGES.get(code, message)
        return error_response(code, message, field, status.HTTP_400_BAD_REQUEST)
    code = getattr(exc, "default_code", "error")
    if isinstance(exc.detail, dict | list):
        _, message, code = _first_error(exc.detail)
    else:
        message = str(exc.detail)
        code = getattr(exc.detail, "code", code)
    response.data = {"error": {"code": code, "message": message, "field": None}}
    return response
