"""How templates, batches and their rows look to API clients and webhook receivers."""

from __future__ import annotations

from django.urls import reverse

from saas.studio.representation import absolute_url, file_url

from .models import Batch, BatchRow


def template_data(template) -> dict:
    from .previews import thumbnail_url

    return {
        "id": template.id,
        "name": template.name,
        "description": template.description,
        "builtin": template.builtin,
        "aspect": template.aspect,
        "variables": [v.to_dict() for v in template.variables],
        "request": template.request,
        "thumbnail_url": thumbnail_url(template),
    }


def row_data(row: BatchRow) -> dict:
    video = row.video
    return {
        "row": row.number,
        "status": row.status,
        "values": row.values,
        "source_url": row.source_url or None,
        "errors": row.errors,
        "error": row.error_message or None,
        "video_id": str(video.pk) if video else None,
        "video_url": file_url(video.mp4) if video and video.mp4 else None,
    }


def counts(batch: Batch) -> dict:
    statuses = list(batch.rows.values_list("status", flat=True))
    return {status: statuses.count(status) for status in BatchRow.Status.values} | {
        "total": len(statuses)
    }


def batch_data(batch: Batch, *, rows: bool = False) -> dict:
    from .services import estimate

    error = None
    if batch.error_message:
        error = {"code": batch.error_code or "failed", "message": batch.error_message}
    data = {
        "id": str(batch.pk),
        "name": batch.name,
        "status": batch.status,
        "template": batch.template_ref or None,
        "source": batch.source,
        "source_url": batch.source_url or None,
        "counts": counts(batch),
        "progress": batch.job.progress if batch.job_id else 0,
        "estimate": estimate(batch) if batch.status == Batch.Status.DRAFT else None,
        "warnings": batch.warnings,
        "error": error,
        "download_url": absolute_url(reverse("api_batch_download", args=[batch.pk])),
        "created_at": batch.created_at.isoformat(),
        "started_at": batch.started_at.isoformat() if batch.started_at else None,
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
    }
    if rows:
        data["rows"] = [row_data(r) for r in batch.rows.select_related("video")]
    return data
