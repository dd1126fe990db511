"""Render a :class:`~avatar.spec.RenderSpec` to an MP4, a poster JPEG and caption files.

Stages, in order (each timed in ``RenderResult.stage_seconds``):

1. ``assets``: every file the spec names is resolved (and must exist) before
   any work starts, so a bad reference fails fast and names its field.
2. ``speech``: each scene's script is synthesised (or its upload prepared).
3. ``audio``: the timeline is fixed (scene lengths are whole frames; each
   scene's speech starts on its first frame) and the soundtrack mixed.
4. ``lipsync`` and ``prepare``: presenter tracks, backdrops, media plates,
   overlay and caption layouts.
5. ``compose`` and ``encode``: frames are composited in YUV 4:2:0 and
   streamed to ffmpeg while it encodes (``encode`` is the time spent waiting
   for ffmpeg beyond composing).

Nothing here fetches URLs: files come from the caller's resolver.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from avatar import captions as cap
from avatar.errors import AvatarError, InvalidInput
from avatar.spec import RenderSpec

Resolver = Callable[[str, str], Path]
POSTER_QUALITY = 90


@dataclass(frozen=True)
class RenderOptions:
    """How to render (not what): caches, files, encoder settings.

    Args:
        workdir: keep intermediate files here (None: a temporary folder).
        resolver: ``(ref, field) -> Path`` for asset references; None reads
            local files relative to ``base_dir``.
        base_dir: folder that relative paths in the spec are relative to.
        speech_cache: a :class:`avatar.voices.SpeechCache` (sentences are reused).
        chunk_cache: a :class:`avatar.render.chunks.ChunkCache`: the video is encoded
            in chunks kept there, and a render after an edit encodes only the chunks
            whose frames changed (None: one stream, nothing kept).
        music_cache: folder for rendered built-in music tracks.
        preset, crf, audio_bitrate: libx264 and AAC settings.
        poster, caption_files: write ``out.jpg`` / ``out.srt`` and ``out.vtt``.
        sync_marker_s: for tests: a click in the audio and a white frame at this time.
        glossary: written form -> how voices say it (a workspace's brand names).
        progress: called with the fraction of frames encoded (0..1) as rendering goes;
            it may raise to stop the render (a cancelled job).
    """

    workdir: Path | None = None
    resolver: Resolver | None = None
    base_dir: Path | None = None
    speech_cache: object | None = None
    chunk_cache: object | None = None
    music_cache: Path | None = None
    preset: str = "veryfast"
    crf: int = 23
    audio_bitrate: str = "160k"
    poster: bool = True
    caption_files: bool = True
    sync_marker_s: float | None = None
    progress: Callable[[float], None] | None = None
    glossary: dict[str, str] | None = None


@dataclass(frozen=True)
class RenderResult:
    """The files written and what is in them."""

    video: Path
    poster: Path | None
    srt: Path | None
    vtt: Path | None
    duration_s: float
    width: int
    height: int
    fps: int
    frame_count: int
    scene_starts: tuple[float, ...]
    cues: tuple[cap.Cue, ...]  # as written to the .srt/.vtt files
    burned_cues: tuple[cap.Cue, ...]  # as burned in (empty when captions are off)
    loudness_lufs: float
    peak_dbfs: float
    stage_seconds: dict[str, float] = field(default_factory=dict)
    reused_frames: int = 0  # frames taken encoded from the chunk cache


def local_files(base_dir: Path | None = None) -> Resolver:
    """A resolver for plain file paths (relative ones against ``base_dir``)."""

    def resolve(ref: str, field_path: str) -> Path:
        if ref.startswith("asset:"):
            raise InvalidInput(field_path, f"{ref!r}: asset references need the app's resolver")
        path = Path(ref).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
        if not path.is_file():
            raise InvalidInput(field_path, f"file not found: {ref}")
        return path

    return resolve


def render(spec: RenderSpec, out_path: Path, options: RenderOptions | None = None) -> RenderResult:
    """Render ``spec`` to ``out_path`` (MP4) and, beside it, ``.jpg``, ``.srt`` and ``.vtt``.

    Raises:
        InvalidInput: a bad or missing asset, or a script a voice cannot read;
            ``field`` is the spec's JSON path (``scenes[1].media[0].src``).
        AvatarError: speech or encoding failed (``SpeechFailed``, ``EncodeFailed``).
    """
    from avatar.render.job import Job

    options = options or RenderOptions()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with _workdir(options.workdir) as work:
        return Job(spec, out_path, options, work).run()


@contextmanager
def _workdir(workdir: Path | None) -> Iterator[Path]:
    if workdir is not None:
        Path(workdir).mkdir(parents=True, exist_ok=True)
        yield Path(workdir)
        return
    with tempfile.TemporaryDirectory(prefix="avatar-render-") as tmp:
        yield Path(tmp)


class Clock:
    """Wall time per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.started = time.perf_counter()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def total(self) -> dict[str, float]:
        return {**self.seconds, "total": time.perf_counter() - self.started}


def renamed(exc: AvatarError, prefix: str) -> AvatarError:
    """``exc`` with its field moved under ``prefix`` (``script`` -> ``scenes[0].speech.script``)."""
    exc.field = f"{prefix}.{exc.field}" if exc.field else prefix
    return exc


def poster_rgb(frame_buf: np.ndarray, width: int, height: int) -> np.ndarray:
    """An RGB image of a yuv420p frame buffer."""
    from avatar.compose.yuv import Frame, rgb_from_planes

    return rgb_from_planes(Frame(width, height, frame_buf))
