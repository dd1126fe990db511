"""Verify uploads before anything stores them: size, type, and that they decode.

The web process never trusts a file's name or declared content type: the
content says what a file is, and a name that claims otherwise is refused
(saas/file_checks.py, which also holds every limit). Images must declare a sane
size in their header, hide no web page or archive, and open and verify in
Pillow; audio and video are probed by ffmpeg (with a time limit) before
anything decodes them, then audio must decode to speech-length sound.
"""

from __future__ import annotations

import hashlib
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from saas import file_checks as checks
from saas.errors import ServiceError

# The limits live in saas/file_checks.py; these names are kept for their users.
MAX_IMAGE_BYTES = checks.MAX_IMAGE_BYTES
MAX_AUDIO_BYTES = checks.MAX_AUDIO_BYTES
MAX_VIDEO_BYTES = checks.MAX_VIDEO_BYTES
MAX_IMAGE_PIXELS = checks.MAX_IMAGE_PIXELS
VIDEO_SUFFIXES = {".mp4", ".mov", ".webm", ".m4v", ".mkv"}
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
IMAGE_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
AUDIO_SUFFIXES = {".wav", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".oga", ".flac", ".webm"}
# Never audio, whatever the name says (ffmpeg would try to read some of them).
NOT_AUDIO = {"jpeg", "png", "webp", "gif", "tiff", "heic", "bmp", "pdf", "zip", "ole2",
             "archive", "program", "html", "svg", "xml", "script", "text", "empty"}  # fmt: skip
VIDEO_KINDS = {"mp4", "matroska"}
OTHER_IMAGES = {"gif", "tiff", "heic", "bmp"}
# ffmpeg's name for the container each extension promises (the probe's format).
AUDIO_CONTAINERS = {
    ".wav": ("wav", "w64"), ".mp3": ("mp3",), ".m4a": ("mov,mp4",), ".aac": ("aac", "mov,mp4"),
    ".ogg": ("ogg",), ".oga": ("ogg",), ".opus": ("ogg",), ".flac": ("flac",),
    ".webm": ("matroska,webm",),
}  # fmt: skip
# ffmpeg's first demuxer name -> the extension a recording named otherwise is stored under.
AUDIO_SUFFIX_OF = {"wav": ".wav", "w64": ".wav", "mp3": ".mp3", "mov": ".m4a", "aac": ".aac",
                   "ogg": ".ogg", "flac": ".flac", "matroska": ".webm"}  # fmt: skip
# ffmpeg's first demuxer name -> the kind of file (saas/file_checks.py LABELS).
FFMPEG_KINDS = {"mov": "mp4", "matroska": "matroska", "mp3": "mp3", "wav": "wav", "w64": "wav",
                "ogg": "ogg", "flac": "flac", "aac": "aac", "aiff": "aiff"}  # fmt: skip
VIDEO_CONTAINERS = {".mp4": "mov,mp4", ".m4v": "mov,mp4", ".mov": "mov,mp4",
                    ".webm": "matroska,webm", ".mkv": "matroska,webm"}  # fmt: skip


@dataclass
class Verified:
    kind: str
    content_type: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    suffix: str = ""  # the extension its content calls for: the file is stored under it

    def stored_name(self, name: str | None) -> str:
        return stored_name(name, self.suffix, self.kind)


def stored_name(name: str | None, suffix: str, fallback: str) -> str:
    """NAME with SUFFIX, the extension of what the file is (never the client's own: a WAV
    named page.html must not be kept, or served, as a web page); FALLBACK without one."""
    stem = Path(name or "").stem.strip() or fallback
    return stem[:100] + suffix


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def verify_image(upload, field: str = "file") -> Verified:
    """A JPEG, PNG or WebP of sane size, or a ServiceError naming FIELD.

    In order, before any pixel is decoded: the size in bytes; what the first
    bytes say it is (an HTML page or a ZIP named .jpg is refused, and so is a
    PNG named .jpg); the width and height its header declares; markup or an
    archive hidden inside it. Only then does Pillow open (its own bomb limit is
    the same number of pixels) and verify it.
    """
    if upload.size > MAX_IMAGE_BYTES:
        raise ServiceError(
            f"Images are limited to {MAX_IMAGE_BYTES // checks.MB} MB.",
            field=field,
            code="file_too_large",
        )
    head = checks.read_head(upload, 256 * 1024)
    kind = checks.sniff(head)
    if kind not in checks.IMAGE_KINDS:
        what = "" if kind in OTHER_IMAGES else ", not an image"
        raise ServiceError(
            f"This file is {checks.label(kind)}{what}. Upload a JPEG, PNG or WebP.",
            field=field,
            code="not_an_image",
        )
    checks.refuse_mismatch(upload.name, kind, field)
    declared = checks.declared_size(head, kind)
    if declared and (problem := checks.image_size_problem(*declared)):
        raise ServiceError(problem, field=field, code="image_too_large")
    hidden = checks.hidden_payload(upload)
    if hidden:
        raise ServiceError(
            f"This image has {hidden} hidden inside it, so it is refused. Open it in an "
            "image editor, save it again as a new file and upload that.",
            field=field,
            code="unsafe_file",
        )
    width, height = _open_and_verify(upload, kind, field)
    upload.seek(0)
    content_type = IMAGE_FORMATS[checks.IMAGE_KINDS[kind]]
    return Verified(
        "image", content_type, upload.size, sha256_of(upload), width, height,
        suffix=IMAGE_SUFFIXES[content_type],
    )  # fmt: skip


def _open_and_verify(upload, kind: str, field: str) -> tuple[int, int]:
    unreadable = ServiceError(
        "This file is not an image we can read. Upload a JPEG, PNG or WebP.",
        field=field,
        code="not_an_image",
    )
    upload.seek(0)
    try:
        with Image.open(upload, formats=[checks.IMAGE_KINDS[kind]]) as image:
            width, height = image.size  # from the header: nothing is decoded yet
            if problem := checks.image_size_problem(width, height):
                raise ServiceError(problem, field=field, code="image_too_large")
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ServiceError(
            f"The image has too many pixels ({exc}); images may have at most "
            f"{checks.MAX_IMAGE_PIXELS // 1_000_000} megapixels.",
            field=field,
            code="image_too_large",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error):
        raise unreadable from None
    return width, height


def _probe(path: Path, formats: str, field: str, unreadable: ServiceError):
    """ffmpeg's reading of the header at PATH, or UNREADABLE (a ServiceError)."""
    try:
        return checks.probe_media(path, formats)
    except checks.ProbeFailed as exc:
        if exc.timed_out:
            raise ServiceError(
                f"This file took more than {checks.PROBE_TIMEOUT_S} s just to open; it is "
                "damaged or built to stall us, so it is refused.",
                field=field,
                code="unsafe_file",
            ) from None
        raise unreadable from None


def _refuse_container(name: str | None, probe, expected: dict, field: str) -> None:
    """Refuse a recording whose container is not what its extension promises."""
    suffix = checks.suffix_of(name)
    wanted = expected.get(suffix)
    if wanted is None or probe.format.startswith(tuple(wanted)):
        return
    demuxer = probe.format.split(",")[0]
    what = checks.label(FFMPEG_KINDS[demuxer]) if demuxer in FFMPEG_KINDS else demuxer
    raise ServiceError(
        f"This file is named {suffix} but is {what}. Give it the extension of what it is, "
        "or export it again.",
        field=field,
        code="type_mismatch",
    )


def _refuse_big_picture(probe, field: str) -> None:
    stream = checks.too_big_picture(probe)
    if stream is not None:
        raise ServiceError(
            f"This file's picture is {stream.width}×{stream.height} pixels; at most "
            f"{checks.MAX_VIDEO_SIDE_PX} pixels on a side is accepted. Export it at 4K or "
            "less.",
            field=field,
            code="dimensions_too_large",
        )


def verify_audio(upload, field: str = "file") -> Verified:
    """A recording ffmpeg can decode, up to 10 minutes, or a ServiceError naming FIELD.

    ffmpeg reads the header first (with a time limit): an audio stream, the
    container the extension promises, a length within the limit. Only then is
    it decoded.
    """
    from avatar.audio.io import ACCEPTED, FORMAT_WHITELIST, check_decoded, decode_audio
    from avatar.errors import InvalidInput

    if upload.size > MAX_AUDIO_BYTES:
        raise ServiceError(
            f"Recordings are limited to {MAX_AUDIO_BYTES // checks.MB} MB.",
            field=field,
            code="file_too_large",
        )
    not_audio = ServiceError(
        f"This file is not a recording we can read. Upload {ACCEPTED} audio.",
        field=field,
        code="not_audio",
    )
    kind = checks.sniff(checks.read_head(upload))
    if kind in NOT_AUDIO:
        raise ServiceError(
            f"This file is {checks.label(kind)}, not a recording. Upload {ACCEPTED} audio.",
            field=field,
            code="not_audio",
        )
    suffix = checks.suffix_of(upload.name)
    with tempfile.NamedTemporaryFile(suffix=suffix if suffix in AUDIO_SUFFIXES else ".bin") as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        probe = _probe(Path(tmp.name), FORMAT_WHITELIST, field, not_audio)
        if not probe.of("audio"):
            raise not_audio
        _refuse_container(upload.name, probe, AUDIO_CONTAINERS, field)
        _refuse_big_picture(probe, field)
        limit = checks.MAX_AUDIO_SECONDS
        if probe.duration_s and probe.duration_s > limit + checks.LENGTH_TOLERANCE_S:
            raise ServiceError(
                f"The recording is {checks.format_duration(probe.duration_s)} long; the "
                f"limit is {checks.format_duration(limit)}.",
                field=field,
                code="audio_too_long",
            )
        try:
            samples = decode_audio(Path(tmp.name), rate=16000, max_seconds=limit)
            check_decoded(samples, 16000, limit, probe.duration_s)
        except InvalidInput as exc:
            raise ServiceError(exc.message, field=field, code=exc.code) from None
    upload.seek(0)
    duration = len(samples) / 16000
    if suffix not in AUDIO_SUFFIXES:  # named otherwise (or not at all): what ffmpeg found
        suffix = AUDIO_SUFFIX_OF.get(probe.format.split(",")[0], ".audio")
    return Verified("audio", "audio/" + suffix.lstrip("."), upload.size, sha256_of(upload),
                    duration_s=round(duration, 3), suffix=suffix)  # fmt: skip


def probe_stored_video(path: Path, max_seconds: float, field: str = "video", purpose=None):
    """What the video at PATH holds (avatar.dub.probe), or a ServiceError naming FIELD;
    PURPOSE words the refusals (see probe_video)."""
    from avatar.dub.probe import TRANSLATING, probe_video
    from avatar.errors import AvatarError

    try:
        return probe_video(path, max_seconds=max_seconds, purpose=purpose or TRANSLATING)
    except AvatarError as exc:
        raise ServiceError(exc.message, field=field, code=exc.code) from None


def verify_video(upload, folder: Path, max_seconds: float, field: str = "video", purpose=None):
    """A video with sound that decodes, up to MAX_SECONDS and 500 MB, or a ServiceError
    naming FIELD. Returns (VideoInfo, the copy written into FOLDER). PURPOSE words the
    refusals: (whose limit MAX_SECONDS is, why a sound track is needed); by default
    avatar.dub.probe.TRANSLATING ("your plan translates videos of up to", ...).

    Before PyAV opens it: the first bytes must be an MP4/MOV or WebM/Matroska
    (the one its extension names), and ffmpeg's header (read with a time limit)
    must show a picture of at most MAX_VIDEO_SIDE_PX a side and a length within
    MAX_SECONDS.
    """
    from avatar.dub.probe import OPEN_OPTIONS, TRANSLATING

    if upload.size > MAX_VIDEO_BYTES:
        raise ServiceError(
            f"Videos are limited to {MAX_VIDEO_BYTES // checks.MB} MB.",
            field=field,
            code="file_too_large",
        )
    kind = checks.sniff(checks.read_head(upload))
    if kind not in VIDEO_KINDS:
        raise ServiceError(
            f"This file is {checks.label(kind)}, not a video we can read: upload an MP4, MOV "
            "or WebM.",
            field=field,
            code="not_a_video",
        )
    checks.refuse_mismatch(upload.name, kind, field)
    suffix = checks.suffix_of(upload.name)
    path = folder / ("upload" + (suffix if suffix in VIDEO_SUFFIXES else ".mp4"))
    with open(path, "wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    upload.seek(0)
    damaged = ServiceError(
        "This video could not be read: it may be damaged or cut short.",
        field=field,
        code="corrupt",
    )
    probe = _probe(path, OPEN_OPTIONS["format_whitelist"], field, damaged)
    if not probe.of("video") and not probe.of("audio"):
        raise ServiceError(
            "This file holds no video and no sound.", field=field, code="not_a_video"
        )
    if not probe.pictures:
        raise ServiceError(
            "This file has no picture (no video stream): upload an MP4, MOV or WebM video.",
            field=field,
            code="not_a_video",
        )
    _refuse_container(upload.name, probe, VIDEO_CONTAINERS, field)
    _refuse_big_picture(probe, field)
    purpose = purpose or TRANSLATING
    if probe.duration_s and probe.duration_s > max_seconds + checks.LENGTH_TOLERANCE_S:
        raise ServiceError(
            f"This video is {checks.format_duration(probe.duration_s)} long; {purpose[0]} "
            f"{checks.format_duration(max_seconds)}.",
            field=field,
            code="too_long",
        )
    return probe_stored_video(path, max_seconds, field, purpose), path


def verify_upload(upload, kind: str | None, field: str = "file") -> Verified:
    """Verify as KIND (image, logo or audio), or guess from the file name."""
    if upload is None:
        raise ServiceError("Attach a file.", field=field)
    if kind is None:
        kind = "audio" if Path(upload.name or "").suffix.lower() in AUDIO_SUFFIXES else "image"
    if kind == "audio":
        return verify_audio(upload, field)
    verified = verify_image(upload, field)
    verified.kind = kind
    return verified
