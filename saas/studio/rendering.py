"""Runs the avatar and scraper libraries for a video. Only workers import this.

Files a spec names as ``asset:<id>`` (uploads) or ``asset:avatar/<id>`` (photo
avatars) are copied from media storage into the job's work folder, and only
from the video's own workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

from avatar.errors import InvalidInput

from . import specs
from .models import Asset, Avatar, Video

Progress = Callable[[float], None]


@dataclass
class RenderOutput:
    duration_s: float
    files: dict[str, Path] = field(default_factory=dict)


class WorkspaceResolver:
    """Maps asset references to local copies, refusing other workspaces' files."""

    def __init__(self, workspace_id, folder: Path):
        self.workspace_id, self.folder = workspace_id, folder

    def __call__(self, ref: str, field_name: str) -> Path:
        key = ref.removeprefix(specs.ASSET)
        model, key = (Avatar, key.removeprefix("avatar/")) if key.startswith("avatar/") else (
            Asset, key)  # fmt: skip
        stored = model.objects.filter(workspace_id=self.workspace_id, pk=_uuid(key)).first()
        if stored is None:
            raise InvalidInput(field_name, f"No such file in this workspace: {ref}")
        source = stored.file if model is Asset else (stored.recording or stored.image)
        target = self.folder / f"{key}{Path(source.name).suffix}"
        if not target.exists():
            with source.open("rb") as handle:
                target.write_bytes(handle.read())
        return target


def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def glossary_for(workspace) -> dict[str, str]:
    """The workspace's glossary (pronunciations), as the speech stage takes it."""
    return dict(workspace.pronunciations.values_list("written", "spoken"))


def chunk_cache_for(workspace_id):
    """The workspace's cache of encoded video chunks (None where CHUNK_CACHE_MB is 0).

    One folder per workspace, so that what one workspace rendered is never joined
    into another's video; CHUNK_CACHE_MB bounds all of them together.
    """
    from avatar.render.chunks import ChunkCache

    if settings.CHUNK_CACHE_MB <= 0:
        return None
    root = Path(settings.CHUNK_CACHE_DIR)
    return ChunkCache(root / str(workspace_id), settings.CHUNK_CACHE_MB << 20, root)


def render_video(video: Video, workdir: Path, progress: Progress) -> RenderOutput:
    """Render the video's spec into MP4, poster and caption files in WORKDIR."""
    from avatar.render import RenderOptions, render
    from avatar.spec import RenderSpec
    from avatar.voices import SpeechCache

    assets = workdir / "assets"
    assets.mkdir()
    cache_dir = Path(settings.SPEECH_CACHE_DIR)
    fetch_speech(video, cache_dir)
    options = RenderOptions(
        workdir=workdir / "work",
        resolver=WorkspaceResolver(video.workspace_id, assets),
        speech_cache=SpeechCache(cache_dir),
        chunk_cache=chunk_cache_for(video.workspace_id),
        music_cache=Path(settings.MUSIC_CACHE_DIR),
        progress=progress,
        glossary=glossary_for(video.workspace),
    )
    result = render(RenderSpec.from_dict(video.spec), workdir / "video.mp4", options)
    files = {"mp4": result.video, "poster": result.poster, "srt": result.srt, "vtt": result.vtt}
    return RenderOutput(result.duration_s, {k: v for k, v in files.items() if v})


# Speech: synthesised by the `tts` workers, shipped to the render workers ------


def speech_folder(video: Video) -> str:
    return f"workspaces/{video.workspace_id}/videos/{video.pk}/speech"


class Spoken(NamedTuple):
    files: int  # stored in the video's speech folder
    seconds: float  # of speech, all scripted scenes together


def synthesize_speech(video: Video, workdir: Path, progress: Progress) -> Spoken:
    """Speak every scripted scene into a sentence cache and store it with the video.

    The render stage, on whatever machine it runs, loads these files into its
    own cache, so it never synthesises speech itself.
    """
    from avatar import voices

    cache = voices.SpeechCache(workdir / "cache")
    glossary = glossary_for(video.workspace)
    scenes = [s["speech"] for s in video.spec.get("scenes", []) if s["speech"].get("script")]

    def speak(item):
        index, speech = item
        return voices.synthesize(
            speech["script"], speech["voice"], workdir / f"{index}.wav",
            rate=speech.get("rate", 1.0), pitch=speech.get("pitch", 0.0),
            glossary=glossary, cache=cache,
        )  # fmt: skip

    # Two scripts at once where the voices allow it, the longest first (as a render
    # speaks them); progress is reported from this thread.
    threads = voices.speech_threads(speech["voice"] for speech in scenes)
    results = voices.longest_first(
        list(enumerate(scenes)), lambda item: len(item[1]["script"]), speak, threads,
        done=lambda count: progress(count / len(scenes)),
    )  # fmt: skip
    files = _store_tree(workdir / "cache", speech_folder(video))
    return Spoken(files, round(sum(result.duration_s for result in results), 3))


def _store_tree(folder: Path, prefix: str) -> int:
    from django.core.files import File
    from django.core.files.storage import default_storage

    count = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            name = f"{prefix}/{path.relative_to(folder).as_posix()}"
            if not default_storage.exists(name):
                with open(path, "rb") as handle:
                    default_storage.save(name, File(handle, name=path.name))
            count += 1
    return count


def fetch_speech(video: Video, cache_dir: Path) -> int:
    """Copy the video's stored speech into the local sentence cache."""
    from django.core.files.storage import default_storage

    root, count = speech_folder(video), 0
    if not default_storage.exists(root):
        return 0
    folders, _ = default_storage.listdir(root)
    for folder in folders:
        for name in default_storage.listdir(f"{root}/{folder}")[1]:
            target = cache_dir / folder / name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                with default_storage.open(f"{root}/{folder}/{name}", "rb") as handle:
                    target.write_bytes(handle.read())
            count += 1
    return count


# URL to video ---------------------------------------------------------------------


def scrape_product(video: Video, progress: Progress) -> dict:
    """Scrape the product page, keep its best images as workspace assets."""
    from .products import import_product

    return import_product(video.workspace_id, video.source_url, progress)


def write_script(video: Video) -> tuple[dict, dict, dict]:
    """Script, the full video request, and its RenderSpec, from the scraped product."""
    from saas.billing.services import plan_for

    from . import storyboard
    from .products import storyboard as make_storyboard

    request = dict(video.request)
    script, request["scenes"] = make_storyboard(dict(video.product), request)
    request.setdefault("music", "upbeat")
    watermark = plan_for(video.workspace).watermark
    spec = specs.validate(request, watermark=watermark).to_dict()
    return storyboard.script_data(script), request, spec
