"""The voice catalogue and the speech stage.

``synthesize(text, voice_id, out_wav, rate=, pitch=, glossary=, cache=)`` is
the speech stage: text in, a WAV at -16 LUFS with word and phoneme (IPA)
timings out. Engine modules declare their voices in a ``VOICES`` tuple and
import their heavy libraries inside functions, so browsing the catalogue
stays cheap.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from types import ModuleType

from avatar.errors import InvalidInput
from avatar.voices.base import SpeechResult, Timing, Voice
from avatar.voices.cache import SpeechCache
from avatar.voices.speech import SpeechSettings, speak

ENGINE_MODULES = ("piper", "kokoro", "festival", "flite", "espeak")
DEFAULT_VOICE_ID = "piper:en_US-joe-medium"

__all__ = [
    "DEFAULT_VOICE_ID",
    "SpeechCache",
    "SpeechResult",
    "Timing",
    "Voice",
    "catalogue",
    "get_voice",
    "synthesize",
]


@functools.cache
def engines() -> dict[str, ModuleType]:
    """Engine name -> module, for every engine whose program or library is installed."""
    modules = [importlib.import_module(f"avatar.voices.{name}_engine") for name in ENGINE_MODULES]
    return {module.ENGINE: module for module in modules if module.available()}


@functools.cache
def _catalogue() -> tuple[Voice, ...]:
    order = {"neural": 0, "standard": 1, "basic": 2}
    voices = [voice for module in engines().values() for voice in _engine_voices(module)]
    return tuple(sorted(voices, key=lambda v: (order.get(v.quality, 3), v.language, v.name)))


def catalogue() -> list[Voice]:
    """Every voice this installation can speak with, best quality first."""
    return list(_catalogue())


def _engine_voices(module: ModuleType) -> tuple[Voice, ...]:
    """An engine's full list when it has one (espeak's 100+ languages), else VOICES."""
    return module.voices() if hasattr(module, "voices") else module.VOICES


def get_voice(voice_id: str) -> Voice:
    """Return the catalogue entry for ``voice_id``.

    Raises:
        InvalidInput: ``field="voice"`` when the id is unknown or its engine missing.
    """
    for voice in catalogue():
        if voice.id == voice_id:
            return voice
    raise InvalidInput(
        "voice",
        f"Unknown voice {voice_id!r}. `python -m avatar voices` lists the voices.",
        code="unknown_voice",
    )


def synthesize(
    text: str,
    voice_id: str,
    out_wav: Path,
    *,
    rate: float = 1.0,
    pitch: float = 0.0,
    glossary: dict[str, str] | None = None,
    cache: SpeechCache | None = None,
) -> SpeechResult:
    """Speak TEXT with VOICE_ID into OUT_WAV.

    Args:
        rate: speed multiplier, 0.5 to 2.0.
        pitch: semitones, -12 to 12.
        glossary: written form -> how to say it (brand names), applied first.
        cache: a SpeechCache; sentences already spoken with the same settings are reused.

    Returns:
        A SpeechResult: mono 16-bit WAV at -16 LUFS, with word, phoneme (IPA)
        and written-token timings in seconds.

    Raises:
        InvalidInput: empty or over-long text, unknown voice, a script the voice
            cannot read, rate or pitch out of range (``field`` names which).
        SpeechFailed: the engine could not speak it.
    """
    voice = get_voice(voice_id)
    settings = SpeechSettings(rate=rate, pitch=pitch, glossary=glossary, cache=cache)
    return speak(text, voice, engines()[voice.engine], Path(out_wav), settings)


# Scripts spoken at once: an engine that says PARALLEL_SAFE runs on one core (one ONNX
# thread), so on 2 cores a second script is spoken on the other.
SPEECH_THREADS = 2


def speech_threads(voice_ids) -> int:
    """How many scripts to speak at once: SPEECH_THREADS where every voice's engine says
    PARALLEL_SAFE, else 1. None stands for speech that is not a script (an upload: decoded,
    maybe transcribed); it and unknown voices go one at a time, so that their errors come
    in order."""
    for voice_id in voice_ids:
        try:
            engine = get_voice(voice_id).engine if voice_id is not None else None
        except InvalidInput:
            return 1
        if not getattr(engines().get(engine), "PARALLEL_SAFE", False):
            return 1
    return SPEECH_THREADS


def longest_first(items: list, size, work, threads: int = SPEECH_THREADS, done=None) -> list:
    """``work(item)`` for each of ITEMS, THREADS at a time, the largest ``size(item)``
    first, so that the threads finish together; the results in ITEMS' order.

    The 30 s example's scenes took 0.43, 0.57, 0.42, 0.97 and 0.36 s: 1.54 s on two
    threads in scene order, 1.39 s longest first (the ideal is 1.38). ``done(count)``
    is called in the caller's thread each time one finishes (progress that touches a
    database stays on the caller's connection); where it raises (a cancelled job), the
    items not yet started are not started. Where several items fail, the first in ITEMS'
    order is raised, once all have finished.
    """
    if threads <= 1 or len(items) < 2:
        results = []
        for item in items:
            results.append(work(item))
            if done is not None:
                done(len(results))
        return results
    from concurrent.futures import ThreadPoolExecutor, as_completed

    with ThreadPoolExecutor(max_workers=threads) as pool:
        order = sorted(range(len(items)), key=lambda i: -size(items[i]))
        futures = {i: pool.submit(work, items[i]) for i in order}
        try:
            for count, _ in enumerate(as_completed(futures.values()), start=1):
                if done is not None:
                    done(count)
        except BaseException:
            for future in futures.values():
                future.cancel()
            raise
    return [futures[i].result() for i in range(len(items))]
