"""Thin Dramatiq actors: one per render stage, each taking a video id.

Queues: `default` (scrape, script, deliver), `tts` (speech) and `gpu`
(lip-sync, composition and encoding), so GPU workers on other machines can
listen to `gpu` alone. Retries are for transient errors only (see
pipeline.is_transient); the job's own state lives in the database.
"""

import dramatiq
from django.conf import settings

from . import pipeline

QUEUES = {"scrape": "default", "script": "default", "speech": "tts", "render": "gpu"}
QUEUES["deliver"] = "default"


def _retry_when(retries: int, exception: Exception) -> bool:
    return retries < 3 and pipeline.is_transient(exception)


def _stage_actor(stage: str):
    def run(video_id: str) -> None:
        pipeline.run_stage(video_id, stage)

    run.__name__ = f"video_{stage}"
    limit_ms = (settings.RENDER_STAGE_LIMITS[stage] + 60) * 1000
    return dramatiq.actor(
        run,
        actor_name=f"video_{stage}",
        queue_name=QUEUES[stage],
        time_limit=limit_ms,
        max_retries=3,
        min_backoff=5_000,
        max_backoff=120_000,
        retry_when=_retry_when,
    )


STAGE_ACTORS = {stage: _stage_actor(stage) for stage in QUEUES}


@dramatiq.actor(queue_name="gpu", max_retries=2, time_limit=600_000, retry_when=_retry_when)
def prepare_avatar(avatar_id: str) -> None:
    """Render a new photo avatar's talking preview and mark it ready."""
    from avatar.errors import AvatarError

    from . import avatars

    try:
        avatars.make_preview(avatar_id)
    except AvatarError as exc:
        if exc.retryable:
            raise
        avatars.mark_failed(avatar_id, exc.message)


@dramatiq.actor(queue_name="gpu", max_retries=2, time_limit=600_000, retry_when=_retry_when)
def prepare_stock_preview(stock_id: str) -> None:
    """Render a stock presenter's talking preview once; later calls find it stored."""
    from . import avatars

    avatars.make_stock_preview(stock_id)
