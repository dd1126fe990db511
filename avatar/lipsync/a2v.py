"""The audio-to-viseme model: log-mel frames in, viseme classes out, every 10 ms.

A small 1-D convolutional network (about 0.2 M parameters) with dilated
residual blocks that see about 0.35 s of context. It is trained by
``python -m avatar.lipsync.train`` on speech the project makes with its own
voices; the weights ship in ``weights/a2v.pt`` with their training config and
SHA-256 in ``weights/a2v.json``, checked on load.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import numpy as np
import torch
from torch import nn

from avatar.lipsync import features
from avatar.lipsync.visemes import VISEMES, VisemeTrack, segments_from_labels, track_from_segments

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS = WEIGHTS_DIR / "a2v.pt"
CONFIG = WEIGHTS_DIR / "a2v.json"
SILENCE_BELOW_DB = -50.0  # frames quieter than this (dBFS) are silence whatever the model says
MEDIAN_FRAMES = 5  # 50 ms median filter over the class decisions


class WeightsInvalid(RuntimeError):
    """The shipped weights are missing or do not match their recorded checksum."""


class Block(nn.Module):
    """A dilated residual convolution block."""

    def __init__(self, channels: int, dilation: int):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, 3, padding=dilation, dilation=dilation)
        self.norm = nn.BatchNorm1d(channels)
        self.mix = nn.Conv1d(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.mix(torch.relu(self.norm(self.conv(x))))


class AudioToViseme(nn.Module):
    """(batch, bands, frames) log-mel -> (batch, classes, frames) logits."""

    def __init__(self, bands: int = features.BANDS, channels: int = 96, dilations=(1, 2, 4, 8, 1)):
        super().__init__()
        self.inp = nn.Sequential(
            nn.Conv1d(bands, channels, 5, padding=2), nn.BatchNorm1d(channels), nn.ReLU()
        )
        self.blocks = nn.Sequential(*(Block(channels, d) for d in dilations))
        self.out = nn.Conv1d(channels, len(VISEMES), 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.relu(self.blocks(self.inp(x))))


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.cache
def load_model(weights: Path = WEIGHTS, config: Path = CONFIG) -> AudioToViseme:
    """The shipped model in eval mode, after checking its SHA-256 against its config.

    Raises:
        WeightsInvalid: missing files or a checksum mismatch.
    """
    if not Path(weights).is_file() or not Path(config).is_file():
        raise WeightsInvalid(f"audio-to-viseme weights missing: {weights}")
    meta = json.loads(Path(config).read_text())
    if sha256(weights) != meta["sha256"]:
        raise WeightsInvalid(f"{weights} does not match the SHA-256 recorded in {config}")
    model = AudioToViseme(**meta["model"])
    model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    return model.eval()


@torch.inference_mode()
def posteriors(audio16k: np.ndarray, model: AudioToViseme | None = None) -> np.ndarray:
    """Class probabilities every 10 ms, (frames, len(VISEMES)) float32."""
    model = model or load_model()
    feats = torch.from_numpy(features.log_mel(audio16k).T.copy())[None]
    logits = model(feats)[0].T
    return torch.softmax(logits, dim=-1).numpy()


def predict_labels(audio16k: np.ndarray, model: AudioToViseme | None = None) -> np.ndarray:
    """A viseme id every 10 ms: the model's choice, median-smoothed, silence where it is quiet."""
    probs = posteriors(audio16k, model)
    labels = probs.argmax(axis=1)
    labels = _median(labels, MEDIAN_FRAMES)
    quiet = features.energy_db(audio16k)[: len(labels)] < SILENCE_BELOW_DB
    labels[quiet] = 0
    return labels


def _median(labels: np.ndarray, width: int) -> np.ndarray:
    """Most common label in a sliding window (a median filter for classes)."""
    half = width // 2
    padded = np.pad(labels, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    counts = np.apply_along_axis(np.bincount, 1, windows, minlength=len(VISEMES))
    return counts.argmax(axis=1)


def track_from_audio(wav: Path, frame_count: int, fps: float) -> VisemeTrack:
    """The mouth-shape track of a WAV file that has no phoneme timings."""
    from avatar.audio.io import read_wav

    samples, rate = read_wav(wav)
    labels = predict_labels(features.to_16k(samples, rate))
    segments = segments_from_labels(labels, features.FRAMES_PER_S)
    return track_from_segments(segments, frame_count, fps)
