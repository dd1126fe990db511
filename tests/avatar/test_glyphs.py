"""No text is burned into a video as empty boxes: every overlay's glyphs exist.

A customer's ad showed its rating as "▯ 5": the overlay "★ {rating}" was drawn in
Noto Sans, which has no star. Text the font lacks is now drawn from DejaVu Sans
(symbols) or with a plain substitute (emoji), and dropped only where no font
here has it.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from avatar.compose import text as textmod

EMOJI_TEXTS = [
    "⭐ 4.8",
    "⭐️⭐️⭐️⭐️⭐️ 5/5",
    "✅ Free shipping",
    "🔥 Hot deal 🔥",
    "Love it ❤️",
    "👉 Link below",
]


def overlay_texts() -> list[str]:
    """Every overlay the script writer can put on screen, in every language, plus emoji."""
    from scraper.script.grammar import BANKS

    texts = list(EMOJI_TEXTS)
    for bank in BANKS.values():
        for template in bank["overlay"].values():
            for option in template.strip("[]").split("|"):
                texts.append(option.format(price="€19.99", rating="4.8"))
    return texts


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_every_overlay_text_has_a_glyph_for_every_character_drawn(weight):
    for text in overlay_texts():
        font = textmod.font_for(text, 48, weight)
        assert textmod.missing_glyphs(text, font) == "", text
        drawn = "".join(piece for piece, _ in textmod.runs(text, font))
        assert drawn.strip(), text  # something is left to draw
        if "⭐" in text or "★" in text:
            assert "★" in drawn, (text, drawn)


def _draw(text: str, font) -> np.ndarray:
    image = Image.new("L", (400, 80), 0)
    textmod.draw_text(ImageDraw.Draw(image), (10, 10), text, font, 255)
    return np.asarray(image)


def test_a_star_is_drawn_as_a_star_not_as_a_box():
    font = textmod.font_for("★ 5", 48)
    assert "★" in "".join(p for p, f in textmod.runs("★ 5", font) if f is not font)
    ours = _draw("★ 5", font)
    boxed = Image.new("L", (400, 80), 0)  # what Pillow draws with the font alone
    ImageDraw.Draw(boxed).text((10, 10), "★ 5", font=font, fill=255)
    assert not np.array_equal(ours, np.asarray(boxed))
    symbols = textmod._symbol_font(font)
    alone = Image.new("L", (400, 80), 0)
    top = 10 + font.getmetrics()[0] - symbols.getmetrics()[0]
    ImageDraw.Draw(alone).text((10, top), "★", font=symbols, fill=255)
    width = int(symbols.getlength("★"))
    assert np.array_equal(ours[:, : 10 + width], np.asarray(alone)[:, : 10 + width])
    assert textmod.text_width("⭐ 5", font) == textmod.text_width("★ 5", font)


def test_text_the_font_covers_is_drawn_exactly_as_before():
    font = textmod.font_for("Shop now", 48)
    assert textmod.runs("Shop now", font) == [("Shop now", font)]
    plain = Image.new("L", (400, 80), 0)
    ImageDraw.Draw(plain).text((10, 10), "Shop now", font=font, fill=255)
    assert np.array_equal(_draw("Shop now", font), np.asarray(plain))
