"""Flite engine: CMU's small synthesizer with four US English voices.

Flite runs in-process through ctypes on Debian's ``libflite`` (the same
library the ``flite`` program uses). That gives its native timings directly
from the utterance: every segment's end (ARPAbet, "pau" for pauses), and
every word's first and last segment through the syllable structure. The
``flite -psdur`` program prints the segments too, but not the words, which
would then have had to be guessed by aligning phones to a dictionary.

Rate: Flite's ``duration_stretch`` feature is 1/rate. Pitch: Flite's
``int_f0_target_mean`` moves slt and kal16 but not rms, and needs each
voice's own mean, so the pitch is shifted afterwards at constant tempo
(:func:`postprocess.shift_pitch`) for every voice.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import unicodedata
from pathlib import Path

from avatar.errors import SpeechFailed
from avatar.voices import postprocess
from avatar.voices.base import EngineOutput, Timing, Voice
from avatar.voices.phones import SILENCE, arpabet_to_ipa
from avatar.voices.timings import clamp_pitch, clamp_rate, finish, wav_duration

ENGINE = "flite"
LICENCE = "BSD-style (CMU Flite and its voices, Debian flite)"
LOCK = threading.Lock()  # libflite keeps voice features in shared state


def _voice(name: str, display: str, language: str, gender: str, quality: str) -> Voice:
    return Voice(
        id=f"{ENGINE}:{name}",
        name=f"{display} (Flite)",
        language=language,
        gender=gender,
        engine=ENGINE,
        sample_rate=16000,
        quality=quality,
        timings=True,
        licence=LICENCE,
    )


# ``kal`` (8 kHz) and ``awb_time`` (speaks only the time of day) are left out.
VOICES = (
    _voice("slt", "SLT", "en-US", "female", "standard"),
    _voice("rms", "RMS", "en-US", "male", "standard"),
    _voice("awb", "AWB, Scottish accent", "en-GB-scotland", "male", "standard"),
    _voice("kal16", "Kal", "en-US", "male", "basic"),
)

# Feature names are stored by pointer inside libflite: keep them alive.
_DURATION_STRETCH = b"duration_stretch"
_WORD_START = b"R:SylStructure.daughter1.daughter1.R:Segment.p.end"
_WORD_END = b"R:SylStructure.daughtern.daughtern.R:Segment.end"

_P = ctypes.c_void_p
_SIGNATURES = {
    "flite_init": (ctypes.c_int, []),
    "flite_synth_text": (_P, [ctypes.c_char_p, _P]),
    "utt_relation": (_P, [_P, ctypes.c_char_p]),
    "relation_head": (_P, [_P]),
    "item_next": (_P, [_P]),
    "ffeature_string": (ctypes.c_char_p, [_P, ctypes.c_char_p]),
    "ffeature_float": (ctypes.c_float, [_P, ctypes.c_char_p]),
    "utt_wave": (_P, [_P]),
    "cst_wave_save_riff": (ctypes.c_int, [_P, ctypes.c_char_p]),
    "delete_utterance": (None, [_P]),
    "feat_set_float": (None, [_P, ctypes.c_char_p, ctypes.c_float]),
}


class _Flite:
    """libflite and the voices registered so far (one instance per process)."""

    def __init__(self) -> None:
        path = ctypes.util.find_library("flite")
        if path is None:
            raise OSError("libflite is not installed (Debian package flite)")
        self.lib = ctypes.CDLL(path)
        for name, (restype, argtypes) in _SIGNATURES.items():
            function = getattr(self.lib, name)
            function.restype, function.argtypes = restype, argtypes
        self.lib.flite_init()
        self.voices: dict[str, int] = {}

    def voice(self, name: str) -> int:
        """The ``cst_voice*`` of a voice, registered on first use."""
        if name not in self.voices:
            path = ctypes.util.find_library(f"flite_cmu_us_{name}")
            if path is None:
                raise OSError(f"the Flite voice {name!r} is not installed")
            register = getattr(ctypes.CDLL(path), f"register_cmu_us_{name}")
            register.restype, register.argtypes = _P, [ctypes.c_char_p]
            self.voices[name] = register(None)
        return self.voices[name]

    def features(self, voice: int) -> int:
        # struct cst_voice { const char *name; cst_features *features; ... }
        return ctypes.cast(voice + ctypes.sizeof(_P), ctypes.POINTER(_P))[0]


_FLITE: list[_Flite] = []


def _library() -> _Flite:
    if not _FLITE:
        _FLITE.append(_Flite())
    return _FLITE[0]


def available() -> bool:
    """True when libflite and the catalogue's voice libraries are installed."""
    names = ["flite"] + [f"flite_cmu_us_{voice.engine_voice}" for voice in VOICES]
    return all(ctypes.util.find_library(name) for name in names)


def synthesize(
    voice: Voice, text: str, out_wav: Path, rate: float = 1.0, pitch: float = 0.0
) -> EngineOutput:
    """Speak one sentence with a Flite ``voice`` into ``out_wav`` (16 kHz, 16-bit).

    Returns:
        Word and IPA phoneme timings from Flite's utterance structure.

    Raises:
        SpeechFailed: libflite or the voice is missing, or there is nothing to say.
    """
    out_wav = Path(out_wav)
    words, phonemes = _speak(voice.engine_voice, _ascii(text), out_wav, clamp_rate(rate))
    output = finish(words, phonemes, wav_duration(out_wav))
    postprocess.shift_pitch(out_wav, clamp_pitch(pitch))
    return output


def _ascii(text: str) -> bytes:
    """Flite reads ASCII: fold accents and curly quotes, drop the rest."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore")


def _speak(name: str, text: bytes, out_wav: Path, rate: float) -> tuple[list, list]:
    with LOCK:
        try:
            flite = _library()
            voice = flite.voice(name)
        except (OSError, AttributeError) as error:
            raise SpeechFailed(f"Flite is not usable: {error}") from None
        flite.lib.feat_set_float(flite.features(voice), _DURATION_STRETCH, 1.0 / rate)
        utterance = flite.lib.flite_synth_text(text, voice)
        if not utterance:
            raise SpeechFailed("Flite failed to synthesise the text")
        try:
            flite.lib.cst_wave_save_riff(flite.lib.utt_wave(utterance), str(out_wav).encode())
            return _words(flite, utterance), _phonemes(flite, utterance)
        finally:
            flite.lib.delete_utterance(utterance)


def _items(flite: _Flite, utterance: int, relation: bytes):
    item = flite.lib.relation_head(flite.lib.utt_relation(utterance, relation))
    while item:
        yield item
        item = flite.lib.item_next(item)


def _phonemes(flite: _Flite, utterance: int) -> list[Timing]:
    phonemes, previous_end = [], 0.0
    for item in _items(flite, utterance, b"Segment"):
        end = float(flite.lib.ffeature_float(item, b"end"))
        ipa = arpabet_to_ipa(flite.lib.ffeature_string(item, b"name").decode())
        if ipa != SILENCE:
            phonemes.append(Timing(ipa, previous_end, end))
        previous_end = end
    return phonemes


def _words(flite: _Flite, utterance: int) -> list[Timing]:
    words = []
    for item in _items(flite, utterance, b"Word"):
        start = float(flite.lib.ffeature_float(item, _WORD_START))
        end = float(flite.lib.ffeature_float(item, _WORD_END))
        if end > start:  # a word without segments has neither
            name = flite.lib.ffeature_string(item, b"name").decode("latin-1")
            words.append(Timing(name.lower(), start, end))
    return words
