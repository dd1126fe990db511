"""Types shared by every speech engine.

An engine module exposes ``synthesize(voice, text, out_wav) -> SpeechResult``
and writes a mono 16-bit PCM WAV. The catalogue in :mod:`avatar.voices` maps
voice ids to engines, so adding an engine means adding one module and its
catalogue entries.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Voice:
    """A voice offered to customers.

    ``id`` is ``"<engine>:<engine voice name>"``; ``language`` is BCP-47.
    """

    id: str
    name: str
    language: str
    gender: str
    engine: str
    sample_rate: int
    licence: str = ""


@dataclass(frozen=True)
class SpeechResult:
    """A synthesized speech track: a mono 16-bit WAV file."""

    wav: Path
    sample_rate: int
    duration_s: float


class SpeechEngine(Protocol):
    """What the catalogue needs from an engine module."""

    def synthesize(self, voice: Voice, text: str, out_wav: Path) -> SpeechResult: ...


def read_speech_result(wav_path: Path) -> SpeechResult:
    """Describe an existing WAV file as a :class:`SpeechResult`."""
    with wave.open(str(wav_path), "rb") as wav:
        rate = wav.getframerate()
        frames = wav.getnframes()
    return SpeechResult(wav=wav_path, sample_rate=rate, duration_s=frames / rate)
