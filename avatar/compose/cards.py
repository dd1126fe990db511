"""Intro and outro cards: the brand's backdrop, its logo popping in, a line or two of text."""

from __future__ import annotations

from PIL import Image

from avatar.compose import text as textmod
from avatar.compose.backgrounds import brand_gradient
from avatar.compose.draw import text_block, to_placed, with_shadow
from avatar.compose.overlays import Style, ink_on
from avatar.compose.stage import Animated, Stage
from avatar.compose.yuv import Frame, planes_from_rgb
from avatar.spec import Brand, Card


def logo_image(logo: Image.Image, box: tuple[int, int]) -> Image.Image:
    """The logo (RGBA) scaled to fit ``box`` without distortion."""
    logo = logo.convert("RGBA")
    logo.thumbnail(box, Image.Resampling.LANCZOS)
    return logo


def card_stage(
    card: Card, brand: Brand, logo: Image.Image | None, size: tuple[int, int], fps: int
) -> Stage:
    """A :class:`Stage` for an intro or outro card."""
    w, h = size
    style = Style.of(brand, min(w, h) / 720)
    backdrop = Frame.from_planes(
        planes_from_rgb(brand_gradient(brand.background, brand.primary, size))
    )
    pieces = _pieces(card, brand, logo, style, w)
    total = sum(p.placed.content[1] for p, _ in pieces) + style.px(28) * (len(pieces) - 1)
    y = (h - total) // 2
    layers = []
    for piece, delay in pieces:
        cw, ch = piece.placed.content
        x = (w - cw) // 2 // 2 * 2
        layers.append(Animated(piece.placed, x, y // 2 * 2, delay, None, piece.animation,
                               style.px(30)))  # fmt: skip
        y += ch + style.px(28)
    return Stage(backdrop, fps, layers=layers)


class _Piece:
    def __init__(self, placed, animation: str) -> None:
        self.placed = placed
        self.animation = animation


def _pieces(card: Card, brand: Brand, logo, style: Style, width: int) -> list[tuple]:
    pieces = []
    if logo is not None:
        image = logo_image(logo, (int(width * 0.5), style.px(200)))
        shadowed, anchor = with_shadow(image, style.px(10), (0, style.px(4)), 0.3)
        pieces.append((_Piece(to_placed(shadowed, anchor, image.size), "pop"), 0.05))
    ink = ink_on(style.background)
    for text, size, weight, delay in (
        (card.text, 60, "bold", 0.25),
        (card.subtitle, 34, "regular", 0.4),
    ):
        if not text:
            continue
        font = style.font(text, size, weight)
        lines = textmod.wrap(text, font, width * 0.84)[:2]
        image = text_block(lines, font, ink, "center")
        pieces.append((_Piece(to_placed(image, (0, 0), image.size), "slide"), delay))
    if not pieces and brand.name:
        image = text_block([brand.name], style.font(brand.name, 64), ink, "center")
        pieces.append((_Piece(to_placed(image, (0, 0), image.size), "pop"), 0.05))
    return pieces
