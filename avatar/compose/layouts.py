"""Where things go: the geometry of each layout for each frame shape.

A :class:`Geometry` names rectangles on the canvas: the product media area,
the presenter area and how the presenter is cut (``fit``, ``cover``,
``circle`` or ``band``), three text slots for overlays (``top``, ``middle``,
``bottom``) and the caption box. Every rectangle stays inside the frame's
safe area, which keeps text clear of the edges and, in 9:16, of the bottom
strip where social apps draw their own buttons and captions.

Rectangles are given as fractions of the canvas (x0, y0, x1, y1) for a
presenter on the right; ``presenter_side="left"`` mirrors them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Fractions = tuple[float, float, float, float]


@dataclass(frozen=True)
class Rect:
    """A rectangle in pixels; x, y, w and h are even."""

    x: int
    y: int
    w: int
    h: int

    @classmethod
    def of(cls, f: Fractions, width: int, height: int) -> Rect:
        x0, y0 = _even(f[0] * width), _even(f[1] * height)
        x1, y1 = _even(f[2] * width), _even(f[3] * height)
        return cls(x0, y0, max(2, x1 - x0), max(2, y1 - y0))

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def bottom(self) -> int:
        return self.y + self.h


def _even(value: float) -> int:
    return int(round(value / 2)) * 2


@dataclass(frozen=True)
class Geometry:
    """Named rectangles of one layout on one canvas."""

    width: int
    height: int
    safe: Rect
    media: Rect | None
    presenter: Rect | None
    presenter_shape: str  # "fit", "cover", "circle", "band" or "none"
    slots: dict[str, Rect]
    captions: Rect
    media_anchor: tuple[float, float] = (0.5, 0.5)  # where a contained image's centre sits
    media_clear: Rect | None = None  # the part of the media no presenter covers

    @property
    def scale(self) -> float:
        """Text and decoration scale: 1.0 at 720 px on the short side."""
        return min(self.width, self.height) / 720


@dataclass(frozen=True)
class _Plan:
    media: Fractions | None
    presenter: Fractions | None
    shape: str
    top: Fractions
    middle: Fractions
    bottom: Fractions | None  # None: calls to action share the middle slot
    captions: Fractions
    anchor: tuple[float, float] = (0.5, 0.5)
    clear: Fractions | None = None  # where the media's subject goes: not behind the presenter


FULL = (0.0, 0.0, 1.0, 1.0)
SAFE = {
    "portrait": (0.06, 0.05, 0.94, 0.86),
    "landscape": (0.05, 0.06, 0.95, 0.94),
    "square": (0.06, 0.06, 0.94, 0.94),
}
# A circle's rectangle is square in pixels: its width is derived from its height.
PLANS: dict[tuple[str, str], _Plan] = {
    # The presenter stands in the lower two thirds: every overlay goes above the
    # head (a call to action joins the middle slot) and captions sit on the chest.
    ("portrait", "presenter"): _Plan(
        None, FULL, "fit",
        (0.06, 0.065, 0.94, 0.20), (0.06, 0.20, 0.94, 0.33), None,
        (0.06, 0.75, 0.94, 0.855),
    ),
    ("portrait", "corner"): _Plan(
        FULL, (0.56, 0.45, 0.94, 0.665), "circle",
        (0.06, 0.065, 0.94, 0.22), (0.06, 0.24, 0.94, 0.43), (0.06, 0.79, 0.94, 0.86),
        (0.06, 0.67, 0.94, 0.78), (0.5, 0.44),
    ),
    # The band fills the frame's width: a call to action joins the middle slot, above
    # the presenter's face (in the band it covered the mouth).
    ("portrait", "bottom"): _Plan(
        FULL, (0.0, 0.58, 1.0, 1.0), "band",
        (0.06, 0.065, 0.94, 0.21), (0.06, 0.23, 0.94, 0.45), None,
        (0.06, 0.46, 0.94, 0.57), clear=(0.0, 0.0, 1.0, 0.58),
    ),
    ("portrait", "split"): _Plan(
        (0.0, 0.5, 1.0, 1.0), (0.0, 0.0, 1.0, 0.5), "cover",
        (0.06, 0.055, 0.94, 0.16), (0.06, 0.57, 0.94, 0.77), (0.06, 0.79, 0.94, 0.86),
        (0.06, 0.44, 0.94, 0.56),
    ),
    ("portrait", "voiceover"): _Plan(
        FULL, None, "none",
        (0.06, 0.065, 0.94, 0.22), (0.06, 0.52, 0.94, 0.68), (0.06, 0.80, 0.94, 0.86),
        (0.06, 0.69, 0.94, 0.795), (0.5, 0.38),
    ),

    ("landscape", "presenter"): _Plan(  # head kept clear of a logo in the top corner
        None, (0.52, 0.10, 1.0, 1.0), "fit",
        (0.05, 0.08, 0.50, 0.30), (0.05, 0.32, 0.50, 0.64), (0.05, 0.66, 0.50, 0.76),
        (0.05, 0.79, 0.95, 0.94),
    ),
    ("landscape", "corner"): _Plan(
        FULL, (0.72, 0.50, 0.95, 0.92), "circle",
        (0.05, 0.08, 0.62, 0.28), (0.05, 0.30, 0.62, 0.62), (0.05, 0.64, 0.62, 0.75),
        (0.05, 0.79, 0.72, 0.94), clear=(0.0, 0.0, 0.71, 1.0),
    ),
    ("landscape", "bottom"): _Plan(
        FULL, (0.66, 0.36, 1.0, 1.0), "band",
        (0.05, 0.08, 0.62, 0.28), (0.05, 0.30, 0.62, 0.62), (0.05, 0.64, 0.62, 0.75),
        (0.05, 0.79, 0.64, 0.94), clear=(0.0, 0.0, 0.66, 1.0),
    ),
    # The media half keeps a contained picture in its upper part and the text
    # under it; captions sit under the presenter's face.
    ("landscape", "split"): _Plan(
        (0.0, 0.0, 0.5, 1.0), (0.5, 0.0, 1.0, 1.0), "cover",
        (0.05, 0.07, 0.46, 0.20), (0.05, 0.66, 0.46, 0.93), None,
        (0.53, 0.79, 0.95, 0.94), (0.5, 0.43),
    ),
    ("landscape", "voiceover"): _Plan(
        FULL, None, "none",
        (0.05, 0.08, 0.62, 0.28), (0.05, 0.30, 0.62, 0.62), (0.05, 0.64, 0.62, 0.75),
        (0.05, 0.79, 0.95, 0.94),
    ),
    ("square", "presenter"): _Plan(
        None, (0.40, 0.16, 1.0, 1.0), "fit",
        (0.06, 0.06, 0.94, 0.18), (0.06, 0.20, 0.46, 0.58), (0.06, 0.60, 0.46, 0.72),
        (0.06, 0.76, 0.94, 0.93),
    ),
    ("square", "corner"): _Plan(
        FULL, (0.62, 0.52, 0.94, 0.84), "circle",
        (0.06, 0.06, 0.94, 0.22), (0.06, 0.24, 0.60, 0.54), (0.06, 0.56, 0.60, 0.70),
        (0.06, 0.76, 0.60, 0.93),
    ),
    ("square", "bottom"): _Plan(
        FULL, (0.60, 0.42, 1.0, 1.0), "band",
        (0.06, 0.06, 0.56, 0.24), (0.06, 0.26, 0.56, 0.56), (0.06, 0.58, 0.56, 0.70),
        (0.06, 0.76, 0.58, 0.93), clear=(0.0, 0.0, 0.60, 1.0),
    ),
    ("square", "split"): _Plan(
        (0.0, 0.0, 0.5, 1.0), (0.5, 0.0, 1.0, 1.0), "cover",
        (0.06, 0.06, 0.46, 0.20), (0.06, 0.64, 0.46, 0.93), None,
        (0.54, 0.76, 0.94, 0.93), (0.5, 0.42),
    ),
    ("square", "voiceover"): _Plan(
        FULL, None, "none",
        (0.06, 0.06, 0.94, 0.24), (0.06, 0.30, 0.94, 0.56), (0.06, 0.58, 0.94, 0.70),
        (0.06, 0.76, 0.94, 0.93),
    ),
}  # fmt: skip
# The walking skeleton's look: the presenter fitted in the middle of the whole frame.
SOLO_PRESENTER: Fractions = FULL


def orientation(width: int, height: int) -> str:
    if height > width * 1.2:
        return "portrait"
    return "landscape" if width > height * 1.2 else "square"


def _mirror(f: Fractions | None) -> Fractions | None:
    return None if f is None else (1.0 - f[2], f[1], 1.0 - f[0], f[3])


def geometry(
    layout: str, width: int, height: int, side: str = "right", has_overlays: bool = True
) -> Geometry:
    """The :class:`Geometry` of ``layout`` on a ``width`` x ``height`` canvas.

    A ``presenter`` layout with no overlays centres the presenter on the whole
    frame; with overlays it moves aside to leave room for the text.
    """
    shape = orientation(width, height)
    plan = PLANS[(shape, layout)]
    if layout == "presenter" and not has_overlays:
        plan = replace(plan, presenter=SOLO_PRESENTER)
    if side == "left" and layout != "presenter":
        plan = _mirrored(plan)
    return _build(plan, shape, width, height)


def _mirrored(plan: _Plan) -> _Plan:
    return _Plan(
        _mirror(plan.media),
        _mirror(plan.presenter),
        plan.shape,
        _mirror(plan.top),
        _mirror(plan.middle),
        _mirror(plan.bottom),
        _mirror(plan.captions),
        (1.0 - plan.anchor[0], plan.anchor[1]),
        _mirror(plan.clear),
    )


def _build(plan: _Plan, shape: str, width: int, height: int) -> Geometry:
    rect = lambda f: None if f is None else Rect.of(f, width, height)  # noqa: E731
    presenter = rect(plan.presenter)
    if plan.shape == "circle" and presenter is not None:
        side = presenter.h
        x = presenter.x + presenter.w - side if presenter.cx > width / 2 else presenter.x
        presenter = Rect(_even(x), presenter.y, side, side)
    slots = {"top": rect(plan.top), "middle": rect(plan.middle), "bottom": rect(plan.bottom)}
    if slots["bottom"] is None:
        del slots["bottom"]
    return Geometry(
        width=width,
        height=height,
        safe=Rect.of(SAFE[shape], width, height),
        media=rect(plan.media),
        presenter=presenter,
        presenter_shape=plan.shape,
        slots=slots,
        captions=rect(plan.captions),
        media_anchor=plan.anchor,
        media_clear=rect(plan.clear),
    )
