"""HeyGen's request and response fields, mapped onto ours and back.

``video_request`` turns a ``POST /v2/video/generate`` body into the request our
own ``POST /api/v1/videos`` takes, which then goes through the same serializer,
plan checks, credits and isolation. Anything HeyGen accepts that we cannot honour
is refused with the HeyGen field that asked for it, never dropped silently; a
field at its default value (``scale: 1``, ``matting: false``) is fine.
"""

from __future__ import annotations

import re

from saas.errors import ServiceError

MAX_SCENES = 30  # ours; HeyGen allows 50
STYLE_LAYOUT = {"normal": "presenter", "closeUp": "presenter", "circle": "corner"}
PHOTO_STYLE_LAYOUT = {"square": "presenter", "circle": "corner"}
# (width, height) -> (aspect, resolution)
DIMENSIONS = {
    (1280, 720): ("16:9", "720p"), (1920, 1080): ("16:9", "1080p"),
    (720, 1280): ("9:16", "720p"), (1080, 1920): ("9:16", "1080p"),
    (720, 720): ("1:1", "720p"), (1080, 1080): ("1:1", "1080p"),
}  # fmt: skip
DEFAULT_DIMENSION = (1280, 720)  # HeyGen's default
# HeyGen fields we accept only at their default (what we do anyway)
CHARACTER_DEFAULTS = {
    "scale": 1, "offset": {"x": 0, "y": 0}, "matting": False, "super_resolution": False,
    "expression": "default", "talking_style": "stable", "use_avatar_iv_model": False,
    "circle_background_color": None,
}  # fmt: skip
CHARACTER_KEYS = {"type", "avatar_id", "talking_photo_id", "avatar_style", "talking_photo_style"}
VOICE_DEFAULTS = {"emotion": None, "locale": None, "elevenlabs_settings": None}
VOICE_KEYS = {"type", "voice_id", "input_text", "speed", "pitch", "audio_asset_id", "audio_url",
              "duration"}  # fmt: skip
BACKGROUND_KEYS = {"type", "value", "url", "image_asset_id", "video_asset_id", "play_style", "fit"}
TOP_KEYS = {"video_inputs", "dimension", "aspect_ratio", "caption", "title", "callback_id",
            "callback_url", "test", "folder_id"}  # fmt: skip
BREAK = re.compile(r"<break\s+time\s*=\s*[\"']\s*([\d.]+)\s*(ms|s)\s*[\"']\s*/?>", re.IGNORECASE)
HEX = re.compile(r"^#?[0-9a-fA-F]{6}$")


class Unsupported(ServiceError):
    """A HeyGen field we cannot honour (400, ``unsupported_parameter``)."""

    code = "unsupported_parameter"


def invalid(message: str, field: str) -> ServiceError:
    return ServiceError(message, field=field, code="invalid_parameter")


def as_object(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise invalid("Give an object.", field)
    return value


def check_keys(value: dict, known: set, defaults: dict, field: str) -> None:
    for key, given in value.items():
        if key in known:
            continue
        if key not in defaults:
            raise Unsupported(f"{key!r} is not a field this server knows.", field=f"{field}.{key}")
        if given is not None and given != defaults[key]:
            raise Unsupported(
                f"{key!r} is not supported here; leave it out (or at {defaults[key]!r}).",
                field=f"{field}.{key}",
            )


def script_text(text: str) -> str:
    """HeyGen's SSML breaks (``<break time="1s"/>``) as our pause tags (``[pause 1s]``)."""

    def pause(match: re.Match) -> str:
        seconds = float(match.group(1)) / (1000 if match.group(2).lower() == "ms" else 1)
        return f" [pause {min(seconds, 10):g}s] "

    return re.sub(r"\s{2,}", " ", BREAK.sub(pause, text)).strip()


def _character(character, field: str) -> tuple[str, str]:
    """(our avatar reference, layout)."""
    character = as_object(character, field)
    check_keys(character, CHARACTER_KEYS, CHARACTER_DEFAULTS, field)
    kind = character.get("type", "avatar")
    if kind == "avatar":
        ref, style = character.get("avatar_id"), character.get("avatar_style") or "normal"
        layouts, id_field, style_field = STYLE_LAYOUT, "avatar_id", "avatar_style"
    elif kind == "talking_photo":
        ref = character.get("talking_photo_id")
        style = character.get("talking_photo_style") or "square"
        layouts, id_field = PHOTO_STYLE_LAYOUT, "talking_photo_id"
        style_field = "talking_photo_style"
    else:
        raise invalid("Choose avatar or talking_photo.", f"{field}.type")
    if not isinstance(ref, str) or not ref:
        raise invalid("Give the id from GET /v2/avatars.", f"{field}.{id_field}")
    if not isinstance(style, str) or style not in layouts:
        raise invalid(f"Choose one of {', '.join(layouts)}.", f"{field}.{style_field}")
    return ref, layouts[style]


def _voice(voice, field: str) -> dict:
    """Our scene's speech fields."""
    voice = as_object(voice, field)
    check_keys(voice, VOICE_KEYS, VOICE_DEFAULTS, field)
    kind = voice.get("type", "text")
    if kind == "text":
        return _text_voice(voice, field)
    if kind == "audio":
        if voice.get("audio_url"):
            raise Unsupported(
                "Audio is not fetched from a URL here: upload it with POST /v1/asset and "
                "give its id as audio_asset_id.",
                field=f"{field}.audio_url",
            )
        if not voice.get("audio_asset_id"):
            raise invalid("Give the audio_asset_id of an uploaded audio asset.", f"{field}")
        return {"audio": voice["audio_asset_id"]}
    if kind == "silence":
        raise Unsupported("Silent scenes are not supported; give the scene some speech.", field)
    raise invalid("Choose text, audio or silence.", f"{field}.type")


def _text_voice(voice: dict, field: str) -> dict:
    return speech(
        voice.get("input_text"), voice.get("voice_id"), voice.get("speed"), voice.get("pitch"),
        text_field=f"{field}.input_text", voice_field=f"{field}.voice_id",
        speed_field=f"{field}.speed", pitch_field=f"{field}.pitch",
    )  # fmt: skip


def speech(text, voice_id, speed, pitch, *, text_field, voice_field, speed_field, pitch_field):
    """Our scene's speech fields from HeyGen's text, voice id, speed and pitch (v2 and v3
    name them differently: the *_field arguments are the names errors give)."""
    if not isinstance(text, str) or not text.strip():
        raise invalid("Write what the avatar says.", text_field)
    if not isinstance(voice_id, str) or not voice_id:
        raise invalid("Give a voice_id from the voices list.", voice_field)
    scene = {"script": script_text(text), "voice": voice_id}
    if speed is not None:
        if not _number(speed) or not 0.5 <= speed <= 1.5:
            raise invalid("Give a speed from 0.5 to 1.5.", speed_field)
        scene["rate"] = float(speed)
    if pitch is not None:
        if not _number(pitch) or not -50 <= pitch <= 50:
            raise invalid("Give a pitch from -50 to 50.", pitch_field)
        scene["pitch"] = round(pitch * 12 / 50, 2)  # HeyGen's +-50 onto our +-12 semitones
    return scene


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def background_fields(background, field: str, asset_key: str = "image_asset_id") -> dict:
    """Our scene background from HeyGen's (v2 names the uploaded image ``image_asset_id``,
    v3 ``asset_id``)."""
    background = as_object(background, field)
    known = BACKGROUND_KEYS - {"image_asset_id"} | {asset_key}
    check_keys(background, known, {}, field)
    kind = background.get("type")
    if kind == "color":
        value = background.get("value")
        if not isinstance(value, str) or not HEX.match(value):
            raise invalid("Give a colour as #RRGGBB.", f"{field}.value")
        return {"type": "color", "color": "#" + value.lstrip("#").upper()}
    if kind == "video":
        raise Unsupported("Video backgrounds are not supported yet: use a colour or an image.",
                          field=f"{field}.type")  # fmt: skip
    if kind != "image":
        raise invalid("Choose color, image or video.", f"{field}.type")
    if background.get("url"):
        raise Unsupported(
            "Backgrounds are not fetched from a URL here: upload the file (POST /v1/asset or "
            f"/v3/assets) and give its id as {asset_key}.",
            field=f"{field}.url",
        )
    asset = background.get(asset_key)
    if not isinstance(asset, str) or not asset:
        raise invalid(f"Give the {asset_key} of an uploaded image.", f"{field}.{asset_key}")
    if background.get("fit") not in (None, "cover"):
        raise Unsupported("Only fit 'cover' is supported.", field=f"{field}.fit")
    return {"type": kind, "src": asset}


def _frame(body: dict) -> tuple[str, str]:
    """(aspect, resolution) from ``dimension`` and ``aspect_ratio``."""
    dimension = body.get("dimension")
    if dimension is None:
        size = DEFAULT_DIMENSION
    else:
        dimension = as_object(dimension, "dimension")
        size = (dimension.get("width"), dimension.get("height"))
        if not all(type(side) is int for side in size) or size not in DIMENSIONS:
            sizes = ", ".join(f"{w}x{h}" for w, h in DIMENSIONS)
            raise Unsupported(f"Choose one of these sizes: {sizes}.", field="dimension")
    aspect, resolution = DIMENSIONS[size]
    wanted = body.get("aspect_ratio")
    if wanted is not None:
        if not isinstance(wanted, str) or wanted not in {a for a, _ in DIMENSIONS.values()}:
            raise invalid("Choose 16:9, 9:16 or 1:1.", "aspect_ratio")
        if dimension is None:
            aspect = wanted
        elif wanted != aspect:
            raise invalid(f"The dimension is {aspect}, not {wanted}.", "aspect_ratio")
    return aspect, resolution


def refuse_test_mode(body: dict) -> None:
    """HeyGen's ``test: true`` (a watermarked free render) is refused, not charged."""
    if body.get("test"):
        message = "There is no test mode here: every video is rendered in full."
        raise Unsupported(message + " POST /api/v1/estimate tells the cost.", field="test")


def video_request(body) -> tuple[dict, str]:
    """(our video request, HeyGen's callback_id) for a ``/v2/video/generate`` BODY."""
    body = as_object(body, "body")
    check_keys(body, TOP_KEYS, {}, "body")
    refuse_test_mode(body)
    inputs = body.get("video_inputs")
    if not isinstance(inputs, list) or not inputs:
        raise invalid("Give at least one video input.", "video_inputs")
    if len(inputs) > MAX_SCENES:
        raise Unsupported(f"At most {MAX_SCENES} video inputs.", field="video_inputs")
    scenes = []
    for index, item in enumerate(inputs):
        field = f"video_inputs[{index}]"
        item = as_object(item, field)
        check_keys(item, {"character", "voice", "background"}, {"text": None}, field)
        avatar, layout = _character(item.get("character"), f"{field}.character")
        scene = {"avatar": avatar, "layout": layout, **_voice(item.get("voice"), f"{field}.voice")}
        if item.get("background") is not None:
            scene["background"] = background_fields(item["background"], f"{field}.background")
        scenes.append(scene)
    aspect, resolution = _frame(body)
    request = {"aspect": aspect, "resolution": resolution, "scenes": scenes}
    request["captions"] = bool(body.get("caption", False))
    if body.get("title"):
        request["title"] = str(body["title"])[:200]
    if body.get("callback_url"):
        request["callback_url"] = body["callback_url"]
    if body.get("folder_id"):
        request["project"] = body["folder_id"]  # our projects are HeyGen's folders
    callback_id = body.get("callback_id") or ""
    if not isinstance(callback_id, str) or len(callback_id) > 200:
        raise invalid("Give a callback_id of up to 200 characters.", "callback_id")
    return request, callback_id


# Our field paths (serializer and services) -> HeyGen's, for errors -----------------

_SCENE_FIELDS = {
    "script": "voice.input_text", "voice": "voice.voice_id", "audio": "voice.audio_asset_id",
    "rate": "voice.speed", "pitch": "voice.pitch", "avatar": "character",
    "background": "background", "layout": "character",
}  # fmt: skip
_TOP_FIELDS = {"scenes": "video_inputs", "aspect": "dimension", "resolution": "dimension",
               "captions": "caption", "project": "folder_id"}  # fmt: skip


def field_namer(scene_fields: dict, top_fields: dict, scene_path: str):
    """A function naming our field paths as a HeyGen version does: SCENE_PATH places a
    scene's field (``"video_inputs[{n}].{field}"``), the dicts rename the rest."""

    def heygen_field(field: str | None) -> str | None:
        if not field:
            return field
        parts = field.split(".")
        if parts[0] == "scenes" and len(parts) >= 3 and parts[1].isdigit():
            inner = scene_fields.get(parts[2], ".".join(parts[2:]))
            return scene_path.format(n=parts[1], field=inner)
        return top_fields.get(parts[0], field)

    return heygen_field


# ``scenes.0.voice`` -> ``video_inputs[0].voice.voice_id``
heygen_field = field_namer(_SCENE_FIELDS, _TOP_FIELDS, "video_inputs[{n}].{field}")


# Our objects in HeyGen's shapes ------------------------------------------------------

STATUS = {"queued": "pending", "running": "processing", "waiting": "waiting",
          "completed": "completed", "failed": "failed", "cancelled": "failed"}  # fmt: skip


def unix(moment) -> int | None:
    return int(moment.timestamp()) if moment else None


def video_status(video) -> dict:
    """A video as ``/v1/video_status.get`` gives it, plus our progress, stage and ETA."""
    from saas.studio.representation import file_url

    error = None
    if video.status in ("failed", "cancelled"):
        error = {
            "code": 40000 if video.status == "failed" else 40001,
            "message": video.error_message or "The video was cancelled.",
            "detail": f"{video.error_code or 'cancelled'}: stage {video.stage}",
        }
    completed = video.status == "completed"
    burned = bool((video.request or {}).get("captions"))  # caption: true burns them in
    return {
        "id": str(video.pk),
        "status": "waiting" if video.held else STATUS.get(video.status, video.status),
        "video_url": file_url(video.mp4) if completed else None,
        "thumbnail_url": file_url(video.poster) if completed else None,
        "gif_url": None,
        "caption_url": file_url(video.srt) if completed else None,
        "video_url_caption": file_url(video.mp4) if completed and burned else None,
        "duration": video.duration_s,
        "error": error,
        "callback_id": (video.request or {}).get("heygen", {}).get("callback_id") or None,
        "created_at": unix(video.created_at),
        "progress": video.progress,
        "stage": video.stage,
        "eta": video.eta_seconds,
    }


def video_item(video) -> dict:
    """A video as ``/v1/video.list`` lists it."""
    data = video_status(video)
    keep = ("status", "video_url", "thumbnail_url", "gif_url", "duration", "created_at",
            "callback_id", "progress")  # fmt: skip
    return {"video_id": data["id"], "video_title": video.title, "type": "GENERATED",
            **{k: data[k] for k in keep}}  # fmt: skip


# Templates ---------------------------------------------------------------------------

ASPECT_NAMES = {"9:16": "portrait", "16:9": "landscape", "1:1": "square"}
VARIABLE_TYPES = {"text": "text", "number": "text", "image": "image",
                  "presenter": "character", "voice": "voice"}  # fmt: skip


def template_item(template, thumbnail_url) -> dict:
    """A template as ``/v2/templates`` lists it (with its variables, as some clients read)."""
    return {"template_id": template.id, "name": template.name,
            "thumbnail_image_url": thumbnail_url, "thumbnail_url": thumbnail_url,
            "aspect_ratio": ASPECT_NAMES.get(template.aspect, "landscape"),
            "description": template.description,
            "variables": template_variables(template)}  # fmt: skip


def _properties(variable) -> dict:
    default = variable.default or ""
    if variable.type == "image":
        url = default if default.startswith("http") else ""
        return {"url": url, "asset_id": "" if url else default, "fit": "cover"}
    if variable.type == "presenter":
        return {"character_id": default, "type": "avatar"}
    if variable.type == "voice":
        return {"voice_id": default}
    return {"content": default}


def template_variables(template) -> dict:
    """``/v2/template/{id}``: each variable keyed by name, with HeyGen's type and properties."""
    return {
        v.name: {"name": v.name, "type": VARIABLE_TYPES[v.type], "properties": _properties(v)}
        for v in template.variables
    }


def template_values(template, variables) -> dict:
    """HeyGen's generate ``variables`` ({name: {type, properties}}) as our {name: value}."""
    if not isinstance(variables, dict):
        raise invalid("variables must be an object keyed by variable name.", "variables")
    ours = {v.name: v for v in template.variables}
    values = {}
    for name, given in variables.items():
        field = f"variables.{name}"
        if name not in ours:
            raise invalid(f"The template has no variable {name!r}.", field)
        properties = as_object(as_object(given, field).get("properties", {}), f"{field}.properties")
        kind = ours[name].type
        if kind == "image":
            value = properties.get("url") or properties.get("asset_id")
        elif kind == "presenter":
            value = properties.get("character_id") or properties.get("talking_photo_id")
        elif kind == "voice":
            value = properties.get("voice_id")
        else:
            value = properties.get("content")
        values[name] = "" if value is None else str(value)
    return values
