import hmac
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from . import metrics, readiness
from .services import database_ok

log = logging.getLogger(__name__)


def healthz(request):
    """Liveness: the process answers and reaches its database."""
    ok = database_ok()
    return JsonResponse({"ok": ok, "database": ok}, status=200 if ok else 503)


def operator(request) -> bool:
    """Does the request carry METRICS_TOKEN (or is this a DEBUG instance without one)?"""
    token = settings.METRICS_TOKEN
    if not token:
        return settings.DEBUG
    sent = request.headers.get("Authorization", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


def readyz(request):
    """Readiness: database, broker and media storage all work; 503 names what does not.

    The reasons (host names, error messages) are shown to operators only
    (METRICS_TOKEN); everyone else sees which check failed. They are always logged.
    """
    checks = readiness.run_checks()
    ok = all(check["ok"] for check in checks.values())
    for name, check in checks.items():
        if not check["ok"]:
            log.warning("readiness: %s failed: %s", name, check["error"])
            if not operator(request):
                check["error"] = "unavailable"
    return JsonResponse({"ok": ok, "checks": checks}, status=200 if ok else 503)


def metrics_view(request):
    """Prometheus metrics, for `Authorization: Bearer $METRICS_TOKEN`."""
    if not operator(request):
        reason = "a valid bearer token" if settings.METRICS_TOKEN else "METRICS_TOKEN to be set"
        response = JsonResponse({"error": f"/metrics needs {reason}."}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.render(), content_type=metrics.CONTENT_TYPE)
