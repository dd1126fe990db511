"""Photo avatars: the quality gate at upload, then a talking preview in a worker."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from saas.errors import NotFound, ServiceError, parse_uuid
from saas.workspaces.models import Membership, Role
from saas.workspaces.services import require_role

from . import previews
from .models import Avatar
from .previews import pending_name, stock_preview_name
from .uploads import verify_image, verify_video


class PhotoRejected(ServiceError):
    """The photo failed the quality gate; `report` says everything that is wrong."""

    code = "photo_rejected"

    def __init__(self, report: dict):
        first = report["errors"][0]
        super().__init__(first["message"], field="image", code=first["code"])
        self.report = report


def assess_upload(upload) -> dict:
    """Run the face quality gate on an uploaded photo; returns the report as a dict."""
    from avatar.lipsync.quality import assess_photo

    suffix = Path(upload.name or "photo.jpg").suffix.lower() or ".jpg"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        report, _, _ = assess_photo(Path(tmp.name))
    upload.seek(0)
    return report.to_dict()


def create_avatar(actor: Membership, upload, name: str, consent: bool) -> Avatar:
    """Check the photo and keep it; a worker then makes its talking preview."""
    require_role(actor, Role.CREATOR)
    if not consent:
        raise ServiceError(
            "Confirm that you are the person in the photo, or have their permission.",
            field="consent",
        )
    if upload is None:
        raise ServiceError("Attach a photo of a face.", field="image")
    upload.name = verify_image(upload, field="image").stored_name(upload.name)
    report = assess_upload(upload)
    if not report["ok"]:
        raise PhotoRejected(report)
    with transaction.atomic():
        avatar = Avatar.objects.create(
            workspace=actor.workspace,
            name=(name or "My avatar").strip()[:100],
            image=upload,
            quality_report=report,
            consent_at=timezone.now(),
            created_by=actor.user,
        )
        previews.queue_avatar_preview(avatar)
    return avatar


RECORDING_SECONDS = (30, 300)
MAX_RECORDING_FPS = 60  # a phone's slow motion (120, 240) would be kept frame by frame
# How a refused recording is told (see avatar.dub.probe.probe_video's purpose).
RECORDING = ("a video avatar's recording is up to", "so we cannot hear you talking")


def create_video_avatar(actor: Membership, upload, name: str, consent: bool) -> Avatar:
    """Keep a consent recording (30 s to 5 min of the person talking to camera).

    The upload is decoded here (it must be a video with sound, of that length);
    the worker that makes the preview then finds the stretch to loop, and
    marks the avatar failed, saying why, when no face looks at the camera.
    """
    require_role(actor, Role.CREATOR)
    if not consent:
        raise ServiceError(
            "Confirm that you are the person in the recording, or have their permission.",
            field="consent",
        )
    if upload is None:
        raise ServiceError("Attach a recording of yourself talking to the camera.", field="video")
    shortest, longest = RECORDING_SECONDS
    with tempfile.TemporaryDirectory(prefix="video-avatar-") as tmp:
        info, path = verify_video(upload, Path(tmp), longest, purpose=RECORDING)
        if info.duration_s < shortest:
            raise ServiceError(
                f"The recording is {info.duration_s:.1f} s long; record at least {shortest} s "
                "of yourself talking to the camera.",
                field="video",
                code="too_short",
            )
        if info.fps > MAX_RECORDING_FPS + 0.5:
            raise ServiceError(
                f"The recording is {info.fps:.0f} frames a second (slow motion?); record at "
                f"{MAX_RECORDING_FPS} or fewer.",
                field="video",
                code="frame_rate",
            )
        still = _first_frame_jpeg(path)
    with transaction.atomic():
        avatar = Avatar(
            workspace=actor.workspace,
            kind=Avatar.Kind.VIDEO,
            name=(name or "My video avatar").strip()[:100],
            quality_report={
                "ok": True,
                "duration_s": info.duration_s,
                "size": [info.width, info.height],
            },  # fmt: skip
            consent_at=timezone.now(),
            created_by=actor.user,
        )
        avatar.recording.save("recording" + Path(path.name).suffix, upload, save=False)
        avatar.image.save("still.jpg", ContentFile(still), save=False)
        avatar.save()
        previews.queue_avatar_preview(avatar)
    return avatar


def _first_frame_jpeg(path: Path) -> bytes:
    import av
    from PIL import Image

    from avatar.dub.probe import upright

    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return card_jpeg(Image.fromarray(upright(frame)))


def get_avatar(membership: Membership, avatar_id) -> Avatar:
    avatar = Avatar.objects.filter(workspace=membership.workspace, pk=parse_uuid(avatar_id)).first()
    if avatar is None:
        raise NotFound("No such avatar in this workspace.")
    return avatar


def delete_avatar(actor: Membership, avatar_id) -> None:
    require_role(actor, Role.CREATOR)
    avatar = get_avatar(actor, avatar_id)
    if avatar.image:  # the gallery's card-sized copy, made on first view
        thumb = thumbnail_name(avatar)
        if default_storage.exists(thumb):
            default_storage.delete(thumb)
    for stored in (avatar.image, avatar.preview, avatar.recording):
        if stored:
            stored.delete(save=False)
    avatar.delete()


def thumbnail_name(avatar: Avatar) -> str:
    """Where the gallery keeps a photo avatar's card-sized JPEG (beside the upload)."""
    return f"{avatar.image.name.rsplit('/', 1)[0]}/thumb.jpg"


CARD_PX = 480  # the width of the pictures on the gallery's cards


def card_jpeg(image) -> bytes:
    """A PIL image made card-sized (CARD_PX wide at most) as JPEG bytes."""
    from io import BytesIO

    from PIL import Image

    image = image.convert("RGB")
    image.thumbnail((CARD_PX, CARD_PX * 2), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=86, optimize=True)
    return buffer.getvalue()


def thumbnail(avatar: Avatar) -> str:
    """The storage name of the avatar's card-sized photo, made on first use (the
    upload itself may be a 20 MB photo)."""
    from PIL import Image, ImageOps

    name = thumbnail_name(avatar)
    if not default_storage.exists(name):
        with avatar.image.open("rb") as handle:
            data = card_jpeg(ImageOps.exif_transpose(Image.open(handle)))
        name = default_storage.save(name, ContentFile(data))
    return name


def stock_data() -> list[dict]:
    from avatar.presenters import stock_avatars

    return [
        {"id": s.id, "type": "stock", "name": s.name, "status": "ready", "licence": s.licence}
        for s in stock_avatars()
    ]


# Stock previews: rendered once by a worker, then reused by every workspace. ---------

# A queued render is trusted this long; after that a page view may queue another.
STOCK_PREVIEW_PENDING_SECONDS = 15 * 60


def stock_preview_url(stock_id: str) -> str | None:
    """The stored preview's URL, or None while it is not made yet."""
    name = stock_preview_name(stock_id)
    return default_storage.url(name) if default_storage.exists(name) else None


def _pending_since(stock_id: str) -> float | None:
    name = pending_name(stock_id)
    if not default_storage.exists(name):
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            return float(handle.read().decode() or 0)
    except (OSError, ValueError):
        return 0.0


def request_stock_preview(stock_id: str) -> bool:
    """Queue the render of a stock presenter's preview unless it exists or is queued.

    The placeholder lives in storage (not the per-process cache) so every web
    process sees it. Returns True when a render was queued.
    """
    from avatar.presenters import STOCK

    if stock_id not in STOCK or stock_preview_url(stock_id):
        return False
    since = _pending_since(stock_id)
    now = timezone.now().timestamp()
    if since is not None and now - since < STOCK_PREVIEW_PENDING_SECONDS:
        return False
    default_storage.delete(pending_name(stock_id))
    default_storage.save(pending_name(stock_id), ContentFile(str(now).encode()))
    previews.queue_stock_preview(stock_id)
    return True
