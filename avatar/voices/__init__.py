"""Voice catalogue and the speech stage.

``synthesize(text, voice_id, out_wav)`` is the speech stage: text in, WAV file
out. Engine modules must import their heavy libraries (onnxruntime, models)
inside functions, so browsing the catalogue stays cheap.
"""

from __future__ import annotations

from pathlib import Path

from avatar.errors import InvalidInput
from avatar.voices import piper_engine
from avatar.voices.base import SpeechEngine, SpeechResult, Voice

# Voice id -> Voice. Engine modules declare their voices in a VOICES tuple.
CATALOGUE: dict[str, Voice] = {voice.id: voice for voice in piper_engine.VOICES}

# Engine name -> module implementing SpeechEngine.
_ENGINES: dict[str, SpeechEngine] = {piper_engine.ENGINE: piper_engine}

DEFAULT_VOICE_ID = "piper:en_US-joe-medium"

__all__ = ["CATALOGUE", "DEFAULT_VOICE_ID", "SpeechResult", "Voice", "get_voice", "synthesize"]


def get_voice(voice_id: str) -> Voice:
    """Return the catalogue entry for ``voice_id``.

    Raises:
        InvalidInput: ``field="voice"`` when the id is unknown.
    """
    try:
        return CATALOGUE[voice_id]
    except KeyError:
        known = ", ".join(sorted(CATALOGUE))
        raise InvalidInput("voice", f"unknown voice {voice_id!r}; choose one of: {known}") from None


def synthesize(text: str, voice_id: str, out_wav: Path) -> SpeechResult:
    """Speech stage: speak ``text`` with ``voice_id`` into a mono 16-bit WAV.

    Returns:
        The WAV path, its sample rate and duration.

    Raises:
        InvalidInput: unknown voice.
        SpeechFailed: the engine produced no audio.
    """
    voice = get_voice(voice_id)
    return _ENGINES[voice.engine].synthesize(voice, text, Path(out_wav))
