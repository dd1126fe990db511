"""The webhooks page: endpoints, their secrets (shown once) and the delivery log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from saas.web import run_service as _run
from saas.workspaces.models import Role, role_at_least

from . import services
from .models import EVENTS, WebhookDelivery

RECENT_DELIVERIES = 25


def _create(request, membership):
    post = request.POST
    args = (post.get("url"), post.getlist("events"), post.get("description"))
    return _run(request, services.create_endpoint, membership, *args, success="Endpoint added.")


def _rotate(request, membership):
    endpoint_id = request.POST.get("id")
    done = "Secret rotated; the old one keeps signing for 24 hours."
    return _run(request, services.rotate_secret, membership, endpoint_id, success=done)


def _enable_and_resend(membership, post):
    """Enable an endpoint and resend what it missed; the message says how many."""
    _, resent = services.enable_endpoint(membership, post.get("id"), replay_missed=True)
    return resent


# action -> (service call, message on success) for the posts that redirect
ACTIONS = {
    "test": (lambda m, p: services.send_test(m, p.get("id")), "Test event queued."),
    "delete": (lambda m, p: services.delete_endpoint(m, p.get("id")), "Endpoint deleted."),
    "enable": (
        lambda m, p: services.enable_endpoint(m, p.get("id"), replay_missed=False),
        "Endpoint enabled.",
    ),
    "disable": (
        lambda m, p: services.update_endpoint(m, p.get("id"), active=False),
        "Endpoint disabled.",
    ),
    "replay": (
        lambda m, p: services.replay_delivery(m, p.get("endpoint"), p.get("id")),
        "Event queued again.",
    ),
}


@login_required
def webhooks(request):
    membership = request.membership
    if not role_at_least(membership.role, Role.ADMIN):
        return render(request, "workspaces/forbidden.html", {"needed": "admin"}, status=403)
    created = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ACTIONS:
        call, success = ACTIONS[action]
        _run(request, call, membership, request.POST, success=success)
        return redirect("webhooks")
    if action == "enable_resend":
        resent = _run(request, _enable_and_resend, membership, request.POST)
        if resent is not None:
            messages.success(request, f"Endpoint enabled; {_events(resent)} queued again.")
        return redirect("webhooks")
    if action in ("create", "rotate"):
        created = (_create if action == "create" else _rotate)(request, membership)
    context = _context(membership, created)
    if action == "create" and created is None:  # refused: the form keeps what was typed
        context["posted"] = {"url": request.POST.get("url", ""),
                             "description": request.POST.get("description", ""),
                             "events": request.POST.getlist("events")}  # fmt: skip
    return render(request, "webhooks/list.html", context)


def _events(count: int) -> str:
    return f"{count} missed event{'s' if count != 1 else ''}"


def _context(membership, created):
    endpoints = list(services.list_endpoints(membership))
    for endpoint in endpoints:
        endpoint.missed_events = services.missed_count(endpoint)
    deliveries = (
        WebhookDelivery.objects.filter(endpoint__workspace_id=membership.workspace_id)
        .select_related("endpoint")
        .order_by("-created_at")[:RECENT_DELIVERIES]
    )
    return {
        "endpoints": endpoints,
        "deliveries": deliveries,
        "events": EVENTS,
        "new_secret": created[1] if created else None,
        "new_secret_endpoint": created[0] if created else None,
        "disable_after_days": settings.WEBHOOKS_DISABLE_AFTER_DAYS,
    }
