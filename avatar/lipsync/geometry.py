"""The face rig: control points and how each mouth parameter moves them.

The renderer warps the photo with a thin-plate spline through control points
taken from the landmarks. Each point's target position is linear in six rig
parameters::

    target = source + closing + sum_k q_k * basis_k

``closing`` shuts a mouth that is open in the photo (so every avatar starts
from closed lips), and the rig parameters ``q`` are ``open, spread, round,
tuck, press, blink`` (a viseme's ``width`` splits into ``spread`` and
``round``). ``blink`` moves no control point: the eyelids have their own
warp (:mod:`avatar.lipsync.eyes`), and the spline only acts on the lower
face. Displacements are expressed in a mouth frame (``u`` from the
image-left to the image-right mouth corner, ``v`` perpendicular, pointing
down) and scaled by the mouth width ``M``, so they fit every face size and a
slightly tilted head.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from avatar.lipsync import landmarks as lm

RIG_PARAMS = ("open", "spread", "round", "tuck", "press", "blink")
CLOSED_GAP_PX = 0.6

# Lips: unique landmark ids in control order.
LIP_GROUPS = {
    "outer_upper": lm.OUTER_UPPER,
    "outer_lower": lm.OUTER_LOWER[1:-1],
    "inner_upper": lm.INNER_UPPER,
    "inner_lower": lm.INNER_LOWER[1:-1],
}
JAW_ONLY = tuple(i for i in lm.JAW)
FIXED = tuple(
    dict.fromkeys(
        lm.NOSE
        + lm.CHEEKS_HIGH
        + lm.UNDER_EYES
        + lm.EYE_CORNERS
        + tuple(i for i in lm.FACE_OVAL if i not in lm.JAW)
    )
)


@dataclass(frozen=True)
class MouthFrame:
    """The mouth's own axes: centre, unit vectors ``u`` (along) and ``v`` (down), width ``M``."""

    centre: np.ndarray
    u: np.ndarray
    v: np.ndarray
    width: float

    def to_local(self, xy: np.ndarray) -> np.ndarray:
        """Image pixels (N, 2) -> (a, b): ``a`` in half mouth widths, ``b`` in pixels along v."""
        rel = xy - self.centre
        return np.stack([rel @ self.u / (self.width / 2), rel @ self.v], axis=1)

    def vector(self, du: np.ndarray, dv: np.ndarray) -> np.ndarray:
        """Displacements given in mouth widths along (u, v) -> image pixels (N, 2)."""
        return self.width * (du[:, None] * self.u[None, :] + dv[:, None] * self.v[None, :])


@dataclass(frozen=True)
class Rig:
    """Control points of one avatar (all arrays float32, pixels).

    ``source`` (N, 2), ``closing`` (N, 2), ``basis`` (6, N, 2); ``inner_upper``
    and ``inner_lower`` index the 11 control points of each inner-lip curve
    (image-left corner to image-right corner); ``seam`` (11, 2) is where the
    lips meet when closed, and ``upper_teeth`` (11, 2) where the upper teeth
    hang from (the seam too: behind the closed upper lip, fixed to the skull).
    """

    source: np.ndarray
    closing: np.ndarray
    basis: np.ndarray
    inner_upper: np.ndarray
    inner_lower: np.ndarray
    seam: np.ndarray
    upper_teeth: np.ndarray
    mouth: MouthFrame
    face_height: float


def mouth_frame(points: np.ndarray) -> MouthFrame:
    left, right = points[61, :2].astype(np.float64), points[291, :2].astype(np.float64)
    width = float(np.linalg.norm(right - left))
    u = (right - left) / max(width, 1e-6)
    return MouthFrame((left + right) / 2, u, np.array([-u[1], u[0]]), max(width, 1.0))


def _shape(a: np.ndarray) -> np.ndarray:
    """How much of a lip movement a point gets by its place along the mouth.

    All of it in the middle, nothing at the corners: the opening narrows to a
    point there (the corners get their own, smaller movement).
    """
    return np.clip(1.0 - a**2, 0.0, 1.0)


def build_rig(points: np.ndarray) -> Rig:
    """The rig of a face from its (478, 3) landmarks."""
    frame = mouth_frame(points)
    face_height = float(np.linalg.norm(points[lm.CHIN, :2] - points[lm.FOREHEAD, :2]))
    ids, groups = _control_ids()
    source = points[ids, :2].astype(np.float64)
    neck = _neck_anchors(points, face_height)
    source = np.concatenate([source, neck])
    groups["fixed"] = np.concatenate([groups["fixed"], np.arange(len(ids), len(source))])
    basis = np.zeros((len(RIG_PARAMS), len(source), 2))
    closing = np.zeros((len(source), 2))
    local = frame.to_local(source)
    _lip_moves(basis, closing, groups, local, frame)
    _jaw_moves(basis, closing, groups, local, frame, points)
    inner_lower_curve = np.concatenate(
        [groups["inner_upper"][:1], groups["inner_lower"], groups["inner_upper"][-1:]]
    )
    upper_pts, lower_pts = source[groups["inner_upper"]], source[inner_lower_curve]
    return Rig(
        source=source.astype(np.float32),
        closing=closing.astype(np.float32),
        basis=basis.astype(np.float32),
        inner_upper=groups["inner_upper"],
        inner_lower=inner_lower_curve,
        seam=((upper_pts + lower_pts) / 2).astype(np.float32),
        upper_teeth=((upper_pts + lower_pts) / 2).astype(np.float32),
        mouth=frame,
        face_height=face_height,
    )


def _control_ids() -> tuple[list[int], dict[str, np.ndarray]]:
    ordered: dict[str, tuple[int, ...]] = dict(LIP_GROUPS)
    ordered["jaw"] = JAW_ONLY
    ordered["chin_front"] = lm.CHIN_FRONT
    ordered["cheeks_low"] = lm.CHEEKS_LOW
    ordered["fixed"] = FIXED
    ids: list[int] = []
    groups: dict[str, np.ndarray] = {}
    for name, members in ordered.items():
        groups[name] = np.arange(len(ids), len(ids) + len(members))
        ids.extend(members)
    return ids, groups


def _neck_anchors(points: np.ndarray, face_height: float) -> np.ndarray:
    """Still points on the neck, well below the chin, so a dropping jaw does not pull the chest."""
    chin = points[lm.CHIN, :2].astype(np.float64)
    width = lm.face_width(points)
    xs = chin[0] + np.array([-0.45, -0.22, 0.0, 0.22, 0.45]) * width
    return np.stack([xs, np.full(5, chin[1] + 0.42 * face_height)], axis=1)


def _lip_moves(basis, closing, groups, local, frame: MouthFrame) -> None:
    """Lip displacements per parameter (mouth widths, in the mouth frame)."""
    # (du per a, dv per shape) for open, spread, round, tuck, press; a = place along the mouth.
    moves = {
        "outer_upper": ((-0.04, -0.045), (0.09, 0.012), (-0.17, -0.05), (0, -0.0), (0, 0.02)),
        "inner_upper": ((-0.04, -0.07), (0.09, -0.03), (-0.17, -0.035), (0, -0.035), (0, 0)),
        "inner_lower": ((-0.04, 0.30), (0.09, 0.04), (-0.17, 0.035), (0, -0.045), (0, 0)),
        "outer_lower": ((-0.04, 0.27), (0.09, -0.012), (-0.17, 0.05), (0, -0.07), (0, -0.02)),
    }
    for name, per_param in moves.items():
        rows = groups[name]
        a = local[rows, 0]
        for k, (du, dv) in enumerate(per_param):
            weight = _shape(a)
            basis[k, rows] = frame.vector(du * a, dv * weight)
    for name in ("outer_upper", "inner_upper"):
        corners = groups[name][[0, -1]]
        basis[1, corners] += frame.vector(np.zeros(2), np.full(2, -0.025))  # spread lifts corners
        basis[0, corners] += frame.vector(np.zeros(2), np.full(2, 0.09))  # the jaw pulls them down
    _closing(closing, groups, local, frame)


def _closing(closing, groups, local, frame: MouthFrame) -> None:
    """Shift each lip so that the inner lips meet on their middle line (the seam)."""
    upper = local[groups["inner_upper"], 1]
    lower_full = np.concatenate(
        [upper[:1], local[groups["inner_lower"], 1], upper[-1:]]
    )  # corners are shared
    seam = (upper + lower_full) / 2
    # The closed lips stay a fraction of a pixel apart, so the spline is solvable;
    # lips already that close (a closed mouth) are left exactly where they are.
    apart = (lower_full - upper) > CLOSED_GAP_PX
    up_shift = np.where(apart, seam - CLOSED_GAP_PX / 2 - upper, 0.0) / frame.width
    low_shift = np.where(apart, seam + CLOSED_GAP_PX / 2 - lower_full, 0.0)[1:-1] / frame.width
    zeros_up, zeros_low = np.zeros_like(up_shift), np.zeros_like(low_shift)
    closing[groups["inner_upper"]] = frame.vector(zeros_up, up_shift)
    closing[groups["outer_upper"]] = frame.vector(zeros_up, up_shift)
    closing[groups["inner_lower"]] = frame.vector(zeros_low, low_shift)
    closing[groups["outer_lower"]] = frame.vector(zeros_low, low_shift)


def _jaw_moves(basis, closing, groups, local, frame: MouthFrame, points) -> None:
    """The jaw drops with ``open``: the chin fully, the jaw line less towards the ears."""
    hinge = frame.to_local(points[[lm.NOSE_TIP], :2].astype(np.float64))[0, 1]
    chin = frame.to_local(points[[lm.CHIN], :2].astype(np.float64))[0, 1]
    lower_close = float(np.mean(closing[groups["inner_lower"]] @ frame.v)) / frame.width
    for name, scale in (("jaw", 1.0), ("chin_front", 1.0), ("cheeks_low", 0.55)):
        rows = groups[name]
        reach = np.clip((local[rows, 1] - hinge) / max(chin - hinge, 1e-6), 0, 1) * scale
        if name == "chin_front":
            reach = np.full(len(rows), scale)
        zeros = np.zeros(len(rows))
        basis[0, rows] = frame.vector(zeros, 0.27 * reach)
        closing[rows] = frame.vector(zeros, 0.8 * lower_close * reach)
    # Cheek skin beside the corners follows the lips' width closely (less further
    # out), or the spline folds between a moving corner and its still neighbour.
    cheeks = groups["cheeks_low"]
    a = local[cheeks, 0]
    follow = 0.85 * np.clip(1.6 - 0.6 * np.abs(a), 0.3, 1.0) * np.sign(a)
    zeros = np.zeros(len(cheeks))
    basis[1, cheeks] += frame.vector(0.09 * follow, zeros - 0.015)
    basis[2, cheeks] += frame.vector(-0.17 * follow, zeros)


def rig_params(params: np.ndarray, blink: np.ndarray) -> np.ndarray:
    """Viseme parameters (F, 5: open width tuck tongue press) + blink (F,) -> rig (F, 6)."""
    open_, width, tuck, _, press = params.T
    open_ = np.clip(open_, 0, None) ** 0.8  # small openings read better a little larger
    return np.stack(
        [open_, np.clip(width, 0, None), np.clip(-width, 0, None), tuck, press, blink], axis=1
    ).astype(np.float32)
