"""A trainer's batch in Chromium: upload a class list (CSV), see the bad row, fix it in
place, start the batch, and download the ZIP of videos with captions and a manifest."""

import csv
import io
import re
import time
import zipfile

import pytest

from .conftest import shot, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEAMS = [("Sales", "espeak:en-us"), ("Support", "robot:9000"), ("Finance", "espeak:en-us")]


def class_list() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["course", "lesson", "point_1", "point_2", "point_3", "voice"])
    for team, voice in TEAMS:
        writer.writerow(["Onboarding", f"Welcome, {team}", "Badge", "Buddy", "Laptop", voice])
    return out.getvalue().encode()


def test_a_trainer_uploads_a_class_list_fixes_a_row_and_downloads_the_videos(page, app, tmp_path):
    sign_up(page, app, "batches@corp.test")
    page.get_by_role("link", name="Templates").first.click()
    assert page.locator(".tpl-card").count() >= 6
    shot(page, "40-template-gallery", phone=True)
    page.locator(".tpl-card[data-template='training-lesson']").get_by_role(
        "link", name="Batch"
    ).click()
    assert page.get_by_label("Template", exact=True).input_value() == "training-lesson"
    page.get_by_label(re.compile("^File")).set_input_files(
        {"name": "teams.csv", "mimeType": "text/csv", "buffer": class_list()}
    )
    page.get_by_label("Name", exact=True).fill("Onboarding per team")
    page.get_by_role("button", name="Check the rows").click()
    page.wait_for_url(re.compile(r"/batches/[0-9a-f-]+/"))

    # Row 2's voice is wrong: named on the row, nothing queued, the start refused.
    problems = page.locator("#row-2 .b-problems")
    assert "row 2, voice: unknown voice" in problems.inner_text()
    assert page.locator("#invalid-count").inner_text() == "1"
    shot(page, "41-batch-row-to-fix")
    page.get_by_role("button", name="Start the batch").click()
    assert "need fixing before the batch can start" in page.locator(".messages").inner_text()

    page.get_by_label("Row 2, voice").fill("espeak:en-us")
    page.locator("#row-2").get_by_role("button", name="Save row").click()
    assert "Row 2 is fixed." in page.locator(".messages").inner_text()
    assert page.locator("#invalid-count").count() == 0
    assert "3 videos" in page.locator("#start-form").inner_text()
    page.get_by_role("button", name="Start the batch").click()
    assert page.locator("#batch-status").inner_text() == "Running"
    shot(page, "42-batch-running", phone=True)

    page.locator("#batch-status", has_text="Completed").wait_for(timeout=480_000)
    shot(page, "43-batch-done")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Download ZIP")).click()
    path = tmp_path / "batch.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
        first_mp4 = archive.read(next(n for n in names if n.endswith(".mp4")))
    assert len([n for n in names if n.endswith(".mp4")]) == 3
    assert len([n for n in names if n.endswith(".srt")]) == 3
    assert [row["status"] for row in manifest] == ["completed"] * 3
    assert [row["lesson"] for row in manifest] == [f"Welcome, {t}" for t, _ in TEAMS]
    assert all(row["file"] in names for row in manifest)
    assert first_mp4[4:8] == b"ftyp"  # an MP4

    # The built-in templates' thumbnails were rendered by the worker meanwhile.
    page.get_by_role("link", name="Templates").first.click()
    deadline = time.monotonic() + 180
    while page.locator(".tpl-thumb img").count() < 6 and time.monotonic() < deadline:
        page.wait_for_timeout(3000)
        page.reload()
    assert page.locator(".tpl-thumb img").count() == 6
    # The page can be read before its first picture has loaded (naturalWidth is 0 then).
    page.wait_for_function("() => document.querySelector('.tpl-thumb img').complete")
    assert page.locator(".tpl-thumb img").first.evaluate("i => i.naturalWidth") >= 720
    shot(page, "44-template-gallery-thumbnails")
