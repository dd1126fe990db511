"""The speech stage: script text in, a loudness-normalised WAV with timings out.

The script is normalised (prices, units, dates... read out; the workspace
glossary applied), split into sentences and pauses, and each sentence is
synthesised on its own (cached), so a long script never goes to an engine in
one piece. Timings come from the engine where it has them, otherwise from
forced alignment (English), and are shifted onto the joined track.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from avatar.errors import InvalidInput
from avatar.text import Pause, Sentence, normalize
from avatar.voices.base import EngineOutput, SpeechResult, Timing, Voice
from avatar.voices.cache import SpeechCache
from avatar.voices.language import unreadable_script

MAX_CHARS = 5000
TARGET_LUFS = -16.0
SENTENCE_GAP_S = 0.25
EDGE_PAD_S = 0.1
RATE_RANGE = (0.5, 2.0)
PITCH_RANGE = (-12.0, 12.0)


@dataclass(frozen=True)
class SpeechSettings:
    """How to speak: speed multiplier, pitch in semitones, glossary, cache."""

    rate: float = 1.0
    pitch: float = 0.0
    glossary: dict[str, str] | None = None
    cache: SpeechCache | None = None


@dataclass
class _Piece:
    samples: np.ndarray
    words: list[Timing]
    phonemes: list[Timing]
    tokens: list[Timing]


def check_request(text: str, voice: Voice, settings: SpeechSettings) -> None:
    """Refuse what cannot be spoken, naming the field at fault."""
    if not text or not text.strip():
        raise InvalidInput("script", "The script is empty. Write what the presenter says.")
    if len(text) > MAX_CHARS:
        raise InvalidInput(
            "script", f"The script has {len(text):,} characters; the limit is {MAX_CHARS:,}."
        )
    script = unreadable_script(text, voice.language)
    if script:
        raise InvalidInput(
            "voice",
            f"The voice {voice.name} ({voice.language}) cannot read {script}. "
            "Choose a voice for the script's language.",
            code="language_not_supported",
        )
    _check_range("rate", settings.rate, RATE_RANGE)
    _check_range("pitch", settings.pitch, PITCH_RANGE)


def _check_range(field: str, value: float, bounds: tuple[float, float]) -> None:
    if not bounds[0] <= value <= bounds[1]:
        raise InvalidInput(field, f"{field} must be between {bounds[0]:g} and {bounds[1]:g}.")


def speak(text: str, voice: Voice, engine, out_wav: Path, settings: SpeechSettings) -> SpeechResult:
    """Synthesise TEXT with VOICE's ENGINE module into OUT_WAV (see module docstring)."""
    from avatar.audio.io import write_wav
    from avatar.audio.loudness import normalize_loudness

    check_request(text, voice, settings)
    script = normalize(text, voice.language, settings.glossary)
    if not any(isinstance(segment, Sentence) for segment in script.segments):
        raise InvalidInput("script", "The script has no words to speak.", code="nothing_to_say")
    with tempfile.TemporaryDirectory(prefix="speech-") as tmp:
        pieces = _speak_segments(script.segments, voice, engine, Path(tmp), settings)
    samples, timings = _join(pieces, voice.sample_rate)
    samples = normalize_loudness(samples, voice.sample_rate, TARGET_LUFS)
    write_wav(out_wav, samples, voice.sample_rate)
    return SpeechResult(
        wav=Path(out_wav),
        sample_rate=voice.sample_rate,
        duration_s=len(samples) / voice.sample_rate,
        words=tuple(timings["words"]),
        phonemes=tuple(timings["phonemes"]),
        tokens=tuple(timings["tokens"]),
        timing_source=_timing_source(voice, timings["words"]),
    )


def _timing_source(voice: Voice, words: list[Timing]) -> str:
    if not words:
        return "none"
    return "engine" if voice.timings else "aligned"


def _speak_segments(segments, voice, engine, tmp: Path, settings) -> list[_Piece]:
    pieces: list[_Piece] = []
    rate = voice.sample_rate
    for index, segment in enumerate(segments):
        if isinstance(segment, Pause):
            pieces.append(_silence(segment.seconds, rate))
            continue
        if pieces:
            pieces.append(_silence(SENTENCE_GAP_S, rate))
        pieces.append(_speak_sentence(segment, voice, engine, tmp / f"{index}.wav", settings))
    return pieces


def _silence(seconds: float, rate: int) -> _Piece:
    return _Piece(np.zeros(int(round(seconds * rate)), np.float32), [], [], [])


def _speak_sentence(sentence: Sentence, voice, engine, wav: Path, settings) -> _Piece:
    from avatar.audio.io import read_wav

    output = _cached_synthesis(sentence.text, voice, engine, wav, settings)
    samples, _ = read_wav(wav)
    if not output.words and voice.primary_language == "en":
        output = _aligned(wav, sentence.text)
    tokens = token_timings(sentence, output.words)
    return _Piece(samples, list(output.words), list(output.phonemes), tokens)


def _cached_synthesis(text: str, voice, engine, wav: Path, settings) -> EngineOutput:
    cache = settings.cache
    key = SpeechCache.key(voice.engine, voice.id, text, settings.rate, settings.pitch)
    cached = cache.get(key, wav) if cache else None
    if cached is not None:
        return cached
    output = engine.synthesize(voice, text, wav, rate=settings.rate, pitch=settings.pitch)
    if cache:
        cache.put(key, wav, output)
    return output


def _aligned(wav: Path, text: str) -> EngineOutput:
    from avatar.audio.align import align
    from avatar.errors import AvatarError

    try:
        words, phonemes = align(wav, text)
    except AvatarError:
        return EngineOutput()
    return EngineOutput(words=list(words), phonemes=list(phonemes))


def token_timings(sentence: Sentence, words: list[Timing]) -> list[Timing]:
    """Give each written token ("$19.99") the span of the spoken words it became.

    When the engine's word count differs from the normaliser's (an engine may
    split or merge words), spoken words are shared out in proportion.
    """
    counts = [len(token.spoken.split()) for token in sentence.tokens]
    total = sum(counts)
    if not words or not total:
        return []
    spans, position = [], 0.0
    scale = len(words) / total
    for token, count in zip(sentence.tokens, counts, strict=True):
        if count == 0:
            continue
        first = min(int(round(position)), len(words) - 1)
        position += count * scale
        last = max(first, min(int(round(position)) - 1, len(words) - 1))
        spans.append(Timing(token.written, words[first].start, words[last].end))
    return spans


def _join(pieces: list[_Piece], rate: int) -> tuple[np.ndarray, dict[str, list[Timing]]]:
    """Concatenate pieces between short edge pads, shifting every timing."""
    pad = np.zeros(int(EDGE_PAD_S * rate), np.float32)
    chunks, offset = [pad], len(pad) / rate
    timings: dict[str, list[Timing]] = {"words": [], "phonemes": [], "tokens": []}
    for piece in pieces:
        for name in timings:
            timings[name] += [t.shifted(offset) for t in getattr(piece, name)]
        chunks.append(piece.samples.astype(np.float32))
        offset += len(piece.samples) / rate
    chunks.append(pad)
    return np.concatenate(chunks), timings
