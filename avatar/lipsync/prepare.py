"""Avatar preparation: a photo in, everything rendering needs out (once per avatar).

A :class:`PreparedAvatar` holds the upright photo, its 478 face landmarks, a
person matte, the *change mask* (the face, head and neck: the only pixels a
render may change), and the colours the mouth interior is painted with. It
is saved as a folder (``image.png``, ``masks.npz``, ``avatar.json``) and
loaded back with :meth:`PreparedAvatar.load`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from avatar.lipsync import faces
from avatar.lipsync import landmarks as lm
from avatar.lipsync.quality import (
    Issue,
    QualityReport,
    assess_image,
    assess_photo,
    inner_mouth_pixels,
    teeth_visible,
)

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Palette:
    """Colours of the mouth, RGB 0..255, measured from the photo."""

    lips: tuple[float, float, float]
    cavity: tuple[float, float, float]
    teeth: tuple[float, float, float]
    tongue: tuple[float, float, float]


@dataclass
class PreparedAvatar:
    """A portrait ready to animate.

    Attributes:
        image: upright RGB ``uint8`` (H, W, 3).
        points: (478, 3) float32 face-mesh landmarks, x and y in pixels.
        matte: (H, W) float32 person matte, 1 on the presenter.
        change_mask: (H, W) float32 in 0..1: face, head and neck. Renders
            change no pixel where it is 0.
        palette: mouth colours.
        teeth_in_photo: the source photo already shows teeth (a smile).
        report: the quality gate's report.
    """

    image: np.ndarray
    points: np.ndarray
    matte: np.ndarray
    change_mask: np.ndarray
    palette: Palette
    teeth_in_photo: bool = False
    report: QualityReport = field(default_factory=QualityReport)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.width, self.height

    @property
    def width(self) -> int:
        return self.image.shape[1]

    @property
    def height(self) -> int:
        return self.image.shape[0]

    @property
    def face_box(self) -> tuple[int, int, int, int]:
        """(x, y, w, h) of the face outline, in pixels."""
        oval = self.points[list(lm.FACE_OVAL), :2]
        x0, y0 = np.floor(oval.min(0)).astype(int)
        x1, y1 = np.ceil(oval.max(0)).astype(int)
        return int(x0), int(y0), int(x1 - x0), int(y1 - y0)

    def scaled(self, factor: float) -> PreparedAvatar:
        """The same avatar with its photo and masks ``factor`` times as large (landmarks
        moved with them): a renderer's cost grows with the photo's pixels, so a layout
        that shows the presenter small is rendered from a smaller one."""
        width, height = self.size
        size = (max(2, round(width * factor)), max(2, round(height * factor)))
        sx, sy = size[0] / width, size[1] / height
        points = self.points.copy()
        points[:, 0] = (points[:, 0] + 0.5) * sx - 0.5  # pixel centres stay on centres
        points[:, 1] = (points[:, 1] + 0.5) * sy - 0.5
        points[:, 2] *= sx

        def mask(values: np.ndarray) -> np.ndarray:
            picture = Image.fromarray(np.ascontiguousarray(values, np.float32))
            return np.asarray(picture.resize(size, Image.Resampling.BILINEAR))

        image = Image.fromarray(self.image).resize(size, Image.Resampling.LANCZOS)
        return PreparedAvatar(
            np.asarray(image), points, mask(self.matte), mask(self.change_mask),
            self.palette, self.teeth_in_photo, self.report,
        )  # fmt: skip

    def save(self, out_dir: Path) -> Path:
        """Write the avatar to ``out_dir`` (created); returns the folder."""
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        Image.fromarray(self.image).save(out_dir / "image.png")
        np.savez_compressed(
            out_dir / "masks.npz",
            points=self.points,
            matte=(self.matte * 255).round().astype(np.uint8),
            change_mask=(self.change_mask * 255).round().astype(np.uint8),
        )
        meta = {
            "format": FORMAT_VERSION,
            "palette": asdict(self.palette),
            "teeth_in_photo": self.teeth_in_photo,
            "report": self.report.to_dict(),
        }
        (out_dir / "avatar.json").write_text(json.dumps(meta, indent=1))
        return out_dir

    @classmethod
    def load(cls, folder: Path) -> PreparedAvatar:
        """Read an avatar written by :meth:`save`."""
        folder = Path(folder)
        meta = json.loads((folder / "avatar.json").read_text())
        arrays = np.load(folder / "masks.npz")
        report = meta["report"]
        return cls(
            image=np.asarray(Image.open(folder / "image.png").convert("RGB")),
            points=arrays["points"].astype(np.float32),
            matte=arrays["matte"].astype(np.float32) / 255,
            change_mask=arrays["change_mask"].astype(np.float32) / 255,
            palette=Palette(**{k: tuple(v) for k, v in meta["palette"].items()}),
            teeth_in_photo=bool(meta["teeth_in_photo"]),
            report=QualityReport(
                ok=report["ok"],
                errors=[Issue(**issue) for issue in report["errors"]],
                warnings=[Issue(**issue) for issue in report["warnings"]],
                face_box=tuple(report["face_box"]) if report["face_box"] else None,
                measurements=report["measurements"],
            ),
        )


def prepare_avatar(image_path: Path, out_dir: Path | None = None):
    """Run the quality gate on a photo and prepare it for rendering.

    Args:
        image_path: a JPEG, PNG or WebP photo, at most 20 MB.
        out_dir: where to save the prepared avatar; ``None`` keeps it in memory.

    Returns:
        (PreparedAvatar, QualityReport).

    Raises:
        InvalidInput: ``field="image"``: the photo was refused; ``code`` and
            ``message`` say why and how to fix it.
    """
    report, image, points = assess_photo(image_path)
    report.raise_first()
    avatar = build_avatar(image, points, report)
    if out_dir is not None:
        avatar.save(out_dir)
    return avatar, report


def prepare_image(image: np.ndarray) -> tuple[PreparedAvatar | None, QualityReport]:
    """Prepare an already decoded RGB image; the avatar is None when the gate refused it."""
    report = QualityReport()
    points = assess_image(image, report)
    if not report.ok or points is None:
        return None, report
    return build_avatar(image, points, report), report


def build_avatar(image: np.ndarray, points: np.ndarray, report: QualityReport) -> PreparedAvatar:
    """Matte, change mask and palette for a photo whose landmarks are known."""
    image = np.ascontiguousarray(image, dtype=np.uint8)
    matte = faces.person_matte(image)
    return PreparedAvatar(
        image=image,
        points=points.astype(np.float32),
        matte=matte,
        change_mask=change_mask(image.shape[:2], points, matte),
        palette=palette(image, points),
        teeth_in_photo=teeth_visible(image, points),
        report=report,
    )


def content_key(image: np.ndarray) -> str:
    """A hash of an image's pixels, for caching preparations in-process."""
    digest = hashlib.sha256(np.ascontiguousarray(image).tobytes())
    digest.update(repr(image.shape).encode())
    return digest.hexdigest()


# --- masks -----------------------------------------------------------------


def _polygon_mask(size: tuple[int, int], polygon: np.ndarray) -> Image.Image:
    mask = Image.new("L", (size[1], size[0]), 0)
    ImageDraw.Draw(mask).polygon([tuple(p) for p in polygon.tolist()], fill=255)
    return mask


def _ellipse_mask(size, centre, radii) -> Image.Image:
    mask = Image.new("L", (size[1], size[0]), 0)
    box = [centre[0] - radii[0], centre[1] - radii[1], centre[0] + radii[0], centre[1] + radii[1]]
    ImageDraw.Draw(mask).ellipse(box, fill=255)
    return mask


def head_and_neck_shapes(size: tuple[int, int], points: np.ndarray) -> np.ndarray:
    """Geometric head-and-neck region (H, W) in 0..1, before the matte is applied.

    The face outline widened a little (the mesh sits just inside the jaw
    line), an ellipse over it for hair, and a neck below the chin, down to
    half a face height.
    """
    width = lm.face_width(points)
    oval = points[list(lm.FACE_OVAL), :2]
    centre = oval.mean(0)
    grown = centre + (oval - centre) * 1.10
    face = np.asarray(_polygon_mask(size, grown), dtype=np.float32)
    top, chin = points[lm.FOREHEAD, :2], points[lm.CHIN, :2]
    height = float(np.linalg.norm(chin - top))
    head_centre = (centre[0], centre[1] - 0.3 * height)
    hair = _ellipse_mask(size, head_centre, (0.85 * width, 0.95 * height))  # hair, hats
    jaw = points[[58, 288], :2]
    neck_polygon = np.array(
        [
            jaw[0] + [0.02 * width, 0],
            jaw[1] - [0.02 * width, 0],
            [jaw[1][0] - 0.05 * width, chin[1] + 0.55 * height],
            [jaw[0][0] + 0.05 * width, chin[1] + 0.55 * height],
        ]
    )
    neck = np.asarray(_polygon_mask(size, neck_polygon), dtype=np.float32)
    return np.maximum.reduce([face, np.asarray(hair, np.float32), neck]) / 255.0


def change_mask(size: tuple[int, int], points: np.ndarray, matte: np.ndarray) -> np.ndarray:
    """The face, head and neck of the presenter, soft-edged, (H, W) float32 in 0..1.

    The geometric head-and-neck region is cut by the person matte (dilated a
    few pixels), so no background next to the head is ever in it. The face
    outline itself is always in, whatever the matte says (drawn presenters
    can confuse the matte).
    """
    shapes = head_and_neck_shapes(size, points)
    person = Image.fromarray((matte * 255).astype(np.uint8)).filter(ImageFilter.MaxFilter(5))
    person = np.asarray(person, dtype=np.float32) / 255.0
    oval = np.asarray(_polygon_mask(size, points[list(lm.FACE_OVAL), :2]), np.float32) / 255
    mask = np.maximum(shapes * np.clip(person * 1.5, 0, 1), oval)
    radius = max(1.0, lm.face_width(points) / 100)
    soft = Image.fromarray((mask * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(radius))
    soft = np.asarray(soft, dtype=np.float32) / 255.0
    return np.where(soft < 2 / 255, 0.0, soft).astype(np.float32)


# --- colours ---------------------------------------------------------------


def palette(image: np.ndarray, points: np.ndarray) -> Palette:
    """Mouth colours taken from the photo: lips, a dark cavity, teeth and a tongue."""
    lips = _median(_lip_pixels(image, points), fallback=(170, 100, 100))
    skin = _median(skin_pixels(image, points), fallback=(200, 160, 140))
    shown = teeth_visible(image, points)
    eyes = _median(_sclera(image, points), fallback=(215, 205, 195))
    teeth = teeth_colour(skin, eyes, _bright(inner_mouth_pixels(image, points)) if shown else None)
    cavity = tuple(float(c) for c in np.clip(np.array(lips) * 0.2 + [24, 4, 6], 0, 255))
    # A tongue is redder than most lips; keep the photo's brightness.
    light = float(np.mean(lips)) / 140.0
    tongue = np.clip(
        (0.45 * np.array(lips) + 0.55 * np.array([178, 78, 80]) * light) * 0.85, 0, 255
    )
    return Palette(lips, cavity, teeth, tuple(float(c) for c in tongue))


CHEEK_POINTS = (50, 280, 205, 425)  # face-mesh points in the middle of each cheek


def skin_pixels(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """RGB pixels (N, 3) of the cheeks: the face's own skin in the photo's light."""
    radius = max(2.0, lm.face_width(points) * 0.045)
    yy, xx = np.mgrid[: image.shape[0], : image.shape[1]]
    keep = np.zeros(image.shape[:2], bool)
    for index in CHEEK_POINTS:
        x, y = points[index, :2]
        keep |= (xx - x) ** 2 + (yy - y) ** 2 <= radius**2
    return image[keep].astype(np.float32)


def _lip_pixels(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    size = image.shape[:2]
    outer = np.asarray(
        _polygon_mask(size, lm.lip_polygon(points, lm.OUTER_UPPER, lm.OUTER_LOWER)), bool
    )
    inner = np.asarray(
        _polygon_mask(size, lm.lip_polygon(points, lm.INNER_UPPER, lm.INNER_LOWER)), bool
    )
    return image[outer & ~inner].astype(np.float32)


def _median(pixels: np.ndarray, fallback) -> tuple[float, float, float]:
    if len(pixels) < 10:
        return tuple(float(c) for c in fallback)
    return tuple(float(c) for c in np.median(pixels, axis=0))


def _bright(pixels: np.ndarray) -> np.ndarray:
    if len(pixels) < 10:
        return pixels
    value = pixels.max(axis=1)
    return pixels[value >= np.percentile(value, 70)]


def _sclera(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Pixels of the whites of the eyes: the eye openings minus the irises, the brightest."""
    size = image.shape[:2]
    keep = np.zeros(size, bool)
    for ring, iris in ((lm.RIGHT_EYE_RING, lm.RIGHT_IRIS), (lm.LEFT_EYE_RING, lm.LEFT_IRIS)):
        eye = np.asarray(_polygon_mask(size, points[list(ring), :2]), bool)
        centre = points[iris[0], :2]
        radius = np.linalg.norm(points[list(iris[1:]), :2] - centre, axis=1).mean() * 1.15
        yy, xx = np.mgrid[: size[0], : size[1]]
        keep |= eye & ((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2 > radius**2)
    return _bright(image[keep].astype(np.float32))


TEETH_BELOW_SKIN_B = 8.0  # painted teeth are at most this much less yellow (b*) than skin


def teeth_colour(skin, eyes, photo_teeth: np.ndarray | None = None) -> tuple[float, float, float]:
    """Teeth as the photo's light would show them: an off-white as light as the whites of
    the eyes (or the skin, if lighter) with the skin's white balance (CIE Lab), or the
    photo's own teeth where it shows them.

    Teeth are lighter than the skin and much less saturated, but in the same light:
    under warm light they are cream, never a neutral grey or blue slab between warm
    lips and skin. Their b* (yellow) follows the skin's, a little below it.
    """
    from avatar.lipsync.colour import lab_to_rgb, rgb_to_lab

    s_light, s_red, s_yellow = rgb_to_lab(np.asarray(skin, np.float64))
    light = float(np.clip(max(s_light + 12, rgb_to_lab(np.asarray(eyes, np.float64))[0]), 62, 90))
    yellow = float(np.clip(max(0.7 * s_yellow, s_yellow - TEETH_BELOW_SKIN_B), 6, 30))
    # Half the skin's redness for that yellow: the skin's hue, paler. A lower a* reads
    # as green beside red skin.
    red = float(np.clip(0.5 * yellow * s_red / max(s_yellow, 1.0), 0.0, 10.0))
    if photo_teeth is not None and len(photo_teeth) >= 10:
        t_light, t_red, t_yellow = rgb_to_lab(np.median(photo_teeth, axis=0))
        light, red = float(np.clip(t_light, 55, 92)), float(np.clip(t_red, -1, 6))
        yellow = float(np.clip(t_yellow, s_yellow - TEETH_BELOW_SKIN_B, 30))
    return tuple(float(c) for c in lab_to_rgb([light, red, yellow]))
