"""HeyGen's v1/v2 calls on our server: HeyGen's auth header, envelopes and error shapes,
its fields mapped onto our render requests, and each refusal naming HeyGen's field."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image
from rest_framework.test import APIClient

from saas.billing import services as billing
from saas.studio.models import Asset, Video
from saas.workspaces.models import ApiKey, Membership
from saas.workspaces.services import sha256

from ..studio import conftest as studio_conftest

stub_worker = studio_conftest.stub_worker
funded = studio_conftest.funded


def heygen_client(user, workspace) -> APIClient:
    """A client sending one of our API keys the way HeyGen's clients do: ``X-Api-Key``."""
    membership = Membership.objects.get(user=user, workspace=workspace)
    secret = f"tak_heygen_{user.pk}_{workspace.pk}"
    key = {"prefix": secret[:12], "key_hash": sha256(secret), "role": membership.role}
    ApiKey.objects.create(workspace=workspace, name="heygen", created_by=user, **key)
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=secret)
    return client


def body(**changes):
    scene = {
        "character": {"type": "avatar", "avatar_id": "grace", "avatar_style": "normal"},
        "voice": {"type": "text", "input_text": "Welcome to the team.",
                  "voice_id": "piper:en_US-joe-medium"},
        "background": {"type": "color", "value": "#0F172A"},
    }  # fmt: skip
    payload = {"video_inputs": [scene], "dimension": {"width": 1280, "height": 720}}
    payload.update(changes)
    return payload


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 360), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_without_a_key_or_with_a_wrong_one_the_answer_is_heygens_401(personas):
    anonymous = APIClient().get("/v2/avatars")
    assert anonymous.status_code == 401
    assert anonymous.json()["data"] is None and anonymous.json()["error"]["code"] == "unauthorized"
    wrong = APIClient(HTTP_X_API_KEY="tak_not_a_key").get("/v1/video_status.get?video_id=x")
    assert wrong.status_code == 401
    assert wrong.json()["code"] == 400112 and wrong.json()["error"]["code"] == "unauthorized"


@pytest.mark.django_db
def test_avatars_and_voices_list_ours_in_heygens_fields(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from saas.studio.models import Avatar

    def photo(workspace, name):
        return Avatar.objects.create(workspace=workspace, name=name, status="ready",
                                     image=SimpleUploadedFile("f.jpg", b"jpg"),
                                     consent_at=timezone.now())  # fmt: skip

    mine, theirs = photo(personas.workspace_a, "Me"), photo(personas.workspace_b, "Them")
    client = heygen_client(personas.viewer, personas.workspace_a)
    avatars = client.get("/v2/avatars").json()
    assert avatars["error"] is None
    listed = [a["avatar_id"] for a in avatars["data"]["avatars"]]
    assert listed[0] == "daniel"  # the default presenter comes first
    assert {"clara", "marcus", "naomi", "grace", "astronaut"} <= set(listed)
    photos = {p["talking_photo_id"] for p in avatars["data"]["talking_photos"]}
    assert str(mine.pk) in photos and str(theirs.pk) not in photos
    voices = client.get("/v2/voices").json()["data"]["voices"]
    joe = next(v for v in voices if v["voice_id"] == "piper:en_US-joe-medium")
    assert joe["language"] == "English" and joe["gender"] == "male"
    assert joe["support_pause"] is True and joe["emotion_support"] is False
    assert joe["preview_audio"].startswith("http")


@pytest.mark.django_db(transaction=True)
def test_a_video_generated_the_heygen_way_renders_and_reports_like_heygen(funded, stub_worker):
    client = heygen_client(funded.creator, funded.workspace_a)
    scene = body()["video_inputs"][0]
    scene["character"]["avatar_style"] = "circle"
    scene["voice"].update(speed=1.2, pitch=25, input_text='Welcome. <break time="0.5s"/> Begin.')
    response = client.post("/v2/video/generate", body(video_inputs=[scene], caption=True,
                                                       callback_id="crm-42", title="Onboarding"),
                           format="json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["error"] is None
    video = Video.objects.get(pk=response.json()["data"]["video_id"])
    [ours] = video.request["scenes"]
    assert (ours["layout"], ours["rate"], ours["pitch"]) == ("corner", 1.2, 6.0)
    assert ours["script"] == "Welcome. [pause 0.5s] Begin."
    assert ours["background"] == {"type": "color", "color": "#0F172A"}
    assert (video.request["aspect"], video.request["resolution"]) == ("16:9", "720p")
    assert video.request["captions"] is True and video.title == "Onboarding"

    stub_worker.drain()
    status = client.get(f"/v1/video_status.get?video_id={video.pk}").json()
    assert status["code"] == 100 and status["message"] == "Success"
    data = status["data"]
    assert data["status"] == "completed", data
    assert urlsplit(data["video_url"]).path.endswith(".mp4")
    assert urlsplit(data["caption_url"]).path.endswith(".srt")
    assert data["video_url_caption"] == data["video_url"]  # caption: true burns them in
    assert data["callback_id"] == "crm-42" and isinstance(data["created_at"], int)
    assert data["duration"] > 1 and data["progress"] == 100 and data["error"] is None


@pytest.mark.parametrize(
    ("change", "param", "code"),
    [
        ({"dimension": {"width": 1000, "height": 1000}}, "dimension", "unsupported_parameter"),
        ({"test": True}, "test", "unsupported_parameter"),
        ({"video_inputs": []}, "video_inputs", "invalid_parameter"),
        ({"aspect_ratio": "9:16"}, "aspect_ratio", "invalid_parameter"),
        ({"folder": "x"}, "body.folder", "unsupported_parameter"),
    ],
)
@pytest.mark.django_db
def test_a_request_we_cannot_honour_is_refused_naming_heygens_field(funded, change, param, code):
    client = heygen_client(funded.creator, funded.workspace_a)
    response = client.post("/v2/video/generate", body(**change), format="json")
    assert response.status_code == 400, response.content
    assert response.json()["data"] is None
    assert (response.json()["error"]["param"], response.json()["error"]["code"]) == (param, code)
    assert not Video.objects.exists()


@pytest.mark.parametrize(
    ("part", "change", "param"),
    [
        ("voice", {"voice_id": "elevenlabs-rachel"}, "video_inputs[0].voice.voice_id"),
        ("voice", {"speed": 3}, "video_inputs[0].voice.speed"),
        ("voice", {"emotion": "Excited"}, "video_inputs[0].voice.emotion"),
        ("voice", {"type": "audio", "audio_url": "https://x.test/a.mp3"},
         "video_inputs[0].voice.audio_url"),
        ("character", {"scale": 1.5}, "video_inputs[0].character.scale"),
        ("character", {"avatar_id": "Daisy-inskirt-20220818"}, "video_inputs[0].character"),
        ("background", {"type": "image", "url": "https://x.test/b.png"},
         "video_inputs[0].background.url"),
        ("background", {"value": "green"}, "video_inputs[0].background.value"),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_a_bad_video_input_names_the_field_inside_it(funded, part, change, param):
    client = heygen_client(funded.creator, funded.workspace_a)
    payload = body()
    payload["video_inputs"][0][part].update(change)
    response = client.post("/v2/video/generate", payload, format="json")
    assert response.status_code in (400, 404), response.content
    assert response.json()["error"]["param"] == param, response.json()
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_no_credits_is_heygens_402_insufficient_credit(personas):
    import uuid

    client = heygen_client(personas.creator, personas.workspace_a)
    workspace = personas.workspace_a
    billing.reserve_credits(workspace, uuid.uuid4(), billing.balance(workspace))  # all of it
    response = client.post("/v2/video/generate", body(), format="json")
    assert response.status_code == 402, response.content
    assert response.json()["error"]["code"] == "insufficient_credit"


@pytest.mark.django_db
def test_the_remaining_quota_is_our_credits_in_heygens_seconds(funded):
    client = heygen_client(funded.viewer, funded.workspace_a)
    data = client.get("/v2/user/remaining_quota").json()["data"]
    credits = billing.balance(funded.workspace_a)
    assert data == {"remaining_quota": credits * 60, "details": {"api": credits}}


@pytest.mark.django_db
def test_an_asset_uploaded_as_a_raw_body_becomes_a_background(funded):
    client = heygen_client(funded.creator, funded.workspace_a)
    response = client.generic("POST", "/v1/asset", png_bytes(), content_type="image/png")
    assert response.status_code == 200, response.content
    asset = response.json()["data"]
    assert asset["file_type"] == "image" and asset["url"]
    assert Asset.objects.get(pk=asset["id"]).workspace == funded.workspace_a
    payload = body()
    payload["video_inputs"][0]["background"] = {"type": "image", "image_asset_id": asset["id"]}
    made = client.post("/v2/video/generate", payload, format="json")
    assert made.status_code == 200, made.content
    scene = Video.objects.get().request["scenes"][0]
    assert scene["background"] == {"type": "image", "src": asset["id"]}

    garbage = client.generic("POST", "/v1/asset", b"not an image", content_type="image/png")
    assert garbage.status_code == 400 and garbage.json()["code"] == 400100
    video = client.generic("POST", "/v1/asset", b"\0" * 10, content_type="video/mp4")
    assert video.status_code == 400 and "Video assets" in video.json()["message"]
    assert Asset.objects.count() == 1


@pytest.mark.django_db
def test_videos_are_listed_a_page_at_a_time_and_deleted(funded, monkeypatch):
    from saas.heygen import views

    monkeypatch.setattr(views.TokenPagination, "page_size", 2)
    made = [Video.objects.create(workspace=funded.workspace_a, title=f"V{i}", stage="speech",
                                 request={}) for i in range(3)]  # fmt: skip
    Video.objects.create(workspace=funded.workspace_b, title="Theirs", stage="speech", request={})
    client = heygen_client(funded.creator, funded.workspace_a)
    first = client.get("/v1/video.list").json()["data"]
    second = client.get(f"/v1/video.list?token={first['token']}").json()["data"]
    listed = [v["video_id"] for v in first["videos"] + second["videos"]]
    assert listed == [str(v.pk) for v in reversed(made)] and second["token"] is None
    assert first["videos"][0]["status"] == "pending"
    assert client.get("/v1/video.list?token=zzz").status_code == 400

    gone = client.delete(f"/v1/video.delete?video_id={made[0].pk}")
    assert gone.status_code == 200 and gone.json() == {"code": 100, "data": None,
                                                       "message": "Success"}  # fmt: skip
    assert not Video.objects.filter(pk=made[0].pk).exists()


@pytest.mark.django_db
def test_a_workspace_holds_two_long_polls_at_most(funded, monkeypatch):
    """Each ?wait= holds a web thread for up to 30 s: a few dozen from one key held
    every thread of the web tier. Past two at once, the status is answered at once."""
    from django.core.cache import cache

    from saas.heygen import views

    class Waited(Exception):
        pass

    def sleep(seconds):
        raise Waited

    monkeypatch.setattr(views.time, "sleep", sleep)
    video = Video.objects.create(workspace=funded.workspace_a, title="V", stage="speech",
                                 request={})  # fmt: skip
    client = heygen_client(funded.creator, funded.workspace_a)
    url = f"/v1/video_status.get?video_id={video.pk}&wait=30"
    with pytest.raises(Waited):  # a free slot: it waits
        client.get(url)
    key = f"heygen:long-polls:{funded.workspace_a.pk}"
    assert cache.get(key) == 0  # the slot was given back
    cache.set(key, views.LONG_POLLS_PER_WORKSPACE)  # two polls are waiting already
    answered = client.get(url)
    assert answered.status_code == 200 and answered.json()["data"]["status"] == "pending"
    assert cache.get(key) == views.LONG_POLLS_PER_WORKSPACE
    other = heygen_client(funded.outsider, funded.workspace_b)  # other workspaces still wait
    theirs = Video.objects.create(workspace=funded.workspace_b, title="T", stage="speech",
                                  request={})  # fmt: skip
    with pytest.raises(Waited):
        other.get(f"/v1/video_status.get?video_id={theirs.pk}&wait=30")


@pytest.mark.django_db
def test_templates_are_listed_and_described_in_heygens_shapes(funded):
    client = heygen_client(funded.creator, funded.workspace_a)
    listed = client.get("/v2/templates").json()["data"]["templates"]
    found = {t["template_id"]: t for t in listed}
    assert found["product-ad-vertical"]["aspect_ratio"] == "portrait"
    assert found["training-lesson"]["aspect_ratio"] == "landscape"
    detail = client.get("/v2/template/training-lesson").json()["data"]["variables"]
    assert detail["lesson"] == {"name": "lesson", "type": "text", "properties": {"content": ""}}
    assert detail["presenter"]["type"] == "character"
    assert detail["presenter"]["properties"]["character_id"] == "daniel"  # the default
    assert detail["voice"]["type"] == "voice"
    v3 = client.get("/v3/template/training-lesson").json()["data"]
    assert v3["name"] == "Training lesson" and {v["name"] for v in v3["variables"]} == set(detail)
    missing = client.get("/v2/template/no-such-template")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "template_not_found"


@pytest.mark.django_db
def test_a_template_generates_a_video_from_heygens_variables(funded):
    client = heygen_client(funded.creator, funded.workspace_a)

    def text(name, value):
        return {"name": name, "type": "text", "properties": {"content": value}}

    variables = {n: text(n, v) for n, v in [("course", "Onboarding"), ("lesson", "Week one"),
                 ("point_1", "Badge"), ("point_2", "Buddy"), ("point_3", "Laptop")]}  # fmt: skip
    variables["presenter"] = {"name": "presenter", "type": "character",
                              "properties": {"character_id": "maya", "type": "avatar"}}  # fmt: skip
    body = {"title": "Week one", "variables": variables, "callback_id": "crm-42"}
    response = client.post("/v2/template/training-lesson/generate", body, format="json")
    assert response.status_code == 200, response.content
    video = Video.objects.get(pk=response.json()["data"]["video_id"])
    assert video.title == "Week one"
    assert {s["avatar"] for s in video.request["scenes"]} == {"maya"}
    assert "Badge. Buddy. Laptop." in video.request["scenes"][1]["script"]
    status = client.get(f"/v1/video_status.get?video_id={video.pk}").json()["data"]
    assert status["callback_id"] == "crm-42"
    del variables["point_2"]
    refused = client.post("/v2/template/training-lesson/generate", body, format="json")
    assert refused.status_code == 400
    assert "point_2" in refused.json()["error"]["message"]
    unknown = {"variables": {"colour": text("colour", "red")}}
    wrong = client.post("/v2/template/training-lesson/generate", unknown, format="json")
    assert wrong.status_code == 400 and "colour" in wrong.json()["error"]["message"]
    assert Video.objects.count() == 1


@pytest.mark.django_db
def test_our_bearer_key_works_too_and_a_viewer_cannot_generate(funded):
    from ..conftest import api_client_for

    viewer = api_client_for(funded.viewer, funded.workspace_a)  # Authorization: Bearer
    assert viewer.get("/v2/voices").status_code == 200
    refused = viewer.post("/v2/video/generate", body(), format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
