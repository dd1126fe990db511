"""Uploaded audio: decoding every accepted format, clear errors, loudness, preparation.

Speech comes from Piper (see ``test_align.speak``); tones, silence and long
files come from ffmpeg's lavfi generators, and formats from its encoders.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from avatar.audio.align import AlignmentFailed
from avatar.audio.io import decode_audio, format_duration, read_wav, write_wav
from avatar.audio.loudness import measure_lufs, normalize_loudness
from avatar.audio.upload import prepare_uploaded_audio
from avatar.errors import InvalidInput
from tests.avatar.test_align import SENTENCE, Speech, speak

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
RATE = 22050
AAC_FRAME_S = 1024 / RATE
FORMATS = {
    "wav": ["-c:a", "pcm_s16le"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "aac": ["-c:a", "aac", "-b:a", "64k"],  # raw ADTS: its header length is only an estimate
    "ogg": ["-c:a", "libvorbis"],
    "opus": ["-c:a", "libopus", "-b:a", "32k"],
    "flac": ["-c:a", "flac"],
    "webm": ["-c:a", "libopus", "-b:a", "32k"],  # what browsers record
}


def ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-y", "-v", "error", "-nostdin", *args], check=True)


def tone(path: Path, seconds: float, *encoder: str, volume: float = 0.5) -> Path:
    source = f"sine=f=440:d={seconds}:sample_rate={RATE},volume={volume}"
    ffmpeg("-f", "lavfi", "-i", source, *encoder, str(path))
    return path


def error_code(path: Path, **kwargs) -> str:
    with pytest.raises(InvalidInput) as caught:
        decode_audio(path, **kwargs)
    assert caught.value.field == "audio"
    return caught.value.code


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> Speech:
    return speak(SENTENCE, tmp_path_factory.mktemp("audio") / "speech.wav")


@pytest.mark.parametrize("extension", FORMATS)
def test_each_format_decodes_to_its_duration(extension, speech, tmp_path):
    encoded = tmp_path / f"speech.{extension}"
    ffmpeg("-i", str(speech.wav), *FORMATS[extension], str(encoded))
    samples = decode_audio(encoded, rate=RATE)
    assert samples.dtype == np.float32 and samples.ndim == 1
    # Raw ADTS AAC has no gapless metadata: the encoder's priming frame and
    # the padding of the last frame stay in (alignment runs on this audio, so
    # timings are unaffected). Every other format is exact to 50 ms.
    slack = 0.050 + (2 * AAC_FRAME_S if extension == "aac" else 0)
    assert abs(len(samples) / RATE - speech.duration_s) <= slack


def test_stereo_at_another_rate_is_mixed_to_mono_and_resampled(tmp_path):
    path = tmp_path / "stereo.flac"
    ffmpeg("-f", "lavfi", "-i", "sine=f=300:d=2:sample_rate=48000", "-ac", "2", str(path))
    samples = decode_audio(path, rate=16000)
    assert abs(len(samples) - 32000) <= 160


@pytest.mark.parametrize("content", ["jpeg", "text", "random"])
def test_a_file_that_is_not_audio_is_refused_as_not_audio(content, tmp_path):
    fake = tmp_path / "upload.mp3"
    if content == "jpeg":
        ffmpeg(
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=64x64:d=1",
            "-frames:v",
            "1",
            str(fake.with_suffix(".jpg")),
        )
        fake.write_bytes(fake.with_suffix(".jpg").read_bytes())
    elif content == "text":
        fake.write_text("This is the script, not the recording.\n" * 20)
    else:
        fake.write_bytes(np.random.default_rng(1).integers(0, 256, 40000, np.uint8).tobytes())
    assert error_code(fake) == "not_audio"


def test_half_a_second_of_silence_is_refused_as_silent(tmp_path):
    path = tmp_path / "silence.wav"
    ffmpeg("-f", "lavfi", "-i", f"anullsrc=r={RATE}:cl=mono", "-t", "0.5", str(path))
    assert error_code(path) == "audio_silent"


def test_a_very_faint_hiss_is_silent_too(tmp_path):
    path = tmp_path / "hiss.wav"
    write_wav(path, np.random.default_rng(2).normal(0, 0.0002, RATE * 2), RATE)
    assert error_code(path) == "audio_silent"


def test_a_blip_is_too_short(tmp_path):
    assert error_code(tone(tmp_path / "blip.wav", 0.2)) == "audio_too_short"


def test_eleven_minutes_is_refused_as_too_long_from_the_header(tmp_path):
    path = tmp_path / "long.opus"
    started = time.perf_counter()
    source = "sine=f=440:d=660:sample_rate=8000"
    ffmpeg("-f", "lavfi", "-i", source, "-c:a", "libopus", "-b:a", "6k", str(path))
    made = time.perf_counter() - started
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as caught:
        decode_audio(path)
    print(
        f"\n11-minute opus: made in {made:.2f} s, refused in {time.perf_counter() - started:.3f} s"
    )
    assert caught.value.code == "audio_too_long"
    assert caught.value.message == "The recording is 11 minutes long; the limit is 10 minutes."


def test_a_file_without_a_trustworthy_length_is_limited_while_decoding(tmp_path):
    # Raw ADTS AAC has only a bitrate estimate for its length, which is ignored.
    path = tone(tmp_path / "long.aac", 4, "-c:a", "aac", "-b:a", "32k")
    assert error_code(path, max_seconds=2) == "audio_too_long"
    seconds = len(decode_audio(path, rate=RATE, max_seconds=5)) / RATE
    assert 4 <= seconds <= 4 + 3 * AAC_FRAME_S


def test_a_truncated_mp3_decodes_the_part_that_is_there(speech, tmp_path):
    mp3 = tmp_path / "full.mp3"
    ffmpeg("-i", str(speech.wav), *FORMATS["mp3"], str(mp3))
    truncated = tmp_path / "truncated.mp3"
    data = mp3.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    seconds = len(decode_audio(truncated, rate=RATE)) / RATE
    assert speech.duration_s * 0.4 < seconds < speech.duration_s * 0.6


def test_a_garbled_mp3_decodes_what_survives(speech, tmp_path):
    mp3 = tmp_path / "full.mp3"
    ffmpeg("-i", str(speech.wav), *FORMATS["mp3"], str(mp3))
    data = bytearray(mp3.read_bytes())
    rng = np.random.default_rng(3)
    for index in rng.integers(1000, len(data), 2000):
        data[index] = rng.integers(0, 256)
    garbled = tmp_path / "garbled.mp3"
    garbled.write_bytes(bytes(data))
    assert len(decode_audio(garbled, rate=RATE)) > RATE  # damaged frames are skipped


def test_an_mp3_cut_after_its_header_is_corrupt(speech, tmp_path):
    mp3 = tmp_path / "full.mp3"
    ffmpeg("-i", str(speech.wav), *FORMATS["mp3"], str(mp3))
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(mp3.read_bytes()[:600])
    assert error_code(cut) == "audio_corrupt"


def test_an_empty_file_is_corrupt(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert error_code(empty) == "audio_corrupt"


def test_durations_are_written_for_people():
    assert format_duration(723.4) == "12 min 3 s"
    assert format_duration(600) == "10 minutes"
    assert format_duration(60) == "1 minute"
    assert format_duration(42) == "42 s"


@pytest.mark.parametrize("level", [0.02, 1.0])
def test_quiet_and_loud_speech_end_at_minus_16_lufs_with_peaks_below_minus_1_dbfs(level, speech):
    samples, rate = read_wav(speech.wav)
    samples = samples / np.abs(samples).max() * level
    before = measure_lufs(samples, rate)
    out = normalize_loudness(samples, rate)
    after, peak_db = measure_lufs(out, rate), 20 * np.log10(np.abs(out).max())
    print(f"\n{before:.1f} LUFS -> {after:.2f} LUFS, peak {peak_db:.2f} dBFS")
    assert abs(after + 16) <= 0.5
    assert peak_db <= -1.0 + 1e-4


def test_spiky_audio_is_limited_without_losing_its_loudness():
    rate = 16000
    rng = np.random.default_rng(4)
    samples = rng.normal(0, 0.01, rate * 3).astype(np.float32)
    samples[:: rate // 4] = 0.9  # clicks far above the noise floor
    out = normalize_loudness(samples, rate)
    assert abs(measure_lufs(out, rate) + 16) <= 0.5
    assert np.abs(out).max() <= 10 ** (-1 / 20) + 1e-6


def test_silence_and_too_short_input_come_back_unchanged():
    silence = np.zeros(RATE, dtype=np.float32)
    short = np.full(RATE // 5, 0.1, dtype=np.float32)
    assert np.array_equal(normalize_loudness(silence, RATE), silence)
    assert np.array_equal(normalize_loudness(short, RATE), short)
    assert measure_lufs(short, RATE) == float("-inf")


def test_wav_round_trip_is_16_bit_mono_and_clipped(tmp_path):
    path = tmp_path / "x.wav"
    write_wav(path, np.array([0.0, 0.5, 2.0, -3.0], dtype=np.float32), 8000)
    samples, rate = read_wav(path)
    assert rate == 8000 and samples.dtype == np.float32
    assert samples == pytest.approx([0.0, 0.5, 1.0, -1.0], abs=1e-4)
    import soundfile

    info = soundfile.info(str(path))
    assert (info.channels, info.subtype) == (1, "PCM_16")


def test_an_english_upload_without_transcript_gets_words_and_phonemes(speech, tmp_path):
    mp3 = tmp_path / "upload.mp3"
    ffmpeg("-i", str(speech.wav), *FORMATS["mp3"], str(mp3))
    prepared = prepare_uploaded_audio(mp3, tmp_path / "out.wav")
    assert prepared.timing_source == "transcribed" and not prepared.needs_audio_visemes
    assert "espresso" in prepared.transcript.lower()
    assert len(prepared.words) >= 15 and prepared.phonemes
    samples, rate = read_wav(prepared.wav)
    assert rate == prepared.sample_rate == 22050
    assert abs(len(samples) / rate - prepared.duration_s) < 0.01
    assert abs(measure_lufs(samples, rate) + 16) <= 0.5


def test_an_english_upload_with_transcript_is_aligned_to_it(speech, tmp_path):
    prepared = prepare_uploaded_audio(speech.wav, tmp_path / "out.wav", transcript=SENTENCE)
    assert prepared.timing_source == "aligned" and prepared.transcript == SENTENCE
    assert [w.text for w in prepared.words][:3] == ["the", "quick", "brown"]


def test_a_transcript_that_does_not_match_falls_back_to_listening(speech, tmp_path):
    wrong = "Hello there."
    prepared = prepare_uploaded_audio(speech.wav, tmp_path / "out.wav", transcript=wrong)
    assert prepared.timing_source == "transcribed" and prepared.transcript == wrong
    assert "espresso" in [w.text for w in prepared.words] and prepared.phonemes


def test_whisper_words_are_kept_when_alignment_fails(speech, tmp_path, monkeypatch):
    def fail(wav, text):
        raise AlignmentFailed("no")

    monkeypatch.setattr("avatar.audio.align.align", fail)
    prepared = prepare_uploaded_audio(speech.wav, tmp_path / "out.wav")
    assert prepared.timing_source == "transcribed" and prepared.needs_audio_visemes
    assert len(prepared.words) >= 15 and prepared.phonemes == ()


def test_a_german_upload_without_transcript_needs_audio_visemes(speech, tmp_path):
    # The routing is by declared language; the speech itself need not be German.
    prepared = prepare_uploaded_audio(speech.wav, tmp_path / "out.wav", language="de-DE")
    assert prepared.needs_audio_visemes and prepared.timing_source == "none"
    assert prepared.words == () and prepared.phonemes == () and prepared.transcript == ""
    assert prepared.wav.is_file()


def test_a_german_upload_keeps_its_transcript_for_captions(speech, tmp_path):
    text = "Der schnelle braune Fuchs."
    prepared = prepare_uploaded_audio(
        speech.wav, tmp_path / "o.wav", transcript=text, language="de"
    )
    assert prepared.needs_audio_visemes and prepared.transcript == text


def test_upload_errors_reach_the_caller(tmp_path):
    fake = tmp_path / "photo.m4a"
    fake.write_text("not audio")
    with pytest.raises(InvalidInput) as caught:
        prepare_uploaded_audio(fake, tmp_path / "out.wav")
    assert caught.value.code == "not_audio" and not (tmp_path / "out.wav").exists()
