"""Checks shared by the API's parsers and the services that store customer JSON."""


def has_nul(value) -> bool:
    """Whether a NUL character hides anywhere in VALUE (strings, keys, nested lists and
    objects). PostgreSQL cannot store one in a text or JSON column."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


class RejectNulFormsMiddleware:
    """A form post whose fields hold a NUL character is answered 400 before any view:
    views store form text as it comes, and PostgreSQL would fail on it (a 500)."""

    FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in self.FORMS:
            if any(has_nul(v) for values in request.POST.lists() for v in values):
                from django.http import HttpResponseBadRequest

                return HttpResponseBadRequest(
                    "A form field contains a NUL character (\\u0000).", content_type="text/plain"
                )
        return self.get_response(request)
