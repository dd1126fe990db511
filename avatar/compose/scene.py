"""Build a scene's :class:`Stage` from its spec: backdrop, media, presenter, overlays.

Overlays go into the layout's text slots (``auto``: titles top, price cards
and bullets middle, calls to action bottom). Several in one slot stack
downward from the top of the top slot, are centred as a group in the middle
slot, and rise from the bottom of the bottom slot. Slots that span most of
the frame centre their text; side columns align it to the reading side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from avatar.compose import backgrounds, media, overlays
from avatar.compose.layouts import Geometry, Rect
from avatar.compose.presenter import Placement, PresenterView
from avatar.compose.stage import Animated, MediaTrack, PresenterTrack, Stage
from avatar.compose.video import VideoSource
from avatar.compose.yuv import Frame, planes_from_rgb
from avatar.spec import Background, Brand, Scene

GAP = 18


@dataclass
class SceneInputs:
    """What a scene needs besides its spec, already resolved and loaded."""

    index: int
    scene: Scene
    geometry: Geometry
    fps: int
    duration: float  # seconds
    track: object | None  # a lip-sync FrameTrack, or None for voice-over
    presenter_image: np.ndarray | None
    brand: Brand
    language: str | None
    open_image: Callable[[str, str], Image.Image]  # (ref, field) -> RGB image
    resolve: Callable[[str, str], object]  # (ref, field) -> local path
    closers: list  # VideoSources to close after rendering
    timer: object | None = None  # add(seconds) for time spent waiting on lip-sync frames


def build(inputs: SceneInputs) -> Stage:
    """The scene's :class:`Stage`."""
    g = inputs.geometry
    media_track = _media(inputs) if g.media is not None and inputs.scene.media else None
    presenter = view = None
    if inputs.track is not None and g.presenter is not None:
        # A fitted photo's inner edges fade into what is around it: its own continuation
        # (the default) or the backdrop asked for.
        view = PresenterView(inputs.track, g, soft_edges=True, cutout=_cutout(inputs.scene))
        presenter = PresenterTrack(inputs.track, view, inputs.timer)
    backdrop = _backdrop(inputs, view)
    layers = place_overlays(inputs)
    return Stage(backdrop, inputs.fps, media_track, presenter, layers)


def presenter_detail(scene, g: Geometry, source) -> float:
    """Output pixels per source pixel where the scene's layout shows the presenter
    (``source``: a prepared avatar, or anything a :class:`Placement` reads)."""
    return Placement(source, g, _cutout(scene)).detail


def _cutout(scene) -> bool:
    """Is the presenter cut out (by its matte) over a backdrop the scene names?"""
    chosen = scene.background
    return chosen is not None and chosen.type != "presenter_blur"


def _background_field(inputs: SceneInputs) -> str:
    return f"scenes[{inputs.index}].background"


def _backdrop(inputs: SceneInputs, view: PresenterView | None = None):
    g, bg = inputs.geometry, inputs.scene.background
    size = (g.width, g.height)
    if bg is None:
        bg = _default_background(inputs)
    if bg.type == "presenter_blur" and _fitted(view) and inputs.presenter_image is not None:
        return Frame.from_planes(planes_from_rgb(_continued(inputs, view, size)))
    if bg.type == "video":
        source = VideoSource(
            inputs.resolve(bg.src, f"{_background_field(inputs)}.src"),
            g.width, g.height, inputs.fps, "cover", f"{_background_field(inputs)}.src",
        )  # fmt: skip
        inputs.closers.append(source)
        return source
    return Frame.from_planes(planes_from_rgb(_still_backdrop(inputs, bg, size)))


def _default_background(inputs: SceneInputs) -> Background:
    """The presenter's own photo, continued past its edges, for a presenter layout (no
    empty bars, no seam); else the brand gradient."""
    if inputs.scene.layout == "presenter":
        return Background(type="presenter_blur")
    return Background(type="gradient", colors=())


def _fitted(view: PresenterView | None) -> bool:
    return view is not None and view.shape == "fit"


def _continued(inputs: SceneInputs, view: PresenterView, size) -> np.ndarray:
    """The photo's surroundings continued to the whole frame around the fitted presenter."""
    photo = inputs.presenter_image
    track = inputs.track
    sx, sy = photo.shape[1] / track.width, photo.shape[0] / track.height
    x0, y0, x1, y1 = view.crop
    crop = (x0 * sx, y0 * sy, x1 * sx, y1 * sy)
    return backgrounds.extended_photo(photo, size, (*view.pos, *view.size), crop)


def _still_backdrop(inputs: SceneInputs, bg: Background, size) -> np.ndarray:
    if bg.type == "color":
        return backgrounds.solid(bg.color, size)
    if bg.type == "gradient" and bg.colors:
        return backgrounds.gradient(bg.colors, bg.angle, size)
    if bg.type == "image":
        image = inputs.open_image(bg.src, f"{_background_field(inputs)}.src")
        return backgrounds.image_backdrop(image, bg, size)
    if bg.type == "presenter_blur" and inputs.presenter_image is not None:
        return backgrounds.presenter_blur(inputs.presenter_image, size)
    return backgrounds.brand_gradient(inputs.brand.background, inputs.brand.primary, size)


def _media(inputs: SceneInputs) -> MediaTrack:
    rect = inputs.geometry.media
    items = []
    for i, item in enumerate(inputs.scene.media):
        field = f"scenes[{inputs.index}].media[{i}].src"
        if item.is_video:
            fit = "cover" if item.fit == "auto" else item.fit
            source = VideoSource(inputs.resolve(item.src, field), rect.w, rect.h, inputs.fps,
                                 fit, field)  # fmt: skip
            inputs.closers.append(source)
            items.append(source)
            continue
        image = inputs.open_image(item.src, field)
        g = inputs.geometry
        kb = media.prepare(
            image, rect, item.fit, item.motion, inputs.index + i, item.focus, g.media_anchor,
            clear=g.media_clear,
        )  # fmt: skip
        items.append(kb)
    return MediaTrack(rect, items, inputs.duration)


def _slot_of(overlay) -> str:
    return overlay.position if overlay.position != "auto" else overlays.DEFAULT_SLOT[overlay.type]


def place_overlays(inputs: SceneInputs) -> list[Animated]:
    """Draw the scene's overlays and place them in the layout's slots."""
    g = inputs.geometry
    style = overlays.Style.of(inputs.brand, g.scale, inputs.language)
    by_slot: dict[str, list] = {"top": [], "middle": [], "bottom": []}
    for overlay in inputs.scene.overlays:
        slot = _slot_of(overlay)
        by_slot[slot if slot in g.slots else "middle"].append(overlay)
    layers: list[Animated] = []
    for slot, items in by_slot.items():
        if items:
            layers += _stack(slot, g.slots[slot], items, style, g, inputs.duration)
    return layers


def _stack(slot: str, rect: Rect, items: list, style, g: Geometry, duration: float):
    centered = rect.w >= g.width * 0.7
    blocks = [overlays.build(item, rect.w, style, centered) for item in items]
    gap = style.px(GAP)
    total = sum(b.height for b in blocks) + gap * (len(blocks) - 1)
    top = {"top": rect.y, "middle": int(rect.cy - total / 2), "bottom": rect.bottom - total}[slot]
    layers, y = [], top
    for item, block in zip(items, blocks, strict=True):
        x = rect.x + ((rect.w - block.width) // 2 if centered else 0)
        if not centered and rect.x + rect.w / 2 > g.width / 2 and _rtl(item):
            x = rect.x + rect.w - block.width
        for piece in block.pieces:
            end = None if item.end_s is None or item.end_s >= duration else item.end_s
            layers.append(
                Animated(piece.placed, _even(x + piece.dx), _even(y + piece.dy),
                         item.start_s + piece.delay, end, item.animation, style.px(40))
            )  # fmt: skip
        y += block.height + gap
    return layers


def _rtl(item) -> bool:
    from avatar.compose import text as textmod

    sample = " ".join(filter(None, [item.text, *item.items]))
    return textmod.script_of(sample) in textmod.RTL_SCRIPTS


def _even(value: float) -> int:
    return int(value) // 2 * 2
