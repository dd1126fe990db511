"""Forced alignment of English speech to its transcript with pocketsphinx.

The recipe (STACK.md): 16 kHz mono 16-bit audio and lower-case words without
punctuation; ``set_align_text`` and a first decode give word segments, then
``set_alignment`` and a second decode give phones. When the default beams
lose the path, a second attempt uses very wide beams. The decoder runs with
``bestpath=False``: with it on, the phone pass failed on ordinary Piper speech
ending in a pause. No language model is loaded (alignment needs none).

Long files: the phone pass keeps a frames x states table, which grew from
110 MB for one minute to 10.6 GB for ten. Audio longer than ``MAX_CHUNK_S``
is first aligned at word level only, cut at the widest pauses into pieces of
15-40 s, and each piece is aligned in full (255 MB peak for ten minutes;
word starts within 40 ms of an unchunked alignment).

Out-of-vocabulary words: every word needs a pronunciation. A word missing
from CMUdict gets one guessed by espeak-ng (:mod:`avatar.audio.g2p`); if no
guess can be made it is aligned to the acoustic model's "speech noise" phone
(``+SPN+``), so it still gets its own time span (no phonemes for it). The
word list returned is always the transcript's words, in order.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from avatar.errors import AvatarError
from avatar.voices.base import Timing
from avatar.voices.phones import SILENCE, arpabet_to_ipa

RATE = 16000
FRAMES_PER_S = 100
FRAME_SAMPLES = RATE // FRAMES_PER_S
FRAME_BYTES = FRAME_SAMPLES * 2  # 16-bit samples
# Below this share of loud frames inside words, the transcript is judged wrong.
# Right transcripts of Piper speech covered 100 %; "Hello there." against a
# 6 s sentence 22 %, its first half 59 %. A heuristic, untested on real rooms.
MIN_COVERAGE = 0.75
SPEECH_FLOOR_DB = 30
MAX_CHUNK_S = 40
MIN_CHUNK_S = 15
WIDE_BEAMS = {"beam": 1e-80, "wbeam": 1e-60, "pbeam": 1e-80}
GARBAGE_PHONE = "+SPN+"
_VARIANT = re.compile(r"\(\d+\)$")
_EDGE_PUNCTUATION = string.punctuation + "“”‘’«»¡¿…–—"
# Symbols that are spoken ("$5", "50%", "#1") stay on their side of the word.
_LEADING = "".join(ch for ch in _EDGE_PUNCTUATION if ch not in "$#@")
_TRAILING = "".join(ch for ch in _EDGE_PUNCTUATION if ch != "%")


class AlignmentFailed(AvatarError):
    """The speech could not be aligned to its transcript (code ``alignment_failed``)."""

    def __init__(self, message: str) -> None:
        super().__init__("alignment_failed", message, field="transcript", retryable=False)


@dataclass(frozen=True)
class _Chunk:
    start: int  # frames
    end: int
    texts: list[str]


@dataclass(frozen=True)
class _Word:
    text: str  # the transcript's word, lower-case
    key: str  # its entry in the decoder's dictionary


def tokenize(transcript: str) -> list[str]:
    """Split a transcript into lower-case words without surrounding punctuation.

    ``"Hello, World! It's $5 (50%)."`` -> ``["hello", "world", "it's", "$5", "50%"]``.
    Inner characters (apostrophes, hyphens, digits) are kept.
    """
    words = []
    for raw in transcript.lower().replace("’", "'").split():
        word = raw.lstrip(_LEADING).rstrip(_TRAILING)
        if any(ch.isalnum() for ch in word):
            words.append(word)
    return words


def align(wav_path: Path | str, transcript: str) -> tuple[list[Timing], list[Timing]]:
    """Align English speech to its transcript.

    Args:
        wav_path: a WAV file of the speech (any rate; mixed to mono, resampled).
        transcript: what is said, in any case and with punctuation.

    Returns:
        ``(words, phonemes)``: words carry the transcript's lower-case words,
        phonemes carry IPA (see :mod:`avatar.voices.phones`); silences are
        left out. Times are seconds from the start of the file.

    Raises:
        AlignmentFailed: no words in the transcript, no alignment found even
            with wide beams, or the words cover too little of the speech
            (a transcript of only part of the recording).
    """
    texts = tokenize(transcript)
    if not texts:
        raise AlignmentFailed("The transcript contains no words to align.")
    pcm = load_pcm16k(wav_path)
    words: list[Timing] = []
    phonemes: list[Timing] = []
    for chunk in _chunks(pcm, texts):
        result = _align_with_retry(
            pcm[chunk.start * FRAME_BYTES : chunk.end * FRAME_BYTES], chunk.texts
        )
        if result is None:
            raise AlignmentFailed("The speech could not be matched to the transcript.")
        offset = chunk.start / FRAMES_PER_S
        words.extend(timing.shifted(offset) for timing in result[0])
        phonemes.extend(timing.shifted(offset) for timing in result[1])
    if speech_coverage(pcm, words) < MIN_COVERAGE:
        raise AlignmentFailed("The transcript does not match most of the speech.")
    return words, phonemes


def speech_coverage(pcm: bytes, words: list[Timing]) -> float:
    """Share of the loud 10 ms frames that fall inside some word's span.

    Forced alignment always "succeeds" when the transcript is much shorter
    than the speech: the silence model swallows the rest. Frames within
    ``SPEECH_FLOOR_DB`` of the loudest frame count as speech.
    """
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    frames = samples[: len(samples) // FRAME_SAMPLES * FRAME_SAMPLES].reshape(-1, FRAME_SAMPLES)
    if not len(frames):
        return 0.0
    energy_db = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-3)
    loud = energy_db > energy_db.max() - SPEECH_FLOOR_DB
    inside = np.zeros(len(loud), dtype=bool)
    for word in words:
        inside[int(word.start * FRAMES_PER_S) : int(np.ceil(word.end * FRAMES_PER_S))] = True
    return float(np.count_nonzero(loud & inside) / max(1, np.count_nonzero(loud)))


def load_pcm16k(wav_path: Path | str) -> bytes:
    """Read a WAV as 16 kHz mono signed 16-bit little-endian PCM bytes."""
    from avatar.audio.io import read_wav, resample

    samples, rate = read_wav(wav_path)
    samples = resample(samples, rate, RATE)
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    return pcm.tobytes()


def _align_with_retry(pcm: bytes, texts: list[str]) -> tuple[list[Timing], list[Timing]] | None:
    for beams in ({}, WIDE_BEAMS):
        result = _align_once(pcm, texts, beams)
        if result is not None:
            return result
    return None


def _align_once(
    pcm: bytes, texts: list[str], beams: dict[str, float]
) -> tuple[list[Timing], list[Timing]] | None:
    """Word pass then phone pass over one piece of audio; ``None`` on failure."""
    decoder = _decoder(beams)
    words = _dictionary_words(decoder, texts)
    try:
        if not _word_pass(decoder, pcm, words):
            return None
        decoder.set_alignment()
        _decode(decoder, pcm)
        alignment = decoder.get_alignment()
    except RuntimeError:
        return None
    if alignment is None:
        return None
    return _collect(alignment, words)


def _word_pass(decoder, pcm: bytes, words: list[_Word]) -> bool:
    """Run the word-level alignment; ``True`` when it reached the end of the text."""
    decoder.set_align_text(" ".join(word.key for word in words))
    _decode(decoder, pcm)
    return decoder.hyp() is not None


def _chunks(pcm: bytes, texts: list[str]) -> list[_Chunk]:
    """Pieces to align one by one: the whole file when short, else cut at pauses.

    The phone pass keeps a frames x states table: 60 s of speech took 110 MB,
    10 minutes took 10.6 GB. Long files are therefore aligned word by word
    first (cheap in memory), cut into pieces of at most ``MAX_CHUNK_S`` at
    the widest gap between words, and each piece is aligned again in full.
    """
    frames = len(pcm) // FRAME_BYTES
    if frames <= MAX_CHUNK_S * FRAMES_PER_S:
        return [_Chunk(0, frames, texts)]
    spans = _word_spans_with_retry(pcm, texts)
    if spans is None:
        raise AlignmentFailed("The speech could not be matched to the transcript.")
    return _split(spans, texts, frames)


def _word_spans_with_retry(pcm: bytes, texts: list[str]) -> list[tuple[int, int]] | None:
    """(start, end) frames of each word from a word-level pass, or ``None``."""
    for beams in ({}, WIDE_BEAMS):
        decoder = _decoder(beams)
        words = _dictionary_words(decoder, texts)
        try:
            if not _word_pass(decoder, pcm, words):
                continue
        except RuntimeError:
            continue
        keys = iter(word.key for word in words)
        expected = next(keys)
        spans = []
        for segment in decoder.seg():
            if _VARIANT.sub("", segment.word) == expected:
                spans.append((segment.start_frame, segment.end_frame + 1))
                expected = next(keys, None)
        if len(spans) == len(words):
            return spans
    return None


def _split(spans: list[tuple[int, int]], texts: list[str], frames: int) -> list[_Chunk]:
    """Cut between words so that each piece lasts at most ``MAX_CHUNK_S``."""
    limit, floor = MAX_CHUNK_S * FRAMES_PER_S, MIN_CHUNK_S * FRAMES_PER_S
    chunks, start, first = [], 0, 0
    while spans[-1][1] - start > limit and first < len(spans) - 1:
        candidates = [
            i for i in range(first + 1, len(spans)) if floor <= spans[i][0] - start <= limit
        ] or [first + 1]
        cut_word = max(candidates, key=lambda i: spans[i][0] - spans[i - 1][1])
        cut = (spans[cut_word - 1][1] + spans[cut_word][0]) // 2
        chunks.append(_Chunk(start, cut, texts[first:cut_word]))
        start, first = cut, cut_word
    chunks.append(_Chunk(start, frames, texts[first:]))
    return chunks


def _decoder(beams: dict[str, float]):  # -> pocketsphinx.Decoder
    from pocketsphinx import Decoder

    # bestpath=False: the lattice rescoring can leave a one-frame final
    # silence, which makes the phone pass fail ("impossible duration").
    return Decoder(lm=None, samprate=RATE, bestpath=False, loglevel="FATAL", **beams)


def _decode(decoder, pcm: bytes) -> None:
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()


def _dictionary_words(decoder, texts: list[str]) -> list[_Word]:
    """Give every word a dictionary key, adding guessed pronunciations for unknown ones."""
    from avatar.audio.g2p import guess_arpabet

    words = []
    for index, text in enumerate(texts):
        if decoder.lookup_word(text) is not None:
            words.append(_Word(text, text))
            continue
        key = f"oov_{index}"
        decoder.add_word(key, guess_arpabet(text) or GARBAGE_PHONE, True)
        words.append(_Word(text, key))
    return words


def _collect(alignment, words: list[_Word]) -> tuple[list[Timing], list[Timing]] | None:
    """Map aligned entries back to the transcript's words; ``None`` if they differ."""
    word_timings: list[Timing] = []
    phonemes: list[Timing] = []
    for entry in alignment:
        if len(word_timings) == len(words):
            break
        if _VARIANT.sub("", entry.name) != words[len(word_timings)].key:
            continue  # a silence or filler
        word_timings.append(_timing(words[len(word_timings)].text, entry))
        for phone in entry:
            ipa = arpabet_to_ipa(phone.name)
            if ipa != SILENCE:
                phonemes.append(_timing(ipa, phone))
    if len(word_timings) != len(words):
        return None
    return word_timings, phonemes


def _timing(text: str, entry) -> Timing:
    start = entry.start / FRAMES_PER_S
    return Timing(text, round(start, 3), round(start + entry.duration / FRAMES_PER_S, 3))
