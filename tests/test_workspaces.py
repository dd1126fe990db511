"""Workspaces: personal spaces, roles, invitations by e-mail link, switching."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from saas.errors import Conflict, Forbidden, NotFound
from saas.workspaces import services
from saas.workspaces.models import Invitation, Membership, Role

from .conftest import make_user, web_client

User = get_user_model()


def invite_link_token(message) -> str:
    match = re.search(r"/invitations/([\w-]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_each_user_gets_one_personal_workspace(db):
    user = make_user("solo@example.com")
    assert services.create_personal_workspace(user) == services.create_personal_workspace(user)
    assert Membership.objects.filter(user=user, workspace__personal=True).count() == 1


def test_owner_invites_by_email_link_and_invitee_joins(
    personas, django_capture_on_commit_callbacks
):
    client = web_client(personas.owner, personas.workspace_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/workspace/members/",
            {"action": "invite", "email": "New@Agency.test", "role": "creator"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@agency.test"]
    token = invite_link_token(mail.outbox[0])
    assert not Invitation.objects.filter(token_hash=token).exists()  # only the hash is stored

    invitee = make_user("new@agency.test")
    invitee_client = web_client(invitee, Membership.objects.get(user=invitee).workspace)
    assert invitee_client.get(f"/invitations/{token}/").status_code == 200
    response = invitee_client.post(f"/invitations/{token}/")
    assert response.status_code == 302
    membership = Membership.objects.get(user=invitee, workspace=personas.workspace_a)
    assert membership.role == Role.CREATOR
    assert invitee_client.post(f"/invitations/{token}/").status_code == 404  # used once


def test_an_invitation_is_only_for_its_own_address(personas):
    _, token = services.invite_member(personas.membership(personas.owner), "a@x.test", "viewer")
    with pytest.raises(Forbidden, match="a@x.test"):
        services.accept_invitation(personas.outsider, token)
    assert not Membership.objects.filter(user=personas.outsider, workspace=personas.workspace_a)


def test_expired_and_revoked_invitations_do_not_work(personas):
    owner = personas.membership(personas.owner)
    invitation, token = services.invite_member(owner, "late@x.test", "viewer")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    user = make_user("late@x.test")
    with pytest.raises(NotFound):
        services.accept_invitation(user, token)
    invitation, token = services.invite_member(owner, "late@x.test", "viewer")
    services.revoke_invitation(owner, invitation.pk)
    with pytest.raises(NotFound):
        services.accept_invitation(user, token)


def test_an_anonymous_visitor_is_asked_to_sign_up_or_log_in(personas, client):
    _, token = services.invite_member(personas.membership(personas.owner), "b@x.test", "viewer")
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 200
    assert b"/accounts/signup/?next=" in response.content


def test_only_owners_and_admins_invite_and_only_owners_make_owners(personas):
    with pytest.raises(Forbidden):
        services.invite_member(personas.membership(personas.creator), "c@x.test", "viewer")
    with pytest.raises(Forbidden):
        services.invite_member(personas.membership(personas.admin), "c@x.test", "owner")
    invitation, _ = services.invite_member(personas.membership(personas.admin), "c@x.test", "admin")
    assert invitation.role == Role.ADMIN


def test_inviting_a_member_again_is_a_clear_conflict(personas):
    with pytest.raises(Conflict, match="already a member"):
        services.invite_member(personas.membership(personas.owner), "viewer@acme.test", "viewer")


def test_a_workspace_always_keeps_an_owner(personas):
    owner = personas.membership(personas.owner)
    with pytest.raises(Conflict):
        services.remove_member(owner, owner.pk)
    with pytest.raises(Conflict):
        services.change_role(owner, owner.pk, Role.ADMIN)


def test_admins_cannot_touch_owners(personas):
    admin, owner = personas.membership(personas.admin), personas.membership(personas.owner)
    with pytest.raises(Forbidden):
        services.remove_member(admin, owner.pk)
    with pytest.raises(Forbidden):
        services.change_role(admin, owner.pk, Role.VIEWER)


def test_a_member_can_leave(personas):
    viewer = personas.membership(personas.viewer)
    services.remove_member(viewer, viewer.pk)
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def test_a_user_switches_between_workspaces(personas):
    client = web_client(personas.owner, personas.workspace_a)
    assert b"Acme" in client.get("/dashboard/").content
    personal = Membership.objects.get(user=personas.owner, workspace__personal=True).workspace
    response = client.post("/workspace/switch/", {"workspace_id": str(personal.pk)})
    assert response.status_code == 302
    assert client.session["workspace_id"] == str(personal.pk)


def test_switching_goes_back_to_our_own_page_and_nowhere_else(personas):
    client = web_client(personas.owner, personas.workspace_a)
    personal = Membership.objects.get(user=personas.owner, workspace__personal=True).workspace
    for after, expected in (("/videos/", "/videos/"), ("https://evil.example/", "/dashboard/"),
                            ("//evil.example/x", "/dashboard/")):  # fmt: skip
        response = client.post("/workspace/switch/", {"workspace_id": personal.pk, "next": after})
        assert response.status_code == 302 and response["Location"] == expected


def test_switching_to_someone_elses_workspace_is_not_found(personas):
    client = web_client(personas.owner, personas.workspace_a)
    response = client.post("/workspace/switch/", {"workspace_id": str(personas.workspace_b.pk)})
    assert response.status_code == 404
    assert client.session["workspace_id"] == str(personas.workspace_a.pk)


def test_creating_a_workspace_makes_the_creator_its_owner(personas):
    client = web_client(personas.viewer, personas.workspace_a)
    client.post("/workspace/new/", {"name": "Viewer's agency"})
    membership = Membership.objects.get(user=personas.viewer, workspace__name="Viewer's agency")
    assert membership.role == Role.OWNER
    assert client.session["workspace_id"] == str(membership.workspace_id)


def test_a_workspace_needs_a_name(personas):
    client = web_client(personas.viewer, personas.workspace_a)
    response = client.post("/workspace/new/", {"name": "  "}, follow=True)
    assert b"A workspace needs a name" in response.content


def test_a_removed_members_invitations_stop_working(personas):
    """An admin about to be removed could invite a second address of their own and
    come back through it after the removal."""
    admin, owner = personas.membership(personas.admin), personas.membership(personas.owner)
    invitation, token = services.invite_member(admin, "alt-of-admin@evil.test", "admin")
    services.remove_member(owner, admin.pk)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None  # off the members page, no seat held
    with pytest.raises(NotFound):
        services.accept_invitation(make_user("alt-of-admin@evil.test"), token)
    assert not personas.workspace_a.memberships.filter(
        user__email="alt-of-admin@evil.test"
    ).exists()


def test_a_demoted_members_invitations_grant_no_more_than_their_new_role(personas):
    """A co-owner about to be demoted could invite themselves as owner and then
    remove the other owner."""
    owner = personas.membership(personas.owner)
    co = Membership.objects.create(
        workspace=personas.workspace_a, user=make_user("co@acme.test"), role=Role.OWNER
    )
    as_owner, owner_token = services.invite_member(co, "co-alt@evil.test", "owner")
    as_viewer, _ = services.invite_member(co, "friend@x.test", "viewer")
    services.change_role(owner, co.pk, Role.ADMIN)
    as_owner.refresh_from_db(), as_viewer.refresh_from_db()
    assert as_owner.revoked_at is not None
    assert as_viewer.revoked_at is None  # an admin may still invite a viewer
    with pytest.raises(NotFound):
        services.accept_invitation(make_user("co-alt@evil.test"), owner_token)
    assert not personas.workspace_a.memberships.filter(user__email="co-alt@evil.test").exists()


def test_an_invitation_is_refused_when_its_sender_can_no_longer_grant_it(personas):
    """Checked again when it is accepted, whatever changed the sender's role."""
    admin = personas.membership(personas.admin)
    _, token = services.invite_member(admin, "late@x.test", "admin")
    Membership.objects.filter(pk=admin.pk).update(role=Role.CREATOR)  # not through change_role
    with pytest.raises(Forbidden, match="admin@acme.test can no longer invite"):
        services.accept_invitation(make_user("late@x.test"), token)
    assert not personas.workspace_a.memberships.filter(user__email="late@x.test").exists()
    Membership.objects.filter(pk=admin.pk).update(role=Role.ADMIN)
    membership = services.accept_invitation(User.objects.get(email="late@x.test"), token)
    assert membership.role == Role.ADMIN  # the refusal used nothing up


def test_an_invitation_needs_the_invited_address_confirmed(personas, client):
    """Someone holding a forwarded or leaked link could sign up with the invited
    address and take the seat: the address must be confirmed first, by its link."""
    _, token = services.invite_member(personas.membership(personas.owner), "new@x.test", "admin")
    taker = make_user("new@x.test", confirmed=False)
    with pytest.raises(Forbidden, match="Confirm new@x.test first") as refused:
        services.accept_invitation(taker, token)
    assert refused.value.code == "email_unconfirmed"
    mail.outbox.clear()
    page = web_client(taker, Membership.objects.get(user=taker).workspace)
    answer = page.post(f"/invitations/{token}/")
    assert (
        answer.status_code == 200
        and b"we\n     have e-mailed it a confirmation link" in answer.content
    )
    [confirmation] = mail.outbox
    assert confirmation.to == ["new@x.test"]
    assert not personas.workspace_a.memberships.filter(user=taker).exists()
    link = re.search(r"https?://\S+/confirm-email/\S+", confirmation.body).group(0)
    page.post(urlsplit(link).path)  # the confirmation page's button
    assert page.post(f"/invitations/{token}/").status_code == 302
    assert personas.workspace_a.memberships.get(user=taker).role == Role.ADMIN


def test_accepting_while_logged_into_another_account_says_whose_invitation_it_is(personas):
    _, token = services.invite_member(personas.membership(personas.owner), "work@x.test", "viewer")
    page = web_client(personas.outsider, personas.workspace_b)
    mail.outbox.clear()
    answer = page.post(f"/invitations/{token}/", follow=True)
    assert answer.status_code in (200, 403)
    assert b"This invitation is for work@x.test" in answer.content
    assert mail.outbox == []  # no confirmation link for someone else's address
    assert not personas.workspace_a.memberships.filter(user=personas.outsider).exists()


def test_a_refused_invitation_keeps_the_address_typed(personas):
    page = web_client(personas.owner, personas.workspace_a)
    answer = page.post("/workspace/members/", {"action": "invite", "role": "creator",
                                               "email": "creator@acme.test"})  # fmt: skip
    assert answer.status_code == 200
    assert b"already a member" in answer.content
    assert b'value="creator@acme.test"' in answer.content
