"""HeyGen's v3 calls on our server: v3's envelopes (``{"data": ...}``, ``has_more`` and
``next_token``), its errors (``{"error": {code, message, param, doc_url}}``), one flat
video body mapped onto our render request, and the same isolation as everywhere."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saas.billing import services as billing
from saas.studio.models import Asset, Video
from saas.webhooks.models import WebhookEndpoint

from ..studio import conftest as studio_conftest
from ..webhooks.receiver import WebhookReceiver
from .test_compat import heygen_client, png_bytes

stub_worker = studio_conftest.stub_worker
funded = studio_conftest.funded


def v3_body(**changes) -> dict:
    payload = {"type": "avatar", "avatar_id": "grace", "script": "Welcome to the team.",
               "voice_id": "piper:en_US-joe-medium"}  # fmt: skip
    payload.update(changes)
    return payload


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body  # v3 errors carry no data key
    assert {"code", "message", "param", "doc_url"} <= set(body["error"])
    return body["error"]


@pytest.mark.django_db
def test_without_a_key_the_answer_is_v3s_401(personas):
    from rest_framework.test import APIClient

    response = APIClient().get("/v3/videos")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


@pytest.mark.django_db(transaction=True)
def test_a_v3_video_renders_and_reports_in_v3s_fields(funded, stub_worker):
    client = heygen_client(funded.creator, funded.workspace_a)
    made = client.post("/v3/videos", v3_body(
        script='Welcome. <break time="0.5s"/> Begin.', title="Onboarding", aspect_ratio="9:16",
        voice_settings={"speed": 1.1, "pitch": -25, "locale": None}, callback_id="crm-9",
        background={"type": "color", "value": "#0F172A"}, caption={"style": "default"},
        output_format="mp4", engine=None,
    ), format="json")  # fmt: skip
    assert made.status_code == 200, made.content
    data = made.json()["data"]
    assert set(made.json()) == {"data"} and data["status"] == "waiting"
    video = Video.objects.get(pk=data["video_id"])
    [scene] = video.request["scenes"]
    assert scene["script"] == "Welcome. [pause 0.5s] Begin."
    assert (scene["rate"], scene["pitch"], scene["avatar"]) == (1.1, -6.0, "grace")
    assert scene["background"] == {"type": "color", "color": "#0F172A"}
    assert (video.request["aspect"], video.request["resolution"]) == ("9:16", "720p")
    assert video.request["captions"] is True and video.title == "Onboarding"

    pending = client.get(f"/v3/videos/{video.pk}").json()["data"]
    assert pending["id"] == str(video.pk) and pending["status"] in ("pending", "processing")
    assert pending["video_url"] is None and isinstance(pending["created_at"], int)
    stub_worker.drain()
    done = client.get(f"/v3/videos/{video.pk}").json()["data"]
    assert done["status"] == "completed", done
    assert urlsplit(done["video_url"]).path.endswith(".mp4")
    assert urlsplit(done["subtitle_url"]).path.endswith(".srt")
    assert done["captioned_video_url"] == done["video_url"]  # burned in, as asked
    assert done["duration"] > 1 and done["completed_at"] >= done["created_at"]
    assert done["failure_code"] is None and done["callback_id"] == "crm-9"
    assert done["video_page_url"].endswith(f"/videos/{video.pk}/") and done["progress"] == 100

    listed = client.get("/v3/videos?limit=1").json()
    assert [v["id"] for v in listed["data"]] == [str(video.pk)] and listed["has_more"] is False
    gone = client.delete(f"/v3/videos/{video.pk}")
    assert gone.json() == {"data": {"id": str(video.pk), "deleted": True}}
    assert error_of(client.get(f"/v3/videos/{video.pk}"))["code"] == "not_found"


@pytest.mark.parametrize(
    ("change", "param", "code"),
    [
        ({"type": "cinematic_avatar"}, "type", "unsupported_parameter"),
        ({"type": "image"}, "type", "unsupported_parameter"),
        ({"resolution": "4k"}, "resolution", "unsupported_parameter"),
        ({"aspect_ratio": "4:5"}, "aspect_ratio", "unsupported_parameter"),
        ({"voice_settings": {"locale": "en-GB"}}, "voice_settings.locale",
         "unsupported_parameter"),
        ({"voice_settings": {"speed": 3}}, "voice_settings.speed", "invalid_parameter"),
        ({"engine": {"type": "avatar_v"}}, "body.engine", "unsupported_parameter"),
        ({"audio_url": "https://x.test/a.mp3", "script": None}, "audio_url",
         "unsupported_parameter"),
        ({"audio_asset_id": "x"}, "audio_asset_id", "invalid_parameter"),
        ({"script": ""}, "script", "invalid_parameter"),
        ({"voice_id": "elevenlabs-rachel"}, "voice_id", "voice_not_found"),
        ({"avatar_id": None}, "avatar_id", "invalid_parameter"),
        ({"background": {"type": "image", "url": "https://x.test/b.png"}}, "background.url",
         "unsupported_parameter"),
        ({"caption": {"style": "karaoke"}}, "caption.style", "unsupported_parameter"),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_a_v3_request_we_cannot_honour_is_refused_naming_v3s_field(funded, change, param, code):
    client = heygen_client(funded.creator, funded.workspace_a)
    response = client.post("/v3/videos", v3_body(**change), format="json")
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert (error["param"], error["code"]) == (param, code), error
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_an_unknown_avatar_is_named_and_no_credits_is_402(personas):
    client = heygen_client(personas.creator, personas.workspace_a)
    unknown = client.post("/v3/videos", v3_body(avatar_id=str(uuid.uuid4())), format="json")
    assert unknown.status_code in (400, 404) and error_of(unknown)["param"] == "avatar_id"
    workspace = personas.workspace_a
    billing.reserve_credits(workspace, uuid.uuid4(), billing.balance(workspace))
    poor = client.post("/v3/videos", v3_body(), format="json")
    assert poor.status_code == 402 and error_of(poor)["code"] == "insufficient_credit"


@pytest.mark.django_db
def test_an_idempotency_key_replays_the_first_answer(funded):
    client = heygen_client(funded.creator, funded.workspace_a)
    first = client.post("/v3/videos", v3_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/v3/videos", v3_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Video.objects.count() == 1


@pytest.mark.django_db
def test_another_workspaces_video_avatar_and_asset_do_not_exist_here(funded):
    from django.utils import timezone

    from saas.studio.models import Avatar

    theirs = Video.objects.create(workspace=funded.workspace_b, title="T", stage="speech",
                                  request={})  # fmt: skip
    photo = Avatar.objects.create(workspace=funded.workspace_b, name="Them", status="ready",
                                  image=SimpleUploadedFile("f.jpg", b"jpg"),
                                  consent_at=timezone.now())  # fmt: skip
    client = heygen_client(funded.creator, funded.workspace_a)
    for call in (client.get, client.delete):
        response = call(f"/v3/videos/{theirs.pk}")
        assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    assert Video.objects.filter(pk=theirs.pk).exists()
    assert client.get("/v3/videos").json()["data"] == []
    assert client.get(f"/v3/avatars/looks/{photo.pk}").status_code == 404
    looks = client.get("/v3/avatars/looks?limit=50").json()["data"]
    assert str(photo.pk) not in {item["id"] for item in looks}
    used = client.post("/v3/videos", v3_body(avatar_id=str(photo.pk)), format="json")
    assert (
        used.status_code in (400, 404)
        and not Video.objects.filter(workspace=funded.workspace_a).exists()
    )


@pytest.mark.django_db
def test_avatars_are_groups_of_one_look_and_voices_page_with_tokens(funded):
    client = heygen_client(funded.viewer, funded.workspace_a)
    groups = client.get("/v3/avatars").json()
    assert {"grace", "astronaut"} <= {g["id"] for g in groups["data"]}
    assert all(g["looks_count"] == 1 for g in groups["data"])
    looks = client.get("/v3/avatars/looks?ownership=public").json()["data"]
    assert {item["avatar_type"] for item in looks} == {"studio_avatar"}
    assert client.get("/v3/avatars/looks/grace").json()["data"]["group_id"] == "grace"
    assert client.get("/v3/avatars/grace").json()["data"]["name"]
    assert error_of(client.get("/v3/avatars/looks?limit=51"))["param"] == "limit"

    english = client.get("/v3/voices?language=English&limit=100").json()["data"]
    assert english and all(v["language"] == "English" for v in english)
    first = client.get("/v3/voices?limit=5").json()
    assert len(first["data"]) == 5 and first["has_more"] is True
    second = client.get(f"/v3/voices?limit=5&token={first['next_token']}").json()
    assert {v["voice_id"] for v in first["data"]}.isdisjoint(v["voice_id"] for v in second["data"])
    assert client.get("/v3/voices?type=private").json()["data"] == []
    assert error_of(client.get("/v3/voices?token=garbage"))["param"] == "token"
    joe = client.get("/v3/voices/piper:en_US-joe-medium").json()["data"]
    assert joe["support_pause"] is True and joe["preview_audio_url"].startswith("http")


@pytest.mark.django_db
def test_an_asset_uploaded_as_multipart_becomes_a_background(funded):
    client = heygen_client(funded.creator, funded.workspace_a)
    upload = SimpleUploadedFile("bg.png", png_bytes(), content_type="image/png")
    made = client.post("/v3/assets", {"file": upload}, format="multipart")
    assert made.status_code == 200, made.content
    asset = made.json()["data"]
    assert asset["mime_type"] == "image/png" and asset["size_bytes"] > 0
    assert Asset.objects.get(pk=asset["asset_id"]).workspace == funded.workspace_a
    fake = SimpleUploadedFile("bg.png", b"not a png", content_type="image/png")
    refused = client.post("/v3/assets", {"file": fake}, format="multipart")
    assert refused.status_code == 400 and error_of(refused)["param"] == "file"
    assert error_of(client.post("/v3/assets", {}, format="multipart"))["param"] == "file"
    assert Asset.objects.count() == 1

    background = {"type": "image", "asset_id": asset["asset_id"]}
    video = client.post("/v3/videos", v3_body(background=background), format="json")
    assert video.status_code == 200, video.content
    [scene] = Video.objects.get().request["scenes"]
    assert scene["background"]["src"] == asset["asset_id"]
    me = client.get("/v3/users/me").json()["data"]
    assert me["wallet"]["remaining_balance"] == billing.balance(funded.workspace_a)


@pytest.mark.django_db
def test_templates_in_v3_list_describe_and_generate(funded):
    client = heygen_client(funded.creator, funded.workspace_a)
    listed = client.get("/v3/templates?limit=100").json()
    assert "price-drop" in {t["id"] for t in listed["data"]} and listed["has_more"] is False
    detail = client.get("/v3/templates/company-announcement").json()["data"]
    assert detail["scene_ids"] == [s["scene_id"] for s in detail["scenes"]]
    used = {v["name"] for s in detail["scenes"] for v in s["variables"]}
    assert used == set(detail["variables"]) and "company" in used
    filled = {name: {"properties": {"content": f"{name} text"}} for name in detail["variables"]}
    made = client.post("/v3/templates/company-announcement",
                       {"variables": filled, "title": "News", "callback_id": "t-1"},
                       format="json")  # fmt: skip
    assert made.status_code == 200, made.content
    video = made.json()["data"]
    assert video["status"] == "pending" and video["title"] == "News"
    assert Video.objects.get(pk=video["id"]).request["heygen"] == {"callback_id": "t-1"}
    wrong = client.post("/v3/templates/company-announcement",
                        {"variables": {"nope": {"properties": {"content": "x"}}}},
                        format="json")  # fmt: skip
    assert error_of(wrong)["param"] == "variables.nope"
    assert error_of(client.get("/v3/templates/nope"))["code"] == "not_found"


@pytest.mark.django_db(transaction=True)
def test_v3_webhook_endpoints_are_managed_and_deliveries_signed_the_v3_way(
    funded, stub_worker, settings
):
    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    admin = heygen_client(funded.admin, funded.workspace_a)
    creator = heygen_client(funded.creator, funded.workspace_a)
    with WebhookReceiver() as receiver:
        assert creator.post("/v3/webhooks/endpoints", {"url": receiver.url},
                            format="json").status_code == 403  # fmt: skip
        made = admin.post("/v3/webhooks/endpoints", {"url": receiver.url}, format="json")
        assert made.status_code == 200, made.content
        endpoint = made.json()["data"]
        assert endpoint["events"] is None and endpoint["status"] == "enabled"
        endpoint_id = endpoint["endpoint_id"]
        listed = admin.get("/v3/webhooks/endpoints").json()
        assert [e["endpoint_id"] for e in listed["data"]] == [endpoint_id]
        assert listed["data"][0]["secret"] is None  # shown once
        changed = admin.patch(f"/v3/webhooks/endpoints/{endpoint_id}",
                              {"events": ["avatar_video.success"]}, format="json")  # fmt: skip
        assert changed.json()["data"]["events"] == ["avatar_video.success"]
        empty = admin.patch(f"/v3/webhooks/endpoints/{endpoint_id}", {}, format="json")
        assert empty.status_code == 400 and error_of(empty)["param"] == "body"
        rotated = admin.post(f"/v3/webhooks/endpoints/{endpoint_id}/rotate-secret")
        secret = rotated.json()["data"]["secret"]
        assert secret != endpoint["secret"]

        made = creator.post("/v3/videos", v3_body(callback_id="c-3"), format="json")
        stub_worker.drain()
        [request] = receiver.wait_for(1)
    sent = request.json()
    assert sent["event_type"] == "avatar_video.success"
    assert sent["event_data"]["video_id"] == made.json()["data"]["video_id"]
    assert sent["event_data"]["callback_id"] == "c-3"
    digest = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["Heygen-Signature"] == digest
    assert request.headers["Heygen-Event-Id"] and int(request.headers["Heygen-Timestamp"]) > 0
    events = admin.get("/v3/webhooks/events").json()["data"]
    assert [e["event_type"] for e in events] == ["avatar_video.success"]
    assert events[0]["event_id"] == request.headers["Heygen-Event-Id"]
    kinds = admin.get("/v3/webhooks/event-types").json()["data"]
    assert {k["event_type"] for k in kinds} == {"avatar_video.success", "avatar_video.fail"}

    outsider = heygen_client(funded.outsider, funded.workspace_b)  # owner of workspace B
    assert outsider.delete(f"/v3/webhooks/endpoints/{endpoint_id}").status_code == 404
    assert outsider.get("/v3/webhooks/endpoints").json()["data"] == []
    assert outsider.get("/v3/webhooks/events").json()["data"] == []
    deleted = admin.delete(f"/v3/webhooks/endpoints/{endpoint_id}")
    assert deleted.json() == {"data": {}, "error": None}
    assert not WebhookEndpoint.objects.exists()
    assert error_of(admin.delete(f"/v3/webhooks/endpoints/{endpoint_id}"))["code"] == "not_found"
