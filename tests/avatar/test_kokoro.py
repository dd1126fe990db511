"""Kokoro's neural Spanish and Portuguese: heard back by Whisper, timed, faster on demand;
and the split model files joined only when they add up."""

from __future__ import annotations

import pytest

from avatar.errors import AvatarError
from avatar.models import joined
from avatar.voices import kokoro_engine

pytestmark = pytest.mark.skipif(
    not kokoro_engine.available(), reason="the Kokoro packages are not installed here"
)
SPANISH = "Bienvenidos a la reunión de seguridad. Hoy hablamos de las salidas de emergencia."
PORTUGUESE = "Ele não era um jovem mal-disposto. Se ele se casasse, seria mais respeitável."


@pytest.mark.slow
@pytest.mark.parametrize(
    ("voice_id", "text", "language"),
    [("kokoro:es-jf_alpha", SPANISH, "es"), ("kokoro:pt-jm_kumo", PORTUGUESE, "pt")],
)
def test_whisper_hears_the_language_and_the_words(voice_id, text, language, tmp_path):
    from avatar.audio.transcribe import word_error_rate
    from avatar.dub.transcribe import transcribe_file
    from avatar.voices import synthesize
    from avatar.voices.timings import written_words

    spoken = synthesize(text, voice_id, tmp_path / "out.wav")
    heard = transcribe_file(spoken.wav)
    wer = word_error_rate(text, heard.text)
    print(f"{voice_id}: {spoken.duration_s:.2f} s, heard {heard.language}, WER {wer:.2f}")
    assert heard.language == language and wer <= 0.2
    words = [w.text for w in spoken.words]
    assert words == written_words(text.replace(".", " "))
    starts = [w.start for w in spoken.words]
    assert starts == sorted(starts) and spoken.words[-1].end <= spoken.duration_s + 0.01
    assert spoken.words[-1].end > 0.7 * spoken.duration_s  # stretched to Kokoro's length


@pytest.mark.slow
def test_a_faster_rate_gives_shorter_speech(tmp_path):
    from avatar.voices import get_voice

    voice = get_voice("kokoro:es-jm_kumo")
    kokoro_engine.synthesize(voice, SPANISH, tmp_path / "normal.wav")
    kokoro_engine.synthesize(voice, SPANISH, tmp_path / "fast.wav", rate=1.4)
    from avatar.voices.base import read_speech_result

    normal = read_speech_result(tmp_path / "normal.wav").duration_s
    fast = read_speech_result(tmp_path / "fast.wav").duration_s
    assert fast < 0.85 * normal


def test_the_phonemes_are_the_letters_kokoro_learned():
    phonemes = kokoro_engine.kokoro_phonemes("Hoy hablamos de emergencias.", "es")
    assert phonemes.endswith(".") and "^" not in phonemes
    assert "Y" in phonemes or "oɪ" in phonemes  # "hoy": espeak's tied o^ɪ
    assert set(phonemes) <= set(kokoro_engine._model()[1])  # every letter is in its vocabulary


def test_split_model_files_are_joined_only_when_their_hash_matches(tmp_path):
    import hashlib

    parts = []
    for index, data in enumerate([b"first half ", b"second half"]):
        parts.append(tmp_path / f"part{index}")
        parts[-1].write_bytes(data)
    good = hashlib.sha256(b"first half second half").hexdigest()
    out = joined(parts, tmp_path / "model" / "model.bin", good, "test")
    assert out.read_bytes() == b"first half second half"
    parts[1].write_bytes(b"tampered")
    assert joined(parts, out, good, "test") == out  # checked once, then trusted
    with pytest.raises(AvatarError) as caught:
        joined(parts, tmp_path / "other.bin", good, "test")
    assert caught.value.code == "model_damaged" and "test model" in caught.value.message
    assert not list(tmp_path.glob("other.bin*"))  # nothing half-written is left
