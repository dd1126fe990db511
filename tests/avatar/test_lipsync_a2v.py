"""The audio-to-viseme model: shipped weights, checksum, and accuracy on held-out voices."""

import json
import shutil

import numpy as np
import pytest

from avatar.lipsync import a2v, features
from avatar.lipsync.visemes import frame_labels, segments_from_phonemes


def test_the_weights_are_small_and_ship_with_config_and_checksum():
    config = json.loads(a2v.CONFIG.read_text())
    assert a2v.WEIGHTS.stat().st_size < 2 * 1024 * 1024
    assert config["sha256"] == a2v.sha256(a2v.WEIGHTS)
    assert config["training"]["command"].startswith("python -m avatar.lipsync.train")
    assert "piper:en_US-joe-medium" in config["training"]["held_out"]


def test_tampered_weights_are_refused(tmp_path):
    weights, config = tmp_path / "a2v.pt", tmp_path / "a2v.json"
    shutil.copy(a2v.CONFIG, config)
    data = bytearray(a2v.WEIGHTS.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(a2v.WeightsInvalid):
        a2v.load_model.__wrapped__(weights, config)


def test_held_out_voices_beat_the_majority_class_by_a_wide_margin():
    evaluation = json.loads(a2v.CONFIG.read_text())["evaluation"]["held_out_voices"]
    overall = evaluation["all"]
    assert overall["accuracy"] >= overall["majority"] + 0.3
    for voice, scores in evaluation.items():
        assert scores["accuracy"] > scores["majority"] + 0.15, voice


def test_the_model_recognises_a_voice_it_never_heard(tmp_path):
    from avatar.audio.io import read_wav
    from avatar.voices import get_voice

    voice = get_voice("flite:awb")  # held out of training
    from avatar.voices import engines

    output = engines()["flite"].synthesize(
        voice, "Maybe we should move the blue boat over there.", tmp_path / "a.wav", 1.0, 0.0
    )
    samples, rate = read_wav(tmp_path / "a.wav")
    audio = features.to_16k(samples, rate)
    predicted = a2v.predict_labels(audio)
    segments = segments_from_phonemes(output.phonemes, len(audio) / features.RATE)
    truth = frame_labels(segments, len(predicted), features.FRAMES_PER_S)
    accuracy = float(np.mean(predicted == truth))
    majority = float(np.mean(truth == np.bincount(truth).argmax()))
    assert accuracy > majority + 0.2, (accuracy, majority)


def test_speech_without_timings_is_animated_from_its_audio(tmp_path):
    from avatar.lipsync import viseme_track
    from avatar.voices import synthesize
    from avatar.voices.base import read_speech_result

    spoken = synthesize("Hello, my name is Bob.", "espeak:en-us", tmp_path / "s.wav")
    without = read_speech_result(spoken.wav)  # a WAV alone: no phoneme timings
    count = int(np.ceil(without.duration_s * 25))
    heard = viseme_track(without, count, 25)
    timed = viseme_track(spoken, count, 25)
    assert np.corrcoef(heard.open, timed.open)[0, 1] > 0.5
    assert heard.open[0] < 0.05  # the leading silence stays closed
