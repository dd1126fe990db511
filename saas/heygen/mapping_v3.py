"""HeyGen's v3 fields, mapped onto ours and back.

v3 makes one avatar video from one flat body (``POST /v3/videos``: ``type``,
``avatar_id``, ``script``, ``voice_id``, ``voice_settings``, ``background``...),
where v2 took a list of ``video_inputs``. It becomes the same request our
``POST /api/v1/videos`` takes, one scene; a field we cannot honour is refused
by its v3 name, a field at its default is fine. Answers use v3's names: a video
is ``id`` with ``failure_code``/``failure_message`` and Unix times, an avatar is
a group holding one look, a voice is keyed by ``voice_id``.
"""

from __future__ import annotations

from saas.errors import ServiceError

from . import mapping
from .mapping import Unsupported, as_object, check_keys, invalid

KEYS = {"type", "avatar_id", "script", "voice_id", "audio_url", "audio_asset_id", "title",
        "resolution", "aspect_ratio", "background", "callback_url", "callback_id",
        "voice_settings", "caption", "folder_id"}  # fmt: skip
# HeyGen fields we accept only at their default (what we do anyway)
DEFAULTS = {"remove_background": False, "motion_prompt": None, "expressiveness": None,
            "engine": None, "output_format": "mp4", "fit": None, "watermark": None}  # fmt: skip
VOICE_SETTINGS_KEYS = {"speed", "pitch"}
VOICE_SETTINGS_DEFAULTS = {"locale": None, "volume": 1.0, "engine_settings": None}
ASPECTS = ("16:9", "9:16", "1:1")
RESOLUTIONS = ("720p", "1080p")
OTHER_TYPES = {
    "image": "A photo is animated here as a photo avatar: create one (POST /api/v1/avatars, "
    "with the person's consent) and send type avatar with its id.",
    "cinematic_avatar": "Cinematic avatar videos are not made here.",
    "studio": "Studio videos (several scenes) are made with POST /v2/video/generate or "
    "POST /api/v1/videos.",
}


def video_request(body) -> tuple[dict, str]:
    """(our video request, callback_id) for a ``POST /v3/videos`` BODY."""
    body = as_object(body, "body")
    kind = body.get("type")
    if isinstance(kind, str) and kind in OTHER_TYPES:
        raise Unsupported(OTHER_TYPES[kind], field="type")
    if kind != "avatar":
        raise invalid("Choose type avatar.", "type")
    check_keys(body, KEYS, DEFAULTS, "body")
    avatar = body.get("avatar_id")
    if not isinstance(avatar, str) or not avatar:
        raise invalid("Give an avatar_id from GET /v3/avatars/looks.", "avatar_id")
    scene = {"avatar": avatar, "layout": "presenter", **_speech(body)}
    if body.get("background") is not None:
        scene["background"] = mapping.background_fields(body["background"], "background",
                                                        asset_key="asset_id")  # fmt: skip
    request = {"aspect": _choice(body, "aspect_ratio", ASPECTS, "16:9"),
               "resolution": _choice(body, "resolution", RESOLUTIONS, "720p"),
               "scenes": [scene], "captions": _captions(body.get("caption"))}  # fmt: skip
    if body.get("title"):
        request["title"] = str(body["title"])[:200]
    if body.get("callback_url"):
        request["callback_url"] = body["callback_url"]
    if body.get("folder_id"):
        request["project"] = body["folder_id"]
    callback_id = body.get("callback_id") or ""
    if not isinstance(callback_id, str) or len(callback_id) > 200:
        raise invalid("Give a callback_id of up to 200 characters.", "callback_id")
    return request, callback_id


def _speech(body: dict) -> dict:
    script, audio = body.get("script"), body.get("audio_asset_id")
    if body.get("audio_url"):
        raise Unsupported(
            "Audio is not fetched from a URL here: upload it with POST /v3/assets and give its "
            "asset_id as audio_asset_id.",
            field="audio_url",
        )
    if script is not None and audio is not None:
        raise invalid("Give script or audio_asset_id, not both.", "audio_asset_id")
    if audio is not None:
        if not isinstance(audio, str) or not audio:
            raise invalid("Give the asset_id of an uploaded audio file.", "audio_asset_id")
        return {"audio": audio}
    settings = as_object(body.get("voice_settings") or {}, "voice_settings")
    check_keys(settings, VOICE_SETTINGS_KEYS, VOICE_SETTINGS_DEFAULTS, "voice_settings")
    return mapping.speech(
        script, body.get("voice_id"), settings.get("speed"), settings.get("pitch"),
        text_field="script", voice_field="voice_id",
        speed_field="voice_settings.speed", pitch_field="voice_settings.pitch",
    )  # fmt: skip


def _choice(body: dict, field: str, ours: tuple, default: str) -> str:
    value = body.get(field)
    if value is None:
        return default
    if value not in ours:
        raise Unsupported(f"Choose one of {', '.join(ours)}.", field=field)
    return value


def _captions(caption) -> bool:
    """v3 always makes the subtitle file (we do too); a ``style`` burns captions in."""
    if caption is None:
        return False
    caption = as_object(caption, "caption")
    check_keys(caption, {"style"}, {"file_format": "srt"}, "caption")
    style = caption.get("style")
    if style not in (None, "default"):
        raise Unsupported(
            "Choose the caption style default, or leave it out.", field="caption.style"
        )
    return style is not None


# Our field paths (serializer and services) -> v3's, for errors ----------------------

_SCENE_FIELDS = {
    "script": "script", "voice": "voice_id", "audio": "audio_asset_id",
    "rate": "voice_settings.speed", "pitch": "voice_settings.pitch",
    "avatar": "avatar_id", "layout": "avatar_id", "background": "background",
}  # fmt: skip
_TOP_FIELDS = {"scenes": "script", "aspect": "aspect_ratio", "resolution": "resolution",
               "captions": "caption", "project": "folder_id"}  # fmt: skip


# ``scenes.0.voice`` -> ``voice_id`` (one scene); template variables keep their names
heygen_field = mapping.field_namer(_SCENE_FIELDS, _TOP_FIELDS, "{field}")


# Our objects in v3's shapes -----------------------------------------------------------

STATUS = {"queued": "pending", "waiting": "pending", "running": "processing",
          "completed": "completed", "failed": "failed", "cancelled": "failed"}  # fmt: skip


def video(video, page_url: str | None = None) -> dict:
    """A video as ``GET /v3/videos/{id}`` gives it, plus our progress, stage and ETA."""
    from saas.studio.representation import file_url

    done = video.status == "completed"
    failed = video.status in ("failed", "cancelled")
    burned = bool((video.request or {}).get("captions"))
    mp4 = file_url(video.mp4) if done else None
    return {
        "id": str(video.pk), "title": video.title or None,
        "status": STATUS.get(video.status, "pending"),
        "created_at": mapping.unix(video.created_at),
        "completed_at": mapping.unix(video.finished_at) if done else None,
        "video_url": mp4, "thumbnail_url": file_url(video.poster) if done else None,
        "gif_url": None, "captioned_video_url": mp4 if burned else None,
        "subtitle_url": file_url(video.srt) if done else None,
        "duration": video.duration_s if done else None,
        "folder_id": str(video.project_id) if video.project_id else None,
        "output_language": None,
        "failure_code": (video.error_code or "cancelled") if failed else None,
        "failure_message": (video.error_message or "The video was cancelled.") if failed else None,
        "video_page_url": page_url,
        "progress": video.progress, "stage": video.stage, "eta": video.eta_seconds,
        "callback_id": (video.request or {}).get("heygen", {}).get("callback_id") or None,
    }  # fmt: skip


AVATAR_TYPES = {"photo": "photo_avatar", "video": "digital_twin"}


def look(avatar_id: str, name: str, kind: str, image, preview, created) -> dict:
    """One of our presenters as a v3 look (its own group: ours have one look each)."""
    return {
        "id": avatar_id, "name": name, "avatar_type": AVATAR_TYPES.get(kind, "studio_avatar"),
        "group_id": avatar_id, "preview_image_url": image, "preview_video_url": preview,
        "gender": None, "tags": ["stock"] if kind == "stock" else [],
        "default_voice_id": None, "supported_api_engines": [], "image_width": None,
        "image_height": None, "preferred_orientation": None,
        "status": None if kind == "stock" else "completed", "error": None,
        "created_at": created,
    }  # fmt: skip


def group(look_item: dict) -> dict:
    keep = ("id", "name", "preview_image_url", "preview_video_url", "gender",
            "default_voice_id", "status", "error", "created_at")  # fmt: skip
    return {**{k: look_item[k] for k in keep}, "looks_count": 1, "consent_status": None}


def voice(item, language: str, preview: str) -> dict:
    return {"voice_id": item.id, "name": item.name, "language": language,
            "gender": item.gender, "preview_audio_url": preview, "support_pause": True,
            "support_locale": False, "type": "public"}  # fmt: skip


def endpoint(endpoint, secret: str | None = None) -> dict:
    """A webhook endpoint as v3 gives it (``events`` null: every event)."""
    return {"endpoint_id": str(endpoint.pk), "url": endpoint.url,
            "events": endpoint.events or None,
            "status": "enabled" if endpoint.active else "disabled",
            "created_at": endpoint.created_at.isoformat(), "secret": secret}  # fmt: skip


def template_item(template, thumbnail_url) -> dict:
    record = template.record
    return {"id": template.id, "name": template.name,
            "aspect_ratio": template.request.get("aspect"), "thumbnail_url": thumbnail_url,
            "created_at": mapping.unix(record.created_at) if record else None,
            "updated_at": mapping.unix(record.updated_at) if record else None}  # fmt: skip


def template_detail(template, thumbnail_url) -> dict:
    """``GET /v3/templates/{id}``: its scenes with the variables each uses, and every
    variable's default in the shape generate takes (HeyGen's ``{name, type, properties}``)."""
    from saas.batches import variables as vars_

    types = {v.name: mapping.VARIABLE_TYPES[v.type] for v in template.variables}
    scenes = []
    for number, scene in enumerate(template.request.get("scenes") or []):
        names = vars_.used({"scenes": [scene]})
        scenes.append({"scene_id": f"scene-{number + 1}", "script": scene.get("script"),
                       "variables": [{"name": n, "variable_type": types.get(n, "text")}
                                     for n in names]})  # fmt: skip
    return {**template_item(template, thumbnail_url),
            "scene_ids": [s["scene_id"] for s in scenes], "scenes": scenes,
            "variables": mapping.template_variables(template)}  # fmt: skip


TEMPLATE_KEYS = {"variables", "title", "caption", "callback_url", "callback_id", "folder_id"}
TEMPLATE_DEFAULTS = {"scene_ids": None, "subtitles": None, "dimension": None, "fps": None,
                     "brand_voice_id": None, "enable_sharing": False, "include_gif": False,
                     "keep_text_vertically_centered": False, "reorder_music": True}  # fmt: skip


def template_generate_v2(template, body) -> dict:
    """:func:`template_generate` for ``POST /v2/template/{id}/generate``, whose body also
    takes ``test`` (refused when true: nothing is rendered for free here)."""
    body = as_object(body, "body")
    mapping.refuse_test_mode(body)
    rest = {key: value for key, value in body.items() if key != "test"}
    rest.setdefault("variables", {})
    return template_generate(template, rest)


def template_generate(template, body) -> dict:
    """Keyword arguments for ``templates.generate`` from a ``POST /v3/templates/{id}`` BODY."""
    body = as_object(body, "body")
    check_keys(body, TEMPLATE_KEYS, TEMPLATE_DEFAULTS, "body")
    if "variables" not in body:
        raise invalid("Give the template's variables.", "variables")
    callback_id = body.get("callback_id")
    if callback_id is not None and not isinstance(callback_id, str):
        raise invalid("Give callback_id as a string.", "callback_id")
    caption = body.get("caption", False)
    if not isinstance(caption, bool):
        raise invalid("Give caption as true or false.", "caption")
    extra = {"callback_url": body.get("callback_url") or "", "project": body.get("folder_id")}
    if caption:
        extra["captions"] = True
    return {
        "values": mapping.template_values(template, body["variables"]),
        "title": str(body.get("title") or ""),
        "meta": {"heygen": {"callback_id": callback_id or None}},
        **extra,
    }


def limit(request, default: int, maximum: int) -> int:
    """The ``limit`` query parameter, checked the way HeyGen words it."""
    given = request.query_params.get("limit")
    if given is None:
        return default
    try:
        value = int(given)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise ServiceError(f"'limit' must be between 1 and {maximum}.", field="limit",
                           code="invalid_parameter")  # fmt: skip
    return value
