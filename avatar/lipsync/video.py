"""Lip-sync over a real video: the mouth of a moving face re-animated to new speech.

Two passes over the frames:

1. Track: the face mesh (MediaPipe, shipped in its wheel) on every frame, and
   shot cuts from the change between small grey thumbnails. In each shot the
   frontal frame with the most closed mouth becomes the shot's *key frame*.
2. Render: per shot, the photo-avatar renderer (avatar.lipsync) animates the
   key frame's mouth to the new speech's visemes (from the audio-to-viseme
   model, on the new voice alone). For every frame with a frontal face, the
   rendered lower face is carried onto the frame by a similarity transform
   fitted to stable landmarks (nose, cheeks, jaw sides), and blended in
   through a feathered mask of that frame's lower face. Everything outside
   the mask is the original pixel; a frame with no face, a turned head, or in
   a shot without a usable key frame passes through unchanged.

Rendering on the key frame keeps teeth, tongue and lips consistent within a
shot; the rest of the frame (eyes, head, body, background) stays the
original footage, so head motion and expressions are kept.

A video avatar (new scripts over a loop of the customer's own recording) does
not paint its mouth: while choosing the loop, up to MOUTH_BANK_SIZE frontal
frames are kept that span the recording's mouth shapes (opening by width), and
each output frame takes its lower face from the two samples nearest the
shape the new speech asks for, crossfaded, so the teeth, tongue and lips are
the customer's own. A recording with too few distinct shapes (under
MOUTH_BANK_MIN, or hardly ever open) falls back to the painted mouth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from avatar.errors import AvatarError

# MediaPipe face-mesh indices.
LOWER_OVAL = [454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136,
              172, 58, 132, 93, 234]  # fmt: skip
UNDER_NOSE = [2]
STABLE = [1, 4, 5, 195, 197, 6, 168, 234, 454, 93, 323, 132, 361, 58, 288]
INNER_LIPS = (13, 14)
MOUTH_CORNERS = (61, 291)
FOREHEAD, CHIN, LEFT, RIGHT, NOSE = 10, 152, 234, 454, 1
THUMB = (32, 18)
CUT_THRESHOLD = 28.0  # mean absolute grey change (0..255) between thumbnails
FRONTAL = (0.3, 0.7)  # where the nose tip sits between the cheeks, for a frontal face
FEATHER = 0.06  # mask feather, as a share of the face height


@dataclass
class Shot:
    start: int
    end: int = 0  # exclusive
    key: int | None = None
    key_image: np.ndarray | None = None
    key_open: float = 1e9


@dataclass
class LipsyncReport:
    frames: int = 0
    synced: int = 0
    passed_through: int = 0
    shots: int = 0
    shots_without_face: int = 0
    reasons: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "frames": self.frames, "synced": self.synced, "passed_through": self.passed_through,
            "shots": self.shots, "shots_without_face": self.shots_without_face,
            "reasons": self.reasons,
        }  # fmt: skip


def mouth_opening(points: np.ndarray) -> float:
    """Inner-lip gap over face height (0 closed, about 0.1 wide open)."""
    height = np.linalg.norm(points[CHIN, :2] - points[FOREHEAD, :2]) or 1.0
    return float(np.linalg.norm(points[INNER_LIPS[0], :2] - points[INNER_LIPS[1], :2]) / height)


def mouth_width(points: np.ndarray) -> float:
    """Mouth-corner distance over the face's width (cheek to cheek)."""
    span = np.linalg.norm(points[RIGHT, :2] - points[LEFT, :2]) or 1.0
    corners = points[MOUTH_CORNERS[0], :2] - points[MOUTH_CORNERS[1], :2]
    return float(np.linalg.norm(corners) / span)


def is_frontal(points: np.ndarray) -> bool:
    left, right, nose = points[LEFT, 0], points[RIGHT, 0], points[NOSE, 0]
    span = right - left
    return span > 0 and FRONTAL[0] < (nose - left) / span < FRONTAL[1]


@dataclass(frozen=True)
class VideoFormat:
    fps: float
    width: int
    height: int
    frames: int  # as the container says; 0 when it does not say

    def encode_settings(self):
        """Settings to encode frames like these (H.264 4:2:0 wants even sizes; whole fps)."""
        from avatar.encode import EncodeSettings

        width, height = self.width - self.width % 2, self.height - self.height % 2
        return EncodeSettings(width=width, height=height, fps=round(self.fps))


def video_format(path: Path) -> VideoFormat:
    """The frame rate, the size the frames are shown (and decoded) at, and the count."""
    import av

    from avatar.dub.probe import display_size

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        first = next(container.decode(stream), None)
        width, height = display_size(stream.codec_context.width, stream.codec_context.height,
                                     first.rotation if first is not None else 0)  # fmt: skip
        return VideoFormat(float(stream.average_rate or 25), width, height, stream.frames or 0)


def encode_frames(frames, form: VideoFormat, audio_wav: Path, out_mp4: Path) -> Path:
    """FRAMES (of FORM's size) and AUDIO_WAV into OUT_MP4, cropped to even sizes."""
    from avatar.encode import encode

    settings = form.encode_settings()
    return encode((f[: settings.height, : settings.width] for f in frames), audio_wav,
                  out_mp4, settings)  # fmt: skip


def decode_frames(path: Path):
    """The frames of the video at PATH, RGB uint8, upright, in order (decoded once,
    lazily)."""
    import av

    from avatar.dub.probe import upright

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            yield upright(frame)


def _thumb(rgb: np.ndarray) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.fromarray(rgb).convert("L").resize(THUMB), dtype=np.float32)


def track(path: Path, progress=lambda f: None, total: int = 0):
    """Landmarks per frame (or None) and the shots, with each shot's key frame."""
    from avatar.lipsync import faces

    points: list[np.ndarray | None] = []
    shots: list[Shot] = []
    previous = None
    for index, rgb in enumerate(decode_frames(path)):
        thumb = _thumb(rgb)
        if previous is None or np.abs(thumb - previous).mean() > CUT_THRESHOLD:
            if shots:
                shots[-1].end = index
            shots.append(Shot(start=index))
        previous = thumb
        meshes = faces.face_meshes(rgb)
        face = meshes[0] if meshes else None
        points.append(face)
        shot = shots[-1]
        if face is not None and is_frontal(face):
            opening = mouth_opening(face)
            if opening < shot.key_open:
                shot.key, shot.key_open, shot.key_image = index, opening, rgb.copy()
        if total and index % 10 == 0:
            progress(min(1.0, index / total))
    if shots:
        shots[-1].end = len(points)
    return points, shots


def similarity(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 2x3 similarity (rotation, uniform scale, shift) taking SOURCE points onto TARGET."""
    mu_s, mu_t = source.mean(0), target.mean(0)
    s, t = source - mu_s, target - mu_t
    u, sigma, vt = np.linalg.svd(t.T @ s)
    d = np.sign(np.linalg.det(u @ vt))
    rotation = u @ np.diag([1.0, d]) @ vt
    scale = (sigma * np.array([1.0, d])).sum() / (s**2).sum()
    matrix = np.zeros((2, 3))
    matrix[:, :2] = scale * rotation
    matrix[:, 2] = mu_t - matrix[:, :2] @ mu_s
    return matrix


def lower_face_mask(points: np.ndarray, size: tuple[int, int], box) -> np.ndarray:
    """A feathered (h, w) mask of the lower face inside BOX (x0, y0, x1, y1)."""
    from PIL import Image, ImageDraw, ImageFilter

    x0, y0, x1, y1 = box
    face_height = np.linalg.norm(points[CHIN, :2] - points[FOREHEAD, :2])
    feather = max(2, int(FEATHER * face_height))
    polygon = points[LOWER_OVAL + UNDER_NOSE, :2] - np.array([x0, y0])
    centre = polygon.mean(0)
    shrunk = centre + (polygon - centre) * (1 - 1.5 * feather / max(1.0, face_height / 2))
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(mask).polygon([tuple(p) for p in shrunk], fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(feather))
    return np.asarray(mask, dtype=np.float32) / 255.0


def _box(points: np.ndarray, shape) -> tuple[int, int, int, int]:
    region = points[LOWER_OVAL + UNDER_NOSE, :2]
    face_height = np.linalg.norm(points[CHIN, :2] - points[FOREHEAD, :2])
    pad = int(0.12 * face_height) + 4
    x0, y0 = np.floor(region.min(0)).astype(int) - pad
    x1, y1 = np.ceil(region.max(0)).astype(int) + pad
    height, width = shape[:2]
    return max(0, x0), max(0, y0), min(width, x1), min(height, y1)


def _warp_into(frame, rendered, matrix, box):
    """RENDERED (key frame coordinates) sampled at the inverse of MATRIX over BOX of FRAME."""
    from scipy.ndimage import map_coordinates

    x0, y0, x1, y1 = box
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    a = matrix[:, :2]
    inverse = np.linalg.inv(a)
    shifted = np.stack([xs - matrix[0, 2], ys - matrix[1, 2]], axis=-1)
    source = shifted @ inverse.T
    coords = [source[..., 1], source[..., 0]]
    out = np.empty((y1 - y0, x1 - x0, 3), dtype=np.float32)
    for channel in range(3):
        out[..., channel] = map_coordinates(
            rendered[..., channel].astype(np.float32), coords, order=1, mode="nearest"
        )
    return out


def lipsync_frames(video: Path, voice_wav: Path, *, device: str = "auto",
                   progress=lambda fraction: None):  # fmt: skip
    """(frames, report, fps, size): VIDEO's frames, RGB uint8, with the mouth re-animated to
    the speech in VOICE_WAV (the new voice alone). The report fills in as frames are read."""
    from avatar.lipsync import a2v

    form = video_format(video)
    fps, size = form.fps, (form.width, form.height)
    points, shots = track(video, lambda f: progress(0.4 * f), form.frames)
    if not points:
        raise AvatarError("corrupt", "This video has no frames to lip-sync.", field="video")
    visemes = a2v.track_from_audio(voice_wav, len(points), fps)
    report = LipsyncReport(frames=len(points), shots=len(shots))
    frames = _synced(video, points, shots, visemes, report, device, progress)
    return frames, report, fps, size


def _synced(video, points, shots, visemes, report, device, progress):
    from avatar.lipsync import prepare
    from avatar.lipsync.geometry import rig_params
    from avatar.lipsync.quality import QualityReport
    from avatar.lipsync.render import Renderer

    count = len(points)
    rig = rig_params(visemes.params, np.zeros(count, dtype=np.float32))
    tongue = visemes.params[:, 3]
    shot_index, rendered_iter = -1, None
    for index, frame in enumerate(decode_frames(video)):
        while shot_index + 1 < len(shots) and index >= shots[shot_index + 1].start:
            shot_index += 1
            shot, rendered_iter = shots[shot_index], None
            if shot.key is None:
                report.shots_without_face += 1
                continue
            avatar = prepare.build_avatar(shot.key_image, points[shot.key], QualityReport())
            span = slice(shot.start, shot.end)
            head = np.zeros((shot.end - shot.start, 3), dtype=np.float32)
            rendered_iter = Renderer(avatar, device=device).render(rig[span], head, tongue[span])
        rendered = next(rendered_iter, None) if rendered_iter is not None else None
        face = points[index] if index < count else None
        reason = _skip_reason(rendered, face)
        if reason:
            report.passed_through += 1
            report.reasons[reason] = report.reasons.get(reason, 0) + 1
            yield frame
            continue
        yield blend(frame, rendered, points[shots[shot_index].key], face)
        report.synced += 1
        if index % 10 == 0:
            progress(0.4 + 0.6 * index / max(1, count))


def _skip_reason(rendered, face) -> str | None:
    if rendered is None:
        return "no_face_in_shot"
    if face is None:
        return "no_face"
    if not is_frontal(face):
        return "turned"
    return None


def blend(frame: np.ndarray, rendered: np.ndarray, key_points, face) -> np.ndarray:
    """FRAME with its lower face replaced by RENDERED's (key frame coordinates), feathered.

    Only pixels inside the lower face's box can change."""
    box = _box(face, frame.shape)
    mask = lower_face_mask(face, frame.shape, box)[..., None]
    return _mix(frame, [(rendered, key_points, 1.0)], face, box, mask)


def _mix(frame, sources, face, box, mask) -> np.ndarray:
    """FRAME with the weighted sum of each (image, its landmarks, weight) warped onto FACE
    over BOX, through MASK."""
    x0, y0, x1, y1 = box
    region = frame[y0:y1, x0:x1].astype(np.float32)
    warped = sum(
        weight * _warp_into(frame, image, similarity(points[STABLE, :2], face[STABLE, :2]), box)
        for image, points, weight in sources
    )
    out = frame.copy()
    out[y0:y1, x0:x1] = (region + (warped - region) * mask + 0.5).astype(np.uint8)
    return out


def relipsync(
    video: Path, voice_wav: Path, audio_wav: Path, out_mp4: Path, *, device: str = "auto",
    progress=lambda fraction: None,
) -> LipsyncReport:  # fmt: skip
    """VIDEO re-lip-synced to VOICE_WAV (the new voice alone), with AUDIO_WAV (the whole
    dubbed sound) as its sound, into OUT_MP4."""
    frames, report, fps, (width, height) = lipsync_frames(
        video, voice_wav, device=device, progress=progress
    )
    encode_frames(frames, VideoFormat(fps, width, height, report.frames), audio_wav, out_mp4)
    return report


# Video avatars: new speech over a loop of the customer's own footage -----------------

BASE_SECONDS = 3.0  # the stretch of footage that is looped (forwards, then backwards)
MAX_HEIGHT = 720  # footage is scaled down to this for the loop (memory: 3 s at 720p ~ 200 MB)
MOUTH_BANK_SIZE = 24  # sampled lower faces kept from the recording (720p: ~65 MB)
MOUTH_BANK_MIN = 6  # fewer distinct shapes than this: paint the mouth instead
OPEN_BINS, WIDTH_BINS = 8, 3
OPEN_FULL = 0.65  # the viseme "open" that takes the widest mouth sampled (speech's ~95th pct)


@dataclass
class MouthSample:
    """A frame of the recording kept for its mouth shape: its lower face is pasted in."""

    frame: np.ndarray
    points: np.ndarray
    opening: float
    width: float


@dataclass
class Footage:
    """The looped stretch of a video avatar's recording, with its landmarks."""

    frames: list[np.ndarray]
    points: list[np.ndarray]
    fps: float
    key: int  # the most closed-mouth frontal frame of the stretch
    mouths: list[MouthSample] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        height, width = self.frames[0].shape[:2]
        return width, height

    @property
    def mouth_source(self) -> str:
        """``"recording"`` when the mouth is sampled from the footage, else ``"painted"``."""
        return "recording" if len(self.mouths) >= MOUTH_BANK_MIN else "painted"


def _scaled(rgb: np.ndarray) -> np.ndarray:
    from PIL import Image

    height, width = rgb.shape[:2]
    if height <= MAX_HEIGHT:
        return rgb
    size = (round(width * MAX_HEIGHT / height) // 2 * 2, MAX_HEIGHT)
    return np.asarray(Image.fromarray(rgb).resize(size, Image.LANCZOS))


def choose_mouths(shapes: dict[int, tuple[float, float, float]]) -> list[int]:
    """Frame indices whose mouths span SHAPES ({index: (opening, width, centring)}).

    The shapes are binned, opening by width, over the range the recording shows; each
    bin keeps its most frontal frame (CENTRING: 0 is the nose midway between the cheeks)."""
    if not shapes:
        return []
    values = np.array([v[:2] for v in shapes.values()])
    low, high = np.percentile(values, 2, axis=0), np.percentile(values, 98, axis=0)
    span = np.maximum(high - low, 1e-6)
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for index, (opening, width, centring) in shapes.items():
        cell = np.clip(((opening, width) - low) / span * (OPEN_BINS, WIDTH_BINS), 0, None)
        key = (min(int(cell[0]), OPEN_BINS - 1), min(int(cell[1]), WIDTH_BINS - 1))
        if key not in best or centring < best[key][0]:
            best[key] = (centring, index)
    chosen = sorted(best.values())[:MOUTH_BANK_SIZE]
    return sorted(index for _, index in chosen)


def base_stretch(path: Path, seconds: float = BASE_SECONDS, scan_seconds: float = 60.0) -> Footage:
    """The stretch of footage to loop (frontal face in every frame, mouth closed the most),
    with a bank of the recording's own mouths.

    Raises AvatarError (``no_face``) when no such stretch exists in the first SCAN_SECONDS.
    """
    fps = video_format(path).fps
    window = max(2, int(seconds * fps))
    openings, shapes = _scan(path, int(scan_seconds * fps))
    if len(openings) < window:
        raise AvatarError("too_short", "The recording is too short to loop.", field="video")
    sums = np.convolve(np.array(openings), np.ones(window), mode="valid")
    start = int(np.argmin(sums))
    if sums[start] / window >= 0.99:
        raise AvatarError(
            "no_face", "We could not find the face, looking at the camera, in the recording.",
            field="video",
        )  # fmt: skip
    frames, points, mouths = _collect(path, range(start, start + window), choose_mouths(shapes))
    usable = [i for i, p in enumerate(points) if p is not None and is_frontal(p)]
    if not usable:
        raise AvatarError("no_face", "We could not find the face in the recording.", field="video")
    key = min(usable, key=lambda i: mouth_opening(points[i]))
    if mouths and np.ptp([m.opening for m in mouths]) < 0.02:  # hardly ever open: no bank
        mouths = []
    return Footage(frames=frames, points=points, fps=fps, key=key, mouths=mouths)


def _scan(path: Path, limit: int):
    """Every other frame of the first LIMIT: mouth opening per frame (1.0 where there is no
    frontal face) and {index: (opening, width, centring)} of the frontal ones."""
    from avatar.lipsync import faces

    openings: list[float] = []
    shapes: dict[int, tuple[float, float, float]] = {}
    for index, rgb in enumerate(decode_frames(path)):
        if index >= limit:
            break
        if index % 2 == 1:  # every other frame is enough to choose the stretch
            openings.append(openings[-1] if openings else 1.0)
            continue
        meshes = faces.face_meshes(_scaled(rgb))
        face = meshes[0] if meshes else None
        if face is None or not is_frontal(face):
            openings.append(1.0)
            continue
        openings.append(mouth_opening(face))
        nose = (face[NOSE, 0] - face[LEFT, 0]) / (face[RIGHT, 0] - face[LEFT, 0])
        shapes[index] = (openings[-1], mouth_width(face), abs(nose - 0.5))
    return openings, shapes


def _collect(path: Path, loop: range, wanted: list[int]):
    """The LOOP's frames and landmarks, and the WANTED frames as mouth samples."""
    from avatar.lipsync import faces

    frames, points, mouths = [], [], []
    last = max(loop.stop - 1, *wanted) if wanted else loop.stop - 1
    for index, rgb in enumerate(decode_frames(path)):
        if index > last:
            break
        if index not in loop and index not in wanted:
            continue
        frame = _scaled(rgb)
        meshes = faces.face_meshes(frame)
        face = meshes[0] if meshes else None
        if index in loop:
            frames.append(frame)
            points.append(face)
        if index in wanted and face is not None and is_frontal(face):
            mouths.append(MouthSample(frame, face, mouth_opening(face), mouth_width(face)))
    return frames, points, mouths


def ping_pong(length: int, count: int, step: float = 1.0) -> list[int]:
    """COUNT indices into a loop of LENGTH frames, forwards then backwards, never jumping
    more than STEP: the loop's frames per output frame (its fps over the output's), so a
    60 fps recording plays at its own pace in a 30 fps video, not at half speed."""
    if length <= 1:
        return [0] * count
    cycle = list(range(length)) + list(range(length - 2, 0, -1))
    return [cycle[int(i * step) % len(cycle)] for i in range(count)]


def mouth_targets(footage: Footage, params: np.ndarray) -> np.ndarray:
    """(F, 2) opening and width the new speech asks for, in the recording's own range.

    PARAMS are the viseme parameters (open, width, tuck, tongue, press): open 0..OPEN_FULL
    maps from the most closed to the widest-open mouth sampled, on the painted rig's curve
    (small openings a little larger), and pressed lips (m, b, p) close it; width -1..1
    (rounded..spread) maps around the resting width."""
    openings = np.array([m.opening for m in footage.mouths])
    widths = np.array([m.width for m in footage.mouths])
    rest_width = mouth_width(footage.points[footage.key])
    amount = np.clip(np.clip(params[:, 0], 0, None) ** 0.8 / OPEN_FULL**0.8, 0, 1)
    amount = amount * (1 - np.clip(params[:, 4] * 2, 0, 1))
    opening = openings.min() + amount * (openings.max() - openings.min())
    width = np.where(
        params[:, 1] >= 0,
        rest_width + params[:, 1] * max(0.0, widths.max() - rest_width),
        rest_width + params[:, 1] * max(0.0, rest_width - widths.min()),
    )
    return np.stack([opening, width], axis=1)


def nearest_mouths(footage: Footage, target: np.ndarray) -> list[tuple[int, float]]:
    """The two samples nearest TARGET (opening, width), weighted by inverse distance."""
    shapes = np.array([(m.opening, m.width) for m in footage.mouths])
    scale = np.maximum(np.ptp(shapes, axis=0), 1e-6)
    distance = np.linalg.norm((shapes - target) / scale, axis=1)
    first, second = np.argsort(distance)[:2]
    near, far = distance[first], distance[second]
    if near < 1e-6:
        return [(int(first), 1.0)]
    weight = far / (near + far)
    return [(int(first), float(weight)), (int(second), float(1 - weight))]


def blend_sampled(frame: np.ndarray, face: np.ndarray, samples) -> np.ndarray:
    """FRAME with its lower face taken from SAMPLES [(MouthSample, weight)], crossfaded.

    The mask covers the frame's lower face and each sample's (warped onto it), so an
    open jaw is not cut at the closed chin's outline."""
    masks, boxes = [], [_box(face, frame.shape)]
    moved = []
    for sample, _ in samples:
        matrix = similarity(sample.points[STABLE, :2], face[STABLE, :2])
        placed = sample.points.copy()
        placed[:, :2] = sample.points[:, :2] @ matrix[:, :2].T + matrix[:, 2]
        moved.append(placed)
        boxes.append(_box(placed, frame.shape))
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
           max(b[2] for b in boxes), max(b[3] for b in boxes))  # fmt: skip
    for points in [face, *moved]:
        masks.append(lower_face_mask(points, frame.shape, box))
    mask = np.maximum.reduce(masks)[..., None]
    sources = [(sample.frame, sample.points, weight) for sample, weight in samples]
    return _mix(frame, sources, face, box, mask)


def animate_footage(
    footage: Footage, visemes, count: int, *, fps: float | None = None, device: str = "auto"
):
    """COUNT frames (at FPS, by default the recording's) of the footage loop with the mouth
    following VISEMES (a VisemeTrack): the recording's own mouths where it has enough of
    them, else the painted renderer's."""
    loop = ping_pong(len(footage.frames), count, footage.fps / fps if fps else 1.0)
    if footage.mouth_source == "recording":
        targets = mouth_targets(footage, visemes.params[:count])
        for index, source in enumerate(loop):
            frame, face = footage.frames[source], footage.points[source]
            if face is None or not is_frontal(face) or index >= len(targets):
                yield frame
                continue
            near = nearest_mouths(footage, targets[index])
            yield blend_sampled(frame, face, [(footage.mouths[i], w) for i, w in near])
        return
    from avatar.lipsync import prepare
    from avatar.lipsync.geometry import rig_params
    from avatar.lipsync.quality import QualityReport
    from avatar.lipsync.render import Renderer

    key_image, key_points = footage.frames[footage.key], footage.points[footage.key]
    avatar = prepare.build_avatar(key_image, key_points, QualityReport())
    rig = rig_params(visemes.params, np.zeros(count, dtype=np.float32))
    head = np.zeros((count, 3), dtype=np.float32)
    rendered = Renderer(avatar, device=device).render(rig, head, visemes.params[:, 3])
    for source, drawn in zip(loop, rendered, strict=False):
        frame, face = footage.frames[source], footage.points[source]
        if face is None or not is_frontal(face):
            yield frame
        else:
            yield blend(frame, drawn, key_points, face)
