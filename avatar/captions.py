"""Captions from word timings: cues, SRT and WebVTT files, and burned-in layers.

Words come from ``SpeechResult.tokens`` (the written words, "$19.99" rather
than "nineteen dollars ninety-nine"), shifted to where the scene starts, with
the script's punctuation put back. They are grouped into cues of at most two
lines that fit the caption box as measured with the real font; a cue ends at
the end of a sentence, at a pause, or when it is full, and lines prefer to
break after a comma. A cue's times are exactly its first word's start and its
last word's end; the WebVTT file also carries every word's start as a
karaoke timestamp.

Two burned-in styles:
- ``subtitle``: white text on dark rounded boxes at the bottom, a cue at a time.
- ``social``: big bold text with a dark outline; the word being spoken sits
  on a box in the brand's accent colour and moves along word by word.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from avatar.compose import text as textmod

SENTENCE_END = (".", "!", "?", "。", "！", "？", "…", "؟")
CLAUSE_END = (",", ";", ":", "，", "；", "：", "、", "،", "—")
TRAILING = set(".,!?;:…)]}\"'”’»。，！？；：、」』）،؟—")
PAUSE_S = 0.6  # a silence this long ends a cue
MAX_CUE_S = 6.0
LINGER_S = 0.5  # how long a cue stays up after its last word when nothing follows


@dataclass(frozen=True)
class Word:
    """A written word and when it is spoken (seconds on the video's timeline)."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Cue:
    """What is on screen at once: one or two lines of words."""

    lines: tuple[tuple[Word, ...], ...]

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for line in self.lines for w in line)

    @property
    def start(self) -> float:
        return self.lines[0][0].start

    @property
    def end(self) -> float:
        return self.lines[-1][-1].end


def words_from_tokens(tokens: Iterable, offset_s: float, script: str | None = None) -> list[Word]:
    """Timed written tokens -> :class:`Word` on the video timeline, punctuation restored.

    Args:
        tokens: objects with ``text``, ``start`` and ``end`` (seconds in the scene's audio).
        offset_s: where the scene's audio starts in the video.
        script: the text that was spoken; punctuation following each token is copied.
    """
    words, cursor = [], 0
    for token in tokens:
        text = token.text
        if script:
            text, cursor = _with_punctuation(script, token.text, cursor)
        # Rounded in the scene, then moved: a word then falls on the same frame of its
        # scene wherever an edit moves the scene (rounding the sum would not).
        words.append(Word(text, round(token.start, 4) + offset_s, round(token.end, 4) + offset_s))
    return words


def _with_punctuation(script: str, token: str, cursor: int) -> tuple[str, int]:
    found = script.find(token, cursor)
    if found < 0:
        found = script.lower().find(token.lower(), cursor)
    if found < 0 or found - cursor > 80:  # not where expected: leave it as spoken
        return token, cursor
    end = found + len(token)
    while end < len(script) and script[end] in TRAILING:
        end += 1
    return script[found:end], end


def _joiner(words: Iterable[Word]) -> str:
    sample = "".join(w.text for w in words)
    return "" if textmod.script_of(sample) in textmod.NO_SPACE_SCRIPTS else " "


def line_text(line: Iterable[Word], joiner: str = " ") -> str:
    return joiner.join(w.text for w in line)


@dataclass(frozen=True)
class Fit:
    """How cues are shaped: the text measure, the box width, lines, and from how many
    words a cue is split over two lines even when one line would hold it."""

    measure: Callable[[str], float]
    max_width: float
    max_lines: int = 2
    split_from: int | None = None


def build_cues(words: list[Word], fit: Fit) -> list[Cue]:
    """Group words into cues (see module docstring).

    Each phrase (up to a sentence end or a pause) is cut into the fewest cues
    that fit, as evenly as possible, preferring cuts after commas and never
    leaving a lone word when that can be helped.
    """
    if not words:
        return []
    joiner = _joiner(words)
    measure = functools.lru_cache(maxsize=4096)(fit.measure)
    fit = Fit(measure, fit.max_width, fit.max_lines, fit.split_from)
    cues: list[Cue] = []
    for phrase in _phrases(words):
        for chunk in _partition(phrase, fit, joiner):
            cues.append(_balanced(chunk, fit, joiner))
    return cues


def _phrases(words: list[Word]) -> list[list[Word]]:
    phrases, current = [], [words[0]]
    for prev, word in zip(words, words[1:], strict=False):
        if prev.text.endswith(SENTENCE_END) or word.start - prev.end > PAUSE_S:
            phrases.append(current)
            current = [word]
        else:
            current.append(word)
    phrases.append(current)
    return phrases


MAX_CUE_WORDS = 16


def _partition(words: list[Word], fit: Fit, joiner: str) -> list[list[Word]]:
    """Fewest consecutive chunks that each fit, then the evenest (dynamic programming)."""
    n = len(words)
    best: list[tuple | None] = [(0, 0.0, 0)] + [None] * n  # (chunks, cost, start of last)
    for end in range(1, n + 1):
        for start in range(max(0, end - MAX_CUE_WORDS), end):
            if best[start] is None or not _chunk_fits(words[start:end], fit, joiner):
                continue
            chunks, cost, _ = best[start]
            option = (chunks + 1, cost + _chunk_cost(words[start:end], fit, joiner, n), start)
            if best[end] is None or option[:2] < best[end][:2]:
                best[end] = option
    if best[n] is None:  # a single word wider than the box: one word per cue
        return [[w] for w in words]
    chunks, end = [], n
    while end > 0:
        start = best[end][2]
        chunks.append(words[start:end])
        end = start
    return chunks[::-1]


def _chunk_fits(chunk: list[Word], fit: Fit, joiner: str) -> bool:
    too_long = len(chunk) > 1 and chunk[-1].end - chunk[0].start > MAX_CUE_S
    return not too_long and _split(chunk, fit, joiner) is not None


def _chunk_cost(chunk: list[Word], fit: Fit, joiner: str, phrase_words: int) -> float:
    fill = fit.measure(line_text(chunk, joiner)) / (fit.max_width * fit.max_lines)
    cost = (1.0 - min(fill, 1.0)) ** 2
    if len(chunk) == 1 and phrase_words > 1:
        cost += 1.0  # an orphan
    if chunk[-1].text.endswith(CLAUSE_END):
        cost -= 0.15
    return cost


def _split(words: list[Word], fit: Fit, joiner: str) -> list[list[Word]] | None:
    """Best line split: every line fits; one line when allowed; else the most even
    two lines, preferring a break after a comma. None when nothing fits."""
    one_line = fit.measure(line_text(words, joiner)) <= fit.max_width
    if one_line and (fit.max_lines == 1 or fit.split_from is None or len(words) < fit.split_from):
        return [words]
    if fit.max_lines == 1 or len(words) < 2:
        return [words] if one_line else None
    best, best_score = None, None
    for cut in range(1, len(words)):
        top, bottom = words[:cut], words[cut:]
        widths = (fit.measure(line_text(top, joiner)), fit.measure(line_text(bottom, joiner)))
        if max(widths) > fit.max_width:
            continue
        comma = top[-1].text.endswith(CLAUSE_END)
        score = abs(widths[0] - widths[1]) - (fit.max_width * 0.3 if comma else 0.0)
        if best_score is None or score < best_score:
            best, best_score = [top, bottom], score
    return best if best is not None else ([words] if one_line else None)


def _balanced(words: list[Word], fit: Fit, joiner: str) -> Cue:
    lines = _split(words, fit, joiner) or [words]
    return Cue(tuple(tuple(line) for line in lines))


# --------------------------------------------------------------------------- files


def _clock(seconds: float, separator: str) -> str:
    ms = int(round(max(seconds, 0.0) * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def srt(cues: list[Cue]) -> str:
    """SubRip text: numbered cues, comma decimal separator."""
    blocks = []
    joiner = _joiner(w for c in cues for w in c.words)
    for i, cue in enumerate(cues, 1):
        times = f"{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}"
        text = "\n".join(line_text(line, joiner) for line in cue.lines)
        blocks.append(f"{i}\n{times}\n{text}\n")
    return "\n".join(blocks)


def vtt(cues: list[Cue]) -> str:
    """WebVTT text with a karaoke timestamp before every word after a cue's first."""
    blocks = ["WEBVTT\n"]
    joiner = _joiner(w for c in cues for w in c.words)
    for cue in cues:
        times = f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}"
        lines = []
        for line in cue.lines:
            parts = [
                _escape(w.text)
                if w is cue.words[0]
                else f"<{_clock(w.start, '.')}>{_escape(w.text)}"
                for w in line
            ]
            lines.append(joiner.join(parts))
        blocks.append(f"{times}\n" + "\n".join(lines) + "\n")
    return "\n".join(blocks)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_files(cues: list[Cue], srt_path: Path, vtt_path: Path) -> None:
    """Write the .srt and .vtt files (UTF-8)."""
    Path(srt_path).write_text(srt(cues), encoding="utf-8")
    Path(vtt_path).write_text(vtt(cues), encoding="utf-8")


# --------------------------------------------------------------------------- burn-in


@dataclass(frozen=True)
class CaptionLook:
    """Sizes and colours of a burned-in style (sizes in px at 720 px short side)."""

    size: float
    weight: str
    fill: tuple
    stroke: float
    highlight: bool


LOOKS = {
    "subtitle": CaptionLook(36, "bold", (255, 255, 255, 255), 0, False),
    "social": CaptionLook(50, "bold", (255, 255, 255, 255), 5, True),
}


def display_end(cues: list[Cue], index: int) -> float:
    """When cue ``index`` leaves the screen: the next cue's start, or soon after its end."""
    cue = cues[index]
    linger = cue.end + LINGER_S
    if index + 1 < len(cues):
        return min(cues[index + 1].start, max(linger, cue.end))
    return linger


class CaptionPainter:
    """Draws cue images (RGBA) for one style, box width and brand accent colour."""

    def __init__(self, style: str, scale: float, max_width: int, accent: tuple, ink: tuple,
                 language: str | None = None, uppercase: bool = False) -> None:  # fmt: skip
        self.look = LOOKS[style]
        self.scale = scale
        self.max_width = max_width
        self.accent = accent
        self.ink = ink
        self.language = language
        self.uppercase = uppercase
        self._layouts: dict[Cue, tuple] = {}

    def shown(self, text: str) -> str:
        return text.upper() if self.uppercase else text

    def font(self, sample: str):
        return textmod.font_for(
            sample, self.look.size * self.scale, self.look.weight, self.language
        )

    def measure_for(self, sample: str) -> Callable[[str], float]:
        font = self.font(sample)
        pad = self._pad_x() * 2 + self.look.stroke * self.scale * 2
        return lambda text: textmod.text_width(self.shown(text), font) + pad

    def _pad_x(self) -> float:
        return 12 * self.scale

    def layout(self, cue: Cue) -> tuple[int, list[tuple]]:
        """(image height, [(text, x, y, width) per word in reading order]) for ``cue``."""
        if cue not in self._layouts:
            self._layouts[cue] = self._layout(cue)
        return self._layouts[cue]

    def _layout(self, cue: Cue) -> tuple[int, list[tuple]]:
        font = self.font("".join(w.text for w in cue.words))
        joiner = _joiner(cue.words)
        space = textmod.text_width(" ", font) if joiner else 0.0
        step = int(textmod.line_height(font) * (1.12 if self.look.highlight else 1.3))
        placed = []
        for row, line in enumerate(cue.lines):
            y = int(8 * self.scale) + row * step
            texts = [self.shown(w.text) for w in line]
            widths = [textmod.text_width(t, font) for t in texts]
            x = (self.max_width - sum(widths) - space * (len(texts) - 1)) / 2
            rtl = textmod.script_of("".join(texts)) in textmod.RTL_SCRIPTS
            lefts = []
            for width in reversed(widths) if rtl else widths:  # left to right on screen
                lefts.append(x)
                x += width + space
            if rtl:  # the first word read sits on the right
                lefts.reverse()
            placed += [(t, left, y, w) for t, left, w in zip(texts, lefts, widths, strict=True)]
        return step * len(cue.lines) + int(16 * self.scale), placed

    def paint(self, cue: Cue) -> Image.Image:
        """The cue as an RGBA image ``max_width`` wide, no word highlighted."""
        height, words = self.layout(cue)
        font = self.font("".join(w.text for w in cue.words))
        image = Image.new("RGBA", (self.max_width, height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        if not self.look.highlight:
            for y in sorted({w[2] for w in words}):
                line = [w for w in words if w[2] == y]
                self._boxed(draw, line, font, y, _joiner(cue.words))
            return image
        stroke = int(round(self.look.stroke * self.scale))
        for text, x, y, _ in words:
            textmod.draw_text(draw, (x, y), text, font, self.look.fill, stroke, (0, 0, 0, 255))
        return image

    def paint_word(self, cue: Cue, index: int) -> tuple[Image.Image, int, int]:
        """The highlight of word ``index`` (social style): (image, x, y) within the cue image."""
        _, words = self.layout(cue)
        font = self.font("".join(w.text for w in cue.words))
        text, x, y, width = words[index]
        pad, height = self._pad_x() * 0.6, textmod.line_height(font)
        left, top = int(x - pad) // 2 * 2, int(y) // 2 * 2
        image = Image.new("RGBA", (int(width + 2 * pad) + 4, height + 4), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        box = (
            x - pad - left,
            y + height * 0.06 - top,
            x + width + pad - left,
            y + height * 0.98 - top,
        )
        draw.rounded_rectangle(box, radius=10 * self.scale, fill=self.accent)
        textmod.draw_text(draw, (x - left, y - top), text, font, self.ink)
        return image, left, top

    def _boxed(self, draw, line: list[tuple], font, y: int, joiner: str) -> None:
        left = min(w[1] for w in line)
        right = max(w[1] + w[3] for w in line)
        pad_x, pad_y = self._pad_x(), 4 * self.scale
        height = textmod.line_height(font)
        box = (left - pad_x, y - pad_y, right + pad_x, y + height + pad_y)
        draw.rounded_rectangle(box, radius=8 * self.scale, fill=(0, 0, 0, 170))
        text = joiner.join(w[0] for w in sorted(line, key=lambda w: w[1]))
        if textmod.script_of(text) in textmod.RTL_SCRIPTS:
            text = joiner.join(w[0] for w in line)
        textmod.draw_text(draw, (left, y), text, font, self.look.fill)
