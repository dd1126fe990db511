"""Video avatars: a consent recording becomes a presenter whose own footage speaks new
scripts, the mouth following the words; bad recordings are refused with the reason."""

import subprocess

import imageio_ffmpeg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saas.studio.models import Avatar

from ..conftest import api_client_for
from . import conftest as studio_conftest

stub_worker = studio_conftest.stub_worker
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
pytestmark = pytest.mark.django_db(transaction=True)  # the worker thread writes the job


def ffmpeg(*args) -> None:
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def recording(tmp_path_factory) -> bytes:
    """30 s of a real face talking to the camera: the stock presenter Grace, looped."""
    from avatar.pipeline import TalkingVideoRequest, render_talking_video

    folder = tmp_path_factory.mktemp("recording")
    script = "Hello, this is me, and I agree to the making of my video avatar today."
    talk = render_talking_video(
        TalkingVideoRequest(script=script, presenter="grace", aspect="16:9"),
        out_path=folder / "talk.mp4",
    ).path
    out = folder / "recording.mp4"
    ffmpeg("-stream_loop", "-1", "-i", str(talk), "-t", "31", "-c:v", "libx264",
           "-preset", "ultrafast", "-c:a", "aac", str(out))  # fmt: skip
    return out.read_bytes()


def upload(client, data: bytes, consent="true", name="clip.mp4"):
    body = {"video": SimpleUploadedFile(name, data, "video/mp4"), "name": "Me", "consent": consent}
    return client.post("/api/v1/avatars", body, format="multipart")


@pytest.mark.slow
def test_a_consent_recording_becomes_a_video_avatar_that_speaks(personas, stub_worker, recording):
    client = api_client_for(personas.creator, personas.workspace_a)
    response = upload(client, recording)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["type"] == "video" and body["status"] == "processing"
    assert body["image_url"]  # a still for the gallery card
    stub_worker.drain()
    avatar = Avatar.objects.get(pk=body["id"])
    assert avatar.status == "ready", avatar.quality_report
    with avatar.preview.open("rb") as handle:
        assert handle.read(12)[4:8] == b"ftyp"  # the talking preview, over the footage
    assert client.get(f"/api/v1/avatars/{avatar.pk}").json()["type"] == "video"


def test_a_short_recording_is_refused_with_the_length(personas, tmp_path):
    short = tmp_path / "short.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=5", "-f", "lavfi",
           "-i", "sine=duration=5", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
           "-shortest", str(short))  # fmt: skip
    client = api_client_for(personas.creator, personas.workspace_a)
    response = upload(client, short.read_bytes())
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["field"], error["code"]) == ("video", "too_short") and "30 s" in error["message"]
    assert not Avatar.objects.exists()


def test_a_slow_motion_recording_is_refused_with_its_frame_rate(personas, tmp_path):
    fast = tmp_path / "slowmo.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=120:duration=31", "-f", "lavfi",
           "-i", "sine=duration=31", "-c:v", "libx264", "-preset", "ultrafast",
           "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(fast))  # fmt: skip
    client = api_client_for(personas.creator, personas.workspace_a)
    response = upload(client, fast.read_bytes())
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["field"], error["code"]) == ("video", "frame_rate"), error
    assert "120 frames a second" in error["message"]
    assert not Avatar.objects.exists()


@pytest.mark.parametrize(
    "inputs,words",
    [
        (["-f", "lavfi", "-i", "testsrc=size=160x120:rate=5:duration=31"],
         "no sound track, so we cannot hear you talking"),
        (["-f", "lavfi", "-i", "testsrc=size=160x120:rate=5:duration=302", "-f", "lavfi",
          "-i", "sine=duration=302"], "a video avatar's recording is up to 5 min"),
    ],
)  # fmt: skip
def test_a_refused_recording_is_told_as_a_recording_not_a_translation(
    personas, tmp_path, inputs, words
):
    clip = tmp_path / "clip.mp4"
    ffmpeg(*inputs, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(clip))
    client = api_client_for(personas.creator, personas.workspace_a)
    response = upload(client, clip.read_bytes())
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "video" and words in error["message"], error
    assert "translat" not in error["message"]


def test_a_loop_recorded_at_another_frame_rate_plays_at_its_own_pace():
    from avatar.lipsync.video import ping_pong

    assert ping_pong(4, 6) == [0, 1, 2, 3, 2, 1]  # forwards, then back, never jumping
    assert ping_pong(10, 5, step=60 / 30) == [0, 2, 4, 6, 8]  # 60 fps into 30: every other
    assert ping_pong(10, 6, step=24 / 30) == [0, 0, 1, 2, 3, 4]  # 24 fps into 30: some twice


@pytest.mark.parametrize(
    "data,consent,field",
    [(b"not a video", "true", "video"), (b"whatever", "false", "consent")],
)
def test_a_bad_recording_or_no_consent_stores_nothing(personas, data, consent, field):
    client = api_client_for(personas.creator, personas.workspace_a)
    response = upload(client, data, consent=consent)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert not Avatar.objects.exists()


@pytest.mark.slow
def test_a_recording_with_no_face_fails_with_the_reason(personas, stub_worker, tmp_path):
    faceless = tmp_path / "wall.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=31", "-f", "lavfi",
           "-i", "sine=duration=31", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
           "yuv420p", "-c:a", "aac", "-shortest", str(faceless))  # fmt: skip
    client = api_client_for(personas.creator, personas.workspace_a)
    response = upload(client, faceless.read_bytes())
    assert response.status_code == 201
    stub_worker.drain()
    avatar = Avatar.objects.get(pk=response.json()["id"])
    assert avatar.status == "failed"
    assert "face" in avatar.quality_report["errors"][0]["message"]
