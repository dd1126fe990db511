"""Verify uploads before anything stores them: size, type, and that they decode.

The web process never trusts a file's name or declared content type: images
must open and verify in Pillow, audio must show an audio stream to ffmpeg and
decode to speech-length sound.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from saas.errors import ServiceError

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_AUDIO_BYTES = 100 * 1024 * 1024
MAX_VIDEO_BYTES = 500 * 1024 * 1024
VIDEO_SUFFIXES = {".mp4", ".mov", ".webm", ".m4v", ".mkv"}
MAX_IMAGE_PIXELS = 50_000_000
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
AUDIO_SUFFIXES = {".wav", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".oga", ".flac", ".webm"}


@dataclass
class Verified:
    kind: str
    content_type: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def verify_image(upload, field: str = "file") -> Verified:
    """A JPEG, PNG or WebP of sane size, or a ServiceError naming FIELD."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ServiceError("Images are limited to 20 MB.", field=field, code="file_too_large")
    try:
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ServiceError("The image has too many pixels.", field=field)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ServiceError(
            "This file is not an image we can read. Upload a JPEG, PNG or WebP.",
            field=field,
            code="not_an_image",
        ) from None
    if image_format not in IMAGE_FORMATS:
        raise ServiceError("Upload a JPEG, PNG or WebP image.", field=field, code="not_an_image")
    upload.seek(0)
    return Verified(
        "image", IMAGE_FORMATS[image_format], upload.size, sha256_of(upload), width, height
    )


def verify_audio(upload, field: str = "file") -> Verified:
    """A recording ffmpeg can decode, up to 10 minutes, or a ServiceError naming FIELD."""
    from avatar.audio.io import check_decoded, decode_audio, probe_audio
    from avatar.errors import InvalidInput

    if upload.size > MAX_AUDIO_BYTES:
        raise ServiceError("Recordings are limited to 100 MB.", field=field, code="file_too_large")
    suffix = Path(upload.name or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix if suffix in AUDIO_SUFFIXES else ".bin") as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        try:
            probe = probe_audio(Path(tmp.name))
            samples = decode_audio(Path(tmp.name), rate=16000)
            check_decoded(samples, 16000, 600, probe.duration_s)
        except InvalidInput as exc:
            raise ServiceError(exc.message, field=field, code=exc.code) from None
    upload.seek(0)
    duration = len(samples) / 16000
    return Verified("audio", "audio/" + (suffix.lstrip(".") or "wav"), upload.size,
                    sha256_of(upload), duration_s=round(duration, 3))  # fmt: skip


def probe_stored_video(path: Path, max_seconds: float, field: str = "video"):
    """What the video at PATH holds (avatar.dub.probe), or a ServiceError naming FIELD."""
    from avatar.dub.probe import probe_video
    from avatar.errors import AvatarError

    try:
        return probe_video(path, max_seconds=max_seconds)
    except AvatarError as exc:
        raise ServiceError(exc.message, field=field, code=exc.code) from None


def verify_video(upload, folder: Path, max_seconds: float, field: str = "video"):
    """A video with sound that decodes, up to MAX_SECONDS and 500 MB, or a ServiceError
    naming FIELD. Returns (VideoInfo, the copy written into FOLDER)."""
    if upload.size > MAX_VIDEO_BYTES:
        raise ServiceError("Videos are limited to 500 MB.", field=field, code="file_too_large")
    suffix = Path(upload.name or "").suffix.lower()
    path = folder / ("upload" + (suffix if suffix in VIDEO_SUFFIXES else ".mp4"))
    with open(path, "wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    upload.seek(0)
    return probe_stored_video(path, max_seconds, field), path


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
