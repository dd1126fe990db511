"""Workspace API keys: shown once, stored hashed, revocable, last use recorded."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from saas.errors import Forbidden
from saas.workspaces import services
from saas.workspaces.models import ApiKey, Membership, Role, Workspace

from .conftest import web_client


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_key_is_shown_once_and_stored_hashed(personas):
    key, secret = services.create_api_key(personas.membership(personas.owner), "Zapier")
    assert secret.startswith("tak_") and len(secret) > 40
    assert key.key_hash == services.sha256(secret) and secret not in key.key_hash
    stored = ApiKey.objects.values_list("prefix", "key_hash", "name").get(pk=key.pk)
    assert all(secret != value for value in stored)


def test_bearer_authentication_acts_in_the_keys_workspace(personas):
    _, secret = services.create_api_key(personas.membership(personas.owner), "CI")
    response = bearer(secret).get("/api/v1/workspace")
    assert response.status_code == 200
    assert response.json()["id"] == str(personas.workspace_a.pk)


def test_last_use_is_recorded(personas):
    key, secret = services.create_api_key(personas.membership(personas.owner), "CI")
    assert key.last_used_at is None
    bearer(secret).get("/api/v1/workspace")
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_revoked_or_wrong_key_is_refused_with_the_error_shape(personas):
    owner = personas.membership(personas.owner)
    key, secret = services.create_api_key(owner, "CI")
    services.revoke_api_key(owner, key.pk)
    for candidate in (secret, secret[:-2] + "xx", "not-a-key"):
        response = bearer(candidate).get("/api/v1/workspace")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_failed"


def test_a_removed_members_keys_stop_working_and_are_revoked(personas):
    """The admin saw their key's secret once: removing them must take the key's access
    too, or they keep admin rights (and can make fresh keys) after they are gone."""
    owner = personas.membership(personas.owner)
    admin = personas.membership(personas.admin)
    key, secret = services.create_api_key(admin, "their laptop", role=Role.ADMIN)
    assert bearer(secret).get("/api/v1/api-keys").status_code == 200
    services.remove_member(owner, admin.pk)
    assert bearer(secret).get("/api/v1/api-keys").status_code == 401
    fresh = bearer(secret).post("/api/v1/api-keys", {"name": "x", "role": "admin"})
    assert fresh.status_code == 401
    assert APIClient().get("/v2/user/remaining_quota", HTTP_X_API_KEY=secret).status_code == 401
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert list(ApiKey.objects.filter(revoked_at__isnull=True)) == []


def test_a_key_is_refused_once_its_maker_is_no_longer_a_member(personas):
    """However the membership ends (here deleted outright, as leaving or an admin's
    tools would), the key no longer works; the other members' keys still do."""
    _, theirs = services.create_api_key(personas.membership(personas.admin), "theirs")
    _, ours = services.create_api_key(personas.membership(personas.owner), "ours")
    personas.membership(personas.admin).delete()
    assert bearer(theirs).get("/api/v1/workspace").status_code == 401
    assert bearer(ours).get("/api/v1/workspace").status_code == 200


def test_a_demoted_makers_key_acts_with_their_new_role(personas):
    owner = personas.membership(personas.owner)
    admin = personas.membership(personas.admin)
    _, secret = services.create_api_key(admin, "CI", role=Role.ADMIN)
    services.change_role(owner, admin.pk, Role.VIEWER)
    response = bearer(secret).get("/api/v1/api-keys")
    assert response.status_code == 403
    assert bearer(secret).get("/api/v1/workspace").status_code == 200
    services.change_role(owner, admin.pk, Role.ADMIN)
    assert bearer(secret).get("/api/v1/api-keys").status_code == 200


def test_only_owners_and_admins_create_keys(personas):
    with pytest.raises(Forbidden):
        services.create_api_key(personas.membership(personas.creator), "mine")
    client = web_client(personas.creator, personas.workspace_a)
    assert client.get("/workspace/api-keys/").status_code == 403
    assert not ApiKey.objects.exists()


def test_the_web_page_shows_a_new_key_once(personas):
    client = web_client(personas.admin, personas.workspace_a)
    response = client.post("/workspace/api-keys/", {"action": "create", "name": "Make.com"})
    key = ApiKey.objects.get()
    secret = response.context["new_secret"]
    assert services.sha256(secret) == key.key_hash
    assert secret.encode() in response.content
    assert secret.encode() not in client.get("/workspace/api-keys/").content
    client.post("/workspace/api-keys/", {"action": "revoke", "id": str(key.pk)})
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_a_key_without_a_name_names_the_field(personas):
    client = web_client(personas.owner, personas.workspace_a)
    response = client.post("/api/v1/api-keys", {"name": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "name"


def test_the_command_creates_user_workspace_and_a_working_key(db):
    out = io.StringIO()
    call_command(
        "create_api_key", "--email", "Bot@Agency.test", "--workspace", "Agency", stdout=out
    )
    secret = out.getvalue().strip()
    membership = Membership.objects.get(user__email="bot@agency.test", workspace__name="Agency")
    assert membership.role == Role.OWNER
    response = bearer(secret).get("/api/v1/workspace")
    assert response.status_code == 200 and response.json()["name"] == "Agency"


def test_the_command_reuses_what_exists(db):
    call_command("create_api_key", "--email", "bot@agency.test", stdout=io.StringIO())
    call_command("create_api_key", "--email", "bot@agency.test", stdout=io.StringIO())
    assert Workspace.objects.count() == 1 and ApiKey.objects.count() == 2


def test_the_command_refuses_a_viewer(personas):
    with pytest.raises(CommandError, match="--workspace"):
        call_command(
            "create_api_key",
            "--email",
            "viewer@acme.test",
            "--workspace",
            "Acme",
            stdout=io.StringIO(),
        )
