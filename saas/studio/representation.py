"""How a video or an avatar looks to API clients and webhook receivers (one shape for both)."""

from __future__ import annotations

from django.conf import settings

from .models import Avatar, Video

OUTPUTS = ("mp4", "poster", "srt", "vtt")


def absolute_url(url: str | None) -> str | None:
    """URL as the customer fetches it: storage URLs that are paths get SITE_ROOT."""
    if not url or url.startswith("http"):
        return url
    return settings.SITE_ROOT + url


def file_url(field) -> str | None:
    """An absolute URL for a stored file (signed, for S3-compatible storage)."""
    return absolute_url(field.storage.url(field.name)) if field else None


def queue_position(video: Video) -> int | None:
    """Where a video waiting for one of the plan's render slots is in line (1: next)."""
    if not video.held:
        return None
    from saas.jobs import engine, pipelines

    return engine.queue_position(pipelines.get(video.pipeline_name), video)


def video_data(video: Video) -> dict:
    # What the customer pays: the reservation until it is settled, then the charge.
    credits = video.credits_reserved if video.credits_charged is None else video.credits_charged
    error = None
    if video.error_code:
        error = {"code": video.error_code, "message": video.error_message}
    return {
        "id": str(video.pk),
        "title": video.title,
        "project": str(video.project_id) if video.project_id else None,
        "status": video.status,
        "stage": video.stage,
        "progress": video.progress,
        "eta_seconds": video.eta_seconds,
        "queue_position": queue_position(video),
        "duration_s": video.duration_s,
        "credits": credits,
        "credits_charged": video.credits_charged,
        "outputs": {name: file_url(getattr(video, name)) for name in OUTPUTS},
        "error": error,
        "source_url": video.source_url or None,
        "created_at": video.created_at.isoformat(),
        "started_at": video.started_at.isoformat() if video.started_at else None,
        "finished_at": video.finished_at.isoformat() if video.finished_at else None,
        "stage_timings": video.stage_timings,
    }


def avatar_data(avatar: Avatar) -> dict:
    return {
        "id": str(avatar.pk),
        "type": avatar.kind,
        "name": avatar.name,
        "status": avatar.status,
        "quality_report": avatar.quality_report,
        "image_url": file_url(avatar.image),
        "preview_url": file_url(avatar.preview),
        "created_at": avatar.created_at.isoformat(),
    }
