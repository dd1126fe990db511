"""One phone set for every engine: IPA.

Festival, Flite and pocketsphinx speak ARPAbet (Festival's US voices in
lower case, with "pau" for silence); Piper and espeak-ng speak IPA. Timings
always carry IPA so that lip-sync needs one table. Stress marks and length
marks are dropped: they do not change the mouth shape.
"""

from __future__ import annotations

import unicodedata

ARPABET_TO_IPA = {
    "AA": "ɑ", "AE": "æ", "AH": "ʌ", "AO": "ɔ", "AW": "aʊ", "AX": "ə", "AXR": "ɚ",
    "AY": "aɪ", "EH": "ɛ", "ER": "ɝ", "EY": "eɪ", "IH": "ɪ", "IX": "ɨ", "IY": "i",
    "OW": "oʊ", "OY": "ɔɪ", "UH": "ʊ", "UW": "u", "UX": "ʉ",
    "B": "b", "CH": "tʃ", "D": "d", "DH": "ð", "DX": "ɾ", "EL": "l̩", "EM": "m̩",
    "EN": "n̩", "F": "f", "G": "ɡ", "HH": "h", "H": "h", "JH": "dʒ", "K": "k",
    "L": "l", "M": "m", "N": "n", "NG": "ŋ", "NX": "ɾ̃", "P": "p", "Q": "ʔ", "R": "ɹ",
    "S": "s", "SH": "ʃ", "T": "t", "TH": "θ", "V": "v", "W": "w", "WH": "ʍ", "Y": "j",
    "Z": "z", "ZH": "ʒ",
}  # fmt: skip

SILENCES = {"pau", "sil", "h#", "#", "_", "SIL", "+NSN+", "+SPN+", "<sil>", "</s>", "<s>"}
SILENCE = "_"  # the IPA-side marker for a pause


def arpabet_to_ipa(phone: str) -> str:
    """Map one ARPAbet phone (any case, stress digits allowed) to IPA.

    Silences map to ``SILENCE``. Raises KeyError for an unknown phone.
    """
    if phone in SILENCES or phone.lower() in SILENCES:
        return SILENCE
    return ARPABET_TO_IPA[phone.upper().rstrip("012")]


STRIP = str.maketrans("", "", "ˈˌːˑ‿")


def clean_ipa(phone: str) -> str:
    """Drop stress and length marks from an IPA phone."""
    return phone.translate(STRIP)


# --- IPA from espeak-ng (Piper's phonemizer and espeak's phoneme events) ---

# Two symbols that are one mouth movement: Piper hands IPA over one code point
# at a time ("o", "ʊ"), espeak's events and ARPAbet give them whole ("oʊ").
IPA_CLUSTERS = frozenset({"aɪ", "aʊ", "eɪ", "oʊ", "ɔɪ", "əʊ", "eə", "ɪə", "ʊə", "ɛə", "dʒ", "tʃ"})
STRESS_MARKS = frozenset("ˈˌ")

# Mnemonics espeak-ng 1.52 prints where a phoneme has no IPA name (Mandarin,
# Korean, Thai aspirates), found by speaking a sentence in each catalogue
# language. Keys are after clean_ipa and after dropping a trailing "-".
ESPEAK_MNEMONICS = {
    "s.": "ʂ", "z.": "ʐ", "ts.": "ʈʂ", "ts.h": "ʈʂʰ", "i.": "ɻ̩", "tsh": "tsʰ",
    "tɕh": "tɕʰ", "ph": "pʰ", "th": "tʰ", "kh": "kʰ", "ch": "cʰ",
}  # fmt: skip
ESPEAK_CHARS = str.maketrans({"?": "ʔ", "ε": "ɛ", "g": "ɡ", "ᵻ": "ɨ", "ᵿ": "ʊ"})


def is_ipa_modifier(symbol: str) -> bool:
    """True for a symbol that modifies the phone before it (ʲ, ʰ, ː, combining marks)."""
    return (
        all(char in "ːˑ" or unicodedata.category(char) in ("Lm", "Mn") for char in symbol)
        and symbol not in STRESS_MARKS
    )


def espeak_ipa(name: str) -> str:
    """Turn a phoneme name from espeak-ng (or Piper) into clean IPA.

    Drops stress and length marks, maps the few mnemonics espeak prints
    instead of IPA, collapses doubled letters ("ss", "aa") and removes any
    ASCII punctuation or digit left. Returns "" for punctuation (Piper's
    pause tokens), for language-switch markers like "(en)" and for names with
    nothing left.
    """
    if name.startswith("(") or all(unicodedata.category(c)[0] in "PZ" for c in name):
        return ""
    phone = clean_ipa(name).rstrip("-")
    phone = ESPEAK_MNEMONICS.get(phone, phone).translate(ESPEAK_CHARS)
    if len(phone) == 2 and phone[0] == phone[1]:
        phone = phone[0]
    return "".join(c for c in phone if not (c.isascii() and not c.islower()))
