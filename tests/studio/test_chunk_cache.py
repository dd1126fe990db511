"""Workers keep rendered videos as encoded chunks, one folder per workspace."""

import pytest

from saas.studio.rendering import chunk_cache_for

from ..conftest import api_client_for

SCENE = {"script": "Hello from the chunk cache.", "voice": "espeak:en-us", "avatar": "grace"}


def test_each_workspace_has_its_own_folder_under_one_budget(settings, tmp_path):
    settings.CHUNK_CACHE_DIR, settings.CHUNK_CACHE_MB = str(tmp_path), 10
    a, b = chunk_cache_for("a1"), chunk_cache_for("b2")
    assert a.folder == tmp_path / "a1" and b.folder == tmp_path / "b2"
    assert a.root == b.root == tmp_path and a.max_bytes == 10 << 20
    settings.CHUNK_CACHE_MB = 0
    assert chunk_cache_for("a1") is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_a_rendered_video_leaves_its_chunks_in_its_workspace_folder_only(
    funded, stub_worker, settings, tmp_path
):
    settings.CHUNK_CACHE_DIR = str(tmp_path)
    client = api_client_for(funded.creator, funded.workspace_a)
    response = client.post("/api/v1/videos", {"title": "Chunks", "scenes": [SCENE]}, format="json")
    assert response.status_code == 201, response.content
    stub_worker.drain()
    assert client.get(f"/api/v1/videos/{response.json()['id']}").json()["status"] == "completed"
    folders = {p.name for p in tmp_path.iterdir()}
    assert folders == {str(funded.workspace_a.pk)}
    assert list((tmp_path / str(funded.workspace_a.pk)).glob("*.ts"))
