"""Template thumbnails: the first scene of a template, rendered with sample values.

Rendered on a `gpu` worker like an avatar preview (never in the web process):
the built-in templates' once per installation, kept in storage; a workspace
template's when it is saved. A variable with no sample or default shows its
label ("Product name"), and an image with none is left out.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from saas.jobs import engine, pipelines
from saas.jobs.models import Job
from saas.jobs.pipelines import Pipeline, Stage

from .models import VideoTemplate

BUILTIN_DIR = "template-previews"


def builtin_name(slug: str) -> str:
    return f"{BUILTIN_DIR}/{slug}.jpg"


def thumbnail_url(template) -> str | None:
    from saas.studio.representation import absolute_url, file_url

    if template.builtin:
        name = builtin_name(template.id)
        return absolute_url(default_storage.url(name)) if default_storage.exists(name) else None
    return file_url(template.record.thumbnail) if template.record.thumbnail else None


def sample_values(template) -> dict:
    from .builtin import BUILTINS

    sample = dict(BUILTINS[template.id].sample) if template.builtin else {}
    for variable in template.variables:
        if variable.name in sample:
            continue
        if variable.default is not None:
            sample[variable.name] = variable.default
        elif variable.type == "text":
            sample[variable.name] = variable.title
        elif variable.type == "number":
            sample[variable.name] = "19.99"
    return sample


def preview_request(template) -> dict:
    """The template's first scene, filled with sample values, its script one sentence."""
    from . import variables as vars_
    from .templates import tidy

    values = sample_values(template)
    request = vars_.fill(template.request, values)
    scene = dict(request["scenes"][0])
    sentences = re.split(r"(?<=[.!?])\s+", scene.get("script") or "")
    scene["script"] = sentences[0] or "Hello!"
    for key in ("media",):  # images with no sample are left out
        scene[key] = [m for m in scene.get(key, []) if "{{" not in str(m) and m.get("asset")]
    return tidy({**request, "scenes": [scene], "music": None, "captions": False})


def _render(template, folder: Path) -> Path:
    """Worker side: render the preview clip; returns its poster (JPEG)."""
    from avatar.render import RenderOptions, render
    from avatar.spec import RenderSpec
    from saas.studio import specs
    from saas.studio.rendering import WorkspaceResolver

    spec = specs.build_spec(preview_request(template), watermark=False)
    workspace_id = template.record.workspace_id if template.record else None
    options = RenderOptions(
        workdir=folder / "work", resolver=WorkspaceResolver(workspace_id, folder)
    )
    result = render(RenderSpec.from_dict(spec), folder / "preview.mp4", options)
    return result.poster


def _render_preview(job: Job, progress) -> dict:
    from .builtin import BUILTINS
    from .templates import _builtin, _from_record

    with tempfile.TemporaryDirectory(prefix="template-preview-") as tmp:
        if job.subject in BUILTINS:
            name = builtin_name(job.subject)
            if not default_storage.exists(name):
                with open(_render(_builtin(job.subject), Path(tmp)), "rb") as handle:
                    default_storage.save(name, File(handle, name=Path(name).name))
            return {"result": {"thumbnail": name}}
        record = VideoTemplate.objects.filter(pk=job.subject).first()
        if record is None:
            return {"result": {"skipped": "the template is gone"}}
        with open(_render(_from_record(record), Path(tmp)), "rb") as handle:
            if record.thumbnail:
                record.thumbnail.delete(save=False)
            record.thumbnail.save("thumbnail.jpg", File(handle), save=False)
        VideoTemplate.objects.filter(pk=record.pk).update(thumbnail=record.thumbnail.name)
        return {"result": {"thumbnail": record.thumbnail.name}}


TEMPLATE_PREVIEW = pipelines.register(
    Pipeline(
        name="template_preview",
        stages=(Stage("render", _render_preview, queue="gpu", time_limit_s=540, max_retries=2),),
    )
)


def queue_preview(subject: str, workspace=None) -> Job:
    """Render SUBJECT's thumbnail (a built-in slug or a template id) on a worker, once at a time."""
    with transaction.atomic():
        waiting = Job.objects.filter(
            kind=TEMPLATE_PREVIEW.name, subject=subject, status__in=Job.ACTIVE
        ).first()
        if waiting:
            return waiting
        job = Job.objects.create(
            kind=TEMPLATE_PREVIEW.name, subject=subject, stage="render", workspace=workspace
        )
        engine.submit(TEMPLATE_PREVIEW, job)
    return job


def queue_missing_builtin_previews() -> int:
    """Queue the thumbnails of built-in templates not rendered yet (the gallery asks)."""
    from .builtin import BUILTINS

    missing = [slug for slug in BUILTINS if not default_storage.exists(builtin_name(slug))]
    for slug in missing:
        queue_preview(slug)
    return len(missing)
