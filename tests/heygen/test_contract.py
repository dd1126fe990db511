"""The contract: every HeyGen call built here, requests and real answers, checked against
the schema written from HeyGen's reference (saas/heygen/openapi.py), so that a drift from
HeyGen's shapes fails CI; and schemathesis over the same routes finds no 500."""

from __future__ import annotations

import io
import os
import re

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from PIL import Image

from saas.heygen import openapi
from saas.wsgi import application

from ..studio import conftest as studio_conftest
from ..test_api_fuzz import keep_test_connection  # noqa: F401  (fixture)
from .test_compat import body, heygen_client

stub_worker = studio_conftest.stub_worker
funded = studio_conftest.funded

# HeyGen's own documented example (docs.heygen.com, "Create Avatar Video (V2)"): our schema
# must accept what HeyGen's documentation tells its users to send.
HEYGEN_EXAMPLE = {
    "video_inputs": [{
        "character": {"type": "avatar", "avatar_id": "Daisy-inskirt-20220818",
                      "avatar_style": "normal"},
        "voice": {"type": "text", "input_text": "Welcome to the HeyGen API!",
                  "voice_id": "2d5b0e6cf36f460aa7fc47e3eee4ba54"},
        "background": {"type": "color", "value": "#008000"},
    }],
    "dimension": {"width": 1280, "height": 720},
}  # fmt: skip


def check(method: str, path: str, response) -> dict:
    schema = openapi.json_schema(openapi.response_schema(method, path, response.status_code))
    answer = response.json()
    jsonschema.validate(answer, schema)
    return answer


def test_every_heygen_route_built_here_is_in_the_contract():
    from saas.heygen import urls, views

    built = {
        "/" + re.sub(r"<str:(\w+)>", r"{\1}", str(p.pattern))
        for p in urls.urlpatterns
        if not issubclass(p.callback.view_class, views.Document)
    }
    assert built == {path for _, path in openapi.OPERATIONS}


@pytest.mark.parametrize("request_body", [HEYGEN_EXAMPLE, body()], ids=["heygen-docs", "ours"])
def test_the_request_schema_takes_heygens_documented_body(request_body):
    schema = openapi.json_schema(
        openapi.OPERATIONS[("post", "/v2/video/generate")]["requestBody"]["content"][
            "application/json"
        ]["schema"]
    )
    jsonschema.validate(request_body, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"video_inputs": [{"voice": {"type": "speech"}}]}, schema)


@pytest.mark.django_db(transaction=True)
def test_every_answer_has_heygens_shape(funded, stub_worker):
    client = heygen_client(funded.creator, funded.workspace_a)
    check("get", "/v2/avatars", client.get("/v2/avatars"))
    check("get", "/v2/voices", client.get("/v2/voices"))
    check("get", "/v2/user/remaining_quota", client.get("/v2/user/remaining_quota"))
    png = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(png, "PNG")
    upload = client.generic("POST", "/v1/asset", png.getvalue(), content_type="image/png")
    asset = check("post", "/v1/asset", upload)["data"]
    check("post", "/v1/asset", client.generic("POST", "/v1/asset", b"x", content_type="image/png"))

    request = body()
    request["video_inputs"][0]["background"] = {"type": "image", "image_asset_id": asset["id"]}
    made = check("post", "/v2/video/generate", client.post("/v2/video/generate", request,
                                                            format="json"))  # fmt: skip
    video_id = made["data"]["video_id"]
    pending = check("get", "/v1/video_status.get",
                    client.get(f"/v1/video_status.get?video_id={video_id}"))  # fmt: skip
    assert pending["data"]["status"] in ("pending", "processing", "completed")
    stub_worker.drain()
    done = check("get", "/v1/video_status.get",
                 client.get(f"/v1/video_status.get?video_id={video_id}"))  # fmt: skip
    assert done["data"]["status"] == "completed"
    check("get", "/v1/video.list", client.get("/v1/video.list"))
    check("delete", "/v1/video.delete", client.delete(f"/v1/video.delete?video_id={video_id}"))

    check("get", "/v1/webhook/webhook.list", client.get("/v1/webhook/webhook.list"))
    admin = heygen_client(funded.admin, funded.workspace_a)
    check("get", "/v1/webhook/endpoint.list", admin.get("/v1/webhook/endpoint.list"))
    check("post", "/v1/webhook/endpoint.add",
          admin.post("/v1/webhook/endpoint.add", {"url": "ftp://x"}, format="json"))  # fmt: skip
    check("delete", "/v1/webhook/endpoint.delete",
          admin.delete("/v1/webhook/endpoint.delete?endpoint_id=nope"))  # fmt: skip
    for bad in (body(test=True), {"video_inputs": "x"}, body(dimension={"width": 1})):
        check("post", "/v2/video/generate", client.post("/v2/video/generate", bad, format="json"))
    missing = client.get("/v1/video_status.get?video_id=00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    check("get", "/v1/video_status.get", missing)
    check("get", "/v2/voices", heygen_client(funded.viewer, funded.workspace_a).get(
        "/v2/voices", HTTP_X_API_KEY="tak_wrong"))  # fmt: skip
    check("get", "/v2/templates", client.get("/v2/templates"))
    for version in ("v2", "v3"):
        path = f"/{version}/template/{{template_id}}"
        check("get", path, client.get(f"/{version}/template/price-drop"))
        check("get", path, client.get(f"/{version}/template/nope"))
    generate = "/v2/template/{template_id}/generate"
    filled = {"variables": {"company": {"properties": {"content": "Northwind"}},
                            "headline": {"properties": {"content": "News"}},
                            "details": {"properties": {"content": "Details."}}}}  # fmt: skip
    check("post", generate, client.post("/v2/template/company-announcement/generate", filled,
                                        format="json"))  # fmt: skip
    check("post", generate, client.post("/v2/template/company-announcement/generate",
                                        {"variables": []}, format="json"))  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_every_v3_answer_has_heygens_v3_shape(funded, stub_worker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_compat import png_bytes
    from .test_v3 import v3_body

    client = heygen_client(funded.creator, funded.workspace_a)
    for path in ("/v3/avatars", "/v3/avatars/looks", "/v3/voices", "/v3/templates",
                 "/v3/users/me", "/v3/webhooks/event-types"):  # fmt: skip
        check("get", path, client.get(path))
    check("get", "/v3/voices", client.get("/v3/voices?limit=0"))
    check("get", "/v3/avatars/{group_id}", client.get("/v3/avatars/grace"))
    check("get", "/v3/avatars/looks/{look_id}", client.get("/v3/avatars/looks/grace"))
    check("get", "/v3/avatars/looks/{look_id}", client.get("/v3/avatars/looks/nope"))
    check("get", "/v3/voices/{voice_id}", client.get("/v3/voices/piper:en_US-joe-medium"))
    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    asset = check("post", "/v3/assets", client.post("/v3/assets", {"file": upload}))["data"]
    check("post", "/v3/assets", client.post("/v3/assets", {}))

    request = v3_body(background={"type": "image", "asset_id": asset["asset_id"]})
    made = check("post", "/v3/videos", client.post("/v3/videos", request, format="json"))
    video = "/v3/videos/{video_id}"
    check("post", "/v3/videos", client.post("/v3/videos", v3_body(resolution="4k"),
                                            format="json"))  # fmt: skip
    video_id = made["data"]["video_id"]
    check("get", video, client.get(f"/v3/videos/{video_id}"))
    stub_worker.drain()
    done = check("get", video, client.get(f"/v3/videos/{video_id}"))
    assert done["data"]["status"] == "completed"
    check("get", "/v3/videos", client.get("/v3/videos?limit=1"))
    check("get", "/v3/videos", client.get("/v3/videos?limit=101"))
    check("delete", video, client.delete(f"/v3/videos/{video_id}"))
    check("get", video, client.get(f"/v3/videos/{video_id}"))

    template = "/v3/templates/{template_id}"
    check("get", template, client.get("/v3/templates/price-drop"))
    filled = {"variables": {"company": {"properties": {"content": "Northwind"}},
                            "headline": {"properties": {"content": "News"}},
                            "details": {"properties": {"content": "Details."}}}}  # fmt: skip
    check("post", template, client.post("/v3/templates/company-announcement", filled,
                                        format="json"))  # fmt: skip
    check("post", template, client.post("/v3/templates/company-announcement", {},
                                        format="json"))  # fmt: skip

    admin = heygen_client(funded.admin, funded.workspace_a)
    hooks, hook = "/v3/webhooks/endpoints", "/v3/webhooks/endpoints/{endpoint_id}"
    check("post", hooks, admin.post(hooks, {"url": "ftp://x"}, format="json"))
    check("get", hooks, admin.get(hooks))
    check("get", "/v3/webhooks/events", admin.get("/v3/webhooks/events"))
    check("patch", hook, admin.patch(f"{hooks}/nope", {"url": "https://x.test"}, format="json"))
    check("delete", hook, admin.delete(f"{hooks}/nope"))
    check("post", hook + "/rotate-secret", admin.post(f"{hooks}/nope/rotate-secret"))


def test_the_document_is_served_without_a_key(client):
    response = client.get("/v2/openapi.json")
    assert response.status_code == 200
    assert set(response.json()["paths"]) == {path for _, path in openapi.OPERATIONS}


schema = schemathesis.openapi.from_dict(openapi.document())
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


@pytest.fixture
def x_api_key(personas, keep_test_connection):  # noqa: F811
    from saas.billing import services as billing

    billing.grant_credits(personas.workspace_a, 1000, note="fuzz")
    client = heygen_client(personas.owner, personas.workspace_a)
    return client._credentials["HTTP_X_API_KEY"]


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_to_a_heygen_route_causes_a_server_error(case, x_api_key):
    response = case.call(app=application, headers={"X-Api-Key": x_api_key})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
