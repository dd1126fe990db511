"""The talking-video pipeline: speech -> lip-sync -> compose -> encode.

``render_talking_video`` owns the state (the work directory and the timings);
each stage is a function that reads its inputs and returns or writes outputs
without touching globals. Importing this module imports neither torch nor
Django.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from avatar import compose, encode, lipsync, presenters, voices
from avatar.errors import InvalidInput

MAX_SCRIPT_CHARS = 5000
MAX_FPS = 60

T = TypeVar("T")
_DONE: Any = object()


@dataclass(frozen=True)
class TalkingVideoRequest:
    """What to render. Validated on construction.

    Raises:
        InvalidInput: naming the offending field (``script``, ``voice``,
            ``presenter``, ``aspect``, ``resolution`` or ``fps``).
    """

    script: str
    voice: str = voices.DEFAULT_VOICE_ID
    presenter: str = "grace"
    aspect: str = "16:9"
    resolution: str = "720p"
    fps: int = 25

    def __post_init__(self) -> None:
        validate_request(self)


def validate_request(req: TalkingVideoRequest) -> None:
    """Check every field of ``req``; raise :class:`InvalidInput` for the first bad one."""
    if not isinstance(req.script, str) or not req.script.strip():
        raise InvalidInput("script", "the script is empty")
    if len(req.script) > MAX_SCRIPT_CHARS:
        raise InvalidInput(
            "script",
            f"the script has {len(req.script)} characters; the limit is {MAX_SCRIPT_CHARS}",
        )
    voices.get_voice(req.voice)
    presenters.check_presenter_ref(req.presenter)
    compose.canvas_size(req.aspect, req.resolution)
    if isinstance(req.fps, bool) or not isinstance(req.fps, int) or not 1 <= req.fps <= MAX_FPS:
        raise InvalidInput(
            "fps", f"fps must be a whole number from 1 to {MAX_FPS}, not {req.fps!r}"
        )


@dataclass(frozen=True)
class RenderResult:
    """A rendered video and how long each stage took (seconds, wall clock)."""

    path: Path
    duration_s: float
    width: int
    height: int
    stage_seconds: dict[str, float] = field(default_factory=dict)


def render_talking_video(
    req: TalkingVideoRequest, out_path: Path, workdir: Path | None = None
) -> RenderResult:
    """Render ``req`` to an H.264/AAC MP4 at ``out_path``.

    Args:
        req: the validated request.
        out_path: where the MP4 goes; replaced atomically, parent dirs created.
        workdir: where intermediate files (``speech.wav``) are kept; ``None``
            uses a temporary directory that is removed afterwards.

    Returns:
        A :class:`RenderResult` with per-stage timings ``speech``, ``lipsync``,
        ``compose``, ``encode`` and ``total``.

    Raises:
        AvatarError: any stage failure (``InvalidInput``, ``SpeechFailed``, ``EncodeFailed``).
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with _workdir(workdir) as work:
        return _render(req, out_path, work)


@contextmanager
def _workdir(workdir: Path | None) -> Iterator[Path]:
    if workdir is not None:
        Path(workdir).mkdir(parents=True, exist_ok=True)
        yield Path(workdir)
        return
    with tempfile.TemporaryDirectory(prefix="avatar-") as tmp:
        yield Path(tmp)


def _render(req: TalkingVideoRequest, out_path: Path, work: Path) -> RenderResult:
    clock = _StageClock()
    started = time.perf_counter()
    width, height = compose.canvas_size(req.aspect, req.resolution)
    with clock.stage("speech"):
        speech = voices.synthesize(req.script, req.voice, work / "speech.wav")
    with clock.stage("compose"):
        image = presenters.load_presenter_image(
            presenters.resolve_presenter(req.presenter).image_path
        )
        layout = compose.build_layout(image, width, height)
    with clock.stage("lipsync"):
        track = lipsync.animate(image, speech, req.fps)
    face_frames = clock.timed_iter("lipsync", track, consumer="compose")
    canvases = clock.timed_iter("compose", compose.compose(face_frames, layout), consumer="encode")
    settings = encode.EncodeSettings(width=width, height=height, fps=req.fps)
    with clock.stage("encode"):
        encode.encode(canvases, speech.wav, out_path, settings)
    stage_seconds = dict(clock.seconds)
    stage_seconds["total"] = time.perf_counter() - started
    return RenderResult(out_path, track.frame_count / req.fps, width, height, stage_seconds)


class _StageClock:
    """Accumulates wall time per stage, including time spent inside lazy iterators."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def _add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self._add(name, time.perf_counter() - start)

    def timed_iter(self, name: str, items: Iterable[T], consumer: str) -> Iterator[T]:
        """Yield from ``items``, moving the time spent producing them from ``consumer`` to ``name``.

        Stages are lazy: the encoder pulls composed frames, which pull lip-sync
        frames. Re-charging the pull time keeps each stage's seconds exclusive.
        """
        iterator = iter(items)
        while True:
            start = time.perf_counter()
            item = next(iterator, _DONE)
            elapsed = time.perf_counter() - start
            self._add(name, elapsed)
            self._add(consumer, -elapsed)
            if item is _DONE:
                return
            yield item
