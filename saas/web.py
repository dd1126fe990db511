"""Helpers shared by the web pages (not the API)."""

from django.contrib import messages
from django.http import Http404

from saas.errors import NotFound, ServiceError


def found(getter, *args):
    """The object a service getter returns; its NotFound becomes the page's 404."""
    try:
        return getter(*args)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def run_service(request, action, *args, success=None):
    """Call a service for a form post; report its error as a message, 404 for NotFound."""
    try:
        result = action(*args)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
        return None
    if success:
        messages.success(request, success)
    return result
