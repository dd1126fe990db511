"""The talking-head request of the walking skeleton, rendered as a one-scene RenderSpec.

``render_talking_video`` keeps its signature for the Django command and the
workers; it builds a :class:`~avatar.spec.RenderSpec` with a single scene
(the presenter full frame, no captions, no music) and hands it to
:func:`avatar.render.render`. Importing this module imports neither torch nor
Django.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from avatar import compose, presenters, voices
from avatar.errors import AvatarError, InvalidInput
from avatar.spec import Captions, Output, RenderSpec, Scene, Speech

MAX_SCRIPT_CHARS = 5000
MAX_FPS = 60


@dataclass(frozen=True)
class TalkingVideoRequest:
    """What to render. Validated on construction.

    Raises:
        InvalidInput: naming the offending field (``script``, ``voice``,
            ``presenter``, ``aspect``, ``resolution`` or ``fps``).
    """

    script: str
    voice: str = voices.DEFAULT_VOICE_ID
    presenter: str = presenters.DEFAULT_PRESENTER
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
        A :class:`RenderResult` with per-stage timings (``speech``, ``audio``,
        ``lipsync``, ``prepare``, ``compose``, ``encode``... and ``total``).

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


def to_spec(req: TalkingVideoRequest) -> RenderSpec:
    """The one-scene :class:`RenderSpec` of a talking-head request: the presenter full
    frame over a blurred copy of the photo, no captions, no music."""
    scene = Scene(speech=Speech(script=req.script, voice=req.voice), avatar=req.presenter)
    return RenderSpec(
        scenes=(scene,),
        output=Output(aspect=req.aspect, resolution=req.resolution, fps=req.fps),
        captions=Captions(enabled=False),
    )


# The spec's JSON paths of the one scene -> this request's field names.
REQUEST_FIELDS = {
    "scenes[0].speech.script": "script",
    "scenes[0].speech.voice": "voice",
    "scenes[0].speech.rate": "rate",
    "scenes[0].speech.pitch": "pitch",
    "scenes[0].avatar": "presenter",
    "scenes[0].speech": "script",
}


def _render(req: TalkingVideoRequest, out_path: Path, work: Path) -> RenderResult:
    from avatar.render import RenderOptions, render

    options = RenderOptions(workdir=work, poster=False, caption_files=False)
    try:
        result = render(to_spec(req), out_path, options)
    except AvatarError as exc:
        exc.field = REQUEST_FIELDS.get(exc.field, exc.field)
        raise
    return RenderResult(
        result.video, result.duration_s, result.width, result.height, result.stage_seconds
    )
