"""Uploads are verified; avatars pass a face quality gate; voices have previews."""

import io
import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from saas.studio.models import Asset, Avatar

from ..conftest import api_client_for

pytestmark = pytest.mark.slow


def png_bytes(size=(64, 48), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def tone_mp3(tmp_path, seconds=1.0) -> bytes:
    out = tmp_path / "tone.mp3"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-f", "lavfi",
         "-i", f"sine=f=440:d={seconds}", str(out)],
        check=True,
    )  # fmt: skip
    return out.read_bytes()


def upload(client, name, data, **extra):
    file = SimpleUploadedFile(name, data)
    return client.post("/api/v1/assets", {"file": file, **extra}, format="multipart")


def test_an_image_upload_is_verified_and_measured(personas):
    client = api_client_for(personas.creator, personas.workspace_a)
    response = upload(client, "shoe.png", png_bytes())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["width"], body["height"]) == ("image", 64, 48)
    assert body["content_type"] == "image/png" and len(body["sha256"]) == 64


def test_a_fake_image_is_refused_naming_the_field(personas):
    client = api_client_for(personas.creator, personas.workspace_a)
    response = upload(client, "shoe.jpg", b"<?php echo 'not a jpeg'; ?>")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "file"
    assert response.json()["error"]["code"] == "not_an_image"
    assert not Asset.objects.exists()


def test_audio_is_decoded_and_timed(personas, tmp_path):
    client = api_client_for(personas.creator, personas.workspace_a)
    response = upload(client, "voice.mp3", tone_mp3(tmp_path))
    assert response.status_code == 201, response.content
    assert response.json()["duration_s"] == pytest.approx(1.0, abs=0.1)


def test_silent_audio_is_refused(personas, tmp_path):
    client = api_client_for(personas.creator, personas.workspace_a)
    silent = tmp_path / "silent.wav"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-f", "lavfi",
         "-i", "anullsrc=d=2", str(silent)],
        check=True,
    )  # fmt: skip
    response = upload(client, "silent.wav", silent.read_bytes())
    assert response.status_code == 400 and response.json()["error"]["code"] == "audio_silent"


def test_a_faceless_photo_is_rejected_with_the_quality_report(personas):
    client = api_client_for(personas.creator, personas.workspace_a)
    noise = (np.random.default_rng(1).random((400, 400, 3)) * 255).astype("uint8")
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, "PNG")
    photo = SimpleUploadedFile("me.png", buffer.getvalue())
    response = client.post(
        "/api/v1/avatars", {"image": photo, "name": "Me", "consent": "true"}, format="multipart"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "image" and error["code"] == "no_face"
    assert error["report"]["ok"] is False
    assert not Avatar.objects.exists()


def test_a_photo_avatar_needs_consent(personas):
    client = api_client_for(personas.creator, personas.workspace_a)
    photo = SimpleUploadedFile("me.png", png_bytes())
    response = client.post("/api/v1/avatars", {"image": photo, "name": "Me"}, format="multipart")
    assert response.status_code == 400 and response.json()["error"]["field"] == "consent"


def test_a_good_photo_becomes_an_avatar(personas, django_capture_on_commit_callbacks):
    from matplotlib import cbook

    path = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    client = api_client_for(personas.creator, personas.workspace_a)
    with open(path, "rb") as handle, django_capture_on_commit_callbacks(execute=False):
        photo = SimpleUploadedFile("grace.jpg", handle.read())
        response = client.post(
            "/api/v1/avatars",
            {"image": photo, "name": "Grace", "consent": "on"},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "processing" and body["quality_report"]["ok"] is True
    listed = client.get("/api/v1/avatars").json()["results"]
    assert {"grace", body["id"]} <= {a["id"] for a in listed}


def test_voices_are_listed_with_a_playable_preview(personas):
    client = api_client_for(personas.viewer, personas.workspace_a)
    voices = client.get("/api/v1/voices?language=de").json()["results"]
    assert voices and all(v["language"].lower().startswith("de") for v in voices)
    preview = client.get(voices[0]["preview_url"].split("testserver", 1)[1])
    assert preview.status_code == 200 and preview["Content-Type"] == "audio/wav"
    assert b"".join(preview.streaming_content)[:4] == b"RIFF"
