"""Helpers the engines share to turn their native timings into an EngineOutput.

Engines that phonemize with espeak (Piper, espeak-ng) sometimes speak several
written words as one phonetic word ("out of" -> ``aʊɾəv``, "of the" ->
``ʌvðə``). :func:`split_span` gives each written word its own timing by
sharing the group's phonemes out in proportion to the words' letters, always
cutting between two phonemes.
"""

from __future__ import annotations

import unicodedata
import wave
from pathlib import Path

from avatar.errors import SpeechFailed
from avatar.voices.base import EngineOutput, Timing

RATE_RANGE = (0.5, 2.0)
PITCH_RANGE = (-12.0, 12.0)
NOTHING_TO_SAY = "the script contains nothing that can be spoken"


def clamp_rate(rate: float) -> float:
    """Keep a speed multiplier in 0.5..2.0."""
    return min(max(float(rate), RATE_RANGE[0]), RATE_RANGE[1])


def clamp_pitch(pitch: float) -> float:
    """Keep a pitch shift in -12..12 semitones."""
    return min(max(float(pitch), PITCH_RANGE[0]), PITCH_RANGE[1])


def _is_edge_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "PSZC"


def written_words(text: str) -> list[str]:
    """The words of ``text``: whitespace-separated, punctuation trimmed, lower-case."""
    words = []
    for token in text.split():
        start, end = 0, len(token)
        while start < end and _is_edge_mark(token[start]):
            start += 1
        while end > start and _is_edge_mark(token[end - 1]):
            end -= 1
        if any(char.isalnum() for char in token[start:end]):
            words.append(token[start:end].lower())
    return words


def split_span(text: str, phones: list[Timing]) -> list[Timing]:
    """Word timings for one phonetic word that speaks the written ``text``.

    ``phones`` are the group's timed phonemes. One written word takes them
    all; several share them by letter count, cut between phonemes (or, with
    fewer phonemes than words, share the time evenly).
    """
    words = written_words(text)
    if not words or not phones:
        return []
    start, end = phones[0].start, phones[-1].end
    if len(words) == 1:
        return [Timing(words[0], start, end)]
    if len(phones) < len(words):
        step = (end - start) / len(words)
        return [Timing(w, start + i * step, start + (i + 1) * step) for i, w in enumerate(words)]
    cuts = _cuts([len(word) for word in words], len(phones))
    bounds = [start] + [phones[cut].start for cut in cuts] + [end]
    return [Timing(word, bounds[i], bounds[i + 1]) for i, word in enumerate(words)]


def _cuts(letters: list[int], count: int) -> list[int]:
    """Phone indices where words 2..n start, in proportion to ``letters``.

    Every word keeps at least one phone.
    """
    total = sum(letters)
    cuts, seen = [], 0
    for i, size in enumerate(letters[:-1]):
        seen += size
        cut = round(count * seen / total)
        low = (cuts[-1] if cuts else 0) + 1
        high = count - (len(letters) - 1 - i)
        cuts.append(min(max(cut, low), high))
    return cuts


def finish(
    words: list[Timing], phonemes: list[Timing], duration: float, shift: float = 0.0
) -> EngineOutput:
    """Shift timings by ``shift`` seconds, clamp them to the audio, keep them ordered.

    Raises:
        SpeechFailed: no phoneme was spoken.
    """
    if not phonemes:
        raise SpeechFailed(NOTHING_TO_SAY, field="script")
    return EngineOutput(
        words=_tidy(words, duration, shift), phonemes=_tidy(phonemes, duration, shift)
    )


def _tidy(items: list[Timing], duration: float, shift: float) -> list[Timing]:
    tidy: list[Timing] = []
    floor = 0.0
    for item in items:
        start = min(max(item.start + shift, floor), duration)
        end = min(max(item.end + shift, start), duration)
        tidy.append(Timing(item.text, round(start, 4), round(end, 4)))
        floor = start
    return tidy


def write_wav(path: Path, pcm: bytes, sample_rate: int) -> float:
    """Write 16-bit mono PCM bytes as a WAV file; return its duration in seconds.

    Raises:
        SpeechFailed: there is no audio.
    """
    if not pcm:
        raise SpeechFailed(NOTHING_TO_SAY, field="script")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm)
    return len(pcm) / 2 / sample_rate


def wav_duration(path: Path) -> float:
    """Length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()
