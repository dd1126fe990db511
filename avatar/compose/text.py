"""Fonts per script, text measurement and drawing with Pillow.

Latin, Cyrillic and Greek use the brand font when one is given, otherwise
Noto Sans (DejaVu Sans when Noto is missing). Chinese, Japanese and Korean use
Noto Sans CJK with the face for the language (SC, TC, JP, KR); Arabic, Hebrew,
Devanagari and Thai use their Noto Sans faces (Debian ``fonts-noto-core`` and
``fonts-noto-cjk``).

Characters the font lacks are never drawn as empty boxes: common emoji get a
plain symbol (⭐ → ★, ✅ → ✓, ❤ → ♥, 👉 → →) drawn with DejaVu Sans where the
font has no such glyph, and what no font here can draw (other pictographs,
variation selectors) is left out. Colour emoji are not drawn.

Right-to-left text and Arabic joining need Pillow's Raqm layout (HarfBuzz and
FriBiDi); Pillow's wheels bundle it and it is used whenever
``PIL.features.check("raqm")`` is true. Without Raqm, Hebrew is drawn in the
right visual order by reversing each run, but Arabic letters stay unjoined
(isolated forms): that fallback is not correct Arabic.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from PIL import ImageDraw, ImageFont, features

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
LATIN = {"regular": "NotoSans-Regular.ttf", "bold": "NotoSans-Bold.ttf"}
LATIN_FALLBACK = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
SCRIPT_FONTS = {
    "arabic": {"regular": "NotoSansArabic-Regular.ttf", "bold": "NotoSansArabic-Bold.ttf"},
    "hebrew": {"regular": "NotoSansHebrew-Regular.ttf", "bold": "NotoSansHebrew-Bold.ttf"},
    "devanagari": {
        "regular": "NotoSansDevanagari-Regular.ttf",
        "bold": "NotoSansDevanagari-Bold.ttf",
    },
    "thai": {"regular": "NotoSansThai-Regular.ttf", "bold": "NotoSansThai-Bold.ttf"},
    "cjk": {"regular": "NotoSansCJK-Regular.ttc", "bold": "NotoSansCJK-Bold.ttc"},
}
# Face index inside NotoSansCJK-*.ttc.
CJK_INDEX = {"ja": 0, "ko": 1, "zh": 2, "zh-cn": 2, "zh-hans": 2, "zh-tw": 3, "zh-hant": 3}
CJK_INDEX_BY_SCRIPT = {"japanese": 0, "korean": 1}
RTL_SCRIPTS = frozenset({"arabic", "hebrew"})
# Scripts written without spaces between words: lines may break between any two tokens.
NO_SPACE_SCRIPTS = frozenset({"cjk", "japanese", "korean", "thai"})

_RANGES = (
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0xFB1D, 0xFB4F, "hebrew"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0E00, 0x0E7F, "thai"),
    (0x3040, 0x30FF, "japanese"),
    (0x31F0, 0x31FF, "japanese"),
    (0xAC00, 0xD7AF, "korean"),
    (0x1100, 0x11FF, "korean"),
    (0x3400, 0x4DBF, "cjk"),
    (0x4E00, 0x9FFF, "cjk"),
    (0xF900, 0xFAFF, "cjk"),
)


def script_of(text: str) -> str:
    """The text's writing system: ``latin`` unless a character says otherwise.

    Kana makes Han text ``japanese``; Hangul makes it ``korean``.
    """
    found = "latin"
    for char in text:
        code = ord(char)
        if code < 0x0590:
            continue
        for low, high, script in _RANGES:
            if low <= code <= high:
                if script in ("japanese", "korean"):
                    return script
                found = script if found == "latin" else found
                break
    return found


def has_raqm() -> bool:
    """Whether Pillow can shape complex scripts and reorder bidirectional text."""
    return bool(features.check("raqm"))


def find_font_file(name: str) -> Path | None:
    """The installed font file called ``name``, or None."""
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _font_file(script: str, weight: str, brand_font: str | None) -> tuple[Path, int]:
    family = "cjk" if script in ("japanese", "korean") else script
    if family in SCRIPT_FONTS:
        path = find_font_file(SCRIPT_FONTS[family][weight])
        if path is not None:
            return path, 0
    if brand_font and Path(brand_font).is_file():
        return Path(brand_font), 0
    path = find_font_file(LATIN[weight]) or find_font_file(LATIN_FALLBACK[weight])
    if path is None:
        return Path(LATIN_FALLBACK[weight]), 0  # let Pillow report it
    return path, 0


def font_for(
    text: str,
    size: int,
    weight: str = "bold",
    language: str | None = None,
    brand_font: str | None = None,
) -> ImageFont.FreeTypeFont:
    """A font that has glyphs for ``text`` (see module docstring), at ``size`` px."""
    script = script_of(text)
    path, index = _font_file(script, weight, brand_font)
    if path.suffix == ".ttc":
        index = _cjk_index(script, language)
    return _load(str(path), index, max(6, int(size)))


def _cjk_index(script: str, language: str | None) -> int:
    if script in CJK_INDEX_BY_SCRIPT:
        return CJK_INDEX_BY_SCRIPT[script]
    tag = (language or "zh").lower()
    return CJK_INDEX.get(tag, CJK_INDEX.get(tag.split("-")[0], 2))


@functools.lru_cache(maxsize=256)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if has_raqm() else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size, index=index, layout_engine=engine)


def visual(text: str) -> str:
    """Text in the order to hand to Pillow: as is with Raqm, reversed RTL runs without."""
    if has_raqm() or script_of(text) not in RTL_SCRIPTS:
        return text
    return " ".join(word[::-1] for word in reversed(text.split(" ")))


SUBSTITUTES = {
    "\u2b50": "\u2605", "\U0001f31f": "\u2605", "\u2728": "\u2605", "\u2b51": "\u2605",
    "\u2705": "\u2713", "\u2714": "\u2713", "\u2611": "\u2713", "\u274c": "\u2717",
    "\u2764": "\u2665", "\U0001f496": "\u2665", "\U0001f49a": "\u2665",
    "\U0001f499": "\u2665", "\U0001f449": "\u2192", "\u27a1": "\u2192",
}  # fmt: skip
SYMBOL_FONTS = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
_SPACES = re.compile(r" {2,}")


@functools.lru_cache(maxsize=64)
def _coverage(path: str, index: int) -> frozenset[int]:
    """The code points the font file has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _symbol_font(font: ImageFont.FreeTypeFont) -> ImageFont.FreeTypeFont | None:
    weight = "bold" if "bold" in Path(str(font.path)).name.lower() else "regular"
    path = find_font_file(SYMBOL_FONTS[weight])
    return _load(str(path), 0, int(font.size)) if path else None


def runs(text: str, font: ImageFont.FreeTypeFont) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """TEXT cut into (piece, font) runs in which every character has a glyph.

    Text the font covers is one run in that font (shaping and kerning as before);
    otherwise emoji become their plain symbol, symbols the font lacks come from
    DejaVu Sans, and characters no font here has are dropped.
    """
    have = _coverage(str(font.path), getattr(font, "index", 0))
    if all(ord(c) in have or c in " \n" for c in text):
        return [(text, font)] if text else []
    symbols = _symbol_font(font)
    extra = _coverage(str(symbols.path), 0) if symbols is not None else frozenset()
    pieces: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for char in text:
        char = SUBSTITUTES.get(char, char)
        if ord(char) in have or char in " \n":
            chosen = font
        elif ord(char) in extra and script_of(text) not in RTL_SCRIPTS:
            chosen = symbols
        else:
            continue  # no glyph anywhere: leave it out rather than draw a box
        if pieces and pieces[-1][1] is chosen:
            pieces[-1] = (pieces[-1][0] + char, chosen)
        else:
            pieces.append((char, chosen))
    joined = "".join(piece for piece, _ in pieces)
    if _SPACES.search(joined) or joined != joined.strip():  # a dropped emoji left a gap
        return runs(_SPACES.sub(" ", joined).strip(), font) if joined.strip() else []
    return pieces


def missing_glyphs(text: str, font: ImageFont.FreeTypeFont) -> str:
    """The characters :func:`draw_text` would draw as an empty box (none: '')."""
    return "".join(
        c
        for piece, used in runs(text, font)
        for c in piece
        if ord(c) not in _coverage(str(used.path), getattr(used, "index", 0)) and c not in " \n"
    )


def text_width(text: str, font: ImageFont.FreeTypeFont) -> float:
    """Advance width of ``text`` in pixels."""
    return float(sum(used.getlength(visual(piece)) for piece, used in runs(text, font)))


def line_height(font: ImageFont.FreeTypeFont) -> int:
    """Distance between baselines that suits ``font`` (ascent + descent)."""
    ascent, descent = font.getmetrics()
    return ascent + descent


def draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: tuple,
    stroke: int = 0,
    stroke_fill: tuple | None = None,
) -> None:
    """Draw ``text`` with its top-left (ascender line) at ``xy`` (see :func:`runs`)."""
    x, y = xy
    ascent = font.getmetrics()[0]
    for piece, used in runs(text, font):
        top = y + ascent - used.getmetrics()[0]  # one baseline for every run
        draw.text(
            (x, top),
            visual(piece),
            font=used,
            fill=fill,
            stroke_width=stroke,
            stroke_fill=stroke_fill,
        )
        x += used.getlength(visual(piece))


def fit_size(text: str, weight: str, size: int, max_width: float, **font_args) -> int:
    """Largest size <= ``size`` at which ``text`` fits ``max_width`` (never below 40 %)."""
    floor = max(6, int(size * 0.4))
    while size > floor:
        if text_width(text, font_for(text, size, weight, **font_args)) <= max_width:
            return size
        size = int(size * 0.92)
    return floor


def wrap(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` (a too-long word stays whole)."""
    separator = "" if script_of(text) in NO_SPACE_SCRIPTS else " "
    units = list(text) if not separator else text.split()
    lines: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current}{separator}{unit}" if current else unit
        if current and text_width(candidate, font) > max_width:
            lines.append(current)
            current = unit
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def balanced(text: str, font: ImageFont.FreeTypeFont, max_width: float, lines: int = 2):
    """``text`` in at most ``lines`` lines that fit, as even as possible (None if impossible).

    Two lines are cut where the longer line is shortest, preferring a cut after
    punctuation ("Leak-proof. / One hand." rather than "Leak-proof. One / hand.").
    """
    if text_width(text, font) <= max_width:
        return [text]
    separator = "" if script_of(text) in NO_SPACE_SCRIPTS else " "
    units = list(text) if not separator else text.split()
    if lines < 2 or len(units) < 2:
        return None
    best, best_score = None, None
    for cut in range(1, len(units)):
        top, bottom = separator.join(units[:cut]), separator.join(units[cut:])
        widest = max(text_width(top, font), text_width(bottom, font))
        if widest > max_width:
            continue
        score = widest - (0.25 * max_width if top[-1] in ".,;:!?-" else 0.0)
        if best_score is None or score < best_score:
            best, best_score = [top, bottom], score
    return best
