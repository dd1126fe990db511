"""Listen to what we say: Whisper tiny.en transcribes our speech back.

Both the script and the transcript go through the same normaliser before
comparing, so "$19.99" and "19 dollars and 99 cents" count as the same words.
"""

from __future__ import annotations

import re

import pytest

from avatar.audio.transcribe import transcribe_english, word_error_rate
from avatar.text import normalize
from avatar.voices import synthesize

pytestmark = pytest.mark.slow

PARAGRAPH = (
    "Meet the blender built for busy mornings. Its powerful motor crushes ice in seconds, "
    "and the stainless steel blades turn fresh fruit into silky smoothies. The large glass "
    "jar holds enough for the whole family, and it goes straight into the dishwasher when "
    "you are done. Customers love how quiet it is. Choose from three colours that look "
    "great on any kitchen counter. Order today and get free shipping on your first purchase."
)


def spoken_words(text: str) -> list[str]:
    spoken = normalize(text, "en").spoken_text.lower().replace("'", "")
    return re.findall(r"[a-z]+", spoken.replace("-", " "))


def test_a_price_is_spoken_as_dollars_and_cents(tmp_path):
    result = synthesize("It costs $19.99.", "piper:en_US-joe-medium", tmp_path / "p.wav")
    heard, _ = transcribe_english(result.wav)
    words = spoken_words(heard)
    assert "nineteen" in words and "dollars" in words, heard
    assert "ninety" in words and "nine" in words, heard


def test_piper_is_intelligible(tmp_path):
    result = synthesize(PARAGRAPH, "piper:en_US-joe-medium", tmp_path / "para.wav")
    heard, _ = transcribe_english(result.wav)
    error = word_error_rate(" ".join(spoken_words(PARAGRAPH)), " ".join(spoken_words(heard)))
    print(f"Piper WER under Whisper tiny.en: {error:.1%} ({heard!r})")
    assert error <= 0.10
