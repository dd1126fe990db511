"""Types shared by every speech engine.

An engine module exposes ``synthesize(voice, text, out_wav, rate, pitch) ->
EngineOutput``: it writes a mono 16-bit PCM WAV of one sentence of already
normalised text, and returns the word and phoneme timings it knows (empty
lists when it knows none). Phonemes are always IPA (see avatar.voices.phones),
so every engine speaks one phone set. The catalogue in :mod:`avatar.voices`
maps voice ids to engines, so adding an engine means adding one module and
its catalogue entries.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Voice:
    """A voice offered to customers.

    ``id`` is ``"<engine>:<engine voice name>"``; ``language`` is BCP-47.
    ``quality`` is ``"neural"``, ``"standard"`` or ``"basic"``; ``timings``
    says whether the engine itself reports when each sound happens (otherwise
    they come from forced alignment, English only).
    """

    id: str
    name: str
    language: str
    gender: str
    engine: str
    sample_rate: int
    quality: str = "standard"
    timings: bool = False
    licence: str = ""

    @property
    def engine_voice(self) -> str:
        return self.id.split(":", 1)[1]

    @property
    def primary_language(self) -> str:
        return self.language.split("-")[0].lower()


@dataclass(frozen=True)
class Timing:
    """One word or phoneme: ``text`` is the word, or the IPA phoneme."""

    text: str
    start: float
    end: float

    def shifted(self, seconds: float) -> Timing:
        return Timing(self.text, round(self.start + seconds, 4), round(self.end + seconds, 4))


@dataclass
class EngineOutput:
    """What an engine returns for one sentence."""

    words: list[Timing] = field(default_factory=list)
    phonemes: list[Timing] = field(default_factory=list)


@dataclass(frozen=True)
class SpeechResult:
    """A synthesized speech track: a mono 16-bit WAV file and its timings.

    ``words`` are the spoken words ("nineteen", "dollars"); ``tokens`` are the
    written words of the script they came from ("$19.99"), with the span of
    their spoken words, for captions. ``timing_source`` is ``"engine"``,
    ``"aligned"`` or ``"none"``.
    """

    wav: Path
    sample_rate: int
    duration_s: float
    words: tuple[Timing, ...] = ()
    phonemes: tuple[Timing, ...] = ()
    tokens: tuple[Timing, ...] = ()
    timing_source: str = "none"


class SpeechEngine(Protocol):
    """What the catalogue needs from an engine module."""

    def synthesize(
        self, voice: Voice, text: str, out_wav: Path, rate: float, pitch: float
    ) -> EngineOutput: ...


def read_speech_result(wav_path: Path) -> SpeechResult:
    """Describe an existing WAV file as a :class:`SpeechResult` without timings."""
    with wave.open(str(wav_path), "rb") as wav:
        rate = wav.getframerate()
        frames = wav.getnframes()
    return SpeechResult(wav=wav_path, sample_rate=rate, duration_s=frames / rate)
