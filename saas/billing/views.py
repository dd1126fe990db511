"""The billing page. Owners manage billing; admins may look; others are refused."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render

from saas.errors import ServiceError
from saas.workspaces.models import Role, role_at_least

from . import services

# action -> service call returning the Stripe URL to send the owner to (or None)
ACTIONS = {
    "checkout": lambda m, p: services.start_checkout(m, p.get("plan"), seats=p.get("seats")),
    "credits": lambda m, p: services.buy_credits(m, p.get("price")),
    "portal": lambda m, p: services.open_portal(m),
    "seats": lambda m, p: services.change_seats(m, p.get("seats")) and None,
}


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


RETURN_MESSAGES = {
    "success": "Thank you! Your payment went through; the plan and credits update in a moment.",
    "cancel": "Checkout was cancelled; nothing was charged.",
}


def _post(request, membership):
    action = ACTIONS.get(request.POST.get("action"))
    if action is None:
        return redirect("billing")
    try:
        url = action(membership, request.POST)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("billing")
    if url:
        return _see_other(url)
    messages.success(request, "Seats updated.")
    return redirect("billing")


@login_required
def billing(request):
    membership = request.membership
    if not role_at_least(membership.role, Role.ADMIN):
        return render(request, "workspaces/forbidden.html", {"needed": "admin"}, status=403)
    if request.method == "POST":
        return _post(request, membership)
    returned = RETURN_MESSAGES.get(request.GET.get("checkout"))
    if returned:
        messages.info(request, returned)
        return redirect("billing")
    overview = services.overview(membership.workspace)
    return render(
        request,
        "billing/billing.html",
        {
            "o": overview,
            "can_manage": membership.role == Role.OWNER,
            # Without Stripe every plan has the API (BILLING_API_FOR_ALL_PLANS).
            "api_for_all": settings.BILLING_API_FOR_ALL_PLANS,
        },
    )
