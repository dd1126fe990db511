"""HeyGen's response envelopes, and our errors in their shape.

- v2 success: ``{"error": null, "data": {...}}`` (``error`` is always present: the
  clients type it as an optional string and read it first).
- v1 success: ``{"code": 100, "data": {...}, "message": "Success"}``.
- v3 success: ``{"data": {...}}``; a list ``{"data": [...], "has_more", "next_token"}``.
- errors, v1 and v2: HTTP 4xx with ``{"error": {"code", "message", "param",
  "detail"}, "data": null}``; v1 adds its numeric ``code`` and ``message`` at the
  top, as HeyGen's v1 routes do (``400112`` "Unauthorized"). v3: ``{"error": {"code",
  "message", "param", "doc_url", "detail"}}``.

Our own error codes become HeyGen's where they mean the same thing
(``insufficient_credits`` -> ``insufficient_credit``); ``param`` is the field in
HeyGen's request (``video_inputs[0].voice.voice_id``), not ours.
"""

from __future__ import annotations

from rest_framework.response import Response

V1_SUCCESS = 100
# our code -> HeyGen's
CODES = {
    "insufficient_credits": "insufficient_credit",
    "rate_limited": "rate_limit_exceeded",
    "throttled": "rate_limit_exceeded",
    "not_authenticated": "unauthorized",
    "authentication_failed": "unauthorized",
    "permission_denied": "forbidden",
    "plan_limit": "forbidden",
    "not_found": "not_found",
    "invalid": "invalid_parameter",
    "required": "invalid_parameter",
    "parse_error": "invalid_parameter",
    "idempotency_in_progress": "request_in_progress",
    "unknown_voice": "voice_not_found",
    "payload_too_large": "payload_too_large",
}
# HTTP status -> HeyGen's numeric v1 code (v1 clients compare these)
V1_CODES = {400: 400100, 401: 400112, 402: 400140, 403: 400113, 404: 400104, 409: 400109,
            413: 400141, 415: 400115, 422: 400122, 429: 400129}  # fmt: skip


def v2(data, status: int = 200, headers=None) -> Response:
    return Response({"error": None, "data": data}, status=status, headers=headers)


def v1(data, status: int = 200, headers=None) -> Response:
    body = {"code": V1_SUCCESS, "data": data, "message": "Success"}
    return Response(body, status=status, headers=headers)


def v3(data, status: int = 200, headers=None) -> Response:
    return Response({"data": data}, status=status, headers=headers)


def v3_list(items: list, has_more: bool, next_token: str | None) -> Response:
    return Response({"data": items, "has_more": has_more, "next_token": next_token})


def error_body(status: int, code: str, message: str, param=None, detail=None, version=2):
    error = {"code": CODES.get(code, code), "message": message, "param": param, "detail": detail}
    if version == 3:
        return {"error": {**error, "doc_url": None}}
    body = {"error": error, "data": None}
    if version == 1:
        body = {"code": V1_CODES.get(status, status * 1000), "message": message, **body}
    return body


def reshaped(response: Response, version: int, param=lambda field: field) -> Response:
    """RESPONSE, when it carries our error shape, in HeyGen's (same status and headers)."""
    data = getattr(response, "data", None)
    if response.status_code < 400 or not isinstance(data, dict):
        return response
    error = data.get("error")
    if not isinstance(error, dict) or "message" not in error:
        return response
    detail = error.get("report")  # a refused photo's quality report
    response.data = error_body(
        response.status_code, error.get("code") or "invalid", error["message"],
        param(error.get("field")), detail, version,
    )  # fmt: skip
    return response
