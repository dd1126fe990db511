"""Captions: cues from word timings, SRT/WebVTT files, line breaking and fonts per script."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image, ImageDraw

from avatar import captions as cap
from avatar.compose import text as textmod
from avatar.compose.layouts import geometry
from avatar.voices.base import Timing

SCRIPT = (
    "Meet the Northwind travel mug. It keeps coffee hot for twelve hours, and iced drinks "
    "cold for twenty-four. Launch price: just $19.99!"
)


def tokens_for(script: str, start: float = 0.1, step: float = 0.31) -> list[Timing]:
    """Written tokens as the voices give them: words without punctuation, evenly timed."""
    words = re.findall(r"[\w$%.'-]+(?<![.])", script.replace(",", " ").replace("!", " "))
    timings, t = [], start
    for i, word in enumerate(words):
        pause = 0.4 if i and words[i - 1].endswith(".") else 0.0
        t += pause
        timings.append(Timing(word, round(t, 4), round(t + step * 0.8, 4)))
        t += step
    return timings


def painter(style: str = "social", width: int = 600, language: str | None = None):
    return cap.CaptionPainter(style, 1.0, width, (250, 204, 21, 255), (17, 24, 39, 255), language)


def cues_for(script: str, style: str = "social", width: int = 600, offset: float = 0.0):
    words = cap.words_from_tokens(tokens_for(script), offset, script)
    p = painter(style, width)
    split_from = 5 if style == "social" else None
    return words, cap.build_cues(words, cap.Fit(p.measure_for(script), width, 2, split_from)), p


def test_words_keep_the_scripts_punctuation_and_move_to_the_scene_start():
    words = cap.words_from_tokens(tokens_for(SCRIPT), 10.0, SCRIPT)
    texts = [w.text for w in words]
    assert texts[:6] == ["Meet", "the", "Northwind", "travel", "mug.", "It"]
    assert "hours," in texts and "$19.99!" in texts
    assert words[0].start == pytest.approx(10.1)


@pytest.mark.parametrize("style", ["social", "subtitle"])
def test_cues_cover_every_word_in_order_with_exact_word_times(style):
    words, cues, _ = cues_for(SCRIPT, style)
    assert [w for c in cues for w in c.words] == words
    for cue in cues:
        assert cue.start == cue.words[0].start and cue.end == cue.words[-1].end
        assert 1 <= len(cue.lines) <= 2


@pytest.mark.parametrize("style", ["social", "subtitle"])
def test_every_line_fits_the_caption_box_as_measured_with_the_font(style):
    width = 420
    _, cues, p = cues_for(SCRIPT, style, width)
    measure = p.measure_for(SCRIPT)
    for cue in cues:
        for line in cue.lines:
            assert measure(cap.line_text(line)) <= width


def test_cues_end_at_sentence_ends_and_leave_no_lone_word():
    _, cues, _ = cues_for(SCRIPT, "social", 600)
    for cue in cues[:-1]:
        last = cue.words[-1].text
        nxt = cues[cues.index(cue) + 1]
        assert last.endswith((".", "!", "?", ",")) or len(nxt.words) > 1
    assert all(len(c.words) > 1 for c in cues)


def _times(text: str) -> list[tuple[float, float]]:
    out = []
    for h1, m1, s1, ms1, h2, m2, s2, ms2 in re.findall(
        r"(\d\d):(\d\d):(\d\d)[,.](\d{3}) --> (\d\d):(\d\d):(\d\d)[,.](\d{3})", text
    ):
        start = int(h1) * 3600 + int(m1) * 60 + int(s1) + int(ms1) / 1000
        end = int(h2) * 3600 + int(m2) * 60 + int(s2) + int(ms2) / 1000
        out.append((start, end))
    return out


def test_srt_and_vtt_times_equal_the_word_times(tmp_path):
    _, cues, _ = cues_for(SCRIPT, "subtitle", 600, offset=61.5)
    cap.write_files(cues, tmp_path / "a.srt", tmp_path / "a.vtt")
    srt, vtt = (tmp_path / "a.srt").read_text(), (tmp_path / "a.vtt").read_text()
    expected = [(c.start, c.end) for c in cues]
    for parsed in (_times(srt), _times(vtt)):
        assert len(parsed) == len(expected)
        for (s, e), (es, ee) in zip(parsed, expected, strict=True):
            assert abs(s - es) <= 0.0005 + 1e-9 and abs(e - ee) <= 0.0005 + 1e-9
    assert vtt.startswith("WEBVTT") and srt.startswith("1\n00:01:")
    karaoke = [float(m) for m in re.findall(r"<00:01:(\d\d\.\d{3})>", vtt)]
    later_words = [w.start - 60 for c in cues for w in c.words if w is not c.words[0]]
    assert karaoke == pytest.approx(later_words, abs=0.0005 + 1e-9)  # ms resolution of the files


def _glyph(text: str, font) -> np.ndarray:
    image = Image.new("L", (200, 120), 0)
    ImageDraw.Draw(image).text((10, 10), text, font=font, fill=255)
    return np.asarray(image)


def _has_font(name: str) -> bool:
    return textmod.find_font_file(name) is not None


@pytest.mark.skipif(not _has_font("NotoSansCJK-Bold.ttc"), reason="fonts-noto-cjk not installed")
@pytest.mark.parametrize(
    ("text", "language", "face"), [("你好世界", "zh", "SC"), ("こんにちは", "ja", "JP")]
)
def test_chinese_and_japanese_render_real_glyphs_in_the_right_face(text, language, face):
    font = textmod.font_for(text, 48, "bold", language)
    assert font.getname()[0] == f"Noto Sans CJK {face}"
    tofu = _glyph("\ue000\ue000", font)  # private-use code points: the .notdef box
    glyphs = [_glyph(ch, font) for ch in text[:2]]
    assert glyphs[0].any() and glyphs[1].any()
    assert not np.array_equal(glyphs[0], glyphs[1])  # tofu boxes would all look alike
    assert not np.array_equal(_glyph(text[:2], font), tofu)


@pytest.mark.skipif(not _has_font("NotoSansArabic-Bold.ttf"), reason="fonts-noto-core missing")
def test_arabic_and_hebrew_get_their_fonts_and_read_right_to_left():
    for text, family in (("مرحبا بالعالم", "Noto Sans Arabic"), ("שלום עולם", "Noto Sans Hebrew")):
        assert textmod.font_for(text, 40).getname()[0] == family
        words = [cap.Word(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(text.split())]
        cue = cap.Cue((tuple(words),))
        _, laid_out = painter("social", 600).layout(cue)
        assert laid_out[0][1] > laid_out[1][1]  # the first word read is on the right


def test_cjk_cues_break_without_spaces():
    chars = "我们的保温杯可以保持十二个小时热度欢迎购买"
    words = [cap.Word(ch, i * 0.2, i * 0.2 + 0.15) for i, ch in enumerate(chars)]
    p = painter("subtitle", 300, "zh")
    cues = cap.build_cues(words, cap.Fit(p.measure_for(chars), 300, 2))
    assert "".join(cap.line_text(line, "") for c in cues for line in c.lines) == chars
    text_lines = [line for line in cap.srt(cues).splitlines() if "-->" not in line]
    assert not any(" " in line for line in text_lines)


def test_social_highlight_is_a_small_layer_over_the_cue():
    _, cues, p = cues_for(SCRIPT, "social", 600)
    base = p.paint(cues[0])
    word, x, y = p.paint_word(cues[0], 1)
    assert word.width < base.width / 2 and 0 <= x < base.width and 0 <= y < base.height
    assert np.asarray(word)[..., 3].max() == 255


@pytest.mark.parametrize("layout", ["presenter", "corner", "bottom", "split", "voiceover"])
@pytest.mark.parametrize("size", [(720, 1280), (1280, 720), (720, 720), (1080, 1920)])
def test_caption_boxes_and_text_slots_stay_inside_the_safe_area(layout, size):
    g = geometry(layout, *size)
    boxes = [g.captions, *g.slots.values()]
    for box in boxes:
        assert g.safe.x <= box.x and box.x + box.w <= g.safe.x + g.safe.w
        assert g.safe.y <= box.y and box.bottom <= g.safe.bottom
