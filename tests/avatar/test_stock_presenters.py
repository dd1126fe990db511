"""The stock presenters: licensed, recorded, through the upload gate, facing the camera."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from avatar.lipsync import faces
from avatar.presenters import DEFAULT_PRESENTER, STOCK, STOCK_DIR, stock_avatars

from .lipsync_personas import FPS, PAUSES, mouth_box, speech

LICENCES = STOCK_DIR / "LICENCES.md"
CONTEMPORARY = ("daniel", "clara", "marcus", "naomi")  # photos of today's people
MAX_TURN_DEG = 12.0  # stricter than the gate's 25/25/20: stock should look straight at us

needs_mesh = pytest.mark.skipif(
    not faces.available(), reason="the face mesh comes from mediapipe==0.10.21"
)


def _photos():
    return [s for s in stock_avatars() if s.generator is None]


def test_the_gallery_offers_the_contemporary_presenters_first_and_keeps_the_old_ones():
    ids = [s.id for s in stock_avatars()]
    assert ids[: len(CONTEMPORARY)] == list(CONTEMPORARY)
    assert {"grace", "astronaut", "maya", "theo"} <= set(ids)


def test_the_default_presenter_is_a_contemporary_photo_shown_first():
    assert DEFAULT_PRESENTER in CONTEMPORARY
    assert stock_avatars()[0].id == DEFAULT_PRESENTER
    stock = STOCK[DEFAULT_PRESENTER]
    assert stock.generator is None and stock.locate().parent == STOCK_DIR


def test_scenes_and_requests_without_a_presenter_get_the_default():
    from avatar.pipeline import TalkingVideoRequest
    from avatar.spec import RenderSpec

    spec = RenderSpec.from_dict({"scenes": [{"speech": {"script": "Hi."}}]})
    assert spec.scenes[0].avatar == DEFAULT_PRESENTER
    assert TalkingVideoRequest(script="Hi.").presenter == DEFAULT_PRESENTER


def test_every_stock_presenter_records_a_licence_and_a_source():
    notes = LICENCES.read_text(encoding="utf-8")
    for presenter in stock_avatars():
        assert len(presenter.licence) > 10 and len(presenter.source) > 10, presenter.id
        assert re.search(r"CC0|public domain|Public domain", presenter.licence), presenter.id
    for key in CONTEMPORARY:
        stock = STOCK[key]
        assert "no model release" in stock.licence  # the publicity caveat travels with it
        path = stock.locate()
        assert f"`{path.name}`" in notes, f"{path.name} is not in LICENCES.md"
        assert "github.com/cjdowner/interfaces" in stock.source


@pytest.mark.parametrize("name", ["daniel.jpg", "marcus.jpg", "naomi.jpg"])
def test_a_byte_identical_copy_matches_the_hash_recorded_for_its_source(name):
    """LICENCES.md records the upstream file's sha256; an unrecorded swap is caught."""
    notes = LICENCES.read_text(encoding="utf-8")
    row = next(line for line in notes.splitlines() if line.startswith(f"| `{name}`"))
    assert "byte-identical copy" in row
    digest = hashlib.sha256((STOCK_DIR / name).read_bytes()).hexdigest()
    assert f"`{digest}`" in row


def test_the_bundled_photos_are_small_enough_to_ship():
    for key in CONTEMPORARY:
        path = STOCK[key].locate()
        assert path.stat().st_size < 400_000, path.name


@needs_mesh
@pytest.mark.parametrize("presenter", _photos(), ids=lambda s: s.id)
def test_every_stock_photo_passes_the_upload_gate(presenter):
    """The same check a customer's upload gets (avatar.lipsync.check_photo)."""
    from avatar.lipsync import check_photo

    report = check_photo(presenter.image_path)
    assert report.ok, (presenter.id, report.errors)
    if presenter.id in CONTEMPORARY:
        assert report.warnings == [], (presenter.id, report.warnings)
        m = report.measurements
        assert m["faces"] == 1 and m["face_width_px"] >= 300, m
        turned = max(abs(m["yaw_deg"]), abs(m["pitch_deg"]), abs(m["roll_deg"]))
        assert turned <= MAX_TURN_DEG, (presenter.id, m)
        assert m["mouth_open_ratio"] < 0.05, m  # a closed mouth at rest


@needs_mesh
@pytest.mark.slow
@pytest.mark.parametrize("key", CONTEMPORARY)
def test_the_face_mesh_finds_a_frontal_face_and_the_mouth_follows_speech(key, tmp_path):
    from avatar.lipsync import animate, prepare_image, viseme_track
    from avatar.lipsync import landmarks as lm
    from avatar.lipsync.quality import head_angles
    from avatar.lipsync.quality import mouth_opening as lip_gap

    stock = next(s for s in stock_avatars() if s.id == key)
    avatar, report = prepare_image(stock.image())
    assert avatar is not None, report.errors
    assert avatar.points.shape == (478, 3)
    yaw, pitch, roll = head_angles(avatar.points)
    assert max(abs(yaw), abs(pitch), abs(roll)) <= MAX_TURN_DEG, (yaw, pitch, roll)
    # Both eyes and the mouth lie inside the face box, eyes above the mouth.
    x, y, w, h = avatar.face_box
    eyes = avatar.points[[33, 263], :2]
    mouth = avatar.points[list(lm.OUTER_UPPER) + list(lm.OUTER_LOWER), :2].mean(0)
    assert (eyes[:, 0] > x).all() and (eyes[:, 0] < x + w).all()
    assert eyes[:, 1].max() < mouth[1] < y + h
    assert lip_gap(avatar.points) < 0.05

    # The lower face changes with the speech's mouth opening and settles in its pauses.
    # (Mean change in the mouth box, not dark-pixel counts: a dark beard or skin would
    # read as mouth interior.)
    said = speech(tmp_path)  # "mapa bu ... wisou" between pauses
    frames = list(animate(avatar, said, FPS, device="cpu"))
    visemes = viseme_track(said, len(frames), FPS)
    x0, y0, x1, y1 = mouth_box(avatar.points)
    still = avatar.image[y0:y1, x0:x1].astype(np.float32)
    change = np.array([np.abs(f[y0:y1, x0:x1] - still).mean() for f in frames])
    correlation = np.corrcoef(change, visemes.open)[0, 1]
    print(f"{key}: mouth-box change vs visemes r={correlation:.3f}")
    assert correlation >= 0.75, correlation
    for start, end in PAUSES:
        quiet = change[int(np.ceil(start * FPS)) : int(end * FPS)]
        assert quiet.max() < 0.3 * change.max(), (key, start, quiet.max(), change.max())
