"""A batch whose rows stop being valid after they were checked (an asset deleted, a
voice gone) fails those rows by name instead of crashing; rows over the plan's limits
are invalid before the batch starts; odd options on the web form are field errors."""

import pytest
from django.core.files.base import ContentFile

from saas.batches import runner
from saas.batches.models import Batch
from saas.billing import services as billing
from saas.studio.models import Asset, Video

from ..conftest import web_client

pytestmark = pytest.mark.django_db


def _picture(workspace):
    return Asset.objects.create(
        workspace=workspace, kind="image", file=ContentFile(b"x", name="a.png"),
        original_name="a.png", content_type="image/png", size=1, sha256="0" * 64,
    )  # fmt: skip


def _rows(asset, count):
    return [{"product_name": f"Mug {i}", "benefit_1": "Hot", "benefit_2": "Light",
             "price": "3", "image_1": str(asset.pk)} for i in range(count)]  # fmt: skip


def test_a_draft_whose_image_was_deleted_still_lists_and_says_which_row(funded, creator_api):
    picture = _picture(funded.workspace_a)
    body = {"template": "product-ad-vertical", "rows": _rows(picture, 2)}
    made = creator_api.post("/api/v1/batches", body, format="json")
    assert made.status_code == 201, made.content
    assert creator_api.delete(f"/api/v1/assets/{picture.pk}").status_code == 204
    assert creator_api.get("/api/v1/batches").status_code == 200  # was a 500 for everyone
    shown = creator_api.get(f"/api/v1/batches/{made.json()['id']}")
    assert shown.status_code == 200, shown.content[:300]
    started = creator_api.post(f"/api/v1/batches/{made.json()['id']}/start", {}, format="json")
    assert started.status_code == 400, started.content[:300]
    assert "row 1, image_1" in started.json()["error"]["message"]


def test_a_running_batch_fails_the_rows_that_broke_and_finishes(funded, creator_api):
    picture = _picture(funded.workspace_a)
    body = {"template": "product-ad-vertical", "start": True, "rows": _rows(picture, 8)}
    made = creator_api.post("/api/v1/batches", body, format="json")
    batch_id = made.json()["id"]
    runner.pump(batch_id)  # the first rows take the render slots
    creator_api.delete(f"/api/v1/assets/{picture.pk}")
    Video.objects.update(status="completed")
    for _ in range(3):
        runner.pump(batch_id)  # raised AttributeError on the first broken row, for ever
    rows = list(Batch.objects.get(pk=batch_id).rows.order_by("number"))
    broken = [r for r in rows if r.status == "failed"]
    assert broken and all("image_1" in r.error_message for r in broken)
    assert not [r for r in rows if r.status == "pending"]


def test_rows_over_the_plans_limits_are_invalid_before_the_batch_starts(funded, creator_api):
    """They were priced and shown ready, then every row failed once the batch ran."""
    account = billing.account_for(funded.workspace_a)
    account.plan = "free"  # 720p, a minute
    account.save()
    request = {"scenes": [{"script": "{{text}}", "voice": "espeak:en-us"}]}
    short = creator_api.post("/api/v1/templates", {"name": "Short", "request": request},
                             format="json").json()["id"]  # fmt: skip
    tall = creator_api.post("/api/v1/templates", {"name": "Tall", "request": {
        **request, "resolution": "1080p"}}, format="json").json()["id"]  # fmt: skip
    long = "This is a sentence about our product. " * 50
    rows = [{"text": "Hello there."}, {"text": long}]
    made = creator_api.post("/api/v1/batches", {"template": short, "rows": rows}, format="json")
    assert made.json()["counts"]["ready"] == 1 and made.json()["counts"]["invalid"] == 1
    [invalid] = Batch.objects.get(pk=made.json()["id"]).rows.filter(status="invalid")
    assert invalid.number == 2 and invalid.errors[0]["field"] == "duration"
    assert "Free plan" in invalid.errors[0]["message"]
    made = creator_api.post("/api/v1/batches", {"template": tall, "rows": rows[:1]}, format="json")
    [row] = Batch.objects.get(pk=made.json()["id"]).rows.all()
    assert row.status == "invalid" and row.errors[0]["field"] == "resolution"


@pytest.mark.parametrize("option", [{"length": "45"}, {"voice": "robot:9000"}])
def test_an_odd_option_on_the_links_form_is_a_form_error(funded, option):
    page = web_client(funded.creator, funded.workspace_a)
    answer = page.post("/batches/new/", {"source": "urls", "urls": "https://shop.example/p/1",
                                         "template": "product-ad-vertical", **option})  # fmt: skip
    assert answer.status_code in (200, 400), answer.status_code
    assert not Batch.objects.exists()


def test_two_batches_together_leave_a_slot_for_the_workspaces_other_videos(funded, creator_api):
    from saas.billing.services import plan_for

    from .test_batches import class_list, upload

    first = upload(creator_api, class_list(6), start="true").json()["id"]
    second = upload(creator_api, class_list(6), start="true").json()["id"]
    runner.pump(first), runner.pump(second)
    cap = plan_for(funded.workspace_a).max_concurrent_renders
    assert Video.objects.filter(status__in=Video.ACTIVE).count() == cap - 1


def test_one_video_from_a_template_over_the_plan_is_the_plans_refusal(funded, creator_api):
    account = billing.account_for(funded.workspace_a)
    account.plan = "free"
    account.save()
    request = {"resolution": "1080p", "scenes": [{"script": "{{text}}", "voice": "espeak:en-us"}]}
    tall = creator_api.post("/api/v1/templates", {"name": "Tall", "request": request},
                            format="json").json()["id"]  # fmt: skip
    answer = creator_api.post(f"/api/v1/templates/{tall}/generate",
                              {"variables": {"text": "Hello there."}}, format="json")  # fmt: skip
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "plan_limit"
