"""Pronunciation guesses for words missing from pocketsphinx's dictionary.

pocketsphinx 5 has no letter-to-sound rules, and forced alignment needs a
pronunciation for every word. Brand names ("TalkingAds"), numbers ("2024")
and new words are common in ad scripts, so we ask espeak-ng (the copy bundled
with piper-tts, which the project already ships) for IPA and map that to the
ARPAbet phones of the acoustic model. espeak-ng reads digits and symbols as
words, so "$19.99" gets a pronunciation too.

espeak-ng keeps one global voice and is not thread-safe. Calls here hold
Piper's own espeak lock (a private name, looked up defensively; our own lock
otherwise) and set ``en-us`` each time, as Piper sets its voice each time.
"""

from __future__ import annotations

import functools
import threading
import unicodedata

_LOCK = threading.Lock()

# Longest first: affricates and diphthongs before their parts.
IPA_TO_ARPABET = {
    "tʃ": "CH", "dʒ": "JH", "aɪ": "AY", "aʊ": "AW", "eɪ": "EY", "oʊ": "OW", "əʊ": "OW",
    "ɔɪ": "OY", "ɜɹ": "ER", "ɚ": "ER", "ɝ": "ER", "ɜ": "ER", "n̩": "AH N", "l̩": "AH L",
    "m̩": "AH M", "æ": "AE", "a": "AA", "ɑ": "AA", "ɒ": "AA", "ɔ": "AO", "ʌ": "AH",
    "ə": "AH", "ɐ": "AH", "ᵻ": "IH", "ɪ": "IH", "i": "IY", "ɛ": "EH", "e": "EY", "ʊ": "UH",
    "u": "UW", "o": "OW", "b": "B", "p": "P", "d": "D", "t": "T", "ɡ": "G", "g": "G",
    "k": "K", "m": "M", "n": "N", "ŋ": "NG", "f": "F", "v": "V", "θ": "TH", "ð": "DH",
    "s": "S", "z": "Z", "ʃ": "SH", "ʒ": "ZH", "h": "HH", "l": "L", "ɹ": "R", "r": "R",
    "w": "W", "ʍ": "W", "j": "Y", "ɾ": "T", "ʔ": "T", "x": "K", "ç": "HH",
}  # fmt: skip
_LONGEST = max(len(key) for key in IPA_TO_ARPABET)
_IGNORED = set("ˈˌːˑ‿ -")


def ipa_to_arpabet(ipa: str) -> list[str]:
    """Map an espeak-ng IPA string to ARPAbet phones; unknown symbols are dropped."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", ipa) if ch not in _IGNORED)
    phones: list[str] = []
    i = 0
    while i < len(text):
        for size in range(_LONGEST, 0, -1):
            arpabet = IPA_TO_ARPABET.get(text[i : i + size])
            if arpabet is not None:
                phones.extend(arpabet.split())
                i += size
                break
        else:
            i += 1
    return phones


@functools.lru_cache(maxsize=4096)
def guess_arpabet(word: str) -> str | None:
    """Guess a pronunciation for an English word, e.g. ``"zorblax"`` -> ``"Z AO R B L AE K S"``.

    Args:
        word: one written word (may contain digits or symbols).

    Returns:
        Space-separated ARPAbet phones, or ``None`` when no guess can be made.
    """
    try:
        from piper import espeakbridge
        from piper.phonemize_espeak import ESPEAK_DATA_DIR
    except ImportError:
        return None
    with _espeak_lock():
        _initialise(espeakbridge, str(ESPEAK_DATA_DIR))
        espeakbridge.set_voice("en-us")
        clauses = espeakbridge.get_phonemes(word)
    phones = ipa_to_arpabet(" ".join(phonemes for phonemes, _, _ in clauses))
    return " ".join(phones) or None


_initialised: set[str] = set()


def _espeak_lock() -> threading.Lock:
    from piper import voice

    return getattr(voice, "_ESPEAK_PHONEMIZER_LOCK", _LOCK)


def _initialise(bridge: object, data_dir: str) -> None:
    if data_dir not in _initialised:
        bridge.initialize(data_dir)  # type: ignore[attr-defined]
        _initialised.add(data_dir)
