from django.http import JsonResponse

from .services import database_ok


def healthz(request):
    """Liveness: the process answers and reaches its database."""
    ok = database_ok()
    return JsonResponse({"ok": ok, "database": ok}, status=200 if ok else 503)
