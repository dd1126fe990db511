"""Shared fixtures for the lip-sync tests: small presenters, speech with known phonemes."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
from PIL import Image

from avatar.voices.base import SpeechResult, Timing

RATE = 16000
FPS = 25
# (phoneme, start, end): a pause, "mapa bu" (closures and an open vowel), a long
# pause, "wisou" (spread then rounded), and a final pause.
PHONEMES = (
    ("m", 0.50, 0.58), ("a", 0.58, 0.82), ("p", 0.82, 0.90), ("a", 0.90, 1.14),
    ("b", 1.14, 1.22), ("u", 1.22, 1.46), ("w", 2.30, 2.38), ("i", 2.38, 2.62),
    ("s", 2.62, 2.74), ("o", 2.74, 3.00), ("ʊ", 3.00, 3.16),
)  # fmt: skip
DURATION = 3.8
PAUSES = ((0.0, 0.40), (1.65, 2.15), (3.45, 3.8))  # well inside the silences


def grace() -> np.ndarray:
    from avatar.presenters import load_presenter_image, resolve_presenter

    return load_presenter_image(resolve_presenter("grace").image_path)


def speech(tmp_path: Path, phonemes=PHONEMES, duration=DURATION) -> SpeechResult:
    """A silent WAV with the given phoneme timings (the renderer only reads the timings)."""
    path = tmp_path / "speech.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(RATE)
        out.writeframes(np.zeros(int(RATE * duration), np.int16).tobytes())
    timings = tuple(Timing(p, s, e) for p, s, e in phonemes)
    return SpeechResult(path, RATE, duration, phonemes=timings, timing_source="engine")


def save(image: np.ndarray, path: Path) -> Path:
    Image.fromarray(image).save(path)
    return path


def mouth_box(points: np.ndarray) -> tuple[int, int, int, int]:
    """x0, y0, x1, y1 around the mouth and the room it opens into."""
    width = abs(points[291, 0] - points[61, 0])
    x0, x1 = points[61, 0] - 0.1 * width, points[291, 0] + 0.1 * width
    y0 = min(points[0, 1], points[13, 1]) - 0.15 * width
    y1 = points[17, 1] + 0.45 * width
    return int(x0), int(y0), int(x1), int(y1)


def mouth_opening(frame: np.ndarray, still: np.ndarray, box) -> float:
    """How much mouth interior a frame shows: dark (cavity) or pale (teeth) pixels in the
    mouth box, beyond what the photo itself shows there."""

    def interior(image):
        x0, y0, x1, y1 = box
        region = image[y0:y1, x0:x1].astype(np.float32)
        value = region.max(axis=2)
        saturation = (value - region.min(axis=2)) / np.maximum(value, 1)
        return int(((value < 70) | ((value > 110) & (saturation < 0.18))).sum())

    return float(interior(frame) - interior(still))
