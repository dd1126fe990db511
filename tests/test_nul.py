"""NUL characters never reach the database (PostgreSQL refuses them: a 500 otherwise)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from saas.workspaces.models import Workspace

from .conftest import api_client_for, web_client


def test_a_form_field_with_a_nul_is_refused_before_the_view(personas):
    client = web_client(personas.owner, personas.workspace_a)
    before = Workspace.objects.count()
    response = client.post("/workspace/new/", {"name": "Acme\x00 two"})
    assert response.status_code == 400 and b"NUL" in response.content
    assert Workspace.objects.count() == before
    assert client.post("/workspace/new/", {"name": "Acme two"}).status_code == 302
    assert Workspace.objects.count() == before + 1


def test_multipart_uploads_still_reach_the_api_after_the_check(personas):
    client = api_client_for(personas.creator, personas.workspace_a)
    upload = SimpleUploadedFile("a.txt", b"x")
    bad = client.post("/api/v1/assets", {"file": upload, "kind": "i\x00"})
    assert bad.status_code == 400
    ok = client.post("/api/v1/assets", {"file": SimpleUploadedFile("a.txt", b"not an image")})
    assert ok.status_code == 400 and ok.json()["error"]["field"] == "file"  # reached the view
