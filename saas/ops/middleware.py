"""Request ids: one per request, in the response, the logs and the access log."""

import re
import uuid

from . import logs

HEADER = "X-Request-ID"
# Accept the proxy's id (nginx's $request_id is 32 hex digits) if it looks sane.
VALID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class RequestIdMiddleware:
    """Take X-Request-ID from the proxy or make one; log lines and the response carry it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(HEADER, "")
        request_id = sent if VALID.match(sent) else uuid.uuid4().hex
        request.request_id = request_id
        token = logs.push(request_id=request_id)
        try:
            response = self.get_response(request)
        finally:
            logs.reset(token)
        response[HEADER] = request_id
        return response


class ProbeMiddleware:
    """Answer ``GET /healthz`` and ``/readyz`` before Django checks the Host header.

    Health checks call the process by address: Docker's HEALTHCHECK and compose's
    send ``Host: 127.0.0.1:8000``, Kubernetes' the pod's IP. ALLOWED_HOSTS rightly
    lists only the site's names, so CommonMiddleware answered them 400 and the
    container was never healthy. Nothing else is answered before that check.
    """

    def __init__(self, get_response):
        from . import views

        self.get_response = get_response
        self.probes = {"/healthz": views.healthz, "/readyz": views.readyz}

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
