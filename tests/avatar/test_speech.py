"""The speech stage: normalised, sentence by sentence, cached, -16 LUFS, with timings."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from avatar.audio.io import read_wav
from avatar.audio.loudness import measure_lufs
from avatar.errors import InvalidInput
from avatar.voices import SpeechCache, catalogue, engines, get_voice, synthesize

pytestmark = pytest.mark.slow

ONE_VOICE_PER_ENGINE = [
    "piper:en_US-joe-medium",
    "festival:cmu_us_slt_arctic_hts",
    "flite:slt",
    "espeak:en-us",
]
TEXT = "Meet the Aurora blender. Only $19.99 today, with 900 W of power!"


def assert_timings_sane(items, duration):
    assert items, "no timings"
    for item in items:
        assert 0 <= item.start <= item.end <= duration + 0.05, item
    starts = [item.start for item in items]
    assert starts == sorted(starts)


@pytest.mark.parametrize("voice_id", ONE_VOICE_PER_ENGINE)
def test_every_engine_gives_a_loudness_normalised_wav_with_timings(tmp_path, voice_id):
    result = synthesize(TEXT, voice_id, tmp_path / "out.wav")
    samples, rate = read_wav(result.wav)
    assert rate == result.sample_rate and len(samples) / rate == pytest.approx(result.duration_s)
    assert measure_lufs(samples, rate) == pytest.approx(-16.0, abs=0.5)
    assert_timings_sane(result.words, result.duration_s)
    assert_timings_sane(result.phonemes, result.duration_s)
    assert result.words[0].start < 0.7 and result.words[-1].end > result.duration_s - 0.7
    spoken = " ".join(w.text.lower() for w in result.words)
    assert "nineteen" in spoken and "dollars" in spoken and "watts" in spoken
    ipa = "".join(p.text for p in result.phonemes)
    assert not any(c.isdigit() or "A" <= c <= "Z" for c in ipa), ipa  # IPA, not ARPAbet


def test_written_tokens_span_their_spoken_words(tmp_path):
    result = synthesize("Only $19.99 today.", "piper:en_US-joe-medium", tmp_path / "o.wav")
    price = next(t for t in result.tokens if t.text == "$19.99")
    inside = [w.text for w in result.words if price.start <= w.start and w.end <= price.end]
    assert "nineteen" in inside and "cents" in inside
    assert "today" not in inside


def test_a_pause_tag_inserts_that_much_silence(tmp_path):
    voice = "espeak:en-us"
    plain = synthesize("Wait. Now.", voice, tmp_path / "a.wav")
    paused = synthesize("Wait. [pause 1.5s] Now.", voice, tmp_path / "b.wav")
    assert paused.duration_s - plain.duration_s == pytest.approx(1.5, abs=0.05)
    gap = paused.words[1].start - paused.words[0].end
    assert gap >= 1.5


def test_the_glossary_changes_what_is_said_not_what_is_written(tmp_path):
    result = synthesize(
        "Xiaomi makes phones.", "espeak:en-us", tmp_path / "g.wav", glossary={"Xiaomi": "shao me"}
    )
    assert [w.text.lower() for w in result.words[:2]] == ["shao", "me"]
    assert result.tokens[0].text == "Xiaomi"


def test_a_long_script_is_spoken_sentence_by_sentence_and_cached(tmp_path, monkeypatch):
    engine = engines()["espeak"]
    calls = []
    original = engine.synthesize

    def counting(voice, text, out_wav, rate=1.0, pitch=0.0):
        calls.append(text)
        return original(voice, text, out_wav, rate=rate, pitch=pitch)

    monkeypatch.setattr(engine, "synthesize", counting)
    cache = SpeechCache(tmp_path / "cache")
    script = "First sentence. Second one! Third one? First sentence."
    first = synthesize(script, "espeak:en-us", tmp_path / "1.wav", cache=cache)
    assert len(calls) == 3  # the repeated sentence came from the cache
    second = synthesize(script, "espeak:en-us", tmp_path / "2.wav", cache=cache)
    assert len(calls) == 3 and second.words == first.words
    synthesize(script, "espeak:en-us", tmp_path / "3.wav", cache=cache, rate=1.3)
    assert len(calls) == 6  # other settings, other cache entries


@pytest.mark.parametrize(
    "text,voice,kwargs,field,code",
    [
        ("", "espeak:en-us", {}, "script", "invalid_input"),
        ("   \n ", "espeak:en-us", {}, "script", "invalid_input"),
        ("word " * 1001, "espeak:en-us", {}, "script", "invalid_input"),
        ("Привет, как дела?", "piper:en_US-joe-medium", {}, "voice", "language_not_supported"),
        ("你好，世界", "espeak:de", {}, "voice", "language_not_supported"),
        ("Hello", "piper:en_GB-nobody", {}, "voice", "unknown_voice"),
        ("Hello", "espeak:en-us", {"rate": 5}, "rate", "invalid_input"),
        ("Hello", "espeak:en-us", {"pitch": -20}, "pitch", "invalid_input"),
    ],
)
def test_bad_requests_name_the_field(tmp_path, text, voice, kwargs, field, code):
    with pytest.raises(InvalidInput) as error:
        synthesize(text, voice, tmp_path / "x.wav", **kwargs)
    assert (error.value.field, error.value.code) == (field, code)
    assert error.value.message
    assert not (tmp_path / "x.wav").exists()


def test_a_voice_reads_its_own_language(tmp_path):
    result = synthesize("Привет, как дела?", "espeak:ru", tmp_path / "ru.wav")
    assert len(result.words) >= 3


def test_the_catalogue_describes_every_voice():
    voices = catalogue()
    assert {v.engine for v in voices} == {"piper", "kokoro", "festival", "flite", "espeak"}
    assert len({v.primary_language for v in voices}) >= 100  # espeak-ng's languages
    for voice in voices:
        assert voice.id.startswith(voice.engine + ":") and voice.name and voice.sample_rate
        assert voice.gender in {"male", "female", "neutral"}
        assert voice.quality in {"neural", "standard", "basic"}
    assert get_voice("piper:en_US-joe-medium").quality == "neural"
    assert get_voice("kokoro:es-jf_alpha").quality == "neural"


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "avatar", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_voices_json_lists_the_catalogue():
    result = run_cli("voices", "--json")
    assert result.returncode == 0, result.stderr
    voices = json.loads(result.stdout)["voices"]
    keys = {"id", "name", "language", "gender", "engine", "quality", "sample_rate", "timings"}
    assert voices and all(keys <= set(v) for v in voices)


def test_cli_say_writes_audio_and_timings(tmp_path):
    out, timings = tmp_path / "say.wav", tmp_path / "say.json"
    result = run_cli("say", "--voice", "flite:slt", "--text", "Hello there, world.",
                     "--out", str(out), "--timings", str(timings))  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(timings.read_text())
    assert [w["text"].lower() for w in data["words"]] == ["hello", "there", "world"]
    assert data["phonemes"] and set(data["phonemes"][0]) == {"phoneme", "start", "end"}
    assert out.stat().st_size > 10_000


def test_cli_say_reports_a_bad_voice_and_exits_2(tmp_path):
    result = run_cli("say", "--voice", "nope", "--text", "Hi", "--out", str(tmp_path / "x.wav"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: voice: Unknown voice")
