"""The photo quality gate: can this portrait become a talking avatar?

:func:`assess_photo` reads an uploaded photo and returns a
:class:`QualityReport` with specific, friendly errors (reasons to refuse the
photo) and warnings (it will work, but a better photo would look better).
:func:`check_photo` raises the first error as :class:`InvalidInput` on the
``image`` field.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from avatar.errors import InvalidInput
from avatar.lipsync import faces
from avatar.lipsync import landmarks as lm

MAX_BYTES = 20 * 1024 * 1024
FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MAX_SIDE_PX = 2048
MIN_SIDE_PX = 256
MIN_FACE_PX = 160  # face width, cheek to cheek
MIN_BRIGHTNESS = 60  # mean face luminance, 0..255
MAX_YAW_DEG = 25.0
MAX_PITCH_DEG = 25.0
MAX_ROLL_DEG = 20.0
SECOND_FACE_RATIO = 0.12  # a second face this large (by area, vs the first) is another person
MOUTH_OPEN_RATIO = 0.08  # inner-lip gap / mouth width above which the mouth counts as open


@dataclass
class Issue:
    """One finding: a machine-readable ``code`` and a ``message`` that says how to fix it."""

    code: str
    message: str


@dataclass
class QualityReport:
    """The gate's verdict on one photo.

    ``ok`` is False when there is at least one error. ``face_box`` is
    (x, y, w, h) in pixels of the photo as loaded (upright, at most 2048 px).
    ``measurements`` holds the numbers behind the verdict (face size, head
    angles, brightness, mouth opening).
    """

    ok: bool = True
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    face_box: tuple[int, int, int, int] | None = None
    measurements: dict[str, float] = field(default_factory=dict)

    def error(self, code: str, message: str) -> None:
        self.errors.append(Issue(code, message))
        self.ok = False

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(Issue(code, message))

    def to_dict(self) -> dict:
        return asdict(self)

    def raise_first(self) -> None:
        """Raise the first error as :class:`InvalidInput` (``field="image"``); no-op when ok."""
        if self.errors:
            first = self.errors[0]
            raise InvalidInput("image", first.message, code=first.code)


def load_photo(path: Path) -> np.ndarray:
    """Read an uploaded photo: upright RGB ``uint8``, at most 2048 px a side.

    Raises:
        InvalidInput: ``field="image"``: missing, over 20 MB, not JPEG/PNG/WebP, unreadable.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInput("image", f"The photo {path.name!r} does not exist.", code="no_file")
    if path.stat().st_size > MAX_BYTES:
        raise InvalidInput(
            "image",
            "The photo is larger than 20 MB. Export it as a JPEG at a lower quality and try again.",
            code="file_too_large",
        )
    try:
        with Image.open(path) as image:
            if image.format not in FORMATS:
                raise InvalidInput(
                    "image",
                    f"{image.format or 'This'} files are not supported. "
                    "Upload a JPEG, PNG or WebP.",
                    code="unsupported_format",
                )
            image.draft("RGB", (MAX_SIDE_PX, MAX_SIDE_PX))
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
            return np.asarray(_flatten(image), dtype=np.uint8)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise InvalidInput(
            "image",
            "The file could not be read as an image. Upload a JPEG, PNG or WebP photo.",
            code="unreadable_image",
        ) from exc


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def assess_photo(path: Path) -> tuple[QualityReport, np.ndarray | None, np.ndarray | None]:
    """Run the gate on a photo file.

    Returns:
        (report, image, landmarks): the loaded RGB image and the main face's
        (478, 3) landmarks, either of which is None when the gate stopped early.
        File problems are reported as errors rather than raised.
    """
    report = QualityReport()
    try:
        image = load_photo(path)
    except InvalidInput as exc:
        report.error(exc.code, exc.message)
        return report, None, None
    return report, image, assess_image(image, report)


def assess_image(image: np.ndarray, report: QualityReport) -> np.ndarray | None:
    """Run the gate on a decoded RGB image; fill ``report``; return the main face's landmarks."""
    height, width = image.shape[:2]
    report.measurements.update(width=float(width), height=float(height))
    if min(height, width) < MIN_SIDE_PX:
        report.error(
            "image_too_small",
            f"The photo is only {width}×{height} pixels. Upload one at least "
            f"{MIN_SIDE_PX} pixels on its shorter side; 1000 or more looks best.",
        )
        return None
    detections = faces.detect_faces(image)
    if not _check_face_count(detections, report):
        return None
    points = main_face_landmarks(image, detections[0])
    if points is None:
        report.error(
            "no_face",
            "We could not find the features of the face (eyes, nose, mouth). Use a sharp, "
            "well-lit photo that shows the whole face from the front.",
        )
        return None
    report.face_box = _box(points)
    _check_face(image, points, report)
    return points


def _check_face_count(detections: list[faces.Detection], report: QualityReport) -> bool:
    report.measurements["faces"] = float(len(detections))
    if not detections:
        report.error(
            "no_face",
            "We could not find a face in this photo. Use a photo of one person looking at "
            f"the camera, with the whole face visible, well lit and at least {MIN_FACE_PX} "
            "pixels across.",
        )
        return False
    main_area = detections[0].box[2] * detections[0].box[3]
    others = [d for d in detections[1:] if d.box[2] * d.box[3] >= SECOND_FACE_RATIO * main_area]
    if others:
        report.error(
            "several_faces",
            f"We found {len(others) + 1} faces in this photo. Use a photo with only the "
            "presenter in it, or crop it so that one face remains.",
        )
        return False
    return True


def main_face_landmarks(image: np.ndarray, detection: faces.Detection) -> np.ndarray | None:
    """Face-mesh landmarks of one detected face, found in a crop around it (small faces too)."""
    height, width = image.shape[:2]
    x, y, w, h = detection.box
    side = 2.2 * max(w, h)
    cx, cy = x + w / 2, y + h / 2
    x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    x1, y1 = int(min(width, cx + side / 2)), int(min(height, cy + side / 2))
    crop = image[y0:y1, x0:x1]
    scale = 1.0
    if max(crop.shape[:2]) > 1024:  # the mesh model works at 192 px anyway
        scale = 1024 / max(crop.shape[:2])
        size = (round(crop.shape[1] * scale), round(crop.shape[0] * scale))
        crop = np.asarray(Image.fromarray(crop).resize(size, Image.Resampling.BILINEAR))
    meshes = faces.face_meshes(crop)
    if not meshes:
        return None
    centre = np.array([(cx - x0) * scale, (cy - y0) * scale])
    points = min(meshes, key=lambda p: float(np.linalg.norm(p[:, :2].mean(0) - centre)))
    points = points.copy()
    points[:, :3] /= scale
    points[:, 0] += x0
    points[:, 1] += y0
    return points


def _box(points: np.ndarray) -> tuple[int, int, int, int]:
    oval = points[list(lm.FACE_OVAL), :2]
    x0, y0 = np.floor(oval.min(0)).astype(int)
    x1, y1 = np.ceil(oval.max(0)).astype(int)
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def head_angles(points: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees from the mesh's 3-D points; 0 is facing the camera."""
    left, right = points[234], points[454]  # cheek outline points
    yaw = math.degrees(math.atan2(right[2] - left[2], right[0] - left[0]))
    eyes = points[[33, 263]]
    roll = math.degrees(math.atan2(eyes[1, 1] - eyes[0, 1], eyes[1, 0] - eyes[0, 0]))
    top, chin = points[lm.FOREHEAD], points[lm.CHIN]
    # A frontal face's forehead sits about 9 degrees in front of its chin in the mesh.
    pitch = math.degrees(math.atan2(top[2] - chin[2], chin[1] - top[1])) + 9.0
    return yaw, pitch, roll


def _check_face(image: np.ndarray, points: np.ndarray, report: QualityReport) -> None:
    width_px = lm.face_width(points)
    yaw, pitch, roll = head_angles(points)
    brightness = _face_brightness(image, report.face_box)
    gap = mouth_opening(points)
    report.measurements.update(
        face_width_px=round(width_px, 1),
        yaw_deg=round(yaw, 1),
        pitch_deg=round(pitch, 1),
        roll_deg=round(roll, 1),
        face_brightness=round(brightness, 1),
        mouth_open_ratio=round(gap, 3),
    )
    _check_size_and_light(width_px, brightness, report)
    _check_pose(yaw, pitch, roll, report)
    _check_mouth_and_eyes(image, points, gap, report)


def _check_size_and_light(width_px: float, brightness: float, report: QualityReport) -> None:
    if width_px < MIN_FACE_PX:
        report.error(
            "face_too_small",
            f"The face is only {width_px:.0f} pixels wide. Use a closer or larger photo in which "
            f"the face is at least {MIN_FACE_PX} pixels across (a head-and-shoulders shot).",
        )
    if brightness < MIN_BRIGHTNESS:
        report.error(
            "too_dark",
            "The face is too dark to animate well. Use a photo taken in good, even light "
            "(facing a window works well).",
        )
    elif brightness > 235:
        report.warn("overexposed", "The face is very bright; details may look washed out.")


def _check_pose(yaw: float, pitch: float, roll: float, report: QualityReport) -> None:
    if abs(yaw) > MAX_YAW_DEG:
        report.error(
            "head_turned",
            f"The head is turned {abs(yaw):.0f}° to the side. Use a photo in which the "
            "presenter looks straight at the camera.",
        )
    if abs(pitch) > MAX_PITCH_DEG:
        direction = "down" if pitch > 0 else "up"
        report.error(
            "head_tilted",
            f"The head is tilted {direction} by about {abs(pitch):.0f}°. Use a photo taken "
            "at eye level, looking straight at the camera.",
        )
    if abs(roll) > MAX_ROLL_DEG:
        report.error(
            "head_tilted",
            f"The head leans {abs(roll):.0f}° to one side. Straighten the photo so the eyes "
            "are level, or use another one.",
        )


def mouth_opening(points: np.ndarray) -> float:
    """Inner-lip gap at the middle of the mouth, as a fraction of the mouth's width."""
    gap = float(np.linalg.norm(points[14, :2] - points[13, :2]))
    return gap / max(lm.mouth_width(points), 1.0)


def teeth_visible(image: np.ndarray, points: np.ndarray) -> bool:
    """True when bright, pale pixels (teeth) show between the lips."""
    pixels = inner_mouth_pixels(image, points)
    if len(pixels) < 20:
        return False
    value = pixels.max(axis=1)
    saturation = (value - pixels.min(axis=1)) / np.maximum(value, 1)
    return float(np.mean((value > 150) & (saturation < 0.35))) > 0.15


def inner_mouth_pixels(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """RGB pixels (N, 3) inside the inner-lip polygon."""
    from PIL import ImageDraw

    polygon = lm.lip_polygon(points, lm.INNER_UPPER, lm.INNER_LOWER)
    mask = Image.new("L", (image.shape[1], image.shape[0]), 0)
    ImageDraw.Draw(mask).polygon([tuple(p) for p in polygon.tolist()], fill=255)
    return image[np.asarray(mask) > 0].astype(np.float32)


def _check_mouth_and_eyes(
    image: np.ndarray, points: np.ndarray, gap: float, report: QualityReport
) -> None:
    if teeth_visible(image, points):
        report.warn(
            "teeth_visible",
            "The presenter shows their teeth. We close the mouth when they are silent; a photo "
            "with a relaxed, closed mouth looks most natural.",
        )
    elif gap > MOUTH_OPEN_RATIO:
        report.warn(
            "mouth_open",
            "The mouth is open in this photo. We close it when the presenter is silent; a "
            "photo with a relaxed, closed mouth looks most natural.",
        )
    if _eyes_closed(points):
        report.warn("eyes_closed", "The eyes look closed. Use a photo with the eyes open.")


def _eyes_closed(points: np.ndarray) -> bool:
    ratios = []
    for upper, lower, (a, b) in (
        (lm.RIGHT_EYE_UPPER, lm.RIGHT_EYE_LOWER, (33, 133)),
        (lm.LEFT_EYE_UPPER, lm.LEFT_EYE_LOWER, (263, 362)),
    ):
        height = np.linalg.norm(points[upper[3], :2] - points[lower[3], :2])
        ratios.append(height / max(np.linalg.norm(points[a, :2] - points[b, :2]), 1.0))
    return float(np.mean(ratios)) < 0.12


def _face_brightness(image: np.ndarray, box: tuple[int, int, int, int] | None) -> float:
    if box is None:
        return float(image.mean())
    x, y, w, h = box
    region = image[max(0, y) : y + h, max(0, x) : x + w].astype(np.float32)
    if region.size == 0:
        return float(image.mean())
    return float((region @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).mean())


def check_photo(path: Path) -> QualityReport:
    """Run the gate and raise its first error.

    Returns:
        The :class:`QualityReport` of an accepted photo (it may carry warnings).

    Raises:
        InvalidInput: ``field="image"``, with the error's ``code`` and a message that
            says how to fix it.
    """
    report, _, _ = assess_photo(path)
    report.raise_first()
    return report
