"""A stage renders one segment of the video (a scene or a card) frame by frame.

Everything static is prepared once: the backdrop frame, media plates, the
presenter's cut, overlay layers. Per frame a stage only does what changes:
the media view (pan and zoom), a new presenter frame, overlays that are
animating. When nothing changed since the previous frame (a still presenter
over a still backdrop with settled overlays), the previous frame is returned
as is, without compositing anything.

Frames returned by :meth:`Stage.frame` are shared: callers must copy one
before drawing on it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from avatar.compose.draw import Placed, to_placed
from avatar.compose.layouts import Rect
from avatar.compose.presenter import PresenterView
from avatar.compose.presenter import draw as draw_presenter
from avatar.compose.yuv import Frame, Planes, blend

ANIMATE_IN_S = 0.45
ANIMATE_OUT_S = 0.3
MEDIA_CROSSFADE_S = 0.35
POP_SCALES = (0.82, 0.9, 0.97, 1.03, 1.0)


def ease_out(p: float) -> float:
    p = min(max(p, 0.0), 1.0)
    return 1 - (1 - p) ** 3


@dataclass
class Animated:
    """A layer that comes in (and maybe goes out) at scene-local times.

    ``x``/``y`` is where the content's top-left sits once it has arrived.
    """

    placed: Placed
    x: int
    y: int
    start: float
    end: float | None
    animation: str
    lift: int  # how far a slide travels, px
    _pops: dict = field(default_factory=dict)

    def state(self, t: float) -> tuple | None:
        """(opacity, dy, scale step) at ``t``; None when not on screen."""
        if t < self.start or (self.end is not None and t >= self.end):
            return None
        p = ease_out((t - self.start) / ANIMATE_IN_S)
        opacity = 1.0 if self.animation == "none" else p
        if self.end is not None:
            opacity *= min(1.0, (self.end - t) / ANIMATE_OUT_S)
        dy = int(round((1 - p) * self.lift)) // 2 * 2 if self.animation == "slide" else 0
        step = len(POP_SCALES) - 1
        if self.animation == "pop":
            step = min(step, int((t - self.start) / ANIMATE_IN_S * len(POP_SCALES)))
        return round(opacity, 3), dy, step

    def draw(self, frame: Planes, state: tuple) -> None:
        opacity, dy, step = state
        placed = self._pop(step) if self.animation == "pop" else self.placed
        ax, ay = placed.anchor
        cw, ch = placed.content
        base_w, base_h = self.placed.content
        x = self.x - ax + (base_w - cw) // 2 // 2 * 2
        y = self.y - ay + dy + (base_h - ch) // 2 // 2 * 2
        blend(frame, placed.layer, x, y, opacity)

    def _pop(self, step: int) -> Placed:
        scale = POP_SCALES[step]
        if scale == 1.0 or self.placed.image is None:
            return self.placed
        if step not in self._pops:
            image = self.placed.image
            size = (max(2, int(image.width * scale)), max(2, int(image.height * scale)))
            scaled = image.resize(size, Image.Resampling.BILINEAR)
            anchor = tuple(int(a * scale) for a in self.placed.anchor)
            content = tuple(int(c * scale) for c in self.placed.content)
            self._pops[step] = to_placed(scaled, anchor, content)
        return self._pops[step]


@dataclass
class MediaTrack:
    """Media items shown one after another in ``rect``, each over an equal share of time.

    Consecutive items crossfade over ``MEDIA_CROSSFADE_S``.
    """

    rect: Rect
    items: list  # KenBurns or VideoSource
    duration: float

    def _index(self, t: float) -> tuple[int, float]:
        n = len(self.items)
        share = self.duration / n
        index = min(n - 1, max(0, int(t // share))) if share > 0 else 0
        return index, share

    def key(self, t: float) -> tuple:
        """Identifies what :meth:`draw` would draw at ``t`` (equal keys, equal pictures)."""
        index, share = self._index(t)
        item = self.items[index]
        fading = index > 0 and t - index * share < MEDIA_CROSSFADE_S
        if getattr(item, "static", False) and not fading:
            return ("still", index)
        return ("moving", index, round(t, 4))

    def draw(self, frame: Planes, t: float) -> None:
        """Draw the media at scene time ``t`` into its rectangle of ``frame``."""
        r = self.rect
        dest = frame.region(r.x, r.y, r.w, r.h)
        index, share = self._index(t)
        since = t - index * share
        if index > 0 and since < MEDIA_CROSSFADE_S:
            before = _blank(r)
            self._draw_item(index - 1, before, t, share)
            self._draw_item(index, dest, t, share)
            _mix_into(dest, before, 1.0 - since / MEDIA_CROSSFADE_S)
            return
        self._draw_item(index, dest, t, share)

    def _draw_item(self, index: int, dest: Planes, t: float, share: float) -> None:
        item = self.items[index]
        if hasattr(item, "next"):  # a video clip
            dest.paste(item.next())
            return
        span = share + (MEDIA_CROSSFADE_S if index + 1 < len(self.items) else 0.0)
        item.draw(dest, (t - index * share) / span if span else 0.0)


def _blank(r: Rect) -> Planes:
    return Planes(
        np.empty((r.h, r.w), np.uint8),
        np.empty((r.h // 2, r.w // 2), np.uint8),
        np.empty((r.h // 2, r.w // 2), np.uint8),
    )


def _mix_into(dest: Planes, other: Planes, weight: float) -> None:
    """dest = (1 - weight) * dest + weight * other, in place."""
    w = np.uint16(round(min(max(weight, 0.0), 1.0) * 256))
    for pd, po in ((dest.y, other.y), (dest.u, other.u), (dest.v, other.v)):
        acc = pd * (256 - w)
        acc += po * w
        acc += 128
        acc >>= 8
        pd[...] = acc


class PresenterTrack:
    """A lip-sync :class:`FrameTrack` read in order, holding its first and last frames."""

    def __init__(self, track, view: PresenterView, timer=None) -> None:
        self.track = track
        self.view = view
        self.timer = timer  # has add(seconds): time spent waiting for lip-sync frames
        self.count = track.frame_count
        self._frames: Iterator[np.ndarray] = iter(track)
        self._index = -1
        self._frame: np.ndarray | None = None
        self.version = 0  # bumped whenever a frame differs from the one before

    @property
    def can_seek(self) -> bool:
        return getattr(self.track, "seek", None) is not None

    def seek(self, index: int) -> None:
        """Read on from frame ``index`` (where :attr:`can_seek`), skipping the ones before."""
        index = min(max(index, 0), self.count - 1)
        if index <= self._index:
            return
        self._frames = self.track.seek(index)
        self._index, self._frame = index - 1, None
        self.version += 1

    def at(self, index: int) -> np.ndarray:
        index = min(max(index, 0), self.count - 1)
        while self._index < index:
            started = time.perf_counter()
            nxt = next(self._frames, None)
            if self.timer is not None:
                self.timer.add(time.perf_counter() - started)
            if nxt is None:  # a track shorter than it said: hold the last frame
                self.count = self._index + 1
                break
            if nxt is not self._frame:
                self.version += 1
            self._frame, self._index = nxt, self._index + 1
        return self._frame


class Stage:
    """One segment: backdrop, optional media, optional presenter, animated layers on top."""

    def __init__(
        self,
        backdrop: Frame | object,
        fps: int,
        media: MediaTrack | None = None,
        presenter: PresenterTrack | None = None,
        layers: list[Animated] | None = None,
    ) -> None:
        self.backdrop = backdrop  # a Frame, or a VideoSource (moving backdrop)
        self.fps = fps
        self.media = media
        self.presenter = presenter
        self.layers = layers or []
        self._last_key: tuple | None = None
        self._last: Frame | None = None

    def _clips(self) -> list:
        """The video clips this stage reads (a backdrop, media): streams, read in order."""
        sources = [self.backdrop, *(self.media.items if self.media is not None else ())]
        return [source for source in sources if hasattr(source, "next")]

    def close(self) -> None:
        """Stop the decoders of the video clips this stage reads."""
        for clip in self._clips():
            clip.close()

    def skip_to(self, index: int) -> bool:
        """Make frame ``index`` the next one without making those before it, where every
        source can start anywhere (photos, lip-sync); False where one is a stream that
        must be read in order (a video clip), and nothing was done."""
        if self._clips():
            return False
        if self.presenter is not None:
            if not self.presenter.can_seek:
                return False
            self.presenter.seek(index)
        return True

    def frame(self, index: int) -> Frame:
        """The stage's frame ``index`` (may be negative or past the end during transitions)."""
        t = index / self.fps
        parts = self._parts(index, t)
        key = tuple(part[0] for part in parts)
        if key == self._last_key and self._last is not None:
            return self._last
        frame = self._base()
        for _, draw in parts:
            draw(frame)
        self._last_key, self._last = key, frame
        return frame

    def _base(self) -> Frame:
        if not isinstance(self.backdrop, Frame):  # a video: drawn as the first part
            return Frame(self.backdrop.w, self.backdrop.h)
        w, h = self.backdrop.width, self.backdrop.height
        media = self.media.rect if self.media is not None else None
        if media is not None and (media.w, media.h) == (w, h):
            return Frame(w, h)  # the media covers everything
        return self.backdrop.copy()

    def _parts(self, index: int, t: float) -> list[tuple]:
        parts: list[tuple] = []
        if not isinstance(self.backdrop, Frame):
            parts.append((("video", index), lambda f: f.paste(self.backdrop.next())))
        if self.media is not None:
            parts.append((self.media.key(t), lambda f: self.media.draw(f, t)))
        if self.presenter is not None:
            frame = self.presenter.at(index)
            picture = self.presenter.view.render(frame)
            key = ("presenter", self.presenter.version)
            parts.append((key, lambda f, p=picture: draw_presenter(f, p)))
        for i, layer in enumerate(self.layers):
            state = layer.state(t)
            if state is not None:
                parts.append(((i, *state), lambda f, a=layer, s=state: a.draw(f, s)))
        return parts
