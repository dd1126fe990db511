"""A presenter fitted into the frame sits in its own surroundings: no empty bars beside
it and no hard seam at its edges, in 9:16, 16:9 and 1:1, with and without text.

The frame around a fitted photo is the photo continued past its edges (blurred,
darkened with distance), and the photo's edges inside the frame fade into it. Measured
on rendered frames: across each inner edge of the photo the picture changes no more
than it does across the photo's own neighbouring columns or rows would with a seam.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

ASPECTS = {"9:16": (720, 1280), "16:9": (1280, 720), "1:1": (720, 720)}


def fitted_box(aspect: str, overlays: bool, photo: np.ndarray):
    """Where the presenter layout fits the photo on the canvas: (x, y, w, h)."""
    from avatar.compose.layouts import geometry
    from avatar.compose.presenter import PresenterView

    width, height = ASPECTS[aspect]
    g = geometry("presenter", width, height, has_overlays=overlays)
    track = SimpleNamespace(width=photo.shape[1], height=photo.shape[0], face_box=None, matte=None)
    view = PresenterView(track, g, soft_edges=True)
    return (*view.pos, *view.size)


def render_frame(tmp_path, aspect: str, overlays: bool) -> np.ndarray:
    from avatar.examples.contact_sheet import frame_at
    from avatar.render import render
    from avatar.spec import RenderSpec

    scene = {
        "speech": {"script": "Meet the new jacket.", "voice": "espeak:en-us"},
        "avatar": "grace",
        "layout": "presenter",
        "overlays": [{"type": "title", "text": "Harbor Rain Jacket"}] if overlays else [],
    }
    spec = {"version": 1, "output": {"aspect": aspect, "resolution": "720p", "fps": 25},
            "captions": {"enabled": False}, "scenes": [scene]}  # fmt: skip
    out = tmp_path / f"{aspect.replace(':', 'x')}-{overlays}.mp4"
    render(RenderSpec.from_dict(spec), out)
    return np.asarray(frame_at(out, 0.8)).astype(np.float32)


def seams(frame: np.ndarray, box) -> list[tuple[str, float, float]]:
    """For each edge of BOX inside the frame: (edge, jump across it, typical nearby step)."""
    x, y, w, h = box
    height, width = frame.shape[:2]
    found = []
    if y > 2:
        across = np.abs(frame[y + 2, x : x + w] - frame[y - 3, x : x + w]).mean()
        nearby = np.abs(frame[y + 12, x : x + w] - frame[y + 7, x : x + w]).mean()
        found.append(("top", float(across), float(nearby)))
    if x > 2:
        across = np.abs(frame[y : y + h, x + 2] - frame[y : y + h, x - 3]).mean()
        nearby = np.abs(frame[y : y + h, x + 12] - frame[y : y + h, x + 7]).mean()
        found.append(("left", float(across), float(nearby)))
    if x + w < width - 3:
        right = x + w
        across = np.abs(frame[y : y + h, right - 3] - frame[y : y + h, right + 2]).mean()
        nearby = np.abs(frame[y : y + h, right - 13] - frame[y : y + h, right - 8]).mean()
        found.append(("right", float(across), float(nearby)))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("aspect", list(ASPECTS))
@pytest.mark.parametrize("overlays", [True, False])
def test_a_fitted_presenter_has_no_bars_and_no_seam(tmp_path, aspect, overlays):
    from avatar.presenters import load_presenter_image, resolve_presenter

    photo = load_presenter_image(resolve_presenter("grace").image_path)
    frame = render_frame(tmp_path, aspect, overlays)
    box = fitted_box(aspect, overlays, photo)
    edges = seams(frame, box)
    print(
        aspect,
        "overlays" if overlays else "solo",
        box,
        [(e, round(a, 1), round(n, 1)) for e, a, n in edges],
    )
    for edge, across, nearby in edges:
        assert across < max(12.0, 2.5 * nearby), (edge, across, nearby)
    # Outside the photo is the photo's own setting, not a flat bar: it varies.
    x, y, w, h = box
    outside = np.ones(frame.shape[:2], bool)
    outside[y : y + h, x : x + w] = False
    if outside.mean() > 0.05:
        assert frame[outside].std(axis=0).mean() > 6
