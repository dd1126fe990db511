"""Draw the example specs' media: product shots, diagrams and a logo (deterministic).

    python -m avatar.examples.make_media [OUT_DIR]

The files in ``avatar/examples/media/`` were made by this script; it redraws
them identically. They are original drawings by this project (CC0), so the
examples carry no third-party rights.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from avatar.compose import text as textmod

HERE = Path(__file__).resolve().parent / "media"
TEAL = (20, 120, 120)
CORAL = (232, 106, 86)
CHARCOAL = (52, 58, 66)
SAND = (214, 190, 150)


def _font(size: int, weight: str = "bold"):
    return textmod.font_for("A", size, weight)


def studio_backdrop(size: tuple[int, int], top: tuple, bottom: tuple, floor_at: float = 0.7):
    """A seamless studio sweep: a vertical gradient with a soft light spot."""
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = np.clip(ys / (h * floor_at), 0, 1)[..., None]
    rgb = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    spot = np.exp(-(((xs - w * 0.5) / (w * 0.45)) ** 2 + ((ys - h * 0.4) / (h * 0.45)) ** 2))
    rgb = rgb * (0.86 + 0.2 * spot[..., None])
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def _cylinder_shading(width: int, height: int, color: tuple, gloss: float = 0.8) -> np.ndarray:
    """RGB of a lit vertical cylinder: diffuse fall-off to the edges, a specular stripe."""
    x = np.linspace(-1, 1, width, dtype=np.float32)
    normal = np.sqrt(np.clip(1 - x**2, 0, 1))
    light = np.clip(0.35 + 0.75 * (normal * 0.85 + x * -0.35), 0, 1.2)
    spec = gloss * np.exp(-(((x + 0.42) / 0.07) ** 2)) + 0.25 * gloss * np.exp(
        -(((x - 0.62) / 0.05) ** 2)
    )
    row = np.array(color, np.float32)[None, :] * light[:, None] + 255 * spec[:, None]
    return np.repeat(np.clip(row, 0, 255)[None], height, axis=0).astype(np.uint8)


def mug(color: tuple, scale: float = 1.0, label: str = "NORTHWIND") -> Image.Image:
    """An insulated travel mug (RGBA): steel body, coloured sleeve, lid, printed label."""
    w, h = int(300 * scale), int(620 * scale)
    body_h, lid_h = int(h * 0.8), int(h * 0.2)
    out = Image.new("RGBA", (w + 40, h + 60), (0, 0, 0, 0))
    body = Image.fromarray(_cylinder_shading(w, body_h, color, 0.7))
    sleeve_top, sleeve_h = int(body_h * 0.34), int(body_h * 0.34)
    sleeve = Image.fromarray(
        _cylinder_shading(w, sleeve_h, tuple(int(c * 0.62) for c in color), 0.25)
    )
    body.paste(sleeve, (0, sleeve_top))
    _print_label(body, label, sleeve_top + sleeve_h + int(40 * scale), scale)
    mask = _rounded_mask((w, body_h), int(26 * scale), top=False)
    out.paste(body, (20, 20 + lid_h), mask)
    lid = Image.fromarray(_cylinder_shading(w + int(12 * scale), lid_h, (40, 44, 50), 0.9))
    out.paste(lid, (20 - int(6 * scale), 26), _rounded_mask(lid.size, int(22 * scale), top=True))
    _lid_top(out, w, scale)
    return out


def _print_label(body: Image.Image, label: str, y: int, scale: float) -> None:
    draw = ImageDraw.Draw(body)
    font = _font(int(30 * scale))
    width = textmod.text_width(label, font)
    draw.text(((body.width - width) / 2, y), label, font=font, fill=(245, 245, 240))


def _rounded_mask(size: tuple[int, int], radius: int, top: bool) -> Image.Image:
    mask = Image.new("L", (size[0] * 2, size[1] * 2), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, size[0] * 2 - 1, size[1] * 2 - 1), radius * 2, 255
    )
    if top:
        ImageDraw.Draw(mask).rectangle((0, size[1], size[0] * 2, size[1] * 2), 255)
    else:
        ImageDraw.Draw(mask).rectangle((0, 0, size[0] * 2, size[1]), 255)
    return mask.resize(size, Image.Resampling.LANCZOS)


def _lid_top(out: Image.Image, w: int, scale: float) -> None:
    draw = ImageDraw.Draw(out)
    x0, x1 = 20 - int(6 * scale), 20 + w + int(6 * scale)
    draw.ellipse((x0, 14, x1, 14 + int(30 * scale)), fill=(64, 70, 78))
    spout = (20 + w * 0.58, 18, 20 + w * 0.86, 18 + int(18 * scale))
    draw.rounded_rectangle(spout, radius=int(8 * scale), fill=(25, 28, 32))


def shadow_under(canvas: Image.Image, x: int, y: int, width: int, strength: int = 110) -> None:
    shade = Image.new("L", canvas.size, 0)
    ImageDraw.Draw(shade).ellipse((x, y - width * 0.05, x + width, y + width * 0.07), strength)
    shade = shade.filter(ImageFilter.GaussianBlur(width * 0.06))
    canvas.paste(Image.new("RGB", canvas.size, (30, 30, 35)), (0, 0), shade)


def place(canvas: Image.Image, item: Image.Image, cx: int, floor: int) -> None:
    x, y = cx - item.width // 2, floor - item.height + 24
    shadow_under(canvas, x + 10, floor, item.width - 20)
    canvas.paste(item, (x, y), item)


def hero(out: Path) -> None:
    canvas = studio_backdrop((1200, 1200), (238, 236, 232), (214, 209, 202))
    place(canvas, mug(TEAL, 1.35), 600, 1060)
    canvas.save(out / "mug-hero.jpg", quality=86, optimize=True)


def colours(out: Path) -> None:
    canvas = studio_backdrop((1600, 1000), (250, 231, 214), (231, 204, 184))
    for cx, color, scale in ((430, CORAL, 1.0), (800, TEAL, 1.12), (1170, CHARCOAL, 1.0)):
        place(canvas, mug(color, scale), cx, 900)
    canvas.save(out / "mug-colours.jpg", quality=86, optimize=True)


def lifestyle(out: Path) -> None:
    """A mug on a wooden desk by a bright window (soft focus backdrop)."""
    w, h = 1600, 1000
    canvas = studio_backdrop((w, h), (206, 222, 236), (176, 196, 214), floor_at=1.0)
    draw = ImageDraw.Draw(canvas)
    for i in range(3):  # window panes, blurred later
        draw.rectangle((140 + i * 330, 90, 420 + i * 330, 560), fill=(246, 249, 252))
    canvas = canvas.filter(ImageFilter.GaussianBlur(18))
    desk = _wood((w, 330))
    canvas.paste(desk, (0, h - 330))
    place(canvas, mug(CORAL, 1.05), 1080, h - 90)
    _notebook(canvas, (300, h - 250))
    canvas.save(out / "mug-desk.jpg", quality=86, optimize=True)


def _wood(size: tuple[int, int]) -> Image.Image:
    w, h = size
    rng = np.random.default_rng(3)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    wobble = 6 * np.sin(xs / 230 + rng.uniform(0, 6)) + 2 * np.sin(xs / 61)
    grain = np.sin((ys + wobble) / 3.2 + 2.5 * np.sin(ys / 23)) * 0.5 + 0.5
    rgb = (
        np.array(SAND, np.float32)
        * (0.78 + 0.14 * grain[..., None])
        * (1 - ys / h * 0.25)[..., None]
    )
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def _notebook(canvas: Image.Image, at: tuple[int, int]) -> None:
    x, y = at
    draw = ImageDraw.Draw(canvas)
    shadow_under(canvas, x, y + 120, 420, 80)
    draw.polygon(
        [(x, y + 40), (x + 400, y), (x + 470, y + 110), (x + 60, y + 160)], fill=(45, 64, 92)
    )
    draw.polygon([(x + 16, y + 44), (x + 396, y + 8), (x + 452, y + 104), (x + 70, y + 148)],
                 fill=(242, 240, 234))  # fmt: skip


def logo(out: Path) -> None:
    """The fictional brand's logo: a wave in a circle and the word mark (RGBA PNG)."""
    size = (840, 200)
    image = Image.new("RGBA", (size[0] * 2, size[1] * 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 392, 392), fill=(*TEAL, 255))
    points = [(60 + i * 4, 200 + 46 * np.sin(i / 14)) for i in range(71)]
    draw.line(points, fill=(255, 255, 255, 255), width=34, joint="curve")
    draw.text((440, 80), "Northwind", font=_font(200), fill=(255, 255, 255, 255))
    image.resize(size, Image.Resampling.LANCZOS).save(out / "northwind-logo.png", optimize=True)


def diagram(out: Path) -> None:
    """Training slide: the three steps of a return, as cards joined by arrows."""
    w, h = 1600, 900
    canvas = studio_backdrop((w, h), (245, 247, 250), (226, 232, 240), floor_at=1.0)
    draw = ImageDraw.Draw(canvas)
    steps = (
        ("1", "Check", "order & receipt"),
        ("2", "Inspect", "the item"),
        ("3", "Refund", "or exchange"),
    )
    colors = ((37, 99, 235), (13, 148, 136), (234, 88, 12))
    for i, ((number, title, sub), color) in enumerate(zip(steps, colors, strict=True)):
        x = 110 + i * 500
        draw.rounded_rectangle(
            (x, 250, x + 380, 650), 36, fill=(255, 255, 255), outline=(210, 218, 228), width=4
        )
        draw.ellipse((x + 130, 290, x + 250, 410), fill=color)
        _centred(draw, number, x + 190, 350, _font(70), (255, 255, 255))
        _centred(draw, title, x + 190, 480, _font(58), (17, 24, 39))
        _centred(draw, sub, x + 190, 560, _font(38, "regular"), (90, 100, 115))
        if i < 2:
            draw.polygon([(x + 405, 420), (x + 470, 450), (x + 405, 480)], fill=(148, 163, 184))
    canvas.save(out / "returns-steps.jpg", quality=88, optimize=True)


def _centred(draw, text: str, cx: float, cy: float, font, fill) -> None:
    width = textmod.text_width(text, font)
    ascent, descent = font.getmetrics()
    draw.text((cx - width / 2, cy - (ascent + descent) / 2), text, font=font, fill=fill)


def chart(out: Path) -> None:
    """Training slide: a bar chart of why customers return items."""
    w, h = 1600, 900
    canvas = studio_backdrop((w, h), (248, 250, 252), (230, 236, 244), floor_at=1.0)
    draw = ImageDraw.Draw(canvas)
    _centred(draw, "Why items come back", w / 2, 110, _font(60), (17, 24, 39))
    reasons = (
        ("Wrong size", 41),
        ("Damaged", 23),
        ("Changed mind", 19),
        ("Not as pictured", 11),
        ("Other", 6),
    )
    for i, (label, share) in enumerate(reasons):
        y = 220 + i * 125
        draw.text((120, y + 18), label, font=_font(40, "regular"), fill=(51, 65, 85))
        length = int(share / 41 * 820)
        draw.rounded_rectangle((560, y + 10, 560 + length, y + 80), 18, fill=(13, 148, 136))
        draw.text((580 + length, y + 18), f"{share}%", font=_font(40), fill=(17, 24, 39))
    canvas.save(out / "returns-chart.jpg", quality=88, optimize=True)


def generate(out: Path = HERE) -> list[Path]:
    """Draw every example file into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    for make in (hero, colours, lifestyle, logo, diagram, chart):
        make(out)
    return sorted(out.iterdir())


if __name__ == "__main__":
    for path in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path, path.stat().st_size // 1024, "KB")
