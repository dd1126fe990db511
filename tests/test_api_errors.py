"""One error shape for the API: {"error": {"code", "message", "field"}}."""

from .conftest import api_client_for


def test_a_validation_error_names_the_field(personas):
    client = api_client_for(personas.owner, personas.workspace_a)
    response = client.post("/api/v1/projects", {"name": ""}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "name" and error["message"] and error["code"]


def test_a_bad_choice_names_the_field(personas):
    client = api_client_for(personas.owner, personas.workspace_a)
    response = client.post("/api/v1/invitations", {"email": "a@b.test", "role": "god"})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "role"


def test_a_service_error_keeps_its_code_and_field(personas):
    client = api_client_for(personas.owner, personas.workspace_a)
    response = client.post("/api/v1/invitations", {"email": "viewer@acme.test", "role": "viewer"})
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "conflict",
        "message": "viewer@acme.test is already a member of this workspace.",
        "field": "email",
    }


def test_projects_round_trip(personas):
    client = api_client_for(personas.creator, personas.workspace_a)
    created = client.post("/api/v1/projects", {"name": " Launch ", "description": "Q3"})
    assert created.status_code == 201 and created.json()["name"] == "Launch"
    project_id = created.json()["id"]
    assert client.get(f"/api/v1/projects/{project_id}").json()["description"] == "Q3"
    assert client.delete(f"/api/v1/projects/{project_id}").status_code == 204
    assert client.get(f"/api/v1/projects/{project_id}").status_code == 404


def test_a_django_404_from_a_view_keeps_the_error_shape(personas):
    """The fuzzer found this one as a 500: a view raising Django's Http404 (an unknown
    voice's preview) reached the error handler, which expected DRF's exceptions only."""
    client = api_client_for(personas.owner, personas.workspace_a)
    response = client.get("/api/v1/voices/no-such-voice/preview")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found" and "no-such-voice" in error["message"]


def test_an_empty_value_is_named_in_words_not_as_null(personas):
    """The editor's cost box shows these messages: it once said "may not be null"."""
    client = api_client_for(personas.owner, personas.workspace_a)
    base = {"scenes": [{"script": "Hello there.", "voice": "piper:en_US-joe-medium"}]}
    for body, field in [
        ({**base, "music": None}, "music"),
        ({"scenes": [{"script": "Hi", "avatar": None}]}, "scenes.0.avatar"),
        ({**base, "resolution": None}, "resolution"),
    ]:
        response = client.post("/api/v1/estimate", body, format="json")
        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["field"], error["code"]) == (field, "null")
        assert "null" not in error["message"].lower() and "empty" in error["message"]
