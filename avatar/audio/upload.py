"""Prepare an uploaded recording for the talking-avatar pipeline.

Decode (any format ffmpeg reads, at most 10 minutes), normalise to -16 LUFS,
write a 22.05 kHz mono 16-bit WAV, then find when each word and phoneme is
spoken:

- English with a transcript: forced alignment (``timing_source="aligned"``).
- English without one: Whisper tiny.en transcribes, then its text is aligned
  (``"transcribed"``). If that alignment fails, Whisper's own word timings
  are kept and there are no phonemes.
- Other languages: pocketsphinx is English-only, so there are no timings
  (``"none"``) and lip-sync must work from the audio itself
  (``needs_audio_visemes=True``); a given transcript is kept for captions.

``needs_audio_visemes`` is true whenever no phonemes could be found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from avatar.audio.io import decode_audio, write_wav
from avatar.audio.loudness import normalize_loudness
from avatar.voices.base import Timing

SAMPLE_RATE = 22050
MAX_SECONDS = 600.0
TARGET_LUFS = -16.0


@dataclass(frozen=True)
class PreparedAudio:
    """A normalised upload and what is known about when its sounds happen."""

    wav: Path
    sample_rate: int
    duration_s: float
    words: tuple[Timing, ...]
    phonemes: tuple[Timing, ...]
    transcript: str
    timing_source: str  # "aligned" | "transcribed" | "none"
    needs_audio_visemes: bool


@dataclass(frozen=True)
class _Timings:
    words: tuple[Timing, ...] = ()
    phonemes: tuple[Timing, ...] = ()
    transcript: str = ""
    source: str = "none"


def prepare_uploaded_audio(
    src: Path, out_wav: Path, transcript: str | None = None, language: str = "en"
) -> PreparedAudio:
    """Decode, normalise and time an uploaded recording.

    Args:
        src: the uploaded file.
        out_wav: where to write the normalised 22.05 kHz mono 16-bit WAV.
        transcript: what is said, if the customer gave it.
        language: BCP-47 language of the speech (``"en"``, ``"en-GB"``, ``"de"`` ...).

    Returns:
        The :class:`PreparedAudio`.

    Raises:
        FileNotFoundError: ``src`` does not exist.
        InvalidInput: field ``"audio"``: ``not_audio``, ``audio_too_long``,
            ``audio_corrupt``, ``audio_too_short`` or ``audio_silent``.
            Timing problems never raise: they lower ``timing_source``.
    """
    samples = decode_audio(src, rate=SAMPLE_RATE, max_seconds=MAX_SECONDS)
    samples = normalize_loudness(samples, SAMPLE_RATE, target_lufs=TARGET_LUFS)
    write_wav(out_wav, samples, SAMPLE_RATE)
    transcript = (transcript or "").strip()
    if language.split("-")[0].lower() == "en":
        timings = _english_timings(out_wav, transcript)
    else:
        timings = _Timings(transcript=transcript)
    return PreparedAudio(
        wav=Path(out_wav),
        sample_rate=SAMPLE_RATE,
        duration_s=len(samples) / SAMPLE_RATE,
        words=timings.words,
        phonemes=timings.phonemes,
        transcript=timings.transcript,
        timing_source=timings.source,
        needs_audio_visemes=not timings.phonemes,
    )


def _english_timings(wav: Path, transcript: str) -> _Timings:
    """Align the given transcript, or transcribe and align; never raises on timing."""
    from avatar.audio.align import AlignmentFailed, align

    if transcript:
        try:
            words, phonemes = align(wav, transcript)
            return _Timings(tuple(words), tuple(phonemes), transcript, "aligned")
        except AlignmentFailed:
            pass  # a transcript that does not match: fall back to listening
    timings = _transcribed_timings(wav)
    if transcript:
        # Keep the customer's words for captions even when timings came from Whisper.
        return _Timings(timings.words, timings.phonemes, transcript, timings.source)
    return timings


def _transcribed_timings(wav: Path) -> _Timings:
    from avatar.audio.align import AlignmentFailed, align
    from avatar.audio.transcribe import transcribe_english

    text, whisper_words = transcribe_english(wav)
    if not whisper_words:
        return _Timings(transcript=text)
    try:
        words, phonemes = align(wav, text)
    except AlignmentFailed:
        return _Timings(tuple(whisper_words), (), text, "transcribed")
    return _Timings(tuple(words), tuple(phonemes), text, "transcribed")
