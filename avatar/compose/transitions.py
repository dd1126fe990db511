"""Transitions between segments: cut, crossfade and slide.

A transition of ``d`` seconds is centred on the boundary between two
segments: the outgoing one keeps playing (holding its last presenter frame)
for ``d/2`` after its end and the incoming one starts ``d/2`` early (holding
its first). The audio is never moved: a scene's speech starts exactly at the
scene's first frame whatever the transition.
"""

from __future__ import annotations

from avatar.compose.yuv import Frame, mix


def ease_in_out(p: float) -> float:
    p = min(max(p, 0.0), 1.0)
    return 3 * p * p - 2 * p * p * p


def crossfade(a: Frame, b: Frame, progress: float) -> Frame:
    return mix(a, b, ease_in_out(progress))


def slide(a: Frame, b: Frame, progress: float, direction: str = "left") -> Frame:
    """``b`` pushes ``a`` out; ``direction`` is where ``a`` goes."""
    w, h = a.width, a.height
    horizontal = direction in ("left", "right")
    extent = w if horizontal else h
    shift = int(round(ease_in_out(progress) * extent / 2)) * 2
    out = Frame(w, h)
    for dst, pa, pb, scale in ((out.y, a.y, b.y, 1), (out.u, a.u, b.u, 2), (out.v, a.v, b.v, 2)):
        _shift_pair(dst, pa, pb, shift // scale, direction)
    return out


def _shift_pair(dst, pa, pb, shift: int, direction: str) -> None:
    """One plane of a slide: ``pa`` moves ``shift`` px toward ``direction``, ``pb`` follows."""
    if direction in ("up", "down"):
        dst, pa, pb = dst.T, pa.T, pb.T
        direction = "left" if direction == "up" else "right"
    n = dst.shape[1]
    if direction == "left":
        dst[:, : n - shift] = pa[:, shift:]
        dst[:, n - shift :] = pb[:, :shift]
    else:
        dst[:, shift:] = pa[:, : n - shift]
        dst[:, :shift] = pb[:, n - shift :]


def apply(kind: str, direction: str, a: Frame, b: Frame, progress: float) -> Frame:
    """The frame ``progress`` (0..1) of the way through transition ``kind`` from a to b."""
    if kind == "crossfade":
        return crossfade(a, b, progress)
    if kind == "slide":
        return slide(a, b, progress, direction)
    return b if progress >= 0.5 else a
