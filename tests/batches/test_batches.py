"""Batches: rows checked before anything is queued, per-row errors, the cost, the pump."""

import csv
import io

import pytest

from saas.batches import runner
from saas.batches.models import Batch, BatchRow
from saas.studio.models import Video

from ..conftest import api_client_for

pytestmark = pytest.mark.django_db

HEADER = ["course", "lesson", "point_1", "point_2", "point_3", "voice"]


def class_list(rows=20, bad=None) -> bytes:
    """A CSV of ROWS onboarding lessons; BAD maps a row number to {column: value}."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for number in range(1, rows + 1):
        row = {"course": "Onboarding", "lesson": f"Team {number}", "point_1": "Badge",
               "point_2": "Buddy", "point_3": "Training", "voice": "espeak:en-us"}  # fmt: skip
        row.update((bad or {}).get(number, {}))
        writer.writerow([row[c] for c in HEADER])
    return out.getvalue().encode()


def upload(client, data: bytes, name="teams.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = {"template": "training-lesson", "file": SimpleUploadedFile(name, data), **fields}
    return client.post("/api/v1/batches", body, format="multipart")


def test_a_csv_of_20_rows_with_two_bad_rows_reports_each_and_queues_nothing(creator_api):
    data = class_list(20, bad={12: {"voice": "robot:9000"}, 17: {"point_2": ""}})
    response = upload(creator_api, data)
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["status"] == "draft"
    assert batch["counts"]["total"] == 20 and batch["counts"]["invalid"] == 2
    bad = {r["row"]: r["errors"] for r in batch["rows"] if r["errors"]}
    assert bad == {
        12: [{"field": "voice", "message": "unknown voice (GET /api/v1/voices lists them)"}],
        17: [{"field": "point_2", "message": "missing (required)"}],
    }
    assert batch["estimate"]["ready"] == 18 and batch["estimate"]["credits"] > 0
    start = creator_api.post(f"/api/v1/batches/{batch['id']}/start", {}, format="json")
    assert start.status_code == 400
    message = start.json()["error"]["message"]
    assert "row 12, voice: unknown voice" in message and "row 17, point_2: missing" in message
    assert not Video.objects.exists()


def test_fixing_the_bad_rows_lets_the_batch_start_within_the_render_slots(funded, creator_api):
    data = class_list(20, bad={12: {"voice": "robot:9000"}, 17: {"point_2": ""}})
    batch = upload(creator_api, data).json()
    fixed = creator_api.patch(
        f"/api/v1/batches/{batch['id']}/rows/12", {"values": {"voice": "espeak:en-us"}},
        format="json",
    )  # fmt: skip
    assert fixed.status_code == 200 and fixed.json()["status"] == "ready"
    still = creator_api.patch(
        f"/api/v1/batches/{batch['id']}/rows/17", {"values": {"point_2": ""}}, format="json"
    )
    assert still.json()["errors"] == [{"field": "point_2", "message": "missing (required)"}]
    start = creator_api.post(
        f"/api/v1/batches/{batch['id']}/start", {"skip_invalid": True}, format="json"
    )
    assert start.status_code == 200, start.content
    assert start.json()["counts"]["skipped"] == 1 and start.json()["counts"]["pending"] == 19
    assert runner.pump(batch["id"]) == "started 4"  # the Team plan renders 5 at a time
    assert Video.objects.filter(parent__isnull=False).count() == 4
    assert runner.pump(batch["id"]) == "started 0"  # the fifth slot stays free
    other = creator_api.post(
        "/api/v1/videos", {"scenes": [{"script": "Hello there.", "voice": "espeak:en-us"}]},
        format="json",
    )  # fmt: skip
    assert other.status_code == 201, other.content  # a batch never starves the workspace


def test_a_batch_the_balance_cannot_cover_is_refused_with_the_shortfall(funded):
    from saas.billing import services as billing

    client = api_client_for(funded.creator, funded.workspace_a)
    batch = upload(client, class_list(20)).json()
    held = billing.balance(funded.workspace_a) - 5  # other renders hold all but 5 credits
    billing.reserve_credits(funded.workspace_a, "another-render", held)
    start = client.post(f"/api/v1/batches/{batch['id']}/start", {}, format="json")
    assert start.status_code == 402
    credits = batch["estimate"]["credits"]
    assert f"needs {credits} credits" in start.json()["error"]["message"]
    assert f"({credits - 5} short)" in start.json()["error"]["message"]
    assert Batch.objects.get(pk=batch["id"]).status == "draft" and not Video.objects.exists()


def test_an_excel_file_and_json_rows_are_read_like_a_csv(creator_api):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["product_name", "benefit_1", "benefit_2", "image_1", "price"])
    sheet.append(["Mug", "Hot for hours", "Leak-proof", "https://shop.example/mug.jpg", 24.5])
    sheet.append(["Beanie", "Warm", "Soft", "https://shop.example/beanie.jpg", "ten"])
    out = io.BytesIO()
    book.save(out)
    response = upload(creator_api, out.getvalue(), "catalogue.xlsx", template="product-ad-vertical")
    assert response.status_code == 201, response.content
    rows = response.json()["rows"]
    assert response.json()["source"] == "xlsx"
    assert rows[0]["status"] == "ready" and rows[0]["values"]["price"] == "24.5"
    assert rows[1]["errors"] == [{"field": "price", "message": "not a number"}]
    as_json = creator_api.post(
        "/api/v1/batches",
        {"template": "product-ad-vertical", "rows": [{"product_name": "Mug"}]},
        format="json",
    )
    assert as_json.status_code == 201
    missing = {e["field"] for e in as_json.json()["rows"][0]["errors"]}
    assert {"benefit_1", "benefit_2", "image_1", "price"} <= missing


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"\n ,\n\n", "teams.csv", "The file is empty."),
        (b"course,lesson\n", "teams.csv", "The file has a header row but no rows."),
        (b"course,course\nA,B\n", "teams.csv", "The column 'course' appears twice."),
        (
            b"PK\x03\x04 not really a workbook",
            "teams.xlsx",
            "This is not an Excel (.xlsx) workbook.",
        ),
    ],
)
def test_a_broken_file_is_refused_with_the_reason(creator_api, data, name, message):
    response = upload(creator_api, data, name)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["field"], error["message"]) == ("file", message)
    assert not Batch.objects.exists()


def test_a_row_cannot_use_another_workspaces_image(funded, creator_api):
    from django.core.files.base import ContentFile

    from saas.studio.models import Asset

    theirs = Asset.objects.create(
        workspace=funded.workspace_b, kind="image", file=ContentFile(b"x", name="a.png"),
        original_name="a.png", content_type="image/png", size=1, sha256="0" * 64,
    )  # fmt: skip
    row = {"product_name": "Mug", "benefit_1": "a", "benefit_2": "b", "price": "3",
           "image_1": str(theirs.pk)}  # fmt: skip
    response = creator_api.post(
        "/api/v1/batches", {"template": "product-ad-vertical", "rows": [row]}, format="json"
    )
    assert response.json()["rows"][0]["errors"] == [
        {"field": "image_1", "message": "not an image URL or an image asset of this workspace"}
    ]


def test_another_workspace_cannot_reach_a_batch(funded, creator_api):
    from saas.billing import services as billing

    account = billing.account_for(funded.workspace_b)
    account.plan = "team"
    account.save()
    batch = upload(creator_api, class_list(2)).json()
    stranger = api_client_for(funded.outsider, funded.workspace_b)
    base = f"/api/v1/batches/{batch['id']}"
    assert stranger.get(base).status_code == 404
    assert stranger.get(f"{base}/download").status_code == 404
    assert stranger.post(f"{base}/start", {}, format="json").status_code == 404
    assert stranger.post(f"{base}/cancel", {}, format="json").status_code == 404
    assert stranger.post(f"{base}/retry", {}, format="json").status_code == 404
    assert stranger.patch(f"{base}/rows/1", {"values": {}}, format="json").status_code == 404
    assert stranger.delete(base).status_code == 404
    assert batch["id"] not in {b["id"] for b in stranger.get("/api/v1/batches").json()["results"]}
    assert BatchRow.objects.filter(batch_id=batch["id"]).count() == 2


def test_a_viewer_cannot_create_or_start_a_batch(funded):
    viewer = api_client_for(funded.viewer, funded.workspace_a)
    response = viewer.post(
        "/api/v1/batches", {"template": "training-lesson", "rows": [{}]}, format="json"
    )
    assert response.status_code == 403
