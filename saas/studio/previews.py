"""Avatar previews: the second pipeline on the job engine.

A customer's new photo avatar gets a short talking clip, rendered on a GPU
worker, before it is marked ready and `avatar.ready` is announced; a stock
presenter's clip is rendered once per installation and kept in storage. Both
are one-stage pipelines whose jobs live in the shared `Job` table, with the
avatar's id (or the stock presenter's) as the job's subject. They cost no
credits.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from saas.jobs import engine, pipelines
from saas.jobs.models import Job
from saas.jobs.pipelines import Pipeline, Stage

from .models import Avatar
from .representation import avatar_data

PREVIEW_SCRIPT = "Hi! This is how I will present your videos."
STOCK_PREVIEW_DIR = "avatar-previews/stock"


def stock_preview_name(stock_id: str) -> str:
    return f"{STOCK_PREVIEW_DIR}/{stock_id}.mp4"


def pending_name(stock_id: str) -> str:
    return f"{STOCK_PREVIEW_DIR}/{stock_id}.pending"


def render_preview(presenter: str, folder: Path) -> Path:
    """Worker side: the short talking clip of PRESENTER (a stock id or an image path)."""
    from avatar.pipeline import TalkingVideoRequest, render_talking_video

    request = TalkingVideoRequest(
        script=PREVIEW_SCRIPT, presenter=presenter, aspect="1:1", resolution="720p"
    )
    return render_talking_video(request, out_path=folder / "preview.mp4").path


# A photo avatar's preview ----------------------------------------------------------


def _render_avatar_preview(job: Job, progress) -> dict:
    """Render the clip, store it and mark the avatar ready (the engine then announces it)."""
    avatar = Avatar.objects.filter(pk=job.subject, status=Avatar.Status.PROCESSING).first()
    if avatar is None:
        return {"result": {"skipped": "the avatar is gone or no longer processing"}}
    source_file = avatar.recording or avatar.image  # a video avatar speaks over its recording
    with tempfile.TemporaryDirectory() as tmp:
        presenter = Path(tmp) / ("presenter" + Path(source_file.name).suffix)
        with source_file.open("rb") as source:
            presenter.write_bytes(source.read())
        progress(0.1)
        with open(render_preview(str(presenter), Path(tmp)), "rb") as handle:
            avatar.preview.save("preview.mp4", File(handle), save=False)
    Avatar.objects.filter(pk=avatar.pk, status=Avatar.Status.PROCESSING).update(
        status=Avatar.Status.READY, preview=avatar.preview.name
    )
    return {"result": {"preview": avatar.preview.name}}


def _avatar_of(job: Job) -> dict | None:
    avatar = Avatar.objects.filter(pk=job.subject, status=Avatar.Status.READY).first()
    return avatar_data(avatar) if avatar else None  # deleted meanwhile: nothing to announce


def _avatar_preview_ended(job: Job) -> None:
    """A failed preview leaves the avatar failed, with the reason, instead of 'processing'."""
    if job.status == Job.Status.FAILED:
        mark_failed(job.subject, job.error_message)


def mark_failed(avatar_id, message: str) -> None:
    Avatar.objects.filter(pk=avatar_id, status=Avatar.Status.PROCESSING).update(
        status=Avatar.Status.FAILED, quality_report={"ok": False, "errors": [{"message": message}]}
    )


AVATAR_PREVIEW = pipelines.register(
    Pipeline(
        name="avatar_preview",
        stages=(
            Stage("render", _render_avatar_preview, queue="gpu", time_limit_s=540, max_retries=2),
        ),
        represent=_avatar_of,
        completed_event="avatar.ready",
        on_end=_avatar_preview_ended,
    )
)


def queue_avatar_preview(avatar: Avatar) -> Job:
    """Record and queue the preview job of a new photo avatar (inside the caller's transaction)."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=AVATAR_PREVIEW.name,
            workspace_id=avatar.workspace_id,
            subject=str(avatar.pk),
            stage="render",
            created_by_id=avatar.created_by_id,
        )
        engine.submit(AVATAR_PREVIEW, job)
    return job


# A stock presenter's preview, once per installation ---------------------------------


def _render_stock_preview(job: Job, progress) -> dict:
    from avatar.presenters import STOCK

    stock_id, name = job.subject, stock_preview_name(job.subject)
    if stock_id in STOCK and not default_storage.exists(name):
        with tempfile.TemporaryDirectory() as tmp:
            with open(render_preview(stock_id, Path(tmp)), "rb") as handle:
                default_storage.save(name, File(handle, name="preview.mp4"))
    default_storage.delete(pending_name(stock_id))
    return {"result": {"preview": name}}


STOCK_PREVIEW = pipelines.register(
    Pipeline(
        name="stock_preview",
        stages=(
            Stage("render", _render_stock_preview, queue="gpu", time_limit_s=540, max_retries=2),
        ),
    )
)


def queue_stock_preview(stock_id: str) -> Job:
    with transaction.atomic():
        job = Job.objects.create(kind=STOCK_PREVIEW.name, subject=stock_id, stage="render")
        engine.submit(STOCK_PREVIEW, job)
    return job
