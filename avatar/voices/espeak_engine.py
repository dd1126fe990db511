"""espeak-ng engine: 100+ languages, robotic but clear, with native timings.

It runs the libespeak-ng 1.52 bundled by ``espeakng-loader`` in-process
(:mod:`avatar.voices.espeak_ctypes`). espeak-ng reports an event when each
word and each phoneme (in IPA) starts; a phoneme ends where the next one or
a pause starts. Word events carry the word's place in the text, so word
timings hold for scripts without spaces (Chinese) too; where espeak speaks
several written words as one ("of the"), they share its phonemes.

Rate: espeak's 175 words per minute times ``rate``. Pitch: espeak's pitch
parameter (0..100, default 50) scales the voice's base pitch by
2 ** ((p - 50) / 50), so one octave each way; ``p = 50 + semitones * 50 / 12``
maps -12..12 semitones onto 0..100 exactly.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from avatar.errors import SpeechFailed
from avatar.voices.base import EngineOutput, Timing, Voice
from avatar.voices.phones import espeak_ipa
from avatar.voices.timings import clamp_pitch, clamp_rate, finish, split_span, write_wav

ENGINE = "espeak"
SAMPLE_RATE = 22050
DEFAULT_WPM = 175
LICENCE = "GPL-3.0-or-later (espeak-ng, run as a separate library)"

# Catalogue ids that are not espeak voice names.
ALIASES = {"en-gb": "en"}
# Voices the bundled data lists but cannot speak: their dictionaries are missing.
UNSPEAKABLE = frozenset({"fo", "kaa", "xex"})

# (espeak voice, BCP-47 language, display name, gender). Hebrew is left out
# (espeak reads unvocalised Hebrew as consonants only) and so is Japanese
# (it cannot read kanji); list_all_voices() still offers every language.
CURATED = (
    ("en-us", "en-US", "English, US", "male"),
    ("en-us+f3", "en-US", "English, US, female", "female"),
    ("en-gb", "en-GB", "English, UK", "male"),
    ("en-gb+f3", "en-GB", "English, UK, female", "female"),
    ("de", "de", "German", "male"),
    ("de+f3", "de", "German, female", "female"),
    ("fr", "fr", "French", "male"),
    ("fr+f3", "fr", "French, female", "female"),
    ("es", "es-ES", "Spanish, Spain", "male"),
    ("es+f3", "es-ES", "Spanish, Spain, female", "female"),
    ("es-419", "es-419", "Spanish, Latin America", "male"),
    ("pt-br", "pt-BR", "Portuguese, Brazil", "male"),
    ("pt", "pt-PT", "Portuguese, Portugal", "male"),
    ("it", "it", "Italian", "male"),
    ("nl", "nl", "Dutch", "male"),
    ("pl", "pl", "Polish", "male"),
    ("ru", "ru", "Russian", "male"),
    ("uk", "uk", "Ukrainian", "male"),
    ("tr", "tr", "Turkish", "male"),
    ("ar", "ar", "Arabic", "male"),
    ("hi", "hi", "Hindi", "male"),
    ("bn", "bn", "Bengali", "male"),
    ("cmn", "zh", "Chinese, Mandarin", "male"),
    ("yue", "yue", "Chinese, Cantonese", "male"),
    ("ko", "ko", "Korean", "male"),
    ("vi", "vi", "Vietnamese", "male"),
    ("th", "th", "Thai", "male"),
    ("id", "id", "Indonesian", "male"),
    ("ms", "ms", "Malay", "male"),
    ("sv", "sv", "Swedish", "male"),
    ("da", "da", "Danish", "male"),
    ("nb", "nb", "Norwegian Bokmål", "male"),
    ("fi", "fi", "Finnish", "male"),
    ("cs", "cs", "Czech", "male"),
    ("el", "el", "Greek", "male"),
    ("hu", "hu", "Hungarian", "male"),
    ("ro", "ro", "Romanian", "male"),
)


def _voice(name: str, language: str, display: str, gender: str) -> Voice:
    return Voice(
        id=f"{ENGINE}:{name}",
        name=f"{display} (espeak)",
        language=language,
        gender=gender,
        engine=ENGINE,
        sample_rate=SAMPLE_RATE,
        quality="basic",
        timings=True,
        licence=LICENCE,
    )


VOICES = tuple(_voice(*entry) for entry in CURATED)


def available() -> bool:
    """True when espeakng-loader (library and data) is installed."""
    return importlib.util.find_spec("espeakng_loader") is not None


def list_all_voices() -> tuple[Voice, ...]:
    """One voice for every language and accent the bundled espeak-ng speaks (138)."""
    from avatar.voices import espeak_ctypes

    voices = []
    for info in espeak_ctypes.library().voices():
        name = info.identifier.rsplit("/", 1)[-1].lower()
        name = next((alias for alias, real in ALIASES.items() if real == name), name)
        if name in UNSPEAKABLE:
            continue
        gender = {1: "male", 2: "female"}.get(info.gender, "neutral")
        voices.append(_voice(name, _bcp47(info.languages[0]), info.name, gender))
    return tuple(voices)


def _bcp47(tag: str) -> str:
    """espeak's lower-case language tag with BCP-47 casing (en-us -> en-US)."""
    parts = tag.split("-")
    for i, part in enumerate(parts[1:], start=1):
        if part == "x":  # private use: leave the rest alone
            break
        if len(part) == 2 and part.isalpha():
            parts[i] = part.upper()
        elif len(part) == 4 and part.isalpha():
            parts[i] = part.title()
    return "-".join(parts)


def synthesize(
    voice: Voice, text: str, out_wav: Path, rate: float = 1.0, pitch: float = 0.0
) -> EngineOutput:
    """Speak one sentence with an espeak ``voice`` into ``out_wav`` (22050 Hz, 16-bit).

    Returns:
        Word and IPA phoneme timings from espeak-ng's events.

    Raises:
        SpeechFailed: unknown voice, espeak-ng missing or failing, or nothing to say.
    """
    from avatar.voices import espeak_ctypes

    name = _espeak_name(voice.engine_voice)
    wpm = round(DEFAULT_WPM * clamp_rate(rate))
    level = round(50 + clamp_pitch(pitch) * 50 / 12)
    try:
        library = espeak_ctypes.library()
        pcm, events = library.speak(text, name, wpm, level)
    except ValueError as error:
        raise SpeechFailed(str(error), field="voice") from None
    except OSError as error:
        raise SpeechFailed(f"espeak-ng is not usable: {error}") from None
    duration = write_wav(Path(out_wav), pcm, library.sample_rate)
    words, phonemes = _timings(text, events, library.sample_rate, len(pcm) // 2)
    return finish(words, phonemes, duration)


def _espeak_name(engine_voice: str) -> str:
    base, plus, variant = engine_voice.partition("+")
    return ALIASES.get(base, base) + plus + variant


@dataclass
class _Phone:
    ipa: str  # "" for a pause
    start: int  # samples
    word: int  # index of the word event it belongs to
    end: int = 0


def _timings(text: str, events: list, rate: int, total: int) -> tuple[list[Timing], list[Timing]]:
    """Words and phonemes (seconds) from espeak's events."""
    phones, word_starts = _phones(events, total)
    starts, owner = _word_starts(text, word_starts)
    bounds = [*starts, len(text)]
    words: list[Timing] = []
    for index in range(len(starts)):
        group = [
            _seconds(p, rate) for p in phones if p.ipa and p.word >= 0 and owner[p.word] == index
        ]
        words.extend(split_span(text[bounds[index] : bounds[index + 1]], group))
    return words, [_seconds(p, rate) for p in phones if p.ipa]


def _word_starts(text: str, event_starts: list[int]) -> tuple[list[int], list[int]]:
    """Where words start in ``text``, and which of them each word event belongs to.

    espeak cuts Thai inside words ("เป็" + "น"); a cut between two letters of
    a script written with spaces is undone. Cuts between Chinese or Japanese
    characters, or next to punctuation or a space, stay.
    """
    starts: list[int] = []
    owner: list[int] = []
    for start in event_starts:
        if not starts or (start > starts[-1] and _cuts_words(text, start)):
            starts.append(start)
        owner.append(len(starts) - 1)
    return starts, owner


def _cuts_words(text: str, index: int) -> bool:
    if index <= 0 or index >= len(text):
        return True
    return not (_inner_letter(text[index - 1]) and _inner_letter(text[index]))


def _inner_letter(char: str) -> bool:
    """A letter or mark of a script whose words are separated by spaces."""
    if not (char.isalpha() or unicodedata.category(char) in ("Mn", "Mc")):
        return False
    return not unicodedata.name(char, "").startswith(("CJK", "HIRAGANA", "KATAKANA"))


def _seconds(phone: _Phone, rate: int) -> Timing:
    return Timing(phone.ipa, phone.start / rate, phone.end / rate)


def _phones(events: list, total: int) -> tuple[list[_Phone], list[int]]:
    """Timed phones (pauses included) and the text offset of each word event."""
    from avatar.voices.espeak_ctypes import EVENT_PHONEME, EVENT_WORD

    phones: list[_Phone] = []
    word_starts: list[int] = []
    for event in events:
        if event.kind == EVENT_WORD:
            word_starts.append(event.position - 1)
        elif event.kind == EVENT_PHONEME and not event.phoneme.startswith("("):
            ipa = espeak_ipa(event.phoneme) if event.phoneme else ""
            phones.append(_Phone(ipa, event.sample, len(word_starts) - 1))
    phones = _drop_inner_pauses(phones)
    for phone, following in zip(phones, phones[1:], strict=False):
        phone.end = following.start
    if phones:
        phones[-1].end = max(total, phones[-1].start)
    return phones, word_starts


def _drop_inner_pauses(phones: list[_Phone]) -> list[_Phone]:
    """Remove nameless events inside a word (a glide such as ʲ): they are no pause."""
    kept: list[_Phone] = []
    for i, phone in enumerate(phones):
        following = phones[i + 1] if i + 1 < len(phones) else None
        inner = (
            not phone.ipa
            and kept
            and kept[-1].ipa
            and following is not None
            and following.ipa
            and following.word == phone.word == kept[-1].word
        )
        if not inner:
            kept.append(phone)
    return kept


def voices() -> tuple[Voice, ...]:
    """The curated voices (with female variants) plus every other espeak-ng language."""
    curated_ids = {voice.id for voice in VOICES}
    curated_languages = {voice.language.lower() for voice in VOICES}
    rest = tuple(
        voice
        for voice in list_all_voices()
        if voice.id not in curated_ids and voice.language.lower() not in curated_languages
    )
    return VOICES + rest
