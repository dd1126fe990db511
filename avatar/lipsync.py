"""Lip-sync stage: presenter still + speech -> a stream of face frames.

This is the seam where the lip-sync model plugs in. Until the lip-sync issue
lands it is honest about doing nothing: every frame is the still presenter,
with no mouth animation at all.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from avatar.voices.base import SpeechResult


@dataclass
class FrameTrack:
    """A single-use stream of RGB ``uint8`` frames of known length and size.

    Frames may share memory with each other and are read-only; consumers that
    need to modify one must copy it.
    """

    frames: Iterator[np.ndarray]
    frame_count: int
    fps: int
    width: int
    height: int

    def __iter__(self) -> Iterator[np.ndarray]:
        return self.frames


def frame_count_for(duration_s: float, fps: int) -> int:
    """Fewest frames that cover ``duration_s`` (at least 1).

    The video then outlasts the audio by less than one frame, so the last
    syllable is never shown over a frozen or missing picture.
    """
    return max(1, math.ceil(duration_s * fps - 1e-9))


def animate(presenter: np.ndarray, speech: SpeechResult, fps: int) -> FrameTrack:
    """Lip-sync stage (still presenter until the lip-sync issue lands).

    Args:
        presenter: the presenter portrait, RGB ``uint8`` (H, W, 3).
        speech: the speech track the mouth should follow.
        fps: output frame rate.

    Returns:
        A :class:`FrameTrack` covering the speech duration. For now every frame
        is the unchanged portrait: there is no mouth animation yet.
    """
    count = frame_count_for(speech.duration_s, fps)
    still = np.ascontiguousarray(presenter, dtype=np.uint8)
    still.flags.writeable = False
    height, width = still.shape[:2]
    return FrameTrack(_repeat(still, count), count, fps, width, height)


def _repeat(frame: np.ndarray, count: int) -> Iterator[np.ndarray]:
    for _ in range(count):
        yield frame
