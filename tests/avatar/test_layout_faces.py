"""No text slot of any layout covers the presenter's face, in any shape of video."""

import pytest

from avatar.compose import layouts
from avatar.compose.presenter import DEFAULT_FACE, Placement, PresenterView
from avatar.lipsync import FrameTrack
from avatar.render.job import PRESENTER_OVERSAMPLE

SIZES = {"9:16": (720, 1280), "16:9": (1280, 720), "1:1": (1080, 1080)}
PHOTO = (768, 1024)  # a head-and-shoulders portrait, the face where DEFAULT_FACE has it


def _face_on_canvas(view: PresenterView) -> tuple[float, float, float, float]:
    """The face's rectangle (x0, y0, x1, y1) in canvas pixels."""
    fx, fy, fw, fh = (DEFAULT_FACE[0] * PHOTO[0], DEFAULT_FACE[1] * PHOTO[1],
                      DEFAULT_FACE[2] * PHOTO[0], DEFAULT_FACE[3] * PHOTO[1])  # fmt: skip
    cx0, cy0, cx1, cy1 = view.crop
    kx, ky = view.size[0] / (cx1 - cx0), view.size[1] / (cy1 - cy0)
    x, y = view.pos
    return (x + (fx - cx0) * kx, y + (fy - cy0) * ky,
            x + (fx + fw - cx0) * kx, y + (fy + fh - cy0) * ky)  # fmt: skip


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


@pytest.mark.parametrize("aspect", SIZES)
@pytest.mark.parametrize("layout", ["presenter", "corner", "bottom", "split"])
def test_no_text_slot_covers_the_face(aspect, layout):
    track = FrameTrack(iter(()), 0, 30, PHOTO[0], PHOTO[1])
    g = layouts.geometry(layout, *SIZES[aspect], "right", True)
    face = _face_on_canvas(PresenterView(track, g))
    # The mouth and eyes: the face's middle, not the hair or chin its box also holds.
    w, h = face[2] - face[0], face[3] - face[1]
    features = (face[0] + 0.2 * w, face[1] + 0.3 * h, face[2] - 0.2 * w, face[3] - 0.1 * h)
    for name, slot in g.slots.items():
        box = (slot.x, slot.y, slot.x + slot.w, slot.y + slot.h)
        area = (features[2] - features[0]) * (features[3] - features[1])
        covered = _overlap(box, features) / area
        assert covered < 0.05, (aspect, layout, name, box, features)


@pytest.mark.parametrize("aspect", SIZES)
def test_a_corner_circle_is_drawn_from_frames_scaled_to_it(aspect):
    """The render job asks lip-sync for frames scaled by ``detail`` x PRESENTER_OVERSAMPLE:
    a corner circle shows the photo far smaller than it is, so it is rendered small, and
    the frames it gets are still reduced (never enlarged) on their way to the screen."""
    photo = FrameTrack(iter(()), 0, 30, PHOTO[0], PHOTO[1])
    corner = layouts.geometry("corner", *SIZES[aspect], "right", True)
    full = layouts.geometry("presenter", *SIZES[aspect], "right", True)
    detail = Placement(photo, corner).detail
    assert detail < 0.6 and detail < Placement(photo, full).detail
    scale = detail * PRESENTER_OVERSAMPLE
    small = FrameTrack(iter(()), 0, 30, round(PHOTO[0] * scale), round(PHOTO[1] * scale))
    view = PresenterView(small, corner)
    assert view.detail < 1 and view.size == PresenterView(photo, corner).size
