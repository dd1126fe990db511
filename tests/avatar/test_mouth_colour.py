"""The painted mouth in the photo's own colours, measured in CIE Lab on rendered frames.

Teeth must be at least as warm as the face's light makes them (b*, yellow, no more
than TEETH_MARGIN_B below the skin's, and never on the blue side), and the lips must
keep the photo's own lip hue in every frame: a grey or blue slab of teeth, or lips
pulled towards grey, fails. Regions are found by MediaPipe's face mesh on the rendered
frame itself, as a viewer would see them, not from the renderer's own bookkeeping.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

TEETH_MARGIN_B = 12.0  # teeth b* >= skin b* - this
LIP_HUE_DEGREES = 15.0  # rendered lips' hue within this of the photo's lips
LIP_CHROMA_KEPT = 0.6  # and at least this share of their colourfulness

# Mouth shapes (open, width, tuck, tongue, press): "ah", "eh", "ee", "oh", closed "m".
SHAPES = {
    "ah": (1.0, 0.15, 0, 0, 0),
    "eh": (0.58, 0.55, 0, 0, 0),
    "ee": (0.32, 0.9, 0, 0, 0),
    "oh": (0.64, -0.65, 0, 0, 0),
    "m": (0.0, 0.0, 0, 0, 1.0),
}


def _polygon(shape, points) -> np.ndarray:
    mask = Image.new("L", (shape[1], shape[0]), 0)
    ImageDraw.Draw(mask).polygon([tuple(p) for p in points.tolist()], fill=255)
    return np.asarray(mask) > 0


def regions(frame: np.ndarray):
    """(inside the inner lips, the lips themselves) as boolean masks, from the face mesh."""
    from avatar.lipsync import faces
    from avatar.lipsync import landmarks as lm

    meshes = faces.face_meshes(frame)
    assert meshes, "no face found in the rendered frame"
    points = meshes[0]
    inner = _polygon(frame.shape, lm.lip_polygon(points, lm.INNER_UPPER, lm.INNER_LOWER))
    outer = _polygon(frame.shape, lm.lip_polygon(points, lm.OUTER_UPPER, lm.OUTER_LOWER))
    return inner, outer & ~inner


def teeth_lab(frame: np.ndarray) -> np.ndarray | None:
    """Mean Lab of the teeth: the light, low-chroma pixels between the inner lips."""
    from avatar.lipsync.colour import chroma, rgb_to_lab

    inner, _ = regions(frame)
    lab = rgb_to_lab(frame[inner])
    if len(lab) < 30:
        return None
    light = lab[:, 0] >= max(45.0, np.percentile(lab[:, 0], 60))
    pale = chroma(lab) < 35
    teeth = lab[light & pale]
    return teeth.mean(0) if len(teeth) >= 15 else None


def lips_lab(frame: np.ndarray) -> np.ndarray:
    from avatar.lipsync.colour import rgb_to_lab

    _, lips = regions(frame)
    return np.median(rgb_to_lab(frame[lips]), axis=0)


def check_mouth(photo: np.ndarray, frames: dict[str, np.ndarray], skin_b: float) -> list[str]:
    """Every way FRAMES' mouths break the colour rules, as sentences (empty: none)."""
    from avatar.lipsync.colour import chroma, hue_degrees, hue_distance

    problems = []
    own_lips = lips_lab(photo)
    seen_teeth = 0
    for name, frame in frames.items():
        teeth = teeth_lab(frame)
        if teeth is not None:
            seen_teeth += 1
            if teeth[2] < skin_b - TEETH_MARGIN_B or teeth[2] < 0:
                problems.append(
                    f"{name}: teeth b*={teeth[2]:.1f}, bluer than the skin's {skin_b:.1f} "
                    f"(Lab {np.round(teeth, 1).tolist()})"
                )
        lips = lips_lab(frame)
        turn = hue_distance(float(hue_degrees(lips)), float(hue_degrees(own_lips)))
        if turn > LIP_HUE_DEGREES or chroma(lips) < LIP_CHROMA_KEPT * chroma(own_lips):
            problems.append(
                f"{name}: lips Lab {np.round(lips, 1).tolist()} vs the photo's "
                f"{np.round(own_lips, 1).tolist()} (hue {turn:.0f} degrees off)"
            )
    if seen_teeth == 0:
        problems.append("no frame showed teeth")
    return problems


def render_shapes(avatar, palette=None) -> dict[str, np.ndarray]:
    from avatar.lipsync.geometry import rig_params
    from avatar.lipsync.render import Renderer

    if palette is not None:
        avatar.palette = palette
    params = np.array(list(SHAPES.values()), dtype=np.float32)
    count = len(params)
    rig = rig_params(params, np.zeros(count, np.float32))
    frames = Renderer(avatar, device="cpu").render(
        rig, np.zeros((count, 3), np.float32), params[:, 3]
    )
    return dict(zip(SHAPES, frames, strict=True))


@pytest.fixture(scope="module")
def stock():
    from avatar.lipsync import prepare
    from avatar.presenters import stock_avatars

    prepared = {}
    for presenter in stock_avatars():
        image = presenter.image()
        avatar, report = prepare.prepare_image(image)
        assert avatar is not None, report.errors
        skin = np.median(prepare.skin_pixels(image, avatar.points), axis=0)
        prepared[presenter.id] = (image, avatar, skin)
    return prepared


def _skin_b(skin) -> float:
    from avatar.lipsync.colour import rgb_to_lab

    return float(rgb_to_lab(skin)[2])


@pytest.mark.slow
def test_every_stock_presenter_has_warm_teeth_and_its_own_lip_colour(stock):
    from avatar.lipsync.colour import rgb_to_lab

    report = {}
    for name, (image, avatar, skin) in stock.items():
        frames = render_shapes(avatar)
        teeth = teeth_lab(frames["ah"])
        report[name] = check_mouth(image, frames, _skin_b(skin))
        print(
            f"{name}: skin Lab {np.round(rgb_to_lab(skin)).tolist()}, "
            f"teeth ('ah') Lab {None if teeth is None else np.round(teeth).tolist()}, "
            f"lips ('ah') Lab {np.round(lips_lab(frames['ah'])).tolist()}"
        )
    assert report == {name: [] for name in stock}


@pytest.mark.slow
def test_a_grey_blue_slab_of_teeth_fails_the_check(stock):
    """The measure can fail: the same renders with cold grey-blue teeth are caught."""
    import dataclasses

    image, avatar, skin = stock["grace"]
    cold = dataclasses.replace(avatar.palette, teeth=(196.0, 200.0, 212.0))
    frames = render_shapes(dataclasses.replace(avatar), cold)
    problems = check_mouth(image, frames, _skin_b(skin))
    assert any("bluer than the skin" in p for p in problems), problems
