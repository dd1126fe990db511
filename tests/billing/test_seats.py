"""Team seats: the subscription's quantity is the seat count; invitations respect it."""

import pytest

from saas.billing import services
from saas.billing.models import BillingAccount
from saas.errors import Conflict
from saas.workspaces import services as workspaces
from saas.workspaces.models import Membership

from ..conftest import api_client_for, make_user, web_client


@pytest.fixture
def owner(personas, stripe_on):
    return personas.membership(personas.owner)


def team(workspace, seats):
    BillingAccount.objects.update_or_create(
        workspace=workspace,
        defaults={
            "plan": "team",
            "seats": seats,
            "subscription_id": "sub_1",
            "subscription_status": "active",
        },
    )


def test_members_and_open_invitations_use_seats(owner):
    assert services.seats_used(owner.workspace) == 4
    team(owner.workspace, 6)
    workspaces.invite_member(owner, "new@acme.test", "creator")
    assert services.seats_used(owner.workspace) == 5


def test_an_invitation_beyond_the_seats_is_refused_with_a_clear_message(owner):
    team(owner.workspace, 5)
    workspaces.invite_member(owner, "fifth@acme.test", "creator")
    with pytest.raises(Conflict) as refused:
        workspaces.invite_member(owner, "sixth@acme.test", "creator")
    assert refused.value.code == "no_seats"
    assert "All 5 seats of the Team plan are taken" in refused.value.message
    assert "Billing page" in refused.value.message


def test_inviting_the_same_person_again_does_not_take_another_seat(owner):
    team(owner.workspace, 5)
    workspaces.invite_member(owner, "fifth@acme.test", "creator")
    workspaces.invite_member(owner, "fifth@acme.test", "viewer")  # replaces the first
    assert services.seats_used(owner.workspace) == 5


def test_free_has_one_seat(personas, stripe_on):
    outsider = personas.membership(personas.outsider)  # alone in Globex, on Free
    with pytest.raises(Conflict, match="Free plan includes 1 seat"):
        workspaces.invite_member(outsider, "friend@globex.test", "creator")


def test_accepting_is_refused_when_the_seats_were_reduced_meanwhile(owner):
    team(owner.workspace, 5)
    _, token = workspaces.invite_member(owner, "late@acme.test", "creator")
    BillingAccount.objects.filter(workspace=owner.workspace).update(seats=4)
    late = make_user("late@acme.test")
    with pytest.raises(Conflict, match="seats"):
        workspaces.accept_invitation(late, token)
    assert not Membership.objects.filter(user=late, workspace=owner.workspace).exists()
    assert workspaces.open_invitation(token)  # still open: it works once a seat frees up


def test_accepting_within_the_seats_works(owner):
    team(owner.workspace, 5)
    _, token = workspaces.invite_member(owner, "new@acme.test", "creator")
    workspaces.accept_invitation(make_user("new@acme.test"), token)
    assert services.seats_used(owner.workspace) == 5


def test_without_billing_seats_are_unlimited(personas, settings):
    settings.BILLING_UNLIMITED_SEATS = True
    outsider = personas.membership(personas.outsider)
    workspaces.invite_member(outsider, "friend@globex.test", "creator")


def test_the_api_refuses_an_invitation_beyond_the_seats(personas, stripe_on):
    team(personas.workspace_a, 4)
    client = api_client_for(personas.owner, personas.workspace_a)
    response = client.post(
        "/api/v1/invitations", {"email": "x@acme.test", "role": "viewer"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_seats"


def test_the_members_page_shows_the_seat_message(personas, stripe_on):
    team(personas.workspace_a, 4)
    client = web_client(personas.owner, personas.workspace_a)
    response = client.post(
        "/workspace/members/",
        {"action": "invite", "email": "x@acme.test", "role": "viewer"},
        follow=True,
    )
    assert "All 4 seats of the Team plan are taken" in response.content.decode()


def test_seats_cannot_go_below_the_members(owner):
    team(owner.workspace, 5)
    with pytest.raises(Conflict, match="4 members"):
        services.change_seats(owner, 3)


def test_seats_are_a_team_thing(owner):
    with pytest.raises(Conflict) as refused:
        services.change_seats(owner, 5)
    assert refused.value.code == "not_team"


def test_more_members_than_seats_stops_renders_until_seats_are_added(owner, personas):
    """The Customer Portal can cut a Team subscription below its members (or move it to
    Creator's one seat); the members then render nothing until it adds up again."""
    from saas.errors import Forbidden

    team(owner.workspace, 4)
    services.check_render_allowed(owner.workspace, resolution="720p", duration_s=30)
    BillingAccount.objects.filter(workspace=owner.workspace).update(seats=2)  # the portal
    with pytest.raises(Forbidden) as refused:
        services.check_render_allowed(owner.workspace, resolution="720p", duration_s=30)
    assert refused.value.code == "plan_limit" and refused.value.field == "seats"
    assert "2 seats" in refused.value.message and "4 members" in refused.value.message
    for user in (personas.viewer, personas.creator):
        Membership.objects.filter(workspace=owner.workspace, user=user).delete()
    services.check_render_allowed(owner.workspace, resolution="720p", duration_s=30)
