"""Isolation and roles on every endpoint.

A member of workspace B gets 404 for every object of workspace A, through the
API (key or session) and the web pages. A viewer can change nothing.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from saas.batches.models import Batch, BatchRow, VideoTemplate
from saas.jobs.models import Job
from saas.studio.drafts import create_draft
from saas.studio.models import Asset, Avatar, Draft, Project, Pronunciation, Video
from saas.studio.services import create_project, set_pronunciation
from saas.translations.models import TranslationLanguage
from saas.webhooks.models import WebhookDelivery, WebhookEndpoint
from saas.workspaces import services
from saas.workspaces.models import ApiKey, Invitation, Membership

from .conftest import api_client_for, web_client


@pytest.fixture
def objects(personas):
    owner = personas.membership(personas.owner)
    invitation, _ = services.invite_member(owner, "pending@x.test", "viewer")
    key, _ = services.create_api_key(owner, "A's key")
    return {
        "project": create_project(owner, "Spring campaign").pk,
        "member": personas.membership(personas.creator).pk,
        "invitation": invitation.pk,
        "key": key.pk,
        "pronunciation": set_pronunciation(owner, "Xiaomi", "shao me").pk,
        "video": Video.objects.create(
            workspace=personas.workspace_a, title="A's video", stage="speech", request={}
        ).pk,
        "asset": Asset.objects.create(
            workspace=personas.workspace_a,
            kind="image",
            file=SimpleUploadedFile("a.png", b"png"),
            original_name="a.png",
            content_type="image/png",
            size=3,
            sha256="0" * 64,
        ).pk,
        "draft": create_draft(owner, {"scenes": [{"script": "Hi"}]}, product={"title": "x"}).pk,
        "avatar": Avatar.objects.create(
            workspace=personas.workspace_a,
            name="A's face",
            image=SimpleUploadedFile("face.jpg", b"jpg"),
            consent_at=timezone.now(),
        ).pk,
        "translation": a_translation(personas.workspace_a).pk,
        "language": "es",
        "index": 0,
        **a_template_and_batch(owner),
        "number": 1,
        "webhook": a_disabled_webhook(owner),
    }


def a_disabled_webhook(owner):
    """A disabled webhook endpoint with a missed event that enabling could resend."""
    from saas.webhooks import services as webhooks

    endpoint, _ = webhooks.create_endpoint(owner, "https://hooks.example.com/a")
    webhooks.update_endpoint(owner, endpoint.pk, active=False)
    webhooks.emit_event(owner.workspace, "video.completed", {"id": "v1"})
    return endpoint.pk


def a_template_and_batch(owner) -> dict:
    from saas.batches.services import create_batch
    from saas.batches.templates import create_template

    request = {"title": "For {{team}}", "scenes": [{"script": "Welcome, {{team}}."}]}
    template = create_template(owner, "A's template", request)
    batch = create_batch(owner, template_id=template.id, rows=[{"team": "Sales"}, {"team": ""}])
    return {"template": template.id, "batch": batch.pk}


def a_translation(workspace):
    from saas.translations.models import Translation

    translation = Translation.objects.create(
        workspace=workspace,
        title="A's translation",
        source=SimpleUploadedFile("a.mp4", b"mp4"),
        duration_s=5,
        segments=[{"start": 0, "end": 2, "text": "Hello"}],
        job=Job.objects.create(kind="translation", workspace=workspace, status="running"),
    )
    TranslationLanguage.objects.create(
        translation=translation, workspace=workspace, language="es", voice="espeak:es",
        stage="review", status="waiting",
        segments=[{"start": 0, "end": 2, "source": "Hello", "text": "Hola"}],
    )  # fmt: skip
    return translation


# (method, path template, body): every object endpoint of the API
OBJECT_ENDPOINTS = [
    ("get", "/api/v1/projects/{project}", None),
    ("patch", "/api/v1/projects/{project}", {"name": "hijacked"}),
    ("delete", "/api/v1/projects/{project}", None),
    ("patch", "/api/v1/members/{member}", {"role": "viewer"}),
    ("delete", "/api/v1/members/{member}", None),
    ("delete", "/api/v1/invitations/{invitation}", None),
    ("delete", "/api/v1/api-keys/{key}", None),
    ("delete", "/api/v1/pronunciations/{pronunciation}", None),
    ("get", "/api/v1/videos/{video}", None),
    ("post", "/api/v1/videos/{video}/cancel", None),
    ("delete", "/api/v1/videos/{video}", None),
    ("get", "/api/v1/assets/{asset}", None),
    ("delete", "/api/v1/assets/{asset}", None),
    ("get", "/api/v1/avatars/{avatar}", None),
    ("delete", "/api/v1/avatars/{avatar}", None),
    ("get", "/api/v1/drafts/{draft}", None),
    ("put", "/api/v1/drafts/{draft}", {"request": {"scenes": []}}),
    ("delete", "/api/v1/drafts/{draft}", None),
    ("post", "/api/v1/drafts/{draft}/render", None),
    ("post", "/api/v1/drafts/{draft}/script", {"tone": "friendly"}),
    ("get", "/api/v1/translations/{translation}", None),
    ("delete", "/api/v1/translations/{translation}", None),
    (
        "patch",
        "/api/v1/translations/{translation}/languages/{language}",
        {"segments": [{"text": "x"}]},
    ),
    ("post", "/api/v1/translations/{translation}/languages/{language}/retranslate", {"index": 0}),
    ("post", "/api/v1/translations/{translation}/dub", {}),
    ("post", "/api/v1/translations/{translation}/cancel", None),
    ("get", "/api/v1/templates/{template}", None),
    ("patch", "/api/v1/templates/{template}", {"name": "hijacked"}),
    ("delete", "/api/v1/templates/{template}", None),
    ("post", "/api/v1/templates/{template}/generate", {"variables": {"team": "x"}}),
    ("get", "/api/v1/batches/{batch}", None),
    ("delete", "/api/v1/batches/{batch}", None),
    ("patch", "/api/v1/batches/{batch}/rows/{number}", {"values": {"team": "x"}}),
    ("post", "/api/v1/batches/{batch}/start", {"skip_invalid": True}),
    ("post", "/api/v1/batches/{batch}/cancel", None),
    ("post", "/api/v1/batches/{batch}/retry", None),
    ("get", "/api/v1/batches/{batch}/download", None),
    # The webhooks API's other routes are checked in tests/webhooks/test_api.py.
    ("post", "/api/v1/webhooks/{webhook}/enable", {"replay_missed": True}),
]
LIST_ENDPOINTS = [
    "/api/v1/projects",
    "/api/v1/members",
    "/api/v1/invitations",
    "/api/v1/api-keys",
    "/api/v1/pronunciations",
    "/api/v1/videos",
    "/api/v1/assets",
    "/api/v1/avatars",
    "/api/v1/drafts",
    "/api/v1/translations",
    "/api/v1/templates",
    "/api/v1/batches",
]
CREATE_ENDPOINTS = [
    ("/api/v1/projects", {"name": "New"}),
    ("/api/v1/invitations", {"email": "someone@x.test", "role": "viewer"}),
    ("/api/v1/api-keys", {"name": "New key"}),
    ("/api/v1/pronunciations", {"written": "Xiaomi", "spoken": "zee a o me"}),
    ("/api/v1/videos", {"scenes": [{"script": "Hi"}]}),
    ("/api/v1/videos/from-url", {"url": "https://shop.example/p/1"}),
    ("/api/v1/templates", {"name": "T", "request": {"scenes": [{"script": "Hi {{x}}"}]}}),
    ("/api/v1/templates/training-lesson/generate", {"variables": {}}),
    ("/api/v1/batches", {"template": "training-lesson", "rows": [{"course": "C"}]}),
]


def snapshot():
    """Everything a write could change, to prove that nothing did."""
    return (
        list(Project.objects.values_list("id", "name").order_by("id")),
        list(Membership.objects.values_list("id", "role").order_by("id")),
        list(Invitation.objects.values_list("id", "revoked_at").order_by("id")),
        list(ApiKey.objects.values_list("id", "revoked_at").order_by("id")),
        list(Pronunciation.objects.values_list("id", "written", "spoken").order_by("id")),
        list(Video.objects.values_list("id", "status").order_by("id")),
        list(Asset.objects.values_list("id").order_by("id")),
        list(Avatar.objects.values_list("id").order_by("id")),
        list(Draft.objects.values_list("id", "request").order_by("id")),
        list(TranslationLanguage.objects.values_list("id", "status", "segments").order_by("id")),
        list(Job.objects.values_list("id", "status").order_by("id")),
        list(VideoTemplate.objects.values_list("id", "name", "request").order_by("id")),
        list(Batch.objects.values_list("id", "status").order_by("id")),
        list(BatchRow.objects.values_list("id", "status", "values").order_by("id")),
        list(WebhookEndpoint.objects.values_list("id", "active", "enabled_at").order_by("id")),
        list(WebhookDelivery.objects.values_list("id", "status").order_by("id")),
    )


def outsider_clients(personas):
    return {
        "api key": api_client_for(personas.outsider, personas.workspace_b),
        "session": web_client(personas.outsider, personas.workspace_b),
    }


@pytest.mark.parametrize("auth", ["api key", "session"])
@pytest.mark.parametrize("method,path,body", OBJECT_ENDPOINTS)
def test_an_outsider_gets_404_on_every_object(personas, objects, auth, method, path, body):
    client = outsider_clients(personas)[auth]
    before = snapshot()
    response = getattr(client, method)(
        path.format(**objects), body, content_type="application/json"
    )
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    assert snapshot() == before


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
def test_an_outsider_lists_none_of_the_other_workspaces_objects(personas, objects, path):
    response = outsider_clients(personas)["api key"].get(path)
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["results"]}
    assert not ids & {str(v) for v in objects.values()}


@pytest.mark.parametrize("method,path,body", [e for e in OBJECT_ENDPOINTS if e[0] != "get"])
def test_a_viewer_can_change_no_object(personas, objects, method, path, body):
    client = api_client_for(personas.viewer, personas.workspace_a)
    before = snapshot()
    response = getattr(client, method)(
        path.format(**objects), body, content_type="application/json"
    )
    assert response.status_code == 403, response.content
    assert snapshot() == before


@pytest.mark.parametrize("path,body", CREATE_ENDPOINTS)
def test_a_viewer_can_create_nothing(personas, objects, path, body):
    client = api_client_for(personas.viewer, personas.workspace_a)
    before = snapshot()
    response = client.post(path, body, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert snapshot() == before


def test_a_viewer_reads_projects_and_members(personas, objects):
    client = api_client_for(personas.viewer, personas.workspace_a)
    assert client.get(f"/api/v1/projects/{objects['project']}").status_code == 200
    assert client.get("/api/v1/members").status_code == 200


def test_a_creator_manages_projects_but_not_people(personas, objects):
    client = api_client_for(personas.creator, personas.workspace_a)
    response = client.patch(f"/api/v1/projects/{objects['project']}", {"name": "Renamed"})
    assert response.status_code == 200 and response.json()["name"] == "Renamed"
    assert client.get("/api/v1/api-keys").status_code == 403
    assert client.post("/api/v1/invitations", {"email": "x@x.test"}).status_code == 403


def test_an_admin_key_manages_people(personas, objects):
    client = api_client_for(personas.admin, personas.workspace_a)
    response = client.patch(f"/api/v1/members/{objects['member']}", {"role": "viewer"})
    assert response.status_code == 200 and response.json()["role"] == "viewer"


WEB_POSTS = [
    ("/workspace/members/", {"action": "remove", "id": "{member}"}),
    ("/workspace/members/", {"action": "change_role", "id": "{member}", "role": "viewer"}),
    ("/workspace/members/", {"action": "revoke", "id": "{invitation}"}),
    ("/workspace/api-keys/", {"action": "revoke", "id": "{key}"}),
]


# Every web page of one object: (method, path).
WEB_OBJECT_PAGES = [
    ("get", "/videos/{video}/"),
    ("post", "/videos/{video}/cancel"),
    ("post", "/videos/{video}/delete"),
    ("post", "/videos/{video}/duplicate"),
    ("post", "/videos/{video}/share"),
    ("post", "/videos/{video}/share/revoke"),
    ("get", "/avatars/{avatar}/"),
    ("get", "/avatars/{avatar}/status/"),
    ("get", "/avatars/{avatar}/thumb.jpg"),
    ("post", "/avatars/{avatar}/delete/"),
    ("get", "/drafts/{draft}/"),
    ("post", "/drafts/{draft}/delete"),
    ("get", "/translations/{translation}/"),
    ("post", "/translations/{translation}/{language}/segments/"),
    ("post", "/translations/{translation}/{language}/retranslate/{index}/"),
    ("post", "/translations/{translation}/cancel/"),
    ("post", "/translations/{translation}/delete/"),
    ("get", "/templates/{template}/"),
    ("post", "/templates/{template}/"),
    ("get", "/templates/{template}/sample.csv"),
    ("post", "/templates/{template}/delete/"),
    ("post", "/drafts/{draft}/save-template/"),
    ("get", "/batches/{batch}/"),
    ("post", "/batches/{batch}/rows/{number}/"),
    ("post", "/batches/{batch}/start/"),
    ("post", "/batches/{batch}/cancel/"),
    ("post", "/batches/{batch}/retry/"),
    ("get", "/batches/{batch}/download/"),
]
# Object routes whose isolation tests live with their feature.
TESTED_ELSEWHERE = {
    "api/v1/webhooks/": "tests/webhooks/test_api.py::test_an_outsider_gets_404_on_every_object",
}


@pytest.mark.parametrize("method,path", WEB_OBJECT_PAGES)
def test_an_outsider_gets_404_from_every_object_page(personas, objects, method, path):
    client = web_client(personas.outsider, personas.workspace_b)
    before = snapshot()
    assert getattr(client, method)(path.format(**objects)).status_code == 404
    assert snapshot() == before


def object_routes_not_listed(web_pages) -> list[str]:
    from django.urls import URLResolver, get_resolver

    def routes(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    listed = {p for _, p, _ in OBJECT_ENDPOINTS} | {p for _, p in web_pages}
    listed = {re.sub(r"\{\w+\}", "<id>", p.lstrip("/")) for p in listed}
    return [
        route
        for route in routes(get_resolver().url_patterns)
        if "<uuid:" in route
        and not route.startswith(tuple(TESTED_ELSEWHERE))
        and re.sub(r"<(?:uuid|str|int):\w+>", "<id>", route) not in listed
    ]


def test_every_object_route_is_in_the_isolation_lists():
    """A new `<uuid:...>` URL must be added above (or to its feature's isolation test)."""
    assert object_routes_not_listed(WEB_OBJECT_PAGES) == []
    assert object_routes_not_listed(WEB_OBJECT_PAGES[1:]) == ["videos/<uuid:pk>/"]


@pytest.mark.parametrize("path,form", WEB_POSTS)
def test_an_outsider_gets_404_from_the_web_pages(personas, objects, path, form):
    client = web_client(personas.outsider, personas.workspace_b)
    before = snapshot()
    data = {k: v.format(**objects) for k, v in form.items()}
    assert client.post(path, data).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("path,form", WEB_POSTS)
def test_a_viewer_changes_nothing_from_the_web_pages(personas, objects, path, form):
    client = web_client(personas.viewer, personas.workspace_a)
    before = snapshot()
    data = {k: v.format(**objects) for k, v in form.items()}
    client.post(path, data)
    assert snapshot() == before


# HeyGen's routes take ids in the query or the body: (method, path, body, HeyGen's code)
HEYGEN_OBJECT_ENDPOINTS = [
    ("get", "/v1/video_status.get?video_id={video}", None, "video_not_found"),
    ("delete", "/v1/video.delete?video_id={video}", None, "video_not_found"),
]


def heygen_generate(**scene):
    base = {"character": {"type": "avatar", "avatar_id": "grace"},
            "voice": {"type": "text", "input_text": "Hi", "voice_id": "espeak:en-us"}}  # fmt: skip
    for part, fields in scene.items():
        base[part] = fields
    return {"video_inputs": [base]}


@pytest.mark.parametrize("method,path,body,code", HEYGEN_OBJECT_ENDPOINTS)
def test_an_outsider_gets_heygens_not_found_for_another_workspaces_video(
    personas, objects, method, path, body, code
):
    client = api_client_for(personas.outsider, personas.workspace_b)
    before = snapshot()
    response = getattr(client, method)(path.format(**objects))
    assert response.status_code == 404, response.content
    assert response.json()["data"] is None and response.json()["error"]["code"] == code
    assert response.json()["code"] == 400104  # HeyGen's v1 not-found
    assert snapshot() == before


@pytest.mark.parametrize(
    "scene",
    [
        {"character": {"type": "talking_photo", "talking_photo_id": "{avatar}"}},
        {"background": {"type": "image", "image_asset_id": "{asset}"}},
        {"voice": {"type": "audio", "audio_asset_id": "{asset}"}},
    ],
)
def test_heygen_generate_cannot_use_another_workspaces_avatar_or_asset(personas, objects, scene):
    import json

    from saas.billing.services import grant_credits

    grant_credits(personas.workspace_b, 100, note="isolation test")
    client = api_client_for(personas.outsider, personas.workspace_b)
    body = json.loads(json.dumps(heygen_generate(**scene)).replace("{avatar}", str(
        objects["avatar"])).replace("{asset}", str(objects["asset"])))  # fmt: skip
    before = snapshot()
    response = client.post("/v2/video/generate", body, format="json")
    assert response.status_code in (400, 404), response.content
    assert response.json()["data"] is None
    assert response.json()["error"]["param"].startswith("video_inputs[0]")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("scene", "top", "field"),
    [
        ({"background": {"type": "image", "src": "{asset}"}}, {}, "scenes.0.background"),
        ({"media": ["{asset}"]}, {}, "scenes.0.media.0"),
        ({}, {"music": {"asset": "{asset}"}}, "music.asset"),
        ({}, {"brand": {"logo": "{asset}"}}, "brand.logo"),
    ],
)
def test_a_video_cannot_use_another_workspaces_files(personas, objects, scene, top, field):
    """Refused when asked, not only when the worker goes to fetch the file."""
    import json

    from saas.billing.services import grant_credits

    grant_credits(personas.workspace_b, 100, note="isolation test")
    request = {"scenes": [{"script": "Hi", **scene}], **top}
    request = json.loads(json.dumps(request).replace("{asset}", str(objects["asset"])))
    client = api_client_for(personas.outsider, personas.workspace_b)
    before = snapshot()
    response = client.post("/api/v1/videos", request, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == field
    assert snapshot() == before


def test_heygen_lists_show_none_of_the_other_workspaces_objects(personas, objects):
    client = api_client_for(personas.outsider, personas.workspace_b)
    listed = client.get("/v1/video.list").json()["data"]["videos"]
    photos = client.get("/v2/avatars").json()["data"]["talking_photos"]
    mine = {str(v) for v in objects.values()}
    assert not {v["video_id"] for v in listed} & mine
    assert not {p["talking_photo_id"] for p in photos} & mine


HEYGEN_V3_OBJECT_ENDPOINTS = [
    ("get", "/v3/videos/{video}"),
    ("delete", "/v3/videos/{video}"),
    ("get", "/v3/templates/{template}"),
    ("post", "/v3/templates/{template}"),
    ("get", "/v3/avatars/{avatar}"),
    ("get", "/v3/avatars/looks/{avatar}"),
]


@pytest.mark.parametrize("method,path", HEYGEN_V3_OBJECT_ENDPOINTS)
def test_an_outsider_gets_v3s_not_found_for_another_workspaces_objects(
    personas, objects, method, path
):
    client = api_client_for(personas.outsider, personas.workspace_b)
    before = snapshot()
    response = getattr(client, method)(path.format(**objects), {"variables": {}}, format="json")
    assert response.status_code == 404, response.content
    assert response.json() == {"error": {**response.json()["error"], "code": "not_found"}}
    assert snapshot() == before


def test_heygen_v3_lists_show_none_of_the_other_workspaces_objects(personas, objects):
    client = api_client_for(personas.outsider, personas.workspace_b)
    mine = {str(v) for v in objects.values()}
    for path, key in (("/v3/videos?limit=100", "id"), ("/v3/avatars/looks?limit=50", "id"),
                      ("/v3/templates?limit=100", "id")):  # fmt: skip
        listed = client.get(path).json()["data"]
        assert not {item[key] for item in listed} & mine, path


def test_a_malformed_id_is_not_found_not_a_crash(personas, objects):
    client = web_client(personas.owner, personas.workspace_a)
    response = client.post("/workspace/members/", {"action": "remove", "id": "' OR 1=1"})
    assert response.status_code == 404
    response = api_client_for(personas.owner, personas.workspace_a).get("/api/v1/projects/zzz")
    assert response.status_code == 404


def test_unauthenticated_api_calls_are_refused(db):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/projects")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_api_keys_need_a_plan_with_the_api_when_billing_gates_it(personas, objects, settings):
    settings.BILLING_API_FOR_ALL_PLANS = False
    free = api_client_for(personas.owner, personas.workspace_a)
    response = free.get("/api/v1/projects")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "plan_limit"
    from saas.billing.services import account_for

    account = account_for(personas.workspace_a)
    account.plan = "team"
    account.save()
    assert free.get("/api/v1/projects").status_code == 200
    session = web_client(personas.owner, personas.workspace_a)
    assert session.get("/api/v1/projects").status_code == 200  # the web app's own calls
