"""The only code that writes workspaces, memberships, invitations and API keys."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from saas.billing.services import check_seat_available
from saas.errors import Conflict, Forbidden, NotFound, ServiceError, parse_uuid

from .models import ApiKey, Invitation, Membership, Role, Workspace, role_at_least

API_KEY_PREFIX = "tak_"


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_role(membership: Membership | None, needed: str) -> Membership:
    if membership is None or not role_at_least(membership.role, needed):
        raise Forbidden(f"This needs the {needed} role or higher in the workspace.")
    return membership


@transaction.atomic
def create_workspace(user, name: str, *, personal: bool = False) -> Workspace:
    name = (name or "").strip()
    if not name:
        raise ServiceError("A workspace needs a name.", field="name")
    if len(name) > 100:
        raise ServiceError("A workspace name is at most 100 characters.", field="name")
    workspace = Workspace.objects.create(name=name, personal=personal, created_by=user)
    Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    return workspace


def create_personal_workspace(user) -> Workspace:
    """Each user has one personal workspace, made at sign-up (idempotent)."""
    existing = Workspace.objects.filter(personal=True, created_by=user).first()
    if existing:
        return existing
    label = user.get_full_name() or user.email.split("@")[0]
    return create_workspace(user, f"{label}'s workspace", personal=True)


def memberships_for(user):
    return (
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .order_by("-workspace__personal", "workspace__name")
    )


def membership_in(user, workspace_id) -> Membership | None:
    if user is None or not user.is_authenticated or not workspace_id:
        return None
    try:
        workspace_id = parse_uuid(workspace_id)
    except NotFound:
        return None
    return (
        Membership.objects.filter(user=user, workspace_id=workspace_id)
        .select_related("workspace")
        .first()
    )


# Invitations -------------------------------------------------------------------


def _check_can_grant(actor: Membership, role: str) -> None:
    if role not in Role.values:
        raise ServiceError(f"Unknown role {role!r}.", field="role")
    require_role(actor, Role.ADMIN)
    if not _can_grant(actor.role, role):
        raise Forbidden("Only an owner can make someone an owner.", field="role")


def _can_grant(actor_role: str | None, role: str) -> bool:
    """Whether a member of ACTOR_ROLE may give ROLE: admins any role but owner, owners
    every role (the one rule, for invitations sent and accepted, keys and roles)."""
    if actor_role is None or not role_at_least(actor_role, Role.ADMIN):
        return False
    return role != Role.OWNER or actor_role == Role.OWNER


def _a(role: str) -> str:
    return ("an " if role[0] in "aeiou" else "a ") + role


def _revoke_invitations_beyond(member: Membership, role: str | None) -> None:
    """Revoke the open invitations MEMBER sent that ROLE (None: no longer a member)
    may not give: an invitation is only as good as its sender's standing."""
    sent = Invitation.objects.filter(
        workspace=member.workspace_id,
        invited_by=member.user_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )
    beyond = [i.pk for i in sent if not _can_grant(role, i.role)]
    Invitation.objects.filter(pk__in=beyond).update(revoked_at=timezone.now())


@transaction.atomic
def invite_member(actor: Membership, email: str, role: str) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link. Returns (invitation, link token)."""
    _check_can_grant(actor, role)
    email = (email or "").strip().lower()
    if "@" not in email:
        raise ServiceError("Enter a valid e-mail address.", field="email")
    workspace = actor.workspace
    if workspace.memberships.filter(user__email__iexact=email).exists():
        raise Conflict(f"{email} is already a member of this workspace.", field="email")
    workspace.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    check_seat_available(workspace)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        role=role,
        token_hash=sha256(token),
        invited_by=actor.user,
        expires_at=timezone.now() + timedelta(days=settings.WORKSPACE_INVITATION_DAYS),
    )
    transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation, token


def invitation_url(token: str) -> str:
    return settings.SITE_ROOT + reverse("accept_invitation", args=[token])


def _send_invitation(invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "url": invitation_url(token),
        "site_name": settings.SITE_NAME,
    }
    send_mail(
        subject=f"You're invited to {invitation.workspace.name} on {settings.SITE_NAME}",
        message=render_to_string("workspaces/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def open_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.filter(token_hash=sha256(token)).select_related("workspace").first()
    )
    if invitation is None or not invitation.is_open:
        raise NotFound("This invitation link is invalid, expired or already used.")
    return invitation


def email_confirmed(user, email: str) -> bool:
    """Whether USER proved they read EMAIL (its confirmation link, allauth's)."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def send_email_confirmation(request, user, email: str) -> None:
    """E-mail USER's own address EMAIL its confirmation link (allauth's, rate-limited
    there). Only for the address the user logs in with."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:  # a user made without allauth (createsuperuser): their own address
        primary = not EmailAddress.objects.filter(user=user, primary=True).exists()
        address = EmailAddress.objects.create(user=user, email=email, primary=primary)
    address.send_confirmation(request)


@transaction.atomic
def accept_invitation(user, token: str) -> Membership:
    invitation = open_invitation(token)
    if invitation.email.lower() != user.email.lower():
        raise Forbidden(
            f"This invitation is for {invitation.email}. Log in with that address to accept it."
        )
    if not email_confirmed(user, invitation.email):
        # Whoever holds a forwarded or leaked link could otherwise sign up with the
        # invited address and take the seat and role.
        raise Forbidden(
            f"Confirm {invitation.email} first: open the link we e-mailed to it, then "
            "open this invitation again.",
            code="email_unconfirmed",
        )
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not updated:
        raise NotFound("This invitation was already used.")
    sender = invitation.workspace.memberships.filter(user=invitation.invited_by_id).first()
    if not _can_grant(sender and sender.role, invitation.role):
        who = invitation.invited_by.email if invitation.invited_by else "Its sender"
        raise Forbidden(
            f"{who} can no longer invite {_a(invitation.role)} to {invitation.workspace.name}. "
            "Ask one of its admins to invite you again."
        )
    if not invitation.workspace.memberships.filter(user=user).exists():
        check_seat_available(invitation.workspace)
    membership, _ = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    return membership


def revoke_invitation(actor: Membership, invitation_id) -> None:
    require_role(actor, Role.ADMIN)
    updated = Invitation.objects.filter(
        pk=parse_uuid(invitation_id), workspace=actor.workspace, accepted_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise NotFound("No such open invitation in this workspace.")


# Members -----------------------------------------------------------------------


def _member(actor: Membership, membership_id) -> Membership:
    member = (
        actor.workspace.memberships.select_related("user")
        .filter(pk=parse_uuid(membership_id, "member"))
        .first()
    )
    if member is None:
        raise NotFound("No such member in this workspace.")
    return member


def _other_owners(member: Membership) -> bool:
    return (
        Membership.objects.filter(workspace=member.workspace, role=Role.OWNER)
        .exclude(pk=member.pk)
        .exists()
    )


@transaction.atomic
def change_role(actor: Membership, membership_id, role: str) -> Membership:
    _check_can_grant(actor, role)
    member = _member(actor, membership_id)
    if member.role == Role.OWNER and actor.role != Role.OWNER:
        raise Forbidden("Only an owner can change another owner's role.", field="role")
    if member.role == Role.OWNER and role != Role.OWNER and not _other_owners(member):
        raise Conflict("A workspace needs at least one owner.", field="role")
    member.role = role
    member.save(update_fields=["role"])
    _revoke_invitations_beyond(member, role)
    return member


@transaction.atomic
def remove_member(actor: Membership, membership_id) -> None:
    member = _member(actor, membership_id)
    if member.pk != actor.pk:
        require_role(actor, Role.ADMIN)
        if member.role == Role.OWNER and actor.role != Role.OWNER:
            raise Forbidden("Only an owner can remove an owner.")
    if member.role == Role.OWNER and not _other_owners(member):
        raise Conflict("A workspace needs at least one owner.")
    # They have seen their keys' secrets: the keys go with them (and a key whose
    # maker is no longer a member is refused anyway, see authenticate_api_key).
    ApiKey.objects.filter(
        workspace=member.workspace_id, created_by=member.user_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    _revoke_invitations_beyond(member, None)
    member.delete()


# API keys ----------------------------------------------------------------------


def create_api_key(actor: Membership, name: str, role: str = Role.CREATOR) -> tuple[ApiKey, str]:
    """Create a key. Returns (key, secret); the secret is never stored or shown again."""
    _check_can_grant(actor, role)
    name = (name or "").strip()
    if not name:
        raise ServiceError("Give the key a name, such as the app that will use it.", field="name")
    if len(name) > 100:
        raise ServiceError("A key name is at most 100 characters.", field="name")
    secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        workspace=actor.workspace,
        name=name,
        prefix=secret[:12],
        key_hash=sha256(secret),
        role=role,
        created_by=actor.user,
    )
    return key, secret


def revoke_api_key(actor: Membership, key_id) -> None:
    require_role(actor, Role.ADMIN)
    updated = ApiKey.objects.filter(
        pk=parse_uuid(key_id), workspace=actor.workspace, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise NotFound("No such active API key in this workspace.")


LAST_USED_RESOLUTION = timedelta(minutes=1)


def authenticate_api_key(secret: str) -> ApiKey | None:
    """Return the active key for SECRET and record its use, or None.

    A key acts for the member who made it: it is refused once they are no longer a
    member of its workspace, and acts with the lower of its own role and theirs
    (``ApiKey.acting_role``), so removing or demoting someone takes effect on their keys.
    """
    if not secret.startswith(API_KEY_PREFIX):
        return None
    makers_role = Membership.objects.filter(
        workspace=OuterRef("workspace"), user=OuterRef("created_by")
    ).values("role")[:1]
    # get(), not first(): key_hash is unique, and first() would build ApiKey's ordering
    # (-created_at) into every API call's query (a third of its CPU, py-spy).
    try:
        key = (
            ApiKey.objects.select_related("workspace", "created_by")
            .annotate(makers_role=Subquery(makers_role))
            .get(key_hash=sha256(secret), revoked_at__isnull=True)
        )
    except ApiKey.DoesNotExist:
        return None
    if key.makers_role is None:  # the maker left, was removed or was deleted
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def ensure_user(email: str):
    """Return (user, created) for EMAIL; a new user has no usable password yet."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    email = email.strip().lower()
    try:
        return User.objects.get(email__iexact=email), False
    except User.DoesNotExist:
        pass
    try:
        user = User.objects.create_user(email=email)
    except IntegrityError:
        return User.objects.get(email__iexact=email), False
    create_personal_workspace(user)
    return user, True
