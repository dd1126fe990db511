"""From what the customer asked for (the API's video request) to an avatar RenderSpec.

Pure mapping, importable by the web process (no rendering stack): the API
validates a request by building its spec before it queues anything, so a bad
field is refused at once with its name.
"""

from __future__ import annotations

import re

from avatar.errors import InvalidInput
from avatar.presenters import DEFAULT_PRESENTER
from avatar.spec import RenderSpec
from saas.errors import ServiceError

DEFAULT_VOICE = "piper:en_US-joe-medium"
DEFAULT_AVATAR = DEFAULT_PRESENTER
ASSET = "asset:"
AVATAR = "asset:avatar/"
WATERMARK = {"text": "Made with Talking Ads", "position": "top-right", "opacity": 0.55}


def asset_ref(value):
    """An asset id from the API (a UUID string) as a spec reference."""
    if isinstance(value, str) and value and not value.startswith(ASSET):
        return ASSET + value
    return value


def media_item(item, ref=asset_ref):
    if isinstance(item, dict):
        src = item.get("asset") or item.get("src")
        rest = {k: v for k, v in item.items() if k not in ("asset", "src")}
        return {"src": ref(src), **rest}
    return {"src": ref(item)}


def scene_spec(scene: dict, ref=asset_ref) -> dict:
    if scene.get("audio"):
        speech = {"audio": asset_ref(scene["audio"])}
        if scene.get("transcript"):
            speech["transcript"] = scene["transcript"]
    else:
        speech = {"script": scene["script"], "voice": scene.get("voice") or DEFAULT_VOICE}
        speech.update({k: scene[k] for k in ("rate", "pitch") if scene.get(k) is not None})
    avatar = scene.get("avatar") or DEFAULT_AVATAR
    avatar_ref = _avatar_ref if ref is asset_ref else ref
    spec = {"speech": speech, "avatar": avatar_ref(avatar), "layout": scene.get("layout")}
    if scene.get("background"):
        spec["background"] = _background(scene["background"])
    if scene.get("media"):
        spec["media"] = [media_item(m, ref) for m in scene["media"]]
    if scene.get("overlays"):
        spec["overlays"] = scene["overlays"]
    if spec["layout"] is None:
        spec["layout"] = "corner" if spec.get("media") else "presenter"
    if spec["layout"] == "voiceover":
        spec["avatar"] = None
    return spec


def _avatar_ref(value: str) -> str:
    from avatar.presenters import STOCK

    return value if value in STOCK else AVATAR + value


def _background(background: dict) -> dict:
    if isinstance(background, dict) and background.get("src"):
        return {**background, "src": asset_ref(background["src"])}
    return background


def _music(music):
    if music is None or music is False:
        return None
    if isinstance(music, str):
        return {"track": music}
    if isinstance(music, dict) and music.get("asset"):
        rest = {k: v for k, v in music.items() if k != "asset"}
        return {"src": asset_ref(music["asset"]), **rest}
    return music


def _captions(captions):
    if captions is None or captions is True:
        return {"enabled": True, "style": "social"}
    if captions is False:
        return {"enabled": False}
    return captions


def build_spec(request: dict, *, watermark: bool, ref=asset_ref) -> dict:
    """The RenderSpec (as a dict) for a video request.

    REF turns the request's file references into spec ones: asset ids by
    default; the command line passes local paths through unchanged.
    """
    spec = {
        "version": 1,
        "output": {
            "aspect": request.get("aspect", "16:9"),
            "resolution": request.get("resolution", "720p"),
        },
        "captions": _captions(request.get("captions")),
        "music": _music(request.get("music")),
        "scenes": [scene_spec(scene, ref) for scene in request["scenes"]],
    }
    if request.get("transitions"):
        spec["transition"] = request["transitions"]
    if request.get("brand"):
        brand = request["brand"]  # not an object: the spec's reader says so, by the field
        if isinstance(brand, dict) and brand.get("logo"):
            brand = dict(brand)
            brand["logo"] = asset_ref(brand["logo"])
        spec["brand"] = brand
    if watermark:
        spec["watermark"] = WATERMARK
    return spec


def api_field(spec_field: str | None) -> str | None:
    """`scenes[1].speech.script` (the spec's path) -> `scenes.1.script` (the API's)."""
    if not spec_field:
        return None
    field = re.sub(r"\[(\d+)\]", r".\1", spec_field).replace(".speech.", ".")
    field = re.sub(r"^transition\b", "transitions", field)  # the request's name for it
    return field.replace("output.", "")


def validate(request: dict, *, watermark: bool) -> RenderSpec:
    """Build and check the spec; a ServiceError names the request field at fault."""
    try:
        return RenderSpec.from_dict(build_spec(request, watermark=watermark))
    except InvalidInput as exc:
        raise ServiceError(exc.message, field=api_field(exc.field), code=exc.code) from None
