"""Speaker labels from the voice encoder that ships in Resemblyzer's wheel: two voices
taking turns are told apart, one real reader stays one speaker."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from avatar.dub import speakers

pytestmark = pytest.mark.skipif(not speakers.available(), reason="Resemblyzer is not installed")
LIBRIVOX = (
    Path(__file__).resolve().parents[2] / ".cache/test-media/pocketsphinx-5.1.1/test/data/librivox"
)
LINES = [
    ("piper:en_US-joe-medium", "Welcome to the quarterly safety briefing for the whole team."),
    ("flite:slt", "Thank you. It is good to be here with everyone this morning."),
    ("piper:en_US-joe-medium", "Fire exits are marked in green on every floor of the building."),
    ("flite:slt", "And the first aid kits hang beside the kitchen, next to the lifts."),
    ("flite:slt", "Yes."),  # too short to embed: takes its neighbour's label
]


def conversation(folder: Path, pause: float = 0.8) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """LINES one after another with PAUSE s between, at 16 kHz, and where each one is."""
    from avatar.audio.io import decode_audio
    from avatar.voices import synthesize

    pieces, spans, cursor = [], [], 0.0
    gap = np.zeros(int(pause * speakers.RATE), dtype=np.float32)
    for index, (voice, text) in enumerate(LINES):
        wav = synthesize(text, voice, folder / f"{index}.wav").wav
        samples = decode_audio(wav, rate=speakers.RATE)
        spans.append((cursor, cursor + len(samples) / speakers.RATE))
        pieces += [samples, gap]
        cursor = spans[-1][1] + len(gap) / speakers.RATE
    return np.concatenate(pieces), spans


def test_two_voices_taking_turns_are_two_speakers(tmp_path):
    samples, spans = conversation(tmp_path)
    assert speakers.label(samples, spans) == ["S1", "S2", "S1", "S2", "S2"]


def test_a_real_reader_is_one_speaker():
    from avatar.audio.io import decode_audio

    if not (LIBRIVOX / "fileids").exists():
        pytest.skip("the LibriVox recordings are absent: `make test-media` fetches them")
    clips = [decode_audio(LIBRIVOX / f"{i}.wav", rate=speakers.RATE)
             for i in (LIBRIVOX / "fileids").read_text().split()]  # fmt: skip
    spans, cursor = [], 0.0
    for clip in clips:
        spans.append((cursor, cursor + len(clip) / speakers.RATE))
        cursor = spans[-1][1]
    assert set(speakers.label(np.concatenate(clips), spans)) == {"S1"}


def test_silence_alone_is_one_speaker_not_a_crash():
    silence = np.zeros(speakers.RATE * 3, dtype=np.float32)
    assert speakers.label(silence, [(0.0, 1.5), (1.5, 3.0)]) == ["S1", "S1"]
