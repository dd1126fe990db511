"""Templates: variables found in a request, typed, filled in; the built-in ones; one video."""

import pytest

from saas.batches import variables as v
from saas.batches.templates import tidy
from saas.errors import ServiceError
from saas.studio.models import Video

pytestmark = pytest.mark.django_db

OK = v.Lookups(image=lambda s: None, presenter=lambda s: None, voice=lambda s: None)
REQUEST = {
    "title": "{{product}} ad",
    "scenes": [
        {"script": "Meet {{product}}, only ${{price}}.", "avatar": "{{host}}", "voice": "{{voice}}",
         "media": [{"asset": "{{photo}}"}, {"asset": "{{photo_2}}"}], "layout": "corner",
         "overlays": [{"type": "bullets", "items": ["{{perk}}", "{{perk_2}}"]}]},
    ],
}  # fmt: skip


def test_placeholders_are_typed_by_where_they_stand():
    assert v.used(REQUEST) == {
        "product": "text", "price": "text", "host": "presenter", "voice": "voice",
        "photo": "image", "photo_2": "image", "perk": "text", "perk_2": "text",
    }  # fmt: skip
    declared = {x.name: x for x in v.declare(REQUEST)}
    assert declared["price"].type == "number"  # a price inside text is a number
    assert declared["host"].type == "presenter" and declared["photo"].type == "image"


def test_a_declared_variable_must_be_used_and_fit_its_place():
    with pytest.raises(ServiceError) as unused:
        v.declare(REQUEST, [{"name": "colour"}])
    assert unused.value.field == "variables.0.name" and "colour" in unused.value.message
    with pytest.raises(ServiceError) as misfit:
        v.declare(REQUEST, [{"name": "host", "type": "text"}])
    assert misfit.value.field == "variables.0.type" and "presenter" in misfit.value.message


def test_values_are_checked_per_variable():
    variables = v.declare(REQUEST, [{"name": "photo_2", "required": False},
                                    {"name": "perk_2", "required": False}])  # fmt: skip
    values = {"product": "Mug", "price": "twelve", "host": "grace", "voice": "x", "photo": "p"}
    _, errors = v.check(variables, values, OK)
    assert errors == [("price", "not a number"), ("perk", "missing (required)")]
    clean, errors = v.check(variables, {**values, "price": "1,299.00", "perk": "Hot"}, OK)
    assert errors == [] and clean["price"] == "1,299.00" and clean["photo_2"] == ""


def test_filling_in_replaces_bindings_and_text_and_tidies_what_is_empty():
    values = {"product": "Mug", "price": "12", "host": "maya", "voice": "espeak:en-us",
              "photo": "a1", "photo_2": "", "perk": "Hot", "perk_2": ""}  # fmt: skip
    request = tidy(v.fill(REQUEST, values))
    scene = request["scenes"][0]
    assert request["title"] == "Mug ad"
    assert scene["script"] == "Meet Mug, only $12." and scene["avatar"] == "maya"
    assert scene["media"] == [{"asset": "a1"}]
    assert scene["overlays"] == [{"type": "bullets", "items": ["Hot"]}]
    alone = tidy(v.fill(REQUEST, {**values, "photo": ""}))["scenes"][0]
    assert "media" not in alone and alone["layout"] == "presenter"


def test_six_built_in_templates_are_listed_with_their_variables(creator_api):
    response = creator_api.get("/api/v1/templates")
    assert response.status_code == 200
    found = {t["id"]: t for t in response.json()["results"]}
    assert {"product-ad-vertical", "product-ad-wide", "price-drop", "feature-walkthrough",
            "training-lesson", "company-announcement"} <= set(found)  # fmt: skip
    ad = found["product-ad-vertical"]
    assert ad["builtin"] and ad["aspect"] == "9:16"
    types = {x["name"]: x["type"] for x in ad["variables"]}
    assert types["price"] == "number" and types["image_1"] == "image"
    assert types["presenter"] == "presenter" and types["voice"] == "voice"


def test_generate_names_a_missing_variable_and_queues_nothing(creator_api):
    body = {"variables": {"course": "Onboarding", "lesson": "Week one", "point_1": "Badge"}}
    response = creator_api.post("/api/v1/templates/training-lesson/generate", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "variables.point_2" and "missing" in error["message"]
    assert not Video.objects.exists()


def test_generate_renders_one_video_from_the_filled_template(creator_api):
    body = {"variables": {"course": "Onboarding", "lesson": "Week one", "point_1": "Get a badge",
                          "point_2": "Meet your buddy", "point_3": "Book training",
                          "presenter": "theo", "voice": "espeak:en-us"}}  # fmt: skip
    response = creator_api.post("/api/v1/templates/training-lesson/generate", body, format="json")
    assert response.status_code == 201, response.content
    video = Video.objects.get(pk=response.json()["id"])
    assert video.title == "Onboarding: Week one"
    scripts = [s["script"] for s in video.request["scenes"]]
    assert "Get a badge. Meet your buddy. Book training." in scripts[1]
    assert {s["avatar"] for s in video.request["scenes"]} == {"theo"}
    assert video.spec["scenes"][0]["speech"]["voice"] == "espeak:en-us"


def test_a_draft_saved_as_a_template_lists_its_placeholders(creator_api):
    draft = creator_api.post(
        "/api/v1/drafts",
        {"request": {"title": "Hello {{team}}", "scenes": [{"script": "Welcome, {{team}}!"}]}},
        format="json",
    ).json()
    response = creator_api.post(
        "/api/v1/templates", {"draft": draft["id"], "name": "Welcome"}, format="json"
    )
    assert response.status_code == 201, response.content
    template = response.json()
    assert template["name"] == "Welcome" and not template["builtin"]
    assert [x["name"] for x in template["variables"]] == ["team"]
    made = creator_api.post(
        f"/api/v1/templates/{template['id']}/generate", {"variables": {"team": "Sales"}},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    assert Video.objects.get(pk=made.json()["id"]).request["scenes"][0]["script"] == (
        "Welcome, Sales!"
    )


def test_another_workspace_cannot_see_or_use_a_template(funded, creator_api):
    from ..conftest import api_client_for

    made = creator_api.post(
        "/api/v1/templates",
        {"name": "Ours", "request": {"scenes": [{"script": "Hi {{name}}"}]}},
        format="json",
    ).json()
    stranger = api_client_for(funded.outsider, funded.workspace_b)
    assert stranger.get(f"/api/v1/templates/{made['id']}").status_code == 404
    generate = stranger.post(
        f"/api/v1/templates/{made['id']}/generate", {"variables": {"name": "x"}}, format="json"
    )
    assert generate.status_code == 404
    listed = stranger.get("/api/v1/templates").json()["results"]
    assert made["id"] not in {t["id"] for t in listed}
