"""Lip-sync stage: presenter photo + speech -> a stream of talking-head frames.

The model is ours, in torch (see docs in each module):

* :mod:`~avatar.lipsync.quality` and :mod:`~avatar.lipsync.prepare`: the photo
  quality gate and avatar preparation (MediaPipe face mesh and matte, once).
* :mod:`~avatar.lipsync.visemes`: phonemes (IPA or ARPAbet) to a smooth
  mouth-shape track with coarticulation.
* :mod:`~avatar.lipsync.a2v`: the audio-to-viseme network, for speech that
  comes without phoneme timings.
* :mod:`~avatar.lipsync.render`: the batched, device-agnostic warp renderer.
* :mod:`~avatar.lipsync.motion`: blinks, idle head motion and breathing.

Importing this package does not import torch or MediaPipe; they load on the
first render or preparation.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from avatar.lipsync.prepare import PreparedAvatar, prepare_avatar, prepare_image
from avatar.lipsync.quality import QualityReport, assess_photo, check_photo
from avatar.voices.base import SpeechResult

__all__ = [
    "FrameTrack",
    "PreparedAvatar",
    "QualityReport",
    "animate",
    "assess_photo",
    "check_photo",
    "frame_count_for",
    "prepare_avatar",
    "prepare_image",
    "prepared_for",
    "viseme_track",
]

log = logging.getLogger(__name__)
CACHE_SIZE = 8


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
    # Where the face is in every frame, (x, y, w, h) in pixels, for layouts
    # that crop to the presenter (a corner circle); None when unknown.
    face_box: tuple[int, int, int, int] | None = None
    # A static person matte (H, W) float32 in 0..1 (1 = presenter), for layouts
    # that cut the presenter out over product media; None when unavailable.
    matte: np.ndarray | None = None
    # Outside ``changes`` (x0, y0, x1, y1) every frame is ``still``, pixel for pixel:
    # consumers may keep their work on the still and redo only that box per frame.
    still: np.ndarray | None = None
    changes: tuple[int, int, int, int] | None = None
    # ``seek(i)``: a new stream of the frames from ``i`` on, for a track whose frames do
    # not depend on the ones before (None: read it from the start).
    seek: Callable[[int], Iterator[np.ndarray]] | None = None

    def __iter__(self) -> Iterator[np.ndarray]:
        return self.frames


def frame_count_for(duration_s: float, fps: int) -> int:
    """Fewest frames that cover ``duration_s`` (at least 1).

    The video then outlasts the audio by less than one frame, so the last
    syllable is never shown over a frozen or missing picture.
    """
    return max(1, math.ceil(duration_s * fps - 1e-9))


def animate(
    presenter: np.ndarray | PreparedAvatar,
    speech: SpeechResult,
    fps: int,
    *,
    device: str = "auto",
    prepared: PreparedAvatar | None = None,
    seed: int = 0,
    reuse_frames: bool = False,
    scale: float = 1.0,
) -> FrameTrack:
    """Lip-sync stage: the presenter saying ``speech``.

    Args:
        presenter: an RGB ``uint8`` portrait (prepared on the fly and cached
            by content in this process) or a :class:`PreparedAvatar`.
        speech: the speech track; its phoneme timings drive the mouth, or,
            when it has none, the audio-to-viseme model listens to its WAV.
        fps: output frame rate.
        device: ``"auto"`` (CUDA when available), ``"cpu"``, ``"cuda"``...
        prepared: an already prepared avatar for ``presenter`` (skips preparation).
        seed: seeds blinks and idle motion (same seed, same video).
        reuse_frames: frames share two buffers (see :meth:`Renderer.render`'s
            ``reuse``): for a consumer that is done with each frame before it reads
            the next but one, as the compositor is. Saves a copy of the photo a frame.
        scale: render from the photo scaled by this (at most 1), for a layout that
            shows the presenter smaller than the photo is: the cost falls with the
            pixels. Rounded up to a sixteenth, and never so far that the face is
            under MIN_FACE_PX wide.

    Returns:
        A :class:`FrameTrack` of ``frame_count_for(speech.duration_s, fps)``
        frames the size of the (scaled) photo, rendered lazily in batches. A portrait in
        which no usable face is found is returned as a still, with a warning
        logged: refuse such photos up front with :func:`check_photo`.
    """
    count = frame_count_for(speech.duration_s, fps)
    avatar = prepared if prepared is not None else prepared_for(presenter)
    if avatar is None:
        return _still_track(np.asarray(presenter), count, fps)
    avatar = _at_scale(avatar, scale)
    track = viseme_track(speech, count, fps)
    renderer = _renderer(avatar, device)
    _use_cpu_threads(renderer.device)
    seek = functools.partial(_render_frames, renderer, track, count, fps, seed, reuse_frames)
    height, width = avatar.image.shape[:2]
    roi = renderer.roi
    return FrameTrack(
        seek(0), count, fps, width, height, avatar.face_box, avatar.matte,
        avatar.image, (roi.x0, roi.y0, roi.x1, roi.y1), seek,
    )  # fmt: skip


def viseme_track(speech: SpeechResult, frame_count: int, fps: float):
    """The per-frame mouth shapes for a speech track (phoneme timings, else the audio model)."""
    from avatar.lipsync import visemes

    if speech.phonemes:
        return visemes.track_from_phonemes(speech.phonemes, speech.duration_s, frame_count, fps)
    from avatar.lipsync import a2v

    return a2v.track_from_audio(speech.wav, frame_count, fps)


def _render_frames(
    renderer, track, count: int, fps: int, seed: int, reuse: bool = False, start: int = 0
):
    """Frames ``start`` to ``count - 1`` (blinks and motion are laid out for all ``count``
    frames first, so a stream started later shows what the whole one shows there)."""
    from avatar.lipsync import motion
    from avatar.lipsync.geometry import rig_params

    blink = motion.blinks(count, fps, seed)
    head = motion.head_motion(count, fps, renderer.rig.face_height, track.open, seed)
    rig, tongue = rig_params(track.params, blink), track.params[:, 3]
    return renderer.render(rig[start:], head[start:], tongue[start:], reuse=reuse)


CPU_THREADS_ENV = "LIPSYNC_CPU_THREADS"


def _use_cpu_threads(device) -> None:
    """Render on the CPU with LIPSYNC_CPU_THREADS torch threads (unset or 0: torch's
    own choice, one per core). Measured on 2 cores, the 30 s example's first render:
    alone on the machine, 2 threads won (lip-sync stage 11.0 s against 17.2 s with 1);
    with other renders on the same cores (load 9), 1 thread won by far (10.7-11.4 s
    against 31.4-42.9 s). So a worker with a machine to itself keeps the default, and
    one that packs more renders than cores sets 1. `make bench` prints both
    (render.product_ad_9x16.first_render_rtf and first_render_torch1_rtf)."""
    if device.type != "cpu":
        return
    import os

    import torch

    wanted = int(os.environ.get(CPU_THREADS_ENV, "0") or 0)
    if wanted > 0 and torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)


_LOCK = threading.Lock()
_PREPARED: OrderedDict[str, PreparedAvatar | None] = OrderedDict()
_SCALED: OrderedDict[tuple[int, float], tuple[PreparedAvatar, PreparedAvatar]] = OrderedDict()
_RENDERERS: OrderedDict[tuple[int, str], object] = OrderedDict()
MIN_FACE_PX = 96  # narrowest face a scaled render keeps (mouth and eyes stay drawable)


def _memo(store: OrderedDict, key, make: Callable, limit: int, valid: Callable | None = None):
    """``store[key]``, made by MAKE (outside the lock) when missing or not VALID (an entry
    keyed by an object's id is valid while it is that object's); the least recently used
    entries beyond LIMIT are dropped."""
    with _LOCK:
        if key in store and (valid is None or valid(store[key])):
            store.move_to_end(key)
            return store[key]
    value = make()
    with _LOCK:
        store[key] = value
        while len(store) > limit:
            store.popitem(last=False)
    return value


def prepared_for(presenter: np.ndarray | PreparedAvatar) -> PreparedAvatar | None:
    """The presenter's prepared avatar (prepared once per photo in this process), or
    None when no usable face is found in it."""
    if isinstance(presenter, PreparedAvatar):
        return presenter
    from avatar.lipsync.prepare import content_key

    image = np.ascontiguousarray(presenter, dtype=np.uint8)

    def prepare() -> PreparedAvatar | None:
        avatar, report = prepare_image(image)
        if avatar is None:
            codes = ", ".join(issue.code for issue in report.errors)
            log.warning("lip-sync: no usable face in the presenter (%s); rendering a still",
                        codes)  # fmt: skip
        return avatar

    return _memo(_PREPARED, content_key(image), prepare, CACHE_SIZE)


def _at_scale(avatar: PreparedAvatar, scale: float) -> PreparedAvatar:
    """AVATAR scaled by SCALE (rounded up to a sixteenth), kept for the next clips."""
    from avatar.lipsync.landmarks import face_width

    floor = MIN_FACE_PX / max(face_width(avatar.points), 1.0)
    scale = min(1.0, math.ceil(max(scale, floor) * 16) / 16)
    if scale >= 1.0:
        return avatar
    pair = _memo(_SCALED, (id(avatar), scale), lambda: (avatar, avatar.scaled(scale)),
                 CACHE_SIZE, lambda cached: cached[0] is avatar)  # fmt: skip
    return pair[1]


def _renderer(avatar: PreparedAvatar, device: str):
    """A renderer per (avatar, device), reused across clips of the same avatar."""
    from avatar.lipsync.render import Renderer

    return _memo(_RENDERERS, (id(avatar), str(device)),
                 lambda: Renderer(avatar, device=device), CACHE_SIZE // 2,
                 lambda cached: cached.avatar is avatar)  # fmt: skip


def _still_track(presenter: np.ndarray, count: int, fps: int) -> FrameTrack:
    still = np.ascontiguousarray(presenter, dtype=np.uint8)
    still.flags.writeable = False
    height, width = still.shape[:2]
    return FrameTrack(_repeat(still, count), count, fps, width, height,
                      seek=lambda start: _repeat(still, count - start))  # fmt: skip


def _repeat(frame: np.ndarray, count: int) -> Iterator[np.ndarray]:
    for _ in range(count):
        yield frame
