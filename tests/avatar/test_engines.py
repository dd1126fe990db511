"""The speech engines: audio format, native word and IPA phoneme timings, rate and pitch.

Every engine is installed on the project's machines; a test is skipped only
where its engine is genuinely missing. Each voice speaks the sentence once
per test session (``spoken``), so the checks share the synthesis.
"""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from avatar.errors import SpeechFailed
from avatar.voices import espeak_engine, festival_engine, flite_engine, piper_engine, postprocess
from avatar.voices.base import EngineOutput, Timing
from avatar.voices.timings import written_words

SENTENCE = "Hello, my name is Sam, and I make short videos for you."
EXPECTED_SOUNDS = {"m", "n", "s", "ʃ", "v"}
ENGINES = {
    "piper": piper_engine,
    "festival": festival_engine,
    "flite": flite_engine,
    "espeak": espeak_engine,
}
ENGLISH_VOICES = [
    "piper:en_US-joe-medium",
    "festival:cmu_us_slt_arctic_hts",
    "flite:slt",
    "flite:rms",
    "flite:awb",
    "flite:kal16",
    "espeak:en-us",
    "espeak:en-us+f3",
]
ONE_VOICE_PER_ENGINE = [
    "piper:en_US-joe-medium",
    "festival:cmu_us_slt_arctic_hts",
    "flite:slt",
    "espeak:en-us",
]


def engine_of(voice_id: str):
    module = ENGINES[voice_id.split(":", 1)[0]]
    if not module.available():
        pytest.skip(f"the {module.ENGINE} engine is not installed here")
    return module


def voice_of(voice_id: str):
    module = engine_of(voice_id)
    return module, next(voice for voice in module.VOICES if voice.id == voice_id)


def speak(voice_id: str, text: str, path: Path, **prosody) -> EngineOutput:
    module, voice = voice_of(voice_id)
    return module.synthesize(voice, text, path, **prosody)


@pytest.fixture(scope="session")
def spoken(tmp_path_factory):
    """voice id -> (wav path, EngineOutput) of SENTENCE, made once per session."""
    cache: dict[str, tuple[Path, EngineOutput]] = {}
    folder = tmp_path_factory.mktemp("engines")

    def get(voice_id: str) -> tuple[Path, EngineOutput]:
        if voice_id not in cache:
            path = folder / (voice_id.replace(":", "_").replace("+", "_") + ".wav")
            cache[voice_id] = (path, speak(voice_id, SENTENCE, path))
        return cache[voice_id]

    return get


def read(path: Path) -> tuple[np.ndarray, int, int, int]:
    """(float samples, sample rate, channels, sample width) of a WAV file."""
    with wave.open(str(path), "rb") as wav:
        frames = wav.readframes(wav.getnframes())
        info = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0, *info


def duration(path: Path) -> float:
    samples, rate, _, _ = read(path)
    return len(samples) / rate


def median_f0(path: Path) -> float:
    """Median fundamental over voiced 40 ms frames, by autocorrelation."""
    samples, rate, _, _ = read(path)
    size = int(0.04 * rate)
    window = np.hanning(size)
    low, high = int(rate / 400), int(rate / 60)
    found = []
    for begin in range(0, len(samples) - size, size // 2):
        frame = samples[begin : begin + size] * window
        if np.sqrt(np.mean(frame**2)) < 0.02:
            continue
        corr = np.correlate(frame, frame, "full")[size - 1 :]
        lag = low + int(np.argmax(corr[low:high]))
        if corr[lag] > 0.4 * corr[0]:
            found.append(rate / lag)
    assert len(found) > 10, "too few voiced frames to measure a pitch"
    return float(np.median(found))


def assert_ordered(timings: list[Timing], total: float) -> None:
    assert timings
    for item in timings:
        assert 0.0 <= item.start <= item.end <= total + 0.05, item
    starts = [item.start for item in timings]
    assert starts == sorted(starts)


def assert_ipa(phonemes: list[Timing]) -> None:
    """IPA without stress or length marks, pauses or ARPAbet/espeak leftovers."""
    for phoneme in phonemes:
        text = phoneme.text
        assert text and not any(c.isdigit() or (c.isascii() and c.isupper()) for c in text)
        assert not set(text) & set("ˈˌː_ ,.?!;:-()"), text


@pytest.mark.parametrize("voice_id", ENGLISH_VOICES)
def test_it_writes_mono_16_bit_speech_at_the_voice_rate(voice_id, spoken):
    path, _ = spoken(voice_id)
    _, voice = voice_of(voice_id)
    samples, rate, channels, width = read(path)
    assert (rate, channels, width) == (voice.sample_rate, 1, 2)
    assert len(samples) / rate > 1.5
    assert np.sqrt(np.mean(samples**2)) > 0.01


@pytest.mark.parametrize("voice_id", ENGLISH_VOICES)
def test_word_and_phoneme_timings_are_ordered_and_cover_the_audio(voice_id, spoken):
    path, output = spoken(voice_id)
    total = duration(path)
    assert_ordered(output.words, total)
    assert_ordered(output.phonemes, total)
    assert output.words[0].start < 0.6
    assert output.words[-1].end > total - 0.6
    assert output.phonemes[0].start < 0.6


@pytest.mark.parametrize("voice_id", ENGLISH_VOICES)
def test_words_are_the_written_words(voice_id, spoken):
    _, output = spoken(voice_id)
    assert [word.text.lower() for word in output.words] == written_words(SENTENCE)


@pytest.mark.parametrize("voice_id", ENGLISH_VOICES)
def test_phonemes_are_ipa(voice_id, spoken):
    _, output = spoken(voice_id)
    assert_ipa(output.phonemes)
    assert EXPECTED_SOUNDS <= {phoneme.text for phoneme in output.phonemes}


@pytest.mark.parametrize("voice_id", ONE_VOICE_PER_ENGINE)
def test_a_faster_rate_gives_shorter_speech(voice_id, spoken, tmp_path):
    normal, _ = spoken(voice_id)
    fast = tmp_path / "fast.wav"
    output = speak(voice_id, SENTENCE, fast, rate=1.5)
    assert duration(fast) < 0.85 * duration(normal)
    assert_ordered(output.words, duration(fast))


@pytest.fixture
def steady_piper(monkeypatch):
    """Piper without its noise, so two syntheses of a sentence are the same.

    Its pitch varies from run to run too (the median f0 of SENTENCE ranged
    93-109 Hz over 13 runs), enough to hide most of a 4-semitone shift when
    the shifted and unshifted sentences are two different syntheses.
    """
    import functools

    from piper import config

    monkeypatch.setattr(
        config,
        "SynthesisConfig",
        functools.partial(config.SynthesisConfig, noise_scale=0.0, noise_w_scale=0.0),
    )


@pytest.mark.parametrize("voice_id", ONE_VOICE_PER_ENGINE)
def test_a_higher_pitch_keeps_the_duration(voice_id, steady_piper, tmp_path):
    normal, high = tmp_path / "normal.wav", tmp_path / "high.wav"
    speak(voice_id, SENTENCE, normal)
    speak(voice_id, SENTENCE, high, pitch=4)
    assert abs(duration(high) - duration(normal)) <= 0.02 * duration(normal)
    assert median_f0(high) > 1.12 * median_f0(normal)  # 4 semitones is x1.26


def test_pitch_shift_keeps_the_length_exactly(spoken, tmp_path):
    source, _ = spoken("flite:slt")
    shifted = tmp_path / "shifted.wav"
    shutil.copy(source, shifted)
    postprocess.shift_pitch(shifted, -3)
    assert read(shifted)[1:] == read(source)[1:]
    assert len(read(shifted)[0]) == len(read(source)[0])
    assert median_f0(shifted) < 0.9 * median_f0(source)


@pytest.mark.parametrize(
    ("voice_id", "text", "words"),
    [
        ("espeak:de", "Über Größe müssen wir reden.", ["über", "größe", "müssen", "wir", "reden"]),
        ("espeak:cmn", "我们做视频。这个产品很好。", None),
    ],
)
def test_espeak_times_words_and_phonemes_in_other_languages(voice_id, text, words, tmp_path):
    path = tmp_path / "speech.wav"
    output = speak(voice_id, text, path)
    assert_ordered(output.words, duration(path))
    assert_ordered(output.phonemes, duration(path))
    assert_ipa(output.phonemes)
    if words:
        assert [word.text for word in output.words] == words
    else:  # Mandarin: words are spans of the written characters
        assert len(output.words) >= 4
        assert "".join(word.text for word in output.words) == "我们做视频这个产品很好"


# A sentence in the language of every curated espeak voice (pangrams, mostly).
SAMPLES = {
    "en": "The quick brown fox jumps over the lazy dog.",
    "de": "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.",
    "fr": "Portez ce vieux whisky au juge blond qui fume.",
    "es": "El veloz murciélago hindú comía feliz cardillo y kiwi.",
    "pt": "Luís argüia à Júlia que brações, fé, chá, óxido, pôr, zângão eram palavras.",
    "it": "Quel vituperabile xenofobo zelante assaggia il whisky ed esclama.",
    "nl": "Pa's wijze lynx bezag vroom het fikse aquaduct.",
    "pl": "Pchnąć w tę łódź jeża lub ośm skrzyń fig.",
    "ru": "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "uk": "Чуєш їх, доцю, га? Кумедна ж ти, прощайся без ґольфів!",
    "tr": "Pijamalı hasta yağız şoföre çabucak güvendi.",
    "ar": "نص حكيم له سر قاطع وذو شأن عظيم مكتوب على ثوب أخضر",
    "hi": "ऋषियों को सताने वाले दुष्ट राक्षसों के राजा रावण का सर्वनाश",
    "bn": "আমি বাংলায় গান গাই। তুমি কেমন আছ?",
    "zh": "我们做视频。这是一个很好的产品，价格也很便宜。",
    "yue": "我哋做影片。呢個產品好好，價錢都好平。",
    "ko": "다람쥐 헌 쳇바퀴에 타고파. 안녕하세요.",
    "vi": "Tôi có thể ăn thủy tinh mà không hại gì.",
    "th": "สวัสดี ครับ ผม ชื่อ สมชาย",
    "id": "Saya bisa makan kaca dan itu tidak menyakitkan saya.",
    "ms": "Saya boleh makan kaca dan ia tidak mencederakan saya.",
    "sv": "Flygande bäckasiner söka hwila på mjuka tuvor.",
    "da": "Høj bly gom vandt fræk sexquiz på wc.",
    "nb": "Vår sære Zulu fra badeøya spilte jo whist og quickstep i min taxi.",
    "fi": "Törkylempijävongahdus. Hyvää päivää, mitä kuuluu?",
    "cs": "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "el": "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "hu": "Árvíztűrő tükörfúrógép. Jó napot kívánok!",
    "ro": "Fumegând hipnotic sașiul azvârle mreje în bălți.",
}


def test_every_curated_espeak_voice_speaks_its_language_in_ipa(tmp_path):
    engine_of("espeak:en-us")
    for voice in espeak_engine.VOICES:
        text = SAMPLES[voice.primary_language]
        path = tmp_path / "sample.wav"
        output = espeak_engine.synthesize(voice, text, path)
        assert_ordered(output.words, duration(path))
        assert_ipa(output.phonemes)
        assert len(output.words) >= 3, voice.id


def test_espeak_offers_more_than_a_hundred_languages():
    engine_of("espeak:en-us")
    voices = espeak_engine.list_all_voices()
    assert len(voices) > 100
    assert {"espeak:de", "espeak:cmn", "espeak:en-gb", "espeak:sw"} <= {v.id for v in voices}


@pytest.mark.parametrize("voice_id", ONE_VOICE_PER_ENGINE)
def test_text_with_nothing_to_say_is_refused(voice_id, tmp_path):
    with pytest.raises(SpeechFailed) as failure:
        speak(voice_id, "...", tmp_path / "none.wav")
    assert failure.value.field == "script"


def test_festival_reads_quotes_and_backslashes_safely(tmp_path):
    output = speak(
        "festival:cmu_us_slt_arctic_hts", 'She said "hi" twice \\ (really).', tmp_path / "q.wav"
    )
    assert [word.text for word in output.words][:4] == ["she", "said", "hi", "twice"]


def test_piper_word_times_agree_with_a_forced_alignment(spoken):
    engine_of("piper:en_US-joe-medium")
    align = pytest.importorskip("avatar.audio.align")
    path, output = spoken("piper:en_US-joe-medium")
    aligned, _ = align.align(path, SENTENCE)
    assert [w.text for w in aligned] == [w.text for w in output.words]
    starts = [abs(a.start - b.start) for a, b in zip(aligned, output.words, strict=True)]
    ends = [abs(a.end - b.end) for a, b in zip(aligned, output.words, strict=True)]
    assert np.median(starts) < 0.06
    assert np.median(ends) < 0.06
