"""The video's timeline: segments in whole frames, transitions, and the frame loop.

Segment ``k`` covers frames ``[start, start + count)``. A transition into it
of ``n`` frames covers ``[start - n // 2, start - n // 2 + n)``: both stages
render there and are blended. Captions, the logo and the watermark are drawn
over whatever the stages produced; when neither the stage frame nor these
change, the previous output frame is sent again untouched.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from avatar.captions import CaptionPainter, Cue, display_end
from avatar.compose import transitions
from avatar.compose.draw import to_placed
from avatar.compose.layouts import Rect
from avatar.compose.yuv import Frame, Layer, blend
from avatar.spec import Transition


@dataclass
class Segment:
    """A scene or a card on the timeline."""

    kind: str  # "intro", "scene" or "outro"
    index: int  # scene index (or -1 for cards)
    start: int  # first frame
    count: int  # frames
    transition: Transition | None  # how it comes in
    stage: object | None = None

    @property
    def end(self) -> int:
        return self.start + self.count


def frames_for(seconds: float, fps: int) -> int:
    """Fewest whole frames that cover ``seconds`` (at least 1)."""
    return max(1, math.ceil(seconds * fps - 1e-9))


def lay_out(counts: list[tuple[str, int, int, Transition | None]]) -> list[Segment]:
    """Segments back to back from ``(kind, index, frames, transition)``."""
    segments, start = [], 0
    for kind, index, count, transition in counts:
        segments.append(Segment(kind, index, start, count, transition))
        start += count
    return segments


def window(segments: list[Segment], k: int, fps: int) -> tuple[int, int] | None:
    """The frames of the transition into segment ``k``, or None (a cut, or the first)."""
    if k <= 0 or k >= len(segments):
        return None
    t = segments[k].transition
    if t is None or t.type == "cut" or t.duration_s <= 0:
        return None
    n = min(int(round(t.duration_s * fps)), segments[k - 1].count, segments[k].count)
    if n < 2:
        return None
    lo = segments[k].start - n // 2
    return lo, lo + n


FRAME_EPSILON = 1e-6  # of a frame (see CaptionTrack.at_frame)


@dataclass
class CaptionTrack:
    """Cues on the timeline, each painted for its scene's caption box."""

    cues: list[Cue]
    boxes: list[Rect]  # per cue: where it goes
    painters: list[CaptionPainter]  # per cue
    anchor: str  # "center" or "bottom"
    highlight: bool

    def __post_init__(self) -> None:
        self._cache: dict = {}
        self._ends = [display_end(self.cues, i) for i in range(len(self.cues))]
        self._cursor = 0

    def at_frame(self, n: int, fps: float) -> tuple | None:
        """:meth:`state` at frame ``n``'s time. A word's time is its scene's start plus its
        time in the scene, and frame times are exact multiples of 1/fps: a word that starts
        on a frame would be shown on it, or a frame later, as the rounding of that sum
        falls, and so differently once an edit moved its scene. A millionth of a frame
        settles it: on the frame."""
        return self.state((n + FRAME_EPSILON) / fps)

    def state(self, t: float) -> tuple | None:
        """(cue index, active word index) at time ``t`` (called with rising ``t``)."""
        passed = self._cursor
        while self._cursor < len(self.cues) and t >= self._ends[self._cursor]:
            self._cursor += 1
        if self._cursor > passed:  # cues already over are never drawn again: let them go
            self._cache = {k: v for k, v in self._cache.items() if k[1] >= self._cursor}
        if self._cursor >= len(self.cues) or t < self.cues[self._cursor].start:
            return None
        words = self.cues[self._cursor].words
        active = sum(1 for w in words if w.start <= t) - 1 if self.highlight else None
        return self._cursor, active

    def layers(self, state: tuple) -> list[tuple[Layer, int, int]]:
        """What to blend for ``state``: the cue, then the spoken word's highlight."""
        index, active = state
        base = self._cached(("cue", index), lambda: self._cue_layer(index))
        if active is None or active < 0:
            return [base]
        return [
            base,
            self._cached(("word", index, active), lambda: self._word_layer(index, active)),
        ]

    def _cached(self, key: tuple, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def _cue_layer(self, index: int) -> tuple[Layer, int, int]:
        image = self.painters[index].paint(self.cues[index])
        box = self.boxes[index]
        y = box.cy - image.height / 2 if self.anchor == "center" else box.bottom - image.height
        placed = to_placed(image, (0, 0), image.size)
        return placed.layer, box.x + placed.offset[0], int(y) // 2 * 2 + placed.offset[1]

    def _word_layer(self, index: int, active: int) -> tuple[Layer, int, int]:
        image, dx, dy = self.painters[index].paint_word(self.cues[index], active)
        _, x, y = self._cached(("cue", index), lambda: self._cue_layer(index))
        base = self._cached(("cue-origin", index), lambda: self._origin(index))
        placed = to_placed(image, (0, 0), image.size)
        return placed.layer, base[0] + dx + placed.offset[0], base[1] + dy + placed.offset[1]

    def _origin(self, index: int) -> tuple[int, int]:
        height, _ = self.painters[index].layout(self.cues[index])
        box = self.boxes[index]
        y = box.cy - height / 2 if self.anchor == "center" else box.bottom - height
        return box.x, int(y) // 2 * 2


@dataclass
class Decor:
    """Static marks over every frame of some segments (logo, watermark)."""

    layer: Layer
    x: int
    y: int
    opacity: float
    kinds: tuple[str, ...]  # segment kinds it appears on


class LazyStage:
    """A segment's stage, built by ``build`` when its first frame is asked for (unless
    given built) and dropped by :meth:`release` once the loop has passed it."""

    def __init__(self, build, stage=None) -> None:
        self._build = build
        self._stage = stage

    def frame(self, index: int):
        return self._built().frame(index)

    def skip_to(self, index: int) -> bool:
        skip = getattr(self._built(), "skip_to", None)
        return bool(skip and skip(index))

    def _built(self):
        if self._stage is None:
            if self._build is None:
                raise RuntimeError("a released stage was asked for a frame")
            self._stage = self._build()
        return self._stage

    @property
    def built(self) -> bool:
        return self._stage is not None

    def release(self) -> None:
        """Drop the stage, closing what it reads from (video clips' decoders)."""
        close = getattr(self._stage, "close", None)
        if close is not None:
            close()
        self._stage = self._build = None


class FrameLoop:
    """Yields every output frame's yuv420p buffer, in order."""

    def __init__(self, segments, fps, size, captions=None, decors=(), marker_frame=None,
                 poster_frame=None):  # fmt: skip
        self.segments = segments
        self.size = size
        self.fps = fps
        self.captions = captions
        self.decors = list(decors)
        self.marker_frame = marker_frame
        self.poster_frame = poster_frame
        self.poster: np.ndarray | None = None
        self.windows = [window(segments, k, fps) for k in range(len(segments))]
        self._last: tuple | None = None

    @property
    def total(self) -> int:
        return self.segments[-1].end

    def __iter__(self) -> Iterator[np.ndarray]:
        return self.frames([(0, self.total)])

    def frames(self, spans: list[tuple[int, int]]) -> Iterator[np.ndarray]:
        """The frames of each ``[start, end)`` of ``spans`` (in order, not overlapping)."""
        k = 0
        for start, end in spans:
            for n in range(start, end):
                while n >= self.segments[k].end:
                    k += 1
                    if k >= 2:  # frames now come from segments k - 1 (a transition) to k + 1
                        _release(self.segments[k - 2].stage)
                buf = self._output(n, k)
                if n == self.poster_frame:
                    self.poster = buf.copy()
                yield buf

    def _output(self, n: int, k: int) -> np.ndarray:
        if n == self.marker_frame:
            return Frame(*self.size).fill((255, 255, 255)).buf
        base = self._composite(n, k)
        caption = self.captions.at_frame(n, self.fps) if self.captions else None
        key = (id(base), caption, self.segments[k].kind)
        if self._last is not None and self._last[0] == key and self._last[2] is base:
            return self._last[1]
        frame = base.copy() if (caption is not None or self._decors(k)) else base
        if caption is not None:
            for layer, x, y in self.captions.layers(caption):
                blend(frame, layer, x, y)
        for decor in self._decors(k):
            blend(frame, decor.layer, decor.x, decor.y, decor.opacity)
        self._last = (key, frame.buf, base)
        return frame.buf

    def _decors(self, k: int) -> list[Decor]:
        kind = self.segments[k].kind
        return [d for d in self.decors if kind in d.kinds]

    def _composite(self, n: int, k: int) -> Frame:
        for b in (k, k + 1):
            span = self.windows[b] if b < len(self.windows) else None
            if span is not None and span[0] <= n < span[1]:
                prev, nxt = self.segments[b - 1], self.segments[b]
                a = prev.stage.frame(n - prev.start)
                c = nxt.stage.frame(n - nxt.start)
                progress = (n - span[0] + 0.5) / (span[1] - span[0])
                t = nxt.transition
                return transitions.apply(t.type, t.direction, a, c, progress)
        seg = self.segments[k]
        return seg.stage.frame(n - seg.start)


def _release(stage) -> None:
    release = getattr(stage, "release", None)
    if release is not None:
        release()
