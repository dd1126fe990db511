"""The template gallery, one video from a template's page, its sample CSV, and a batch
page's inline row fix, through the web app (the session, not an API key)."""

import csv
import io

import pytest

from saas.batches.models import Batch
from saas.studio.models import Video

from ..conftest import web_client

pytestmark = pytest.mark.django_db


def test_the_gallery_shows_the_six_built_in_templates(funded):
    page = web_client(funded.creator, funded.workspace_a).get("/templates/")
    assert page.status_code == 200
    assert page.content.decode().count('class="tpl-card"') == 6


def test_a_templates_page_names_the_missing_variable_and_renders_when_filled(funded):
    client = web_client(funded.creator, funded.workspace_a)
    missing = client.post("/templates/company-announcement/", {"company": "Northwind"})
    assert missing.status_code == 400
    assert "headline: missing (required)" in missing.content.decode()
    assert not Video.objects.exists()
    filled = {"company": "Northwind", "headline": "New office", "details": "In Lisbon."}
    made = client.post("/templates/company-announcement/", filled)
    video = Video.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/videos/{video.pk}/"
    assert video.request["scenes"][0]["avatar"] == "theo"  # the template's default presenter


def test_the_sample_csv_has_a_column_per_variable(funded):
    response = web_client(funded.creator, funded.workspace_a).get(
        "/templates/training-lesson/sample.csv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["course", "lesson", "introduction"] and len(rows) == 2
    assert rows[1][0] == "New starter onboarding"


def test_a_bad_row_is_fixed_on_the_batch_page(funded):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = web_client(funded.creator, funded.workspace_a)
    data = b"company,headline,details\nNorthwind,News,Details\nGlobex,,Details\n"
    created = client.post("/batches/new/", {
        "template": "company-announcement", "source": "file",
        "file": SimpleUploadedFile("rows.csv", data, content_type="text/csv"),
    })  # fmt: skip
    batch = Batch.objects.get()
    assert created["Location"] == f"/batches/{batch.pk}/"
    page = client.get(f"/batches/{batch.pk}/").content.decode()
    assert "row 2, headline: missing (required)" in page
    client.post(f"/batches/{batch.pk}/rows/2/", {"v_headline": "Big news"})
    assert batch.rows.get(number=2).status == "ready"
    client.post(f"/batches/{batch.pk}/start/")
    batch.refresh_from_db()
    assert batch.status == "running" and batch.rows.filter(status="pending").count() == 2
