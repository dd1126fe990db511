"""A small ctypes binding of the libespeak-ng 1.52 bundled by ``espeakng-loader``.

Only what the espeak engine needs: initialise once in synchronous mode with
IPA phoneme events, pick a voice, set rate and pitch, speak a UTF-8 string
and collect the audio and the events, and list the voices. The library keeps
global state, so every call goes through one lock. Struct layouts follow
``speak_lib.h`` of espeak-ng 1.52.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_PHONEME_EVENTS = 0x0001
INITIALIZE_PHONEME_IPA = 0x0002
INITIALIZE_DONT_EXIT = 0x8000
CHARS_UTF8 = 1
POS_CHARACTER = 1

EVENT_LIST_TERMINATED = 0
EVENT_WORD = 1
EVENT_SENTENCE = 2
EVENT_END = 5
EVENT_PHONEME = 7

PHONEMES_IPA = 0x02
PHONEMES_TIE = 0x80

PARAM_RATE = 1
PARAM_PITCH = 3

LOCK = threading.Lock()


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based, in characters
        ("length", ctypes.c_int),  # in characters (words only)
        ("audio_position", ctypes.c_int),  # milliseconds
        ("sample", ctypes.c_int),  # samples from the start of the text
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, NUL-terminated name)*, then 0
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class Event:
    """One espeak event: ``kind`` is EVENT_WORD or EVENT_PHONEME (or END).

    ``position`` and ``length`` index the input text (1-based characters);
    ``sample`` is the audio sample where it happens; ``phoneme`` is the IPA
    of a phoneme event ("" for a pause).
    """

    kind: int
    position: int
    length: int
    sample: int
    phoneme: str = ""


@dataclass(frozen=True)
class VoiceInfo:
    """An espeak voice as ``espeak_ListVoices`` describes it."""

    name: str
    identifier: str
    languages: tuple[str, ...]
    gender: int  # 0 none, 1 male, 2 female


class _Collector:
    """Receives the synthesis callbacks of the one synthesis running now."""

    def __init__(self) -> None:
        self.audio: list[bytes] = []
        self.events: list[Event] = []

    def __call__(self, wav, num_samples, events) -> int:
        if num_samples > 0:
            self.audio.append(ctypes.string_at(wav, num_samples * 2))
        i = 0
        while events[i].type != EVENT_LIST_TERMINATED:
            self.events.append(_event(events[i]))
            i += 1
        return 0  # 0 = go on


def _event(raw: _Event) -> Event:
    phoneme = ""
    if raw.type == EVENT_PHONEME:
        # Up to 8 bytes of UTF-8, not NUL-terminated when full: a cut
        # multi-byte character is dropped.
        phoneme = bytes(raw.id.string).split(b"\0", 1)[0].decode("utf-8", "ignore")
    return Event(raw.type, raw.text_position, raw.length, raw.sample, phoneme)


class Espeak:
    """The process-wide espeak-ng library; build it with :func:`library`."""

    def __init__(self) -> None:
        import espeakng_loader

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        _declare(lib)
        options = INITIALIZE_PHONEME_EVENTS | INITIALIZE_PHONEME_IPA | INITIALIZE_DONT_EXIT
        data = espeakng_loader.get_data_path().encode()
        rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data, options)
        if rate <= 0:
            raise OSError("espeak-ng failed to initialise")
        self.lib = lib
        self.sample_rate = rate
        self._collector = _Collector()
        self._callback = _CALLBACK(self._dispatch)  # keep a reference: C holds it
        lib.espeak_SetSynthCallback(self._callback)

    def _dispatch(self, wav, num_samples, events) -> int:
        return self._collector(wav, num_samples, events)

    def speak(self, text: str, voice: str, wpm: int, pitch: int) -> tuple[bytes, list[Event]]:
        """Speak ``text`` with espeak voice ``voice`` ("de", "en-us+f3").

        Returns the 16-bit mono PCM at :attr:`sample_rate` and the events.
        Raises ValueError for an unknown voice, OSError when synthesis fails.
        """
        with LOCK:
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise ValueError(f"unknown espeak voice {voice!r}")
            self.lib.espeak_SetParameter(PARAM_RATE, wpm, 0)
            self.lib.espeak_SetParameter(PARAM_PITCH, pitch, 0)
            self._collector = _Collector()
            data = text.encode("utf-8")
            status = self.lib.espeak_Synth(
                data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None
            )
            if status != 0 or self.lib.espeak_Synchronize() != 0:
                raise OSError(f"espeak-ng synthesis failed (status {status})")
            collector = self._collector
        return b"".join(collector.audio), collector.events

    def phonemes(self, text: str, voice: str, tie: str = "^") -> list[str]:
        """IPA of each clause of ``text`` (words split by spaces), multi-letter phonemes
        joined by TIE ("t^ʃ"), as espeak-ng's ``espeak_TextToPhonemes`` gives them."""
        mode = PHONEMES_IPA | PHONEMES_TIE | (ord(tie) << 8)
        with LOCK:
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise ValueError(f"unknown espeak voice {voice!r}")
            buffer = ctypes.create_string_buffer(text.encode("utf-8"))
            pointer = ctypes.c_char_p(ctypes.addressof(buffer))
            clauses = []
            while pointer.value:
                out = self.lib.espeak_TextToPhonemes(ctypes.byref(pointer), CHARS_UTF8, mode)
                clauses.append((out or b"").decode("utf-8", "replace").strip())
        return [clause for clause in clauses if clause]

    def voices(self) -> list[VoiceInfo]:
        """Every voice (one per language or accent) in the bundled data."""
        with LOCK:
            array = self.lib.espeak_ListVoices(None)
            found = []
            i = 0
            while array[i]:
                found.append(_voice_info(array[i].contents))
                i += 1
        return found


def _voice_info(raw: _Voice) -> VoiceInfo:
    languages = []
    address = raw.languages
    while ctypes.string_at(address, 1) != b"\0":  # priority byte 0 ends the list
        name = ctypes.string_at(address + 1)
        languages.append(name.decode("utf-8", "replace"))
        address += len(name) + 2
    return VoiceInfo(
        name=raw.name.decode("utf-8", "replace"),
        identifier=raw.identifier.decode("utf-8", "replace"),
        languages=tuple(languages),
        gender=raw.gender,
    )


def _declare(lib: ctypes.CDLL) -> None:
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
        ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
    ]  # fmt: skip
    lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int,
                                          ctypes.c_int]  # fmt: skip
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
    lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))


_LIBRARY: list[Espeak] = []


def library() -> Espeak:
    """The initialised library, loaded on first use (about 10 ms)."""
    with LOCK:
        if not _LIBRARY:
            _LIBRARY.append(Espeak())
        return _LIBRARY[0]
