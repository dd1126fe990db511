"""Workspace pages: switching, members and invitations, API keys."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from saas.errors import NotFound
from saas.web import run_service as _run

from . import services
from .middleware import SESSION_KEY
from .models import Role, role_at_least


@login_required
@require_POST
def switch_workspace(request):
    membership = services.membership_in(request.user, request.POST.get("workspace_id"))
    if membership is None:
        raise Http404("No such workspace.")
    request.session[SESSION_KEY] = str(membership.workspace_id)
    after = request.POST.get("next")
    if not url_has_allowed_host_and_scheme(after, {request.get_host()}, request.is_secure()):
        after = None  # only back to a page of ours
    return redirect(after or "dashboard")


@login_required
@require_POST
def create_workspace(request):
    workspace = _run(request, services.create_workspace, request.user, request.POST.get("name"))
    if workspace:
        request.session[SESSION_KEY] = str(workspace.pk)
        messages.success(request, f"Workspace “{workspace.name}” created.")
    return redirect("dashboard")


# action -> (service call, message on success)
MEMBER_ACTIONS = {
    "invite": (
        lambda m, p: services.invite_member(m, p.get("email"), p.get("role")),
        "Invitation sent.",
    ),
    "change_role": (
        lambda m, p: services.change_role(m, p.get("id"), p.get("role")),
        "Role changed.",
    ),
    "remove": (lambda m, p: services.remove_member(m, p.get("id")) or True, "Member removed."),
    "revoke": (
        lambda m, p: services.revoke_invitation(m, p.get("id")) or True,
        "Invitation revoked.",
    ),
}


@login_required
def members(request):
    membership = request.membership
    posted = {}
    if request.method == "POST":
        action, success = MEMBER_ACTIONS.get(request.POST.get("action"), (None, None))
        if action is None:
            return redirect("members")
        done = _run(request, action, membership, request.POST, success=success)
        if not services.membership_in(request.user, membership.workspace_id):
            return redirect("dashboard")  # the user left this workspace
        if done is not None or request.POST.get("action") != "invite":
            return redirect("members")
        posted = {"email": request.POST.get("email", "")}  # refused: keep what was typed
    workspace = membership.workspace
    can_manage = role_at_least(membership.role, Role.ADMIN)
    return render(
        request,
        "workspaces/members.html",
        {
            "members": workspace.memberships.select_related("user"),
            "invitations": workspace.invitations.filter(
                accepted_at__isnull=True, revoked_at__isnull=True
            )
            if can_manage
            else [],
            "can_manage": can_manage,
            "roles": Role.choices if membership.role == Role.OWNER else Role.choices[1:],
            "posted": posted,
        },
    )


def accept_invitation(request, token):
    try:
        invitation = services.open_invitation(token)
    except NotFound:
        return render(request, "workspaces/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        next_url = reverse("accept_invitation", args=[token])
        return render(
            request,
            "workspaces/invitation.html",
            {"invitation": invitation, "next": next_url, "anonymous": True},
        )
    own_address = invitation.email.lower() == request.user.email.lower()
    if (
        request.method == "POST"
        and own_address
        and not services.email_confirmed(request.user, invitation.email)
    ):
        services.send_email_confirmation(request, request.user, invitation.email)
        return render(request, "workspaces/invitation.html",
                      {"invitation": invitation, "confirm_first": True})  # fmt: skip
    if request.method == "POST":
        membership = _run(request, services.accept_invitation, request.user, token)
        if membership:
            request.session[SESSION_KEY] = str(membership.workspace_id)
            messages.success(request, f"You joined {membership.workspace.name}.")
            return redirect("dashboard")
    return render(request, "workspaces/invitation.html", {"invitation": invitation})


@login_required
def api_keys(request):
    membership = request.membership
    if not role_at_least(membership.role, Role.ADMIN):
        return render(request, "workspaces/forbidden.html", {"needed": "admin"}, status=403)
    new_secret = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        _run(request, services.revoke_api_key, membership, request.POST.get("id"))
        return redirect("api_keys")
    if request.method == "POST":
        name, role = request.POST.get("name"), request.POST.get("role") or Role.CREATOR
        created = _run(request, services.create_api_key, membership, name, role)
        new_secret = created[1] if created else None
    keys = membership.workspace.api_keys.filter(revoked_at__isnull=True)
    roles = Role.choices if membership.role == Role.OWNER else Role.choices[1:]
    return render(
        request,
        "workspaces/api_keys.html",
        {"keys": keys, "new_secret": new_secret, "roles": roles},
    )
