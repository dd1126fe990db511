"""Festival engine: the CMU Arctic "slt" HTS voice (female, US English).

Each sentence runs one ``festival --batch`` process (about 0.2 s, most of it
start-up) on a small Scheme script that synthesises the text, saves the wave
and prints Festival's own timings: the end of every segment (ARPAbet phones,
lower case, "pau" for pauses) and the start and end of every word.

Rate goes to the HTS engine's speed option ``-r`` (Festival's
``Duration_Stretch`` does nothing for HTS voices); the segment times follow
it. Pitch: the HTS ``-fm`` option is ignored by Festival 2.5, so the pitch is
shifted afterwards at constant tempo (:func:`postprocess.shift_pitch`).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from avatar.errors import SpeechFailed
from avatar.voices import postprocess
from avatar.voices.base import EngineOutput, Timing, Voice
from avatar.voices.phones import SILENCE, arpabet_to_ipa
from avatar.voices.timings import clamp_pitch, clamp_rate, finish, wav_duration

ENGINE = "festival"
VOICE_ROOT = Path("/usr/share/festival/voices")
TIMEOUT_S = 60

# Only voices that are installed here are listed (Debian festvox-us-slt-hts).
VOICES = (
    Voice(
        id="festival:cmu_us_slt_arctic_hts",
        name="SLT (Festival)",
        language="en-US",
        gender="female",
        engine=ENGINE,
        sample_rate=32000,
        quality="standard",
        timings=True,
        licence="BSD-style (CMU ARCTIC database and HTS voice, Debian festvox-us-slt-hts)",
    ),
)
_LANGUAGE_DIR = {"cmu_us_slt_arctic_hts": "us"}

_SCRIPT = """
(voice_{voice})
(set! hts_engine_params (append hts_engine_params (list (list "-r" {rate:.4f}))))
(set! utt1 (SynthText "{text}"))
(utt.save.wave utt1 "{wav}" 'riff)
(mapcar (lambda (s) (format t "@S %s %f\\n" (item.name s) (item.feat s "end")))
        (utt.relation.items utt1 'Segment))
(mapcar (lambda (w) (format t "@W %s %f %f\\n" (item.name w)
                            (item.feat w "word_start") (item.feat w "word_end")))
        (utt.relation.items utt1 'Word))
"""


def available() -> bool:
    """True when the festival program and every catalogue voice are installed."""
    return shutil.which("festival") is not None and all(
        _voice_dir(voice.engine_voice).is_dir() for voice in VOICES
    )


def _voice_dir(name: str) -> Path:
    return VOICE_ROOT / _LANGUAGE_DIR.get(name, "us") / name


def synthesize(
    voice: Voice, text: str, out_wav: Path, rate: float = 1.0, pitch: float = 0.0
) -> EngineOutput:
    """Speak one sentence with a Festival ``voice`` into ``out_wav`` (mono, 16-bit).

    Returns:
        Word and IPA phoneme timings from Festival's utterance structure.

    Raises:
        SpeechFailed: festival is missing or failed, or there is nothing to say.
    """
    if shutil.which("festival") is None:
        raise SpeechFailed("the festival program is not installed (Debian package festival)")
    out_wav = Path(out_wav)
    script = _SCRIPT.format(
        voice=voice.engine_voice,
        rate=clamp_rate(rate),
        text=_scheme_string(text),
        wav=_scheme_string(str(out_wav.resolve())),
    )
    lines = _run(script, out_wav)
    words, phonemes = _parse(lines)
    output = finish(words, phonemes, wav_duration(out_wav))
    postprocess.shift_pitch(out_wav, clamp_pitch(pitch))
    return output


def _scheme_string(text: str) -> str:
    """Text for a Scheme string literal, in Latin-1 (what Festival reads).

    Accents are dropped (the voice is English) and quotes are escaped.
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"')
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.encode("latin-1", "ignore").decode("latin-1")
    return plain.replace("\\", "\\\\").replace('"', '\\"')


def _run(script: str, out_wav: Path) -> list[str]:
    """Run festival on ``script``; return its output lines."""
    with tempfile.NamedTemporaryFile("wb", suffix=".scm", delete=False) as handle:
        handle.write(script.encode("latin-1"))
    try:
        proc = subprocess.run(
            ["festival", "--batch", handle.name], capture_output=True, timeout=TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        raise SpeechFailed("festival timed out") from None
    finally:
        Path(handle.name).unlink(missing_ok=True)
    output = proc.stdout.decode("latin-1")
    if proc.returncode != 0 or not out_wav.exists():
        tail = (output + proc.stderr.decode("latin-1"))[-300:]
        raise SpeechFailed(f"festival failed: {tail}")
    return output.splitlines()


def _parse(lines: list[str]) -> tuple[list[Timing], list[Timing]]:
    """Words and IPA phonemes from the script's ``@S`` and ``@W`` lines."""
    words: list[Timing] = []
    phonemes: list[Timing] = []
    previous_end = 0.0
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "@S":
            end = float(parts[2])
            ipa = arpabet_to_ipa(parts[1])
            if ipa != SILENCE:
                phonemes.append(Timing(ipa, previous_end, end))
            previous_end = end
        elif len(parts) == 4 and parts[0] == "@W" and float(parts[3]) > float(parts[2]):
            words.append(Timing(parts[1].lower(), float(parts[2]), float(parts[3])))
    return words, phonemes
