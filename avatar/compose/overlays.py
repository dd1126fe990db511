"""Text overlays drawn with the brand kit: title, price card, bullets and call to action.

Each overlay becomes one or more :class:`Piece` (bullets give one per item, so
they can come in one after another), drawn once with Pillow and converted
once to YUV layers. Sizes scale with the frame (``Style.scale``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image, ImageDraw

from avatar.compose import text as textmod
from avatar.compose.draw import RGBA, Placed, ellipse, rounded, text_block, to_placed, with_shadow
from avatar.spec import Brand, Overlay, hex_rgba

DARK_INK: RGBA = (17, 24, 39, 255)
LIGHT_INK: RGBA = (255, 255, 255, 255)
STAGGER_S = 0.3


@dataclass(frozen=True)
class Style:
    """Brand colours and fonts at a frame scale (1.0 = 720 px on the short side)."""

    primary: RGBA
    secondary: RGBA
    text: RGBA
    background: RGBA
    font_file: str | None
    bold_file: str | None
    scale: float
    language: str | None = None

    @classmethod
    def of(cls, brand: Brand, scale: float, language: str | None = None) -> Style:
        return cls(
            hex_rgba(brand.primary),
            hex_rgba(brand.secondary),
            hex_rgba(brand.text),
            hex_rgba(brand.background),
            brand.font,
            brand.font_bold,
            scale,
            language,
        )

    def px(self, value: float) -> int:
        return max(1, int(round(value * self.scale)))

    def font(self, sample: str, size: float, weight: str = "bold"):
        brand_font = self.bold_file if weight == "bold" else self.font_file
        brand_font = brand_font or self.font_file  # one file may serve both weights
        return textmod.font_for(sample, self.px(size), weight, self.language, brand_font)


@dataclass
class Piece:
    """Part of an overlay: its layer, where its content sits in the block, when it comes in."""

    placed: Placed
    dx: int
    dy: int
    delay: float = 0.0


@dataclass
class Block:
    """A whole overlay, ``width`` x ``height`` pixels of content, made of pieces."""

    pieces: list[Piece]
    width: int
    height: int


def luminance(color: RGBA) -> float:
    """Relative luminance (sRGB), 0 black .. 1 white."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(color: RGBA) -> RGBA:
    """Dark or white text, whichever contrasts more with ``color``."""
    lum = luminance(color)
    return DARK_INK if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else LIGHT_INK


def _align(text: str, centered: bool) -> str:
    if centered:
        return "center"
    return "right" if textmod.script_of(text) in textmod.RTL_SCRIPTS else "left"


def _wrapped_font(style: Style, text: str, size: float, width: int, lines: int, weight="bold"):
    """The largest font (from ``size`` down) at which ``text`` wraps into ``lines`` lines.

    One line at up to 20 % below ``size`` beats two lines at full size.
    """
    for step in range(3 if lines > 1 else 0):
        font = style.font(text, size * 0.92**step, weight)
        if textmod.text_width(text, font) <= width:
            return font, [text]
    for step in range(8):
        font = style.font(text, size * 0.9**step, weight)
        wrapped = textmod.balanced(text, font, width, lines)
        if wrapped is not None:
            return font, wrapped
    return font, textmod.wrap(text, font, width)[:lines]


def title(overlay: Overlay, width: int, style: Style, centered: bool) -> Block:
    """A headline on a brand-coloured box, with an optional subtitle under it."""
    pad_x, pad_y = style.px(22), style.px(12)
    font, lines = _wrapped_font(style, overlay.text, 58, width - 2 * pad_x, 2)
    ink = ink_on(style.primary)
    words = text_block(lines, font, ink, _align(overlay.text, centered), spacing=1.05)
    box = rounded((words.width + 2 * pad_x, words.height + 2 * pad_y), style.px(16), style.primary)
    box.alpha_composite(words, (pad_x, pad_y))
    shadowed, anchor = with_shadow(box, style.px(10), (0, style.px(4)), 0.35)
    pieces = [Piece(to_placed(shadowed, anchor, box.size), 0, 0)]
    height = box.height
    if overlay.subtitle:
        pieces.append(_subtitle(overlay.subtitle, width, style, centered, box.height))
        height += style.px(14) + pieces[-1].placed.content[1]
    block_width = max(p.placed.content[0] for p in pieces)
    return _centre_pieces(Block(pieces, block_width, height), centered)


def _subtitle(text: str, width: int, style: Style, centered: bool, top: int) -> Piece:
    font, lines = _wrapped_font(style, text, 32, width, 2, weight="regular")
    words = text_block(lines, font, style.text, _align(text, centered), stroke=style.px(2),
                       stroke_fill=(0, 0, 0, 160))  # fmt: skip
    shadowed, anchor = with_shadow(words, style.px(6), (0, style.px(2)), 0.6)
    return Piece(to_placed(shadowed, anchor, words.size), 0, top + style.px(14), delay=0.15)


def _centre_pieces(block: Block, centered: bool) -> Block:
    if centered:
        for piece in block.pieces:
            piece.dx = (block.width - piece.placed.content[0]) // 2 // 2 * 2
    return block


_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)")


def discount(price: str, old_price: str | None) -> str | None:
    """'-33%' when both prices hold numbers and the new one is lower; else None."""
    if not old_price:
        return None
    new, old = (_NUMBER.search(p.replace(",", "")) for p in (price, old_price))
    if not (new and old) or float(old.group(1)) <= 0:
        return None
    off = round(100 * (1 - float(new.group(1)) / float(old.group(1))))
    return f"-{off}%" if 0 < off < 100 else None


def price(overlay: Overlay, width: int, style: Style, centered: bool) -> Block:
    """A white card: small label, the price big, the old price struck through, a badge."""
    pad = style.px(24)
    parts = _price_parts(overlay, style)
    inner_w = max(p.width for p in parts)
    inner_h = sum(p.height for p in parts) + style.px(6) * (len(parts) - 1)
    card = rounded((inner_w + 2 * pad, inner_h + 2 * pad), style.px(22), (255, 255, 255, 246))
    y = pad
    for part in parts:
        x = (card.width - part.width) // 2 if centered else pad
        card.alpha_composite(part, (x, y))
        y += part.height + style.px(6)
    card = _with_badge(card, discount(overlay.price, overlay.old_price), style)
    shadowed, anchor = with_shadow(card, style.px(14), (0, style.px(6)), 0.35)
    block = Block([Piece(to_placed(shadowed, anchor, card.size), 0, 0)], card.width, card.height)
    return _centre_pieces(block, centered)


def _price_parts(overlay: Overlay, style: Style) -> list[Image.Image]:
    parts = []
    if overlay.label:
        font = style.font(overlay.label, 24)
        parts.append(text_block([overlay.label.upper()], font, style.primary))
    row = text_block([overlay.price], style.font(overlay.price, 84), DARK_INK)
    if overlay.old_price:
        row = _beside(row, _struck(overlay.old_price, style), style.px(18))
    parts.append(row)
    return parts


def _struck(text: str, style: Style) -> Image.Image:
    grey = (120, 125, 135, 255)
    old = text_block([text], style.font(text, 36, "regular"), grey)
    draw = ImageDraw.Draw(old)
    y = old.height * 0.55
    draw.line((0, y, old.width, y - old.height * 0.12), fill=(220, 38, 38, 255), width=style.px(4))
    return old


def _beside(left: Image.Image, right: Image.Image, gap: int) -> Image.Image:
    """``right`` next to ``left``, sharing the baseline region near the bottom."""
    out = Image.new("RGBA", (left.width + gap + right.width, left.height), (0, 0, 0, 0))
    out.alpha_composite(left, (0, 0))
    out.alpha_composite(
        right, (left.width + gap, max(0, int(left.height * 0.62 - right.height / 2)))
    )
    return out


def _with_badge(card: Image.Image, label: str | None, style: Style) -> Image.Image:
    if not label:
        return card
    size = style.px(92)
    badge = ellipse((size, size), style.secondary)
    words = text_block([label], style.font(label, 28), ink_on(style.secondary))
    badge.alpha_composite(words, ((size - words.width) // 2, (size - words.height) // 2))
    grown = Image.new("RGBA", (card.width + size // 2, card.height + size // 2), (0, 0, 0, 0))
    grown.alpha_composite(card, (0, size // 2))
    grown.alpha_composite(badge, (card.width - size // 2, 0))
    return grown


def bullets(overlay: Overlay, width: int, style: Style, centered: bool) -> Block:
    """One dark chip per item with a check mark; items come in one after another."""
    pieces, y = [], 0
    rows = [_bullet_row(item, width, style) for item in overlay.items]
    widest = max(row.width for row in rows)
    for i, row in enumerate(rows):
        shadowed, anchor = with_shadow(row, style.px(8), (0, style.px(3)), 0.3)
        dx = (widest - row.width) // 2 // 2 * 2 if centered else 0
        pieces.append(Piece(to_placed(shadowed, anchor, row.size), dx, y, delay=i * STAGGER_S))
        y += row.height + style.px(12)
    return Block(pieces, widest, y - style.px(12))


def _bullet_row(item: str, width: int, style: Style) -> Image.Image:
    pad, mark = style.px(16), style.px(40)
    font, lines = _wrapped_font(style, item, 34, width - 3 * pad - mark, 2)
    words = text_block(lines, font, LIGHT_INK, _align(item, False), spacing=1.05)
    height = max(mark, words.height) + 2 * pad
    chip = rounded((words.width + mark + 3 * pad, height), style.px(18), (15, 23, 42, 205))
    chip.alpha_composite(_check(mark, style), (pad, (height - mark) // 2))
    chip.alpha_composite(words, (2 * pad + mark, (height - words.height) // 2))
    return chip


def _check(size: int, style: Style) -> Image.Image:
    circle = ellipse((size, size), style.secondary)
    draw = ImageDraw.Draw(circle)
    s = size / 40
    points = [(11 * s, 21 * s), (17.5 * s, 27.5 * s), (29 * s, 14 * s)]
    draw.line(points, fill=ink_on(style.secondary), width=max(2, int(4 * s)), joint="curve")
    return circle


def cta(overlay: Overlay, width: int, style: Style, centered: bool) -> Block:
    """A pill-shaped button in the brand's accent colour, with an arrow for Latin text."""
    ink = ink_on(style.secondary)
    arrow = style.px(30) if textmod.script_of(overlay.text) == "latin" else 0
    font, lines = _wrapped_font(style, overlay.text, 38, width - style.px(80) - arrow, 1)
    words = text_block(lines, font, ink)
    height = words.height + style.px(34)
    pill = rounded((words.width + style.px(80) + arrow, height), height / 2, style.secondary)
    pill.alpha_composite(words, (style.px(40), (height - words.height) // 2))
    if arrow:
        _arrow(pill, style.px(40) + words.width + style.px(12), height // 2, arrow - 8, ink)
    shadowed, anchor = with_shadow(pill, style.px(12), (0, style.px(5)), 0.4)
    block = Block([Piece(to_placed(shadowed, anchor, pill.size), 0, 0)], pill.width, pill.height)
    return _centre_pieces(block, centered)


def _arrow(image: Image.Image, x: int, cy: int, length: int, ink: RGBA) -> None:
    """A right arrow (the fonts lack U+2192), drawn at 4x and reduced for smooth edges."""
    k = 4
    big = Image.new("RGBA", (image.width * k, image.height * k), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    stroke = max(2, length // 6) * k
    x0, x1, y, head = x * k, (x + length) * k, cy * k, length * k * 0.42
    draw.line([(x0, y), (x1 - stroke // 2, y)], fill=ink, width=stroke)
    draw.line([(x1 - head, y - head), (x1, y), (x1 - head, y + head)], fill=ink, width=stroke,
              joint="curve")  # fmt: skip
    image.alpha_composite(big.resize(image.size, Image.Resampling.LANCZOS))


BUILDERS = {"title": title, "price": price, "bullets": bullets, "cta": cta}
DEFAULT_SLOT = {"title": "top", "price": "middle", "bullets": "middle", "cta": "bottom"}


def build(overlay: Overlay, width: int, style: Style, centered: bool) -> Block:
    """Draw ``overlay`` to fit ``width`` pixels."""
    return BUILDERS[overlay.type](overlay, width, style, centered)
