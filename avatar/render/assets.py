"""The spec's files: resolved and checked up front, and the marks drawn over frames."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from PIL import Image

from avatar.compose.draw import text_block, to_placed, with_shadow
from avatar.compose.layouts import geometry
from avatar.compose.overlays import Style
from avatar.render.timeline import Decor
from avatar.spec import Brand, RenderSpec

SCENE_REFS = (("speech", "audio"), ("background", "src"))


def references(spec: RenderSpec) -> Iterator[tuple[str, str]]:
    """Every (reference, JSON path) in the spec that names a file."""
    from avatar import presenters

    brand = spec.brand
    for name in ("logo", "font", "font_bold"):
        if getattr(brand, name):
            yield getattr(brand, name), f"brand.{name}"
    if spec.watermark is not None and spec.watermark.image:
        yield spec.watermark.image, "watermark.image"
    if spec.music is not None and spec.music.src:
        yield spec.music.src, "music.src"
    for i, scene in enumerate(spec.scenes):
        if scene.avatar and scene.layout != "voiceover" and scene.avatar not in presenters.STOCK:
            yield scene.avatar, f"scenes[{i}].avatar"
        for part, name in SCENE_REFS:
            value = getattr(getattr(scene, part) or object(), name, None)
            if value:
                yield value, f"scenes[{i}].{part}.{name}"
        for j, item in enumerate(scene.media):
            yield item.src, f"scenes[{i}].media[{j}].src"


def check(spec: RenderSpec, resolve: Callable[[str, str], Path]) -> Brand:
    """Resolve every file (raising ``InvalidInput`` naming the first missing one).

    Returns:
        The brand kit with its font references replaced by local paths.
    """
    for ref, field in references(spec):
        resolve(ref, field)
    brand = spec.brand
    fonts = {
        name: str(resolve(getattr(brand, name), f"brand.{name}"))
        for name in ("font", "font_bold")
        if getattr(brand, name)
    }
    return replace(brand, **fonts)


def _corner(position: str, size: tuple[int, int], box, margin: int) -> tuple[int, int]:
    """Top-left for an item of ``size`` in a corner of ``box``."""
    w, h = size
    x = box.x + margin if "left" in position else box.x + box.w - w - margin
    y = box.y + margin if "top" in position else box.bottom - h - margin
    return x // 2 * 2, y // 2 * 2


def _mark_area(w: int, h: int):
    """Where corner marks go: near the frame's edges, above the bottom of the safe area
    (in 9:16 the bottom strip belongs to the app's own buttons)."""
    from avatar.compose.layouts import Rect

    margin = int(min(w, h) * 0.03) // 2 * 2
    bottom = geometry("voiceover", w, h).safe.bottom
    return Rect(margin, margin, w - 2 * margin, bottom - margin)


def decors(job) -> list[Decor]:
    """The logo (scenes only, where the brand kit places it) and the watermark (everywhere)."""
    spec, (w, h) = job.spec, job.size
    safe = _mark_area(w, h)
    scale = min(w, h) / 720
    out = []
    if spec.brand.logo and spec.brand.logo_position:
        logo = job.open_rgba(spec.brand.logo, "brand.logo")
        logo.thumbnail((int(w * 0.24), int(64 * scale)), Image.Resampling.LANCZOS)
        placed = to_placed(logo, (0, 0), logo.size)
        x, y = _corner(spec.brand.logo_position, logo.size, safe, 0)
        out.append(Decor(placed.layer, x - placed.anchor[0], y - placed.anchor[1], 1.0, ("scene",)))
    if spec.watermark is not None:
        out.append(_watermark(job, safe, scale))
    return out


def _watermark(job, safe, scale: float) -> Decor:
    mark, w = job.spec.watermark, job.size[0]
    if mark.image:
        image = job.open_rgba(mark.image, "watermark.image")
        image.thumbnail((int(w * 0.22), int(48 * scale)), Image.Resampling.LANCZOS)
        anchor, content = (0, 0), image.size
    else:
        style = Style.of(job.spec.brand, scale)
        words = text_block([mark.text], style.font(mark.text, 22), (255, 255, 255, 255))
        image, anchor = with_shadow(words, style.px(3), (0, style.px(1)), 0.8)
        content = words.size
    placed = to_placed(image, anchor, content)
    x, y = _corner(mark.position, content, safe, 0)
    return Decor(placed.layer, x - placed.anchor[0], y - placed.anchor[1], mark.opacity,
                 ("intro", "scene", "outro"))  # fmt: skip
