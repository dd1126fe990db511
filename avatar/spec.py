"""RenderSpec: a versioned, JSON-serialisable description of a marketing video.

``RenderSpec.from_dict(data)`` validates strictly: unknown keys, wrong types,
values out of range and unknown voices raise
:class:`avatar.errors.InvalidInput` whose ``field`` is the JSON path of the
offending value, e.g. ``scenes[2].media[0].src``. ``to_dict()`` gives back
plain JSON data that ``from_dict`` accepts unchanged.

Asset references (media, backgrounds, logo, fonts, uploaded audio and music,
presenter images) are strings: a file path (relative paths are resolved by
the caller, usually against the spec file's folder) or an ``asset:<id>``
reference that the caller's resolver maps to a file. The spec itself never
touches the file system; :mod:`avatar.render` resolves and checks the files.
See docs/render-spec.md for every field and its default.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from avatar.errors import InvalidInput
from avatar.presenters import DEFAULT_PRESENTER

SPEC_VERSION = 1
ASPECTS = ("9:16", "16:9", "1:1")
RESOLUTIONS = ("720p", "1080p")
LAYOUTS = ("presenter", "corner", "bottom", "split", "voiceover")
BACKGROUND_TYPES = ("color", "gradient", "image", "video", "presenter_blur")
MEDIA_FITS = ("auto", "cover", "contain")
MOTIONS = ("auto", "zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up", "pan_down", "none")
OVERLAY_TYPES = ("title", "price", "bullets", "cta")
POSITIONS = ("auto", "top", "middle", "bottom")
ANIMATIONS = ("slide", "fade", "pop", "none")
TRANSITIONS = ("cut", "crossfade", "slide")
DIRECTIONS = ("left", "right", "up", "down")
CAPTION_STYLES = ("subtitle", "social")
CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
SIDES = ("left", "right")
MUSIC_TRACKS = ("upbeat", "corporate", "chill")
MAX_SCENES = 30
MAX_FPS = 60
MAX_TEXT = 200
MAX_SCRIPT = 5000
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_MISSING: Any = object()
_ABSENT: Any = object()


# --------------------------------------------------------------------------- reading


class _Obj:
    """A JSON object being read: each key is taken once; leftovers are unknown fields."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise InvalidInput(path or "spec", f"must be a JSON object, not {_kind(data)}")
        self.data = dict(data)
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def take(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.data:
            if default is _MISSING:
                raise InvalidInput(self.at(key), "is required")
            return default
        return self.data.pop(key)

    def done(self, allowed: tuple[str, ...] | None = None) -> None:
        if self.data:
            key = sorted(self.data)[0]
            hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
            raise InvalidInput(self.at(key), f"unknown field {key!r}{hint}")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def _text(value: Any, path: str, *, optional: bool = False, limit: int = MAX_TEXT) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(path, f"must be a non-empty string, not {_kind(value)}")
    if len(value) > limit:
        raise InvalidInput(path, f"is {len(value)} characters long; the limit is {limit}")
    return value


def _choice(value: Any, path: str, options: tuple[str, ...]) -> str:
    if value not in options:
        raise InvalidInput(path, f"must be one of {', '.join(options)}, not {value!r}")
    return value


def _number(value: Any, path: str, low: float, high: float, *, optional: bool = False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(path, f"must be a number, not {_kind(value)}")
    if not low <= value <= high:
        raise InvalidInput(path, f"must be between {low:g} and {high:g}, not {value!r}")
    return float(value)


def _flag(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(path, f"must be true or false, not {_kind(value)}")
    return value


def _color(value: Any, path: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not _COLOR.match(value):
        raise InvalidInput(path, f"must be a colour like '#1A2B3C' or '#1A2B3C80', not {value!r}")
    return value.upper()


def _ref(value: Any, path: str, *, optional: bool = False) -> str | None:
    """A file path or ``asset:<id>``; URLs are refused (the renderer fetches nothing)."""
    text = _text(value, path, optional=optional, limit=1000)
    if text is not None and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        raise InvalidInput(path, "URLs are not fetched; upload the file and use its asset id")
    return text


def _list(value: Any, path: str, limit: int) -> list:
    if not isinstance(value, list):
        raise InvalidInput(path, f"must be a list, not {_kind(value)}")
    if len(value) > limit:
        raise InvalidInput(path, f"has {len(value)} items; the limit is {limit}")
    return value


# --------------------------------------------------------------------------- the spec


@dataclass(frozen=True)
class Output:
    """Frame shape and rate."""

    aspect: str = "9:16"
    resolution: str = "720p"
    fps: int = 30

    @classmethod
    def read(cls, data: Any, path: str) -> Output:
        obj = _Obj(data, path)
        aspect = _choice(obj.take("aspect", cls.aspect), obj.at("aspect"), ASPECTS)
        resolution = _choice(
            obj.take("resolution", cls.resolution), obj.at("resolution"), RESOLUTIONS
        )
        fps = obj.take("fps", cls.fps)
        if isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= MAX_FPS:
            raise InvalidInput(obj.at("fps"), f"must be a whole number from 1 to {MAX_FPS}")
        obj.done(("aspect", "resolution", "fps"))
        return cls(aspect, resolution, fps)


@dataclass(frozen=True)
class Speech:
    """What a scene says: a ``script`` read by ``voice``, or an uploaded ``audio`` file."""

    script: str | None = None
    voice: str = "piper:en_US-joe-medium"
    rate: float = 1.0
    pitch: float = 0.0
    audio: str | None = None
    transcript: str | None = None
    language: str = "en"

    @classmethod
    def read(cls, data: Any, path: str) -> Speech:
        obj = _Obj(data, path)
        script = _text(obj.take("script", None), obj.at("script"), optional=True, limit=MAX_SCRIPT)
        audio = _ref(obj.take("audio", None), obj.at("audio"), optional=True)
        if (script is None) == (audio is None):
            raise InvalidInput(path, "give exactly one of 'script' (text to speak) or 'audio'")
        voice = _text(obj.take("voice", cls.voice), obj.at("voice"))
        if script is not None:
            _check_voice(voice, obj.at("voice"))
        speech = cls(
            script=script,
            voice=voice,
            rate=_number(obj.take("rate", 1.0), obj.at("rate"), 0.5, 2.0),
            pitch=_number(obj.take("pitch", 0.0), obj.at("pitch"), -12.0, 12.0),
            audio=audio,
            transcript=_text(
                obj.take("transcript", None), obj.at("transcript"), optional=True, limit=MAX_SCRIPT
            ),
            language=_text(obj.take("language", "en"), obj.at("language"), limit=20),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        return speech


def _check_voice(voice_id: str, path: str) -> None:
    from avatar import voices

    try:
        voices.get_voice(voice_id)
    except InvalidInput as exc:
        raise InvalidInput(path, exc.message, code=exc.code) from exc


@dataclass(frozen=True)
class Background:
    """A scene's backdrop. ``presenter_blur`` is a blurred, darkened presenter photo."""

    type: str = "color"
    color: str | None = None
    colors: tuple[str, ...] = ()
    angle: float = 90.0
    src: str | None = None
    blur: float = 0.0
    dim: float = 0.0

    @classmethod
    def read(cls, data: Any, path: str) -> Background:
        obj = _Obj(data, path)
        kind = _choice(obj.take("type"), obj.at("type"), BACKGROUND_TYPES)
        colors = _list(obj.take("colors", []), obj.at("colors"), 4)
        background = cls(
            type=kind,
            color=_color(obj.take("color", None), obj.at("color"), optional=True),
            colors=tuple(_color(c, f"{obj.at('colors')}[{i}]") for i, c in enumerate(colors)),
            angle=_number(obj.take("angle", 90.0), obj.at("angle"), -360, 360),
            src=_ref(obj.take("src", None), obj.at("src"), optional=True),
            blur=_number(obj.take("blur", 0.0), obj.at("blur"), 0, 100),
            dim=_number(obj.take("dim", 0.0), obj.at("dim"), 0, 1),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        _check_background(background, obj)
        return background


def _check_background(bg: Background, obj: _Obj) -> None:
    if bg.type == "color" and bg.color is None:
        raise InvalidInput(obj.at("color"), "is required for a colour background")
    if bg.type == "gradient" and len(bg.colors) < 2:
        raise InvalidInput(obj.at("colors"), "a gradient needs 2 to 4 colours")
    if bg.type in ("image", "video") and bg.src is None:
        raise InvalidInput(obj.at("src"), f"is required for an {bg.type} background")


@dataclass(frozen=True)
class Media:
    """A product image or clip, fitted without distortion and moved (Ken Burns)."""

    src: str
    fit: str = "auto"
    motion: str = "auto"
    focus: tuple[float, float] | None = None

    @classmethod
    def read(cls, data: Any, path: str) -> Media:
        if isinstance(data, str):
            data = {"src": data}
        obj = _Obj(data, path)
        focus = obj.take("focus", None)
        if focus is not None:
            items = _list(focus, obj.at("focus"), 2)
            if len(items) != 2:
                raise InvalidInput(obj.at("focus"), "must be [x, y] with each from 0 to 1")
            focus = tuple(_number(v, f"{obj.at('focus')}[{i}]", 0, 1) for i, v in enumerate(items))
        media = cls(
            src=_ref(obj.take("src"), obj.at("src")),
            fit=_choice(obj.take("fit", "auto"), obj.at("fit"), MEDIA_FITS),
            motion=_choice(obj.take("motion", "auto"), obj.at("motion"), MOTIONS),
            focus=focus,
        )
        obj.done(tuple(f.name for f in fields(cls)))
        return media

    @property
    def is_video(self) -> bool:
        return Path(self.src).suffix.lower() in VIDEO_SUFFIXES


VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".webm", ".mkv", ".m4v"})
OVERLAY_FIELDS = {
    "title": ("text", "subtitle"),
    "price": ("price", "old_price", "label"),
    "bullets": ("items",),
    "cta": ("text",),
}
OVERLAY_COMMON = ("type", "position", "start_s", "end_s", "animation")


@dataclass(frozen=True)
class Overlay:
    """Text on screen: a ``title``, a ``price`` card, ``bullets`` or a ``cta`` button.

    ``start_s``/``end_s`` are seconds from the scene's start (``end_s`` None:
    until the scene ends).
    """

    type: str
    text: str | None = None
    subtitle: str | None = None
    price: str | None = None
    old_price: str | None = None
    label: str | None = None
    items: tuple[str, ...] = ()
    position: str = "auto"
    start_s: float = 0.2
    end_s: float | None = None
    animation: str = "slide"

    @classmethod
    def read(cls, data: Any, path: str) -> Overlay:
        obj = _Obj(data, path)
        kind = _choice(obj.take("type"), obj.at("type"), OVERLAY_TYPES)
        allowed = OVERLAY_FIELDS[kind] + OVERLAY_COMMON
        _refuse_other_type_fields(obj, kind, allowed)
        values = {name: _overlay_value(obj, name) for name in OVERLAY_FIELDS[kind]}
        overlay = cls(
            type=kind,
            position=_choice(obj.take("position", "auto"), obj.at("position"), POSITIONS),
            start_s=_number(obj.take("start_s", 0.2), obj.at("start_s"), 0, 600),
            end_s=_number(obj.take("end_s", None), obj.at("end_s"), 0, 600, optional=True),
            animation=_choice(obj.take("animation", "slide"), obj.at("animation"), ANIMATIONS),
            **values,
        )
        obj.done(allowed)
        _check_overlay(overlay, obj)
        return overlay


def _refuse_other_type_fields(obj: _Obj, kind: str, allowed: tuple[str, ...]) -> None:
    for key in sorted(obj.data):
        if key not in allowed and any(key in names for names in OVERLAY_FIELDS.values()):
            raise InvalidInput(obj.at(key), f"is not a field of a {kind!r} overlay")


def _overlay_value(obj: _Obj, name: str) -> Any:
    if name == "items":
        items = _list(obj.take("items"), obj.at("items"), 6)
        return tuple(
            _text(item, f"{obj.at('items')}[{i}]", limit=80) for i, item in enumerate(items)
        )
    required = name in ("text", "price")
    value = obj.take(name, _MISSING if required else None)
    limit = 24 if name in ("price", "old_price") else 120
    return _text(value, obj.at(name), optional=not required, limit=limit)


def _check_overlay(overlay: Overlay, obj: _Obj) -> None:
    if overlay.type == "bullets" and not overlay.items:
        raise InvalidInput(obj.at("items"), "needs at least one item")
    if overlay.end_s is not None and overlay.end_s <= overlay.start_s:
        raise InvalidInput(obj.at("end_s"), "must be after start_s")


@dataclass(frozen=True)
class Transition:
    """How a scene (or the outro) replaces what came before it."""

    type: str = "crossfade"
    duration_s: float = 0.4
    direction: str = "left"

    @classmethod
    def read(cls, data: Any, path: str) -> Transition:
        if isinstance(data, str):
            data = {"type": data}
        obj = _Obj(data, path)
        transition = cls(
            type=_choice(obj.take("type", "crossfade"), obj.at("type"), TRANSITIONS),
            duration_s=_number(obj.take("duration_s", 0.4), obj.at("duration_s"), 0, 2),
            direction=_choice(obj.take("direction", "left"), obj.at("direction"), DIRECTIONS),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        return transition


@dataclass(frozen=True)
class Scene:
    """One shot: its speech, presenter and layout, backdrop, media and text overlays.

    The scene lasts as long as its speech plus ``hold_s``. ``transition`` is
    how this scene comes in (None: the spec's default transition).
    """

    speech: Speech
    avatar: str | None = DEFAULT_PRESENTER
    layout: str = "presenter"
    presenter_side: str = "right"
    background: Background | None = None
    media: tuple[Media, ...] = ()
    overlays: tuple[Overlay, ...] = ()
    transition: Transition | None = None
    hold_s: float = 0.0

    @classmethod
    def read(cls, data: Any, path: str) -> Scene:
        obj = _Obj(data, path)
        layout = _choice(obj.take("layout", "presenter"), obj.at("layout"), LAYOUTS)
        media = _list(obj.take("media", []), obj.at("media"), 8)
        overlays = _list(obj.take("overlays", []), obj.at("overlays"), 8)
        background = obj.take("background", None)
        transition = obj.take("transition", None)
        scene = cls(
            speech=Speech.read(obj.take("speech"), obj.at("speech")),
            avatar=_ref(obj.take("avatar", DEFAULT_PRESENTER), obj.at("avatar"), optional=True),
            layout=layout,
            presenter_side=_choice(
                obj.take("presenter_side", "right"), obj.at("presenter_side"), SIDES
            ),
            background=None
            if background is None
            else Background.read(background, obj.at("background")),
            media=tuple(Media.read(m, f"{obj.at('media')}[{i}]") for i, m in enumerate(media)),
            overlays=tuple(
                Overlay.read(o, f"{obj.at('overlays')}[{i}]") for i, o in enumerate(overlays)
            ),
            transition=None
            if transition is None
            else Transition.read(transition, obj.at("transition")),
            hold_s=_number(obj.take("hold_s", 0.0), obj.at("hold_s"), 0, 10),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        _check_scene(scene, obj)
        return scene


def _check_scene(scene: Scene, obj: _Obj) -> None:
    if scene.layout != "voiceover" and scene.avatar is None:
        raise InvalidInput(obj.at("avatar"), f"the {scene.layout!r} layout needs a presenter")
    needs_media = scene.layout in ("corner", "bottom", "split", "voiceover")
    if needs_media and not scene.media and scene.background is None:
        raise InvalidInput(
            obj.at("media"), f"the {scene.layout!r} layout needs media or a background"
        )


@dataclass(frozen=True)
class Captions:
    """Burned-in captions (and the .srt/.vtt files, which are always written)."""

    enabled: bool = True
    style: str = "social"
    language: str | None = None
    max_lines: int = 2
    uppercase: bool = False

    @classmethod
    def read(cls, data: Any, path: str) -> Captions:
        obj = _Obj(data, path)
        lines = obj.take("max_lines", 2)
        if lines not in (1, 2) or isinstance(lines, bool):
            raise InvalidInput(obj.at("max_lines"), "must be 1 or 2")
        captions = cls(
            enabled=_flag(obj.take("enabled", True), obj.at("enabled")),
            style=_choice(obj.take("style", "social"), obj.at("style"), CAPTION_STYLES),
            language=_text(obj.take("language", None), obj.at("language"), optional=True, limit=20),
            max_lines=lines,
            uppercase=_flag(obj.take("uppercase", False), obj.at("uppercase")),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        return captions


@dataclass(frozen=True)
class Music:
    """Background music: a built-in ``track`` or the customer's own file (``src``).

    ``volume_db`` shifts the bed from its default level (about 4 LU under the
    speech); ``duck_db`` is how far it dips while someone speaks.
    """

    track: str | None = "upbeat"
    src: str | None = None
    volume_db: float = 0.0
    duck_db: float = -14.0
    fade_in_s: float = 1.0
    fade_out_s: float = 2.0

    @classmethod
    def read(cls, data: Any, path: str) -> Music:
        obj = _Obj(data, path)
        src = _ref(obj.take("src", None), obj.at("src"), optional=True)
        track = obj.take("track", None if src else "upbeat")
        if track is not None:
            _choice(track, obj.at("track"), MUSIC_TRACKS)
        if (track is None) == (src is None):
            raise InvalidInput(path, "give exactly one of 'track' (built in) or 'src' (a file)")
        music = cls(
            track=track,
            src=src,
            volume_db=_number(obj.take("volume_db", 0.0), obj.at("volume_db"), -30, 10),
            duck_db=_number(obj.take("duck_db", -14.0), obj.at("duck_db"), -30, 0),
            fade_in_s=_number(obj.take("fade_in_s", 1.0), obj.at("fade_in_s"), 0, 10),
            fade_out_s=_number(obj.take("fade_out_s", 2.0), obj.at("fade_out_s"), 0, 10),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        return music


@dataclass(frozen=True)
class AudioMix:
    """Final loudness: -14 LUFS integrated with a -1 dBFS sample peak suits social feeds."""

    loudness_lufs: float = -14.0
    peak_dbfs: float = -1.0

    @classmethod
    def read(cls, data: Any, path: str) -> AudioMix:
        obj = _Obj(data, path)
        mix = cls(
            loudness_lufs=_number(
                obj.take("loudness_lufs", -14.0), obj.at("loudness_lufs"), -30, -8
            ),
            peak_dbfs=_number(obj.take("peak_dbfs", -1.0), obj.at("peak_dbfs"), -6, 0),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        return mix


@dataclass(frozen=True)
class Brand:
    """Brand kit: logo, colours and font files."""

    logo: str | None = None
    logo_position: str | None = None
    primary: str = "#2563EB"
    secondary: str = "#FACC15"
    text: str = "#FFFFFF"
    background: str = "#0F172A"
    font: str | None = None
    font_bold: str | None = None
    name: str | None = None

    @classmethod
    def read(cls, data: Any, path: str) -> Brand:
        obj = _Obj(data, path)
        position = obj.take("logo_position", None)
        brand = cls(
            logo=_ref(obj.take("logo", None), obj.at("logo"), optional=True),
            logo_position=None
            if position is None
            else _choice(position, obj.at("logo_position"), CORNERS),
            primary=_color(obj.take("primary", cls.primary), obj.at("primary")),
            secondary=_color(obj.take("secondary", cls.secondary), obj.at("secondary")),
            text=_color(obj.take("text", cls.text), obj.at("text")),
            background=_color(obj.take("background", cls.background), obj.at("background")),
            font=_ref(obj.take("font", None), obj.at("font"), optional=True),
            font_bold=_ref(obj.take("font_bold", None), obj.at("font_bold"), optional=True),
            name=_text(obj.take("name", None), obj.at("name"), optional=True, limit=60),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        if brand.logo_position is not None and brand.logo is None:
            raise InvalidInput(obj.at("logo"), "logo_position needs a logo")
        return brand


@dataclass(frozen=True)
class Card:
    """An intro or outro card: brand background, the logo, a line or two of text."""

    text: str | None = None
    subtitle: str | None = None
    duration_s: float = 1.2

    @classmethod
    def read(cls, data: Any, path: str) -> Card:
        obj = _Obj(data, path)
        card = cls(
            text=_text(obj.take("text", None), obj.at("text"), optional=True, limit=80),
            subtitle=_text(obj.take("subtitle", None), obj.at("subtitle"), optional=True, limit=80),
            duration_s=_number(obj.take("duration_s", 1.2), obj.at("duration_s"), 0.5, 3),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        return card


@dataclass(frozen=True)
class Watermark:
    """A semi-transparent mark in a corner (text or an image)."""

    text: str | None = None
    image: str | None = None
    position: str = "bottom-right"
    opacity: float = 0.6

    @classmethod
    def read(cls, data: Any, path: str) -> Watermark:
        obj = _Obj(data, path)
        mark = cls(
            text=_text(obj.take("text", None), obj.at("text"), optional=True, limit=60),
            image=_ref(obj.take("image", None), obj.at("image"), optional=True),
            position=_choice(obj.take("position", "bottom-right"), obj.at("position"), CORNERS),
            opacity=_number(obj.take("opacity", 0.6), obj.at("opacity"), 0.05, 1),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        if (mark.text is None) == (mark.image is None):
            raise InvalidInput(path, "give exactly one of 'text' or 'image'")
        return mark


def _optional(obj: _Obj, key: str, kind: type, default: Any = None) -> Any:
    """Read ``key`` with ``kind.read``; absent: ``default``; null only if default is None."""
    value = obj.data.pop(key, _ABSENT)
    if value is _ABSENT or (value is None and default is None):
        return default
    return kind.read(value, obj.at(key))


@dataclass(frozen=True)
class RenderSpec:
    """A whole video. ``music`` None: no music; ``intro``/``outro``/``watermark`` None: none."""

    scenes: tuple[Scene, ...]
    version: int = SPEC_VERSION
    output: Output = field(default_factory=Output)
    captions: Captions = field(default_factory=Captions)
    music: Music | None = None
    audio: AudioMix = field(default_factory=AudioMix)
    transition: Transition = field(default_factory=Transition)
    brand: Brand = field(default_factory=Brand)
    intro: Card | None = None
    outro: Card | None = None
    watermark: Watermark | None = None

    @classmethod
    def from_dict(cls, data: Any) -> RenderSpec:
        """Validate JSON data (see module docstring).

        Raises:
            InvalidInput: ``field`` is the JSON path of the first bad value.
        """
        obj = _Obj(data, "")
        version = obj.take("version", SPEC_VERSION)
        if version != SPEC_VERSION or isinstance(version, bool):
            raise InvalidInput("version", f"this renderer reads spec version {SPEC_VERSION}")
        scenes = _list(obj.take("scenes"), "scenes", MAX_SCENES)
        if not scenes:
            raise InvalidInput("scenes", "needs at least one scene")
        spec = cls(
            scenes=tuple(Scene.read(s, f"scenes[{i}]") for i, s in enumerate(scenes)),
            output=_optional(obj, "output", Output, Output()),
            captions=_optional(obj, "captions", Captions, Captions()),
            music=_optional(obj, "music", Music),
            audio=_optional(obj, "audio", AudioMix, AudioMix()),
            transition=_optional(obj, "transition", Transition, Transition()),
            brand=_optional(obj, "brand", Brand, Brand()),
            intro=_optional(obj, "intro", Card),
            outro=_optional(obj, "outro", Card),
            watermark=_optional(obj, "watermark", Watermark),
        )
        obj.done(tuple(f.name for f in fields(cls)))
        return spec

    @classmethod
    def from_json(cls, source: str | Path) -> RenderSpec:
        """Parse a JSON string, or read a ``.json`` file when given a Path."""
        text = Path(source).read_text() if isinstance(source, Path) else source
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InvalidInput("spec", f"is not valid JSON: {exc}") from exc
        return cls.from_dict(data)

    def to_dict(self) -> dict:
        """Plain JSON data that :meth:`from_dict` reads back to an equal spec."""
        return _plain(self)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, Overlay):
        keep = OVERLAY_COMMON + OVERLAY_FIELDS[value.type]
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.name in keep}
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def hex_rgba(color: str) -> tuple[int, int, int, int]:
    """'#RRGGBB' or '#RRGGBBAA' -> (r, g, b, a)."""
    digits = color.lstrip("#")
    alpha = int(digits[6:8], 16) if len(digits) == 8 else 255
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), alpha
