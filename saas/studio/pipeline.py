"""What each render stage does. Stages are functions from stored files to stored
files: they read their inputs from media storage (local disk or S3), work in a
temporary folder and write their outputs back, so a stage can run on any
machine that shares the database, the broker and the storage.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, OperationalError

from saas.ops.logs import stage_logged

from . import jobs
from .models import Video

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, ConnectionError, TimeoutError)


def is_transient(exc: Exception) -> bool:
    """Could running the same stage again succeed?

    The avatar and scraper libraries say so on their errors (``retryable``);
    otherwise only lost connections and database hiccups are worth a retry.
    """
    retryable = getattr(exc, "retryable", None)
    if retryable is not None:
        return bool(retryable)
    return isinstance(exc, TRANSIENT) or (
        isinstance(exc, DatabaseError) and "deadlock" in str(exc).lower()
    )


def run_stage(video_id: str, stage: str) -> None:
    """Claim STAGE of the video and run it; failures end the job with a reason."""
    owner = jobs.worker_id()
    video = jobs.claim(video_id, stage, owner)
    if video is None:
        if jobs.stage_is_waiting(video_id, stage):
            # A worker that may have died holds the lease: retry after it expires.
            raise jobs.StageBusy(f"video {video_id}: {stage} is leased by another worker")
        log.info("video %s: %s is done or cancelled; skipping", video_id, stage)
        return
    try:
        with stage_logged(video):  # start, finish or failure, with duration and ids
            STAGES[stage](video, owner)
    except jobs.LeaseLost as exc:
        log.info("%s", exc)
    except Exception as exc:
        _handle_failure(video, exc)


def _handle_failure(video: Video, exc: Exception) -> None:
    if is_transient(exc):
        Video.objects.filter(pk=video.pk).update(lease_expires_at=None)  # let a retry claim
        raise exc
    code = getattr(exc, "code", None) or "internal_error"
    message = getattr(exc, "message", None)
    if not message:
        log.exception("video %s: %s failed", video.pk, video.stage)
        message = "Something went wrong while rendering. Our team has been told."
    jobs.fail(video.pk, code, message)


def work_name(video: Video, name: str) -> str:
    return f"workspaces/{video.workspace_id}/videos/{video.pk}/{name}"


def save_file(video: Video, name: str, path: Path) -> str:
    """Store PATH under the video's folder, replacing an earlier attempt's file."""
    target = work_name(video, name)
    if default_storage.exists(target):
        default_storage.delete(target)
    with open(path, "rb") as handle:
        return default_storage.save(target, File(handle, name=Path(name).name))


# Stages --------------------------------------------------------------------------


def stage_speech(video: Video, owner: str) -> None:
    from .rendering import synthesize_speech

    with tempfile.TemporaryDirectory(prefix=f"speech-{video.pk}-") as tmp:
        synthesize_speech(video, Path(tmp), lambda f: jobs.heartbeat(video, owner, f))
    jobs.complete_stage(video, owner)


def stage_render(video: Video, owner: str) -> None:
    from .rendering import render_video

    with tempfile.TemporaryDirectory(prefix=f"render-{video.pk}-") as tmp:
        result = render_video(video, Path(tmp), lambda f: jobs.heartbeat(video, owner, f))
        names = {kind: save_file(video, path.name, path) for kind, path in result.files.items()}
    jobs.complete_stage(video, owner, duration_s=result.duration_s, **names)


def stage_deliver(video: Video, owner: str) -> None:
    video.refresh_from_db()
    jobs.finish(video, owner, video.duration_s or 0.0)


def stage_scrape(video: Video, owner: str) -> None:
    from .rendering import scrape_product

    product = scrape_product(video, lambda f: jobs.heartbeat(video, owner, f))
    jobs.complete_stage(video, owner, product=json.loads(json.dumps(product)))


def stage_script(video: Video, owner: str) -> None:
    from .rendering import write_script

    script, request, spec = write_script(video)
    jobs.complete_stage(video, owner, script=script, request=request, spec=spec)


STAGES = {
    "scrape": stage_scrape,
    "script": stage_script,
    "speech": stage_speech,
    "render": stage_render,
    "deliver": stage_deliver,
}
