"""The video pipeline: what each render stage does, declared for the job engine.

A video from a script walks speech, render, deliver; one from a product link
starts with scrape and script. Stages are functions from stored files to
stored files: they read their inputs from media storage (local disk or S3),
work in a temporary folder and write their outputs back, so a stage can run on
any machine that shares the database, the broker and the storage. Each
returns the fields to record on the Video; the engine (saas/jobs/engine.py)
claims, retries, charges and announces.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from saas import queueing
from saas.jobs import pipelines
from saas.jobs.pipelines import Pipeline, Stage

from .models import Video


def work_name(video: Video, name: str) -> str:
    return f"workspaces/{video.workspace_id}/videos/{video.pk}/{name}"


def replace_stored(target: str, content) -> str:
    """Save CONTENT (a File) as TARGET in media storage, replacing an earlier attempt's file.

    Returns the stored name (TARGET itself, since nothing else is there)."""
    if default_storage.exists(target):
        default_storage.delete(target)
    return default_storage.save(target, content)


def save_file(video: Video, name: str, path: Path) -> str:
    """Store PATH under the video's folder, replacing an earlier attempt's file."""
    with open(path, "rb") as handle:
        return replace_stored(work_name(video, name), File(handle, name=Path(name).name))


# Stages --------------------------------------------------------------------------


def stage_scrape(video: Video, progress) -> dict:
    from .rendering import scrape_product

    product = scrape_product(video, progress)
    return {"product": json.loads(json.dumps(product))}


def stage_script(video: Video, progress) -> dict:
    from .rendering import write_script

    script, request, spec = write_script(video)
    return {"script": script, "request": request, "spec": spec}


def stage_speech(video: Video, progress) -> dict:
    from .rendering import synthesize_speech

    with tempfile.TemporaryDirectory(prefix=f"speech-{video.pk}-") as tmp:
        spoken = synthesize_speech(video, Path(tmp), progress)
    check_spoken_length(video, spoken.seconds)
    return {}


# What the plan's length limit lets pass over it once the speech is measured: the
# submission's estimate (words, letters and digits) is good to about this much.
LENGTH_TOLERANCE = 1.15


def check_spoken_length(video: Video, spoken_s: float) -> None:
    """The video's real length, now that its speech is spoken, against the plan.

    The plan was checked (and the credits reserved) on an estimate from the scripts;
    a script that says much more than it looks (digits, symbols) is stopped here,
    before the render, and the job fails with the plan's message: nothing is charged.
    """
    from saas.billing import services as billing

    from . import specs
    from .estimates import SCENE_OVERHEAD_S, audio_lengths

    scenes = [scene["speech"] for scene in video.spec.get("scenes", [])]
    played = [str(s["audio"]).removeprefix(specs.ASSET) for s in scenes if s.get("audio")]
    lengths = audio_lengths(video.workspace, {"scenes": [{"audio": a} for a in played]})
    seconds = spoken_s + sum(lengths.get(a, 0.0) for a in played)
    seconds += SCENE_OVERHEAD_S * len(scenes)
    if seconds > billing.plan_for(video.workspace).max_video_seconds * LENGTH_TOLERANCE:
        resolution = video.spec.get("output", {}).get("resolution", "720p")
        billing.check_render_allowed(video.workspace, resolution=resolution, duration_s=seconds)


def stage_render(video: Video, progress) -> dict:
    from .rendering import render_video

    with tempfile.TemporaryDirectory(prefix=f"render-{video.pk}-") as tmp:
        result = render_video(video, Path(tmp), progress)
        names = {kind: save_file(video, path.name, path) for kind, path in result.files.items()}
    return {"duration_s": result.duration_s, **names}


def stage_deliver(video: Video, progress) -> dict:
    video.refresh_from_db()
    return {"duration_s": video.duration_s or 0.0}


# The pipeline --------------------------------------------------------------------

Step = Video.Stage
SCRIPT_STAGES = (Step.SPEECH, Step.RENDER, Step.DELIVER)
URL_STAGES = (Step.SCRAPE, Step.SCRIPT, Step.SPEECH, Step.RENDER, Step.DELIVER)


def stages_for_request(source_url: str) -> tuple[str, ...]:
    return URL_STAGES if source_url else SCRIPT_STAGES


def _route(pipeline: Pipeline, video: Video) -> tuple[str, ...]:
    return stages_for_request(video.source_url)


def _price(video: Video) -> int:
    from saas.billing import services as billing

    return billing.estimate_cost(video.workspace, video.duration_s or 0.0)


def _represent(video: Video) -> dict:
    from .representation import video_data

    return video_data(video)


def _on_end(video: Video) -> None:
    """POST the video's callback_url once it completed or failed (never when cancelled)."""
    event = {Video.Status.COMPLETED: "video.completed", Video.Status.FAILED: "video.failed"}
    if video.callback_url and video.status in event:
        queueing.send("deliver_callback", str(video.pk), event[video.status], queue="default")


def _render_slots(workspace_id) -> int:
    """The plan's concurrent renders: videos over it wait in line (held), never refused."""
    from saas.billing.services import plan_for
    from saas.workspaces.models import Workspace

    return plan_for(Workspace.objects.get(pk=workspace_id)).max_concurrent_renders


def _stage(step: Video.Stage, run, queue: str, weight: int) -> Stage:
    limit = settings.RENDER_STAGE_LIMITS[step.value]
    return Stage(step.value, run, queue=queue, weight=weight, time_limit_s=limit, label=step.label)


# Weights: how much of the whole job each stage is, for the progress bar and ETA.
VIDEO = pipelines.register(
    Pipeline(
        name="video",
        model="studio.Video",
        stages=(
            _stage(Step.SCRAPE, stage_scrape, "default", 10),
            _stage(Step.SCRIPT, stage_script, "default", 2),
            _stage(Step.SPEECH, stage_speech, "tts", 10),
            _stage(Step.RENDER, stage_render, "gpu", 75),
            _stage(Step.DELIVER, stage_deliver, "default", 3),
        ),
        route=_route,
        price=_price,
        represent=_represent,
        completed_event="video.completed",
        failed_event="video.failed",
        on_end=_on_end,
        slots=_render_slots,
    )
)
