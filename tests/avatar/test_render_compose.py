"""Compositing pieces: YUV frames and blending, media fitting and pan/zoom, transitions."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from avatar.compose import media, transitions, yuv
from avatar.compose.draw import to_placed
from avatar.compose.layouts import Rect
from avatar.compose.stage import Animated, Stage

RNG = np.random.default_rng(7)


def test_rgb_converts_to_bt709_limited_range_yuv_within_one_level():
    rgb = RNG.integers(0, 256, (64, 48, 3), dtype=np.uint8)
    planes = yuv.planes_from_rgb(rgb)
    exact = yuv.rgb_to_yuv_float(rgb.astype(np.float32))
    assert np.abs(planes.y - exact[..., 0]).max() <= 1.0
    chroma = exact[..., 1:].reshape(32, 2, 24, 2, 2).mean(axis=(1, 3))
    assert np.abs(planes.u - chroma[..., 0]).max() <= 1.0
    assert yuv.yuv_color((255, 255, 255)) == (235, 128, 128)
    assert yuv.yuv_color((0, 0, 0)) == (16, 128, 128)
    back = yuv.rgb_from_planes(yuv.planes_from_rgb(np.full((4, 4, 3), (200, 40, 90), np.uint8)))
    assert np.abs(back.astype(int) - (200, 40, 90)).max() <= 3


def test_a_frame_is_one_yuv420p_buffer():
    frame = yuv.Frame(8, 4).fill((255, 0, 0))
    assert frame.buf.shape == (8 * 4 * 3 // 2,)
    assert np.shares_memory(frame.y, frame.buf) and np.shares_memory(frame.v, frame.buf)
    assert frame.y.shape == (4, 8) and frame.u.shape == (2, 4)


def test_blending_matches_straight_alpha_compositing():
    base = RNG.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    over = RNG.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    alpha = RNG.integers(0, 256, (8, 8), dtype=np.uint8)
    frame = yuv.Frame.from_planes(yuv.planes_from_rgb(base))
    expected_y = frame.y.astype(np.float64).copy()
    layer = yuv.layer_from_rgba(np.dstack([over, alpha]))
    a = alpha / 255.0
    expected_y[4:12, 6:14] = layer.planes.y * a + expected_y[4:12, 6:14] * (1 - a)
    yuv.blend(frame, layer, 6, 4)
    assert np.abs(frame.y - expected_y).max() <= 1.0
    half = yuv.Frame.from_planes(yuv.planes_from_rgb(base))
    yuv.blend(half, layer, 6, 4, opacity=0.5)
    assert np.abs(half.y.astype(int) - frame.y).max() > 0  # opacity scales the alpha


def test_a_layer_partly_off_the_frame_is_clipped():
    frame = yuv.Frame(16, 16).fill((0, 0, 0))
    layer = yuv.layer_from_rgba(np.full((8, 8, 4), 255, np.uint8))
    yuv.blend(frame, layer, -4, 12)
    assert (frame.y[12:, :4] == 235).all() and (frame.y[:12] == 16).all()


def test_layers_are_cropped_to_their_visible_pixels():
    image = Image.new("RGBA", (100, 60), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (40, 20, 60, 30))
    placed = to_placed(image, (10, 10), (80, 40))
    assert placed.layer.width == 20 and placed.layer.height == 10
    assert placed.anchor == (10 - 40, 10 - 20) and placed.offset == (40, 20)


def test_a_cover_crop_keeps_the_frames_shape_and_centres_on_the_product():
    box = media.cover_crop((1600, 1000), 9 / 16, (0.8, 0.5))
    width, height = box[2] - box[0], box[3] - box[1]
    assert width / height == pytest.approx(9 / 16) and height == 1000
    assert box[0] >= 0 and box[2] <= 1600 and (box[0] + box[2]) / 2 == pytest.approx(1280)
    photo = Image.new("RGB", (400, 300), (240, 240, 240))
    photo.paste((200, 30, 30), (280, 60, 360, 200))  # a product right of centre
    fx, fy = media.saliency_focus(photo)
    assert fx > 0.65 and 0.3 < fy < 0.6


def test_contain_shows_the_whole_image_undistorted_over_a_blurred_fill():
    image = Image.new("RGB", (400, 200), (220, 20, 20))
    plate = np.asarray(media.contain_on_fill(image, (360, 640)))
    red = (plate[..., 0] > 200) & (plate[..., 1] < 60)
    ys, xs = np.nonzero(red)
    aspect = (xs.max() - xs.min() + 1) / (ys.max() - ys.min() + 1)
    assert aspect == pytest.approx(2.0, rel=0.03)
    assert media.choose_fit("auto", (400, 200), Rect(0, 0, 360, 640)) == "contain"
    assert media.choose_fit("auto", (400, 620), Rect(0, 0, 360, 640)) == "cover"


def test_a_cover_crop_can_put_the_product_off_centre():
    box = media.cover_crop((2000, 1000), 1.0, (0.5, 0.5), at=(0.25, 0.5))
    assert box == (750.0, 0.0, 1750.0, 1000.0)  # the focus (x=1000) a quarter in


def test_media_beside_a_presenter_keeps_clear_of_it():
    """A slide behind the bottom-third presenter sits whole in the part no one covers."""
    from avatar.compose.layouts import geometry

    g = geometry("bottom", 1280, 720)
    assert g.media_clear is not None and g.media_clear.x + g.media_clear.w <= g.presenter.x
    slide = Image.new("RGB", (1280, 720), (255, 255, 255))
    plate = media.contain_on_fill(slide, (1280, 720), anchor=(0.33, 0.5), area=(0, 0, 0.66, 1))
    white = np.nonzero(np.asarray(plate).min(axis=2) > 250)[1]
    assert white.max() < g.presenter.x  # all of the slide left of the presenter
    kb = media.prepare(slide, g.media, "auto", "none", 0, clear=g.media_clear)
    assert kb.plate.y[:, g.presenter.x :].max() < 200  # only the dimmed fill behind her
    assert media.prepare(slide, g.media, "auto", "none", 0).plate.y[:, -1].max() > 230


@pytest.mark.parametrize(
    ("layout", "size"),
    [(lay, size) for lay in ("corner", "bottom", "split", "voiceover", "presenter")
     for size in ((720, 1280), (1280, 720), (720, 720))],
)  # fmt: skip
def test_the_clear_area_never_overlaps_the_presenter(layout, size):
    from avatar.compose.layouts import geometry

    for side in ("right", "left"):
        g = geometry(layout, *size, side=side)
        if g.media_clear is None or g.presenter is None:
            continue
        c, p = g.media_clear, g.presenter
        overlap_w = min(c.x + c.w, p.x + p.w) - max(c.x, p.x)
        overlap_h = min(c.y + c.h, p.y + p.h) - max(c.y, p.y)
        assert overlap_w <= 2 or overlap_h <= 2, (layout, size, side, c, p)


@pytest.mark.parametrize("motion", ["zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up"])
def test_pan_and_zoom_is_smooth_and_stays_on_the_picture(motion):
    image = Image.fromarray(RNG.integers(0, 256, (500, 700, 3), dtype=np.uint8))
    rect = Rect(0, 0, 360, 640)
    kb = media.prepare(image, rect, "cover", motion, 0, focus=(0.5, 0.5))
    frames = 150  # 5 s at 30 fps
    boxes = np.array([kb.box(i / (frames - 1)) for i in range(frames)])
    assert (boxes[:, 0] >= 0).all() and (boxes[:, 2] <= kb.plate.width + 1e-6).all()
    assert (boxes[:, 1] >= 0).all() and (boxes[:, 3] <= kb.plate.height + 1e-6).all()
    steps = np.abs(np.diff(boxes, axis=0)).max(axis=0)
    assert steps.max() < 1.0  # under a pixel per frame: no jumps
    assert np.abs(boxes[-1] - boxes[0]).max() > 10  # but it does move
    widths = boxes[:, 2] - boxes[:, 0]
    heights = boxes[:, 3] - boxes[:, 1]
    assert np.allclose(widths / heights, rect.w / rect.h, rtol=1e-6)  # never distorted
    dest = yuv.Frame(rect.w, rect.h)
    kb.draw(dest, 0.5)
    assert dest.y.std() > 10


def test_crossfade_and_slide_go_from_one_frame_to_the_other():
    a = yuv.Frame(32, 16).fill((0, 0, 0))
    b = yuv.Frame(32, 16).fill((255, 255, 255))
    assert np.array_equal(transitions.crossfade(a, b, 0.0).buf, a.buf)
    assert np.array_equal(transitions.crossfade(a, b, 1.0).buf, b.buf)
    mid = transitions.slide(a, b, 0.5, "left")
    assert (mid.y[:, :16] == 16).all() and (mid.y[:, 16:] == 235).all()
    up = transitions.slide(a, b, 0.5, "up")
    assert (up.y[:8] == 16).all() and (up.y[8:] == 235).all()


def test_a_still_stage_is_composed_once_and_an_animated_layer_only_while_it_moves():
    backdrop = yuv.Frame(64, 64).fill((10, 20, 30))
    image = Image.new("RGBA", (20, 10), (255, 255, 255, 255))
    layer = Animated(to_placed(image, (0, 0), (20, 10)), 10, 10, 0.2, None, "slide", 8)
    stage = Stage(backdrop, 10, layers=[layer])
    first, second = stage.frame(0), stage.frame(1)
    assert first is second  # nothing on screen changed
    moving = [stage.frame(i) for i in range(2, 8)]
    assert len({id(f) for f in moving}) == len(moving)  # sliding in: a new frame each time
    assert stage.frame(20) is stage.frame(21)  # settled: reused again
