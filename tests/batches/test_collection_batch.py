"""A collection page served locally (12 products over 3 pages) becomes 12 rendered videos,
one per product, each with its own scraped title, price and script; the ZIP has them all."""

import csv
import io
import time
import zipfile
from decimal import Decimal

import pytest

from saas.batches.models import Batch
from saas.studio.models import Video

from ..scraper.collection_server import PRODUCTS, CollectionServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_collection_page_becomes_twelve_videos(funded, creator_api, stub_worker, settings):
    settings.SCRAPER_ALLOW_NETWORKS = ["127.0.0.1/32"]
    with CollectionServer() as shop:
        body = {"collection_url": f"{shop.base}/collections/all?page=1", "start": True,
                "options": {"length": 15, "voice": "espeak:en-us", "aspect": "1:1"}}  # fmt: skip
        response = creator_api.post("/api/v1/batches", body, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "discovering" and not Video.objects.exists()
        batch_id = response.json()["id"]
        deadline = time.monotonic() + 1500
        while time.monotonic() < deadline:
            stub_worker.drain()
            batch = Batch.objects.get(pk=batch_id)
            if batch.status in Batch.ENDED:
                break
    assert batch.status == "completed", (batch.error_message, list(batch.rows.values()))
    rows = list(batch.rows.select_related("video"))
    assert [r.source_url for r in rows] == [f"{shop.base}/products/{p['slug']}" for p in PRODUCTS]
    assert [r.status for r in rows] == ["completed"] * 12
    videos = [r.video for r in rows]
    assert [v.product["title"] for v in videos] == [p["title"] for p in PRODUCTS]
    assert [Decimal(v.product["price"]) for v in videos] == [Decimal(p["price"]) for p in PRODUCTS]
    scripts = [" ".join(s["script"] for s in v.request["scenes"]) for v in videos]
    assert len(set(scripts)) == 12  # a script per product
    assert all(p["title"].split()[-1] in s for p, s in zip(PRODUCTS, scripts, strict=True))
    download = creator_api.get(f"/api/v1/batches/{batch_id}/download")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert [m["video_id"] for m in manifest] == [str(v.pk) for v in videos]
    assert len([n for n in archive.namelist() if n.endswith(".mp4")]) == 12
    assert all(archive.read(m["file"])[4:8] == b"ftyp" for m in manifest)
