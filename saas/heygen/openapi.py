"""The HeyGen calls this server answers, as an OpenAPI 3.0 document (``GET /v2/openapi.json``).

Written from HeyGen's public API reference and from what its clients send and expect
(field names, types, enums, required fields, envelopes), for the calls built here. The
contract test validates every implemented operation's requests and real answers against
it, and schemathesis fuzzes the routes from it: a drift from HeyGen's shapes fails CI.
"""

from __future__ import annotations

NULLABLE_STRING = {"type": "string", "nullable": True}
NULLABLE_INT = {"type": "integer", "nullable": True}
NULLABLE_NUMBER = {"type": "number", "nullable": True}


def _obj(properties: dict, required=(), extra: bool = True) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if not extra:
        schema["additionalProperties"] = False
    return schema


ERROR = _obj(
    {"code": {"type": "string"}, "message": {"type": "string"}, "param": NULLABLE_STRING,
     "detail": {"nullable": True}},
    required=("code", "message"),
)  # fmt: skip
V2_ERROR = _obj({"error": ERROR, "data": {"nullable": True, "enum": [None]}}, ("error", "data"))
V1_ERROR = _obj(
    {"code": {"type": "integer"}, "message": {"type": "string"}, "error": ERROR,
     "data": {"nullable": True, "enum": [None]}},
    required=("code", "message", "error", "data"),
)  # fmt: skip


def v2(data: dict) -> dict:
    return _obj({"error": {"nullable": True, "enum": [None]}, "data": data}, ("error", "data"))


def v1(data: dict) -> dict:
    return _obj(
        {"code": {"type": "integer", "enum": [100]}, "message": {"type": "string"}, "data": data},
        required=("code", "data", "message"),
    )


CHARACTER = _obj(
    {
        "type": {"type": "string", "enum": ["avatar", "talking_photo"]},
        "avatar_id": {"type": "string"},
        "talking_photo_id": {"type": "string"},
        "avatar_style": {"type": "string", "enum": ["normal", "circle", "closeUp"]},
        "talking_photo_style": {"type": "string", "enum": ["square", "circle"]},
        "scale": {"type": "number"},
        "offset": _obj({"x": {"type": "number"}, "y": {"type": "number"}}),
    },
    required=("type",),
)
VOICE = _obj(
    {
        "type": {"type": "string", "enum": ["text", "audio", "silence"]},
        "voice_id": {"type": "string"},
        "input_text": {"type": "string", "maxLength": 5000},
        "speed": {"type": "number", "minimum": 0.5, "maximum": 1.5},
        "pitch": {"type": "number", "minimum": -50, "maximum": 50},
        "audio_url": {"type": "string"},
        "audio_asset_id": {"type": "string"},
        "duration": {"type": "number"},
    },
    required=("type",),
)
BACKGROUND = _obj(
    {
        "type": {"type": "string", "enum": ["color", "image", "video"]},
        "value": {"type": "string"},
        "url": {"type": "string"},
        "image_asset_id": {"type": "string"},
        "video_asset_id": {"type": "string"},
        "play_style": {"type": "string", "enum": ["fit_to_scene", "freeze", "loop", "full_video"]},
        "fit": {"type": "string", "enum": ["cover", "crop", "contain", "none"]},
    },
    required=("type",),
)
GENERATE = _obj(
    {
        "video_inputs": {
            "type": "array", "minItems": 1, "maxItems": 50,
            "items": _obj({"character": CHARACTER, "voice": VOICE, "background": BACKGROUND},
                          required=("character", "voice")),
        },
        "dimension": _obj({"width": {"type": "integer"}, "height": {"type": "integer"}},
                          required=("width", "height")),
        "aspect_ratio": {"type": "string", "nullable": True},
        "caption": {"type": "boolean"},
        "title": {"type": "string"},
        "callback_id": {"type": "string", "nullable": True},
        "callback_url": {"type": "string"},
        "folder_id": {"type": "string"},
        "test": {"type": "boolean"},
    },
    required=("video_inputs",),
)  # fmt: skip
STATUSES = ["pending", "waiting", "processing", "completed", "failed"]
STATUS_ENUM = {"type": "string", "enum": STATUSES}
VIDEO_STATUS = _obj(
    {
        "id": {"type": "string"},
        "status": STATUS_ENUM,
        "video_url": NULLABLE_STRING,
        "thumbnail_url": NULLABLE_STRING,
        "gif_url": NULLABLE_STRING,
        "caption_url": NULLABLE_STRING,
        "video_url_caption": NULLABLE_STRING,
        "duration": NULLABLE_NUMBER,
        "error": {
            "nullable": True,
            **_obj({"code": {"type": "integer"}, "message": {"type": "string"},
                    "detail": NULLABLE_STRING}, ("code", "message")),
        },
        "callback_id": NULLABLE_STRING,
        "created_at": {"type": "integer"},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "stage": {"type": "string"},
        "eta": NULLABLE_INT,
    },
    required=("id", "status", "video_url", "thumbnail_url", "duration", "error", "created_at"),
)  # fmt: skip
VIDEO_ITEM = _obj(
    {"video_id": {"type": "string"}, "video_title": {"type": "string"}, "status": STATUS_ENUM,
     "type": {"type": "string"}, "created_at": {"type": "integer"},
     "thumbnail_url": NULLABLE_STRING, "video_url": NULLABLE_STRING, "gif_url": NULLABLE_STRING,
     "duration": NULLABLE_NUMBER, "callback_id": NULLABLE_STRING},
    required=("video_id", "status", "created_at"),
)  # fmt: skip
AVATAR = _obj(
    {"avatar_id": {"type": "string"}, "avatar_name": {"type": "string"},
     "gender": NULLABLE_STRING, "preview_image_url": NULLABLE_STRING,
     "preview_video_url": NULLABLE_STRING, "premium": {"type": "boolean"},
     "type": NULLABLE_STRING, "tags": {"type": "array", "items": {"type": "string"}}},
    required=("avatar_id", "avatar_name"),
)  # fmt: skip
TALKING_PHOTO = _obj(
    {"talking_photo_id": {"type": "string"}, "talking_photo_name": {"type": "string"},
     "preview_image_url": NULLABLE_STRING},
    required=("talking_photo_id", "talking_photo_name"),
)  # fmt: skip
VOICE_ITEM = _obj(
    {"voice_id": {"type": "string"}, "language": {"type": "string"},
     "gender": {"type": "string"}, "name": {"type": "string"},
     "preview_audio": NULLABLE_STRING, "support_pause": {"type": "boolean"},
     "emotion_support": {"type": "boolean"}, "support_interactive_avatar": {"type": "boolean"}},
    required=("voice_id", "language", "gender", "name", "support_pause", "emotion_support",
              "support_interactive_avatar"),
)  # fmt: skip
ASSET = _obj(
    {"id": {"type": "string"}, "name": {"type": "string"},
     "file_type": {"type": "string", "enum": ["image", "audio", "video"]},
     "url": {"type": "string"}, "image_key": NULLABLE_STRING, "folder_id": {"type": "string"},
     "created_ts": {"type": "integer"}},
    required=("id", "file_type", "url"),
)  # fmt: skip
ENDPOINT = _obj(
    {"endpoint_id": {"type": "string"}, "url": {"type": "string"},
     "status": {"type": "string", "enum": ["enabled", "disabled"]},
     "events": {"type": "array", "items": {"type": "string"}},
     "created_at": {"type": "string"}},
    required=("endpoint_id", "url", "status", "events"),
)  # fmt: skip
VIDEO_ID_PARAM = {"name": "video_id", "in": "query", "required": True,
                  "schema": {"type": "string"}}  # fmt: skip
TEMPLATE_ID_PARAM = {"name": "template_id", "in": "path", "required": True,
                     "schema": {"type": "string"}}  # fmt: skip
TEMPLATE_ITEM = _obj(
    {"template_id": {"type": "string"}, "name": {"type": "string"},
     "thumbnail_image_url": NULLABLE_STRING,
     "aspect_ratio": {"type": "string", "enum": ["landscape", "portrait", "square"]}},
    required=("template_id", "name", "thumbnail_image_url", "aspect_ratio"),
)  # fmt: skip
TEMPLATE_VARIABLE = _obj(
    {"name": {"type": "string"},
     "type": {"type": "string", "enum": ["text", "image", "character", "voice"]},
     "properties": {"type": "object"}},
    required=("name", "type", "properties"),
)  # fmt: skip


def _answers(ok: dict, error: dict, codes=("400", "401", "404")) -> dict:
    json = "application/json"
    answers = {"200": {"description": "Success", "content": {json: {"schema": ok}}}}
    for code in codes:
        answers[code] = {"description": "Error", "content": {json: {"schema": error}}}
    return answers


OPERATIONS = {
    ("post", "/v2/video/generate"): {
        "operationId": "video_generate",
        "requestBody": {"required": True, "content": {"application/json": {"schema": GENERATE}}},
        "responses": _answers(v2(_obj({"video_id": {"type": "string"}}, ("video_id",))),
                              V2_ERROR, ("400", "401", "402", "403", "404", "429")),
    },
    ("get", "/v1/video_status.get"): {
        "operationId": "video_status",
        "parameters": [VIDEO_ID_PARAM,
                       {"name": "wait", "in": "query", "schema": {"type": "number"}}],
        "responses": _answers(v1(VIDEO_STATUS), V1_ERROR),
    },
    ("get", "/v1/video.list"): {
        "operationId": "video_list",
        "parameters": [{"name": "token", "in": "query", "schema": {"type": "string"}}],
        "responses": _answers(v1(_obj({"videos": {"type": "array", "items": VIDEO_ITEM},
                                       "token": NULLABLE_STRING}, ("videos", "token"))),
                              V1_ERROR),
    },
    ("delete", "/v1/video.delete"): {
        "operationId": "video_delete",
        "parameters": [VIDEO_ID_PARAM],
        "responses": _answers(v1({"nullable": True, "enum": [None]}), V1_ERROR),
    },
    ("get", "/v2/avatars"): {
        "operationId": "avatars_list",
        "responses": _answers(v2(_obj({"avatars": {"type": "array", "items": AVATAR},
                                       "talking_photos": {"type": "array",
                                                          "items": TALKING_PHOTO}},
                                      ("avatars", "talking_photos"))), V2_ERROR),
    },
    ("get", "/v2/voices"): {
        "operationId": "voices_list",
        "responses": _answers(v2(_obj({"voices": {"type": "array", "items": VOICE_ITEM}},
                                      ("voices",))), V2_ERROR),
    },
    ("get", "/v2/user/remaining_quota"): {
        "operationId": "remaining_quota",
        "responses": _answers(v2(_obj({"remaining_quota": {"type": "integer"},
                                       "details": {"type": "object"}},
                                      ("remaining_quota", "details"))), V2_ERROR),
    },
    ("post", "/v1/asset"): {
        "operationId": "asset_upload",
        "requestBody": {"required": True, "content": {
            t: {"schema": {"type": "string", "format": "binary"}}
            for t in ("image/png", "image/jpeg", "audio/mpeg")}},
        "responses": _answers(v1(ASSET), V1_ERROR, ("400", "401", "413")),
    },
    ("post", "/v1/webhook/endpoint.add"): {
        "operationId": "webhook_endpoint_add",
        "requestBody": {"required": True, "content": {"application/json": {"schema": _obj(
            {"url": {"type": "string"}, "events": {"type": "array",
                                                   "items": {"type": "string"}}},
            required=("url",))}}},
        "responses": _answers(v1(_obj(dict(ENDPOINT["properties"], secret={"type": "string"}),
                                      (*ENDPOINT["required"], "secret"))), V1_ERROR,
                              ("400", "401", "403")),
    },
    ("get", "/v1/webhook/endpoint.list"): {
        "operationId": "webhook_endpoint_list",
        "responses": _answers(v1({"type": "array", "items": ENDPOINT}), V1_ERROR,
                              ("401", "403")),
    },
    ("delete", "/v1/webhook/endpoint.delete"): {
        "operationId": "webhook_endpoint_delete",
        "parameters": [{"name": "endpoint_id", "in": "query", "required": True,
                        "schema": {"type": "string"}}],
        "responses": _answers(v1({"nullable": True, "enum": [None]}), V1_ERROR),
    },
    ("get", "/v2/templates"): {
        "operationId": "templates_list",
        "responses": _answers(v2(_obj({"templates": {"type": "array", "items": TEMPLATE_ITEM}},
                                      ("templates",))), V2_ERROR),
    },
    ("get", "/v2/template/{template_id}"): {
        "operationId": "template_get",
        "parameters": [TEMPLATE_ID_PARAM],
        "responses": _answers(v2(_obj({"variables": {"type": "object",
                                                     "additionalProperties": TEMPLATE_VARIABLE}},
                                      ("variables",))), V2_ERROR),
    },
    ("get", "/v3/template/{template_id}"): {
        "operationId": "template_get_v3",
        "parameters": [TEMPLATE_ID_PARAM],
        "responses": _answers(v2(_obj({"id": {"type": "string"}, "name": {"type": "string"},
                                       "variables": {"type": "array",
                                                     "items": TEMPLATE_VARIABLE}},
                                      ("id", "name", "variables"))), V2_ERROR),
    },
    ("post", "/v2/template/{template_id}/generate"): {
        "operationId": "template_generate",
        "parameters": [TEMPLATE_ID_PARAM],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _obj(
            {"variables": {"type": "object", "additionalProperties": _obj(
                {"name": {"type": "string"}, "type": {"type": "string"},
                 "properties": {"type": "object"}})},
             "title": {"type": "string"}, "callback_id": {"type": "string"},
             "callback_url": {"type": "string"}, "test": {"type": "boolean"},
             "caption": {"type": "boolean"}})}}},
        "responses": _answers(v2(_obj({"video_id": {"type": "string"}}, ("video_id",))),
                              V2_ERROR, ("400", "401", "402", "403", "404", "429")),
    },
    ("get", "/v1/webhook/webhook.list"): {
        "operationId": "webhook_events",
        "responses": _answers(v1({"type": "array", "items": {"type": "string"}}), V1_ERROR,
                              ("401",)),
    },
}  # fmt: skip
# v3 ----------------------------------------------------------------------------------
V3_ERROR = _obj(
    {"error": _obj({"code": {"type": "string"}, "message": {"type": "string"},
                    "param": NULLABLE_STRING, "doc_url": NULLABLE_STRING,
                    "detail": {"nullable": True}}, ("code", "message"))},
    required=("error",),
)  # fmt: skip


def v3(data: dict) -> dict:
    return _obj({"data": data}, ("data",))


def v3_list(item: dict) -> dict:
    return _obj(
        {"data": {"type": "array", "items": item}, "has_more": {"type": "boolean"},
         "next_token": NULLABLE_STRING},
        required=("data", "has_more", "next_token"),
    )  # fmt: skip


def _query(*names: str, limit: int | None = None) -> list[dict]:
    found = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in names]
    if limit:
        found.append({"name": "limit", "in": "query",
                      "schema": {"type": "integer", "minimum": 1, "maximum": limit}})  # fmt: skip
        found.append({"name": "token", "in": "query", "schema": {"type": "string"}})
    return found


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


V3_STATUS = {"type": "string", "enum": ["pending", "processing", "completed", "failed"]}
V3_VIDEO = _obj(
    {"id": {"type": "string"}, "status": V3_STATUS, "title": NULLABLE_STRING,
     "created_at": NULLABLE_INT, "completed_at": NULLABLE_INT, "video_url": NULLABLE_STRING,
     "thumbnail_url": NULLABLE_STRING, "gif_url": NULLABLE_STRING,
     "captioned_video_url": NULLABLE_STRING, "subtitle_url": NULLABLE_STRING,
     "duration": NULLABLE_NUMBER, "folder_id": NULLABLE_STRING,
     "output_language": NULLABLE_STRING, "failure_code": NULLABLE_STRING,
     "failure_message": NULLABLE_STRING, "video_page_url": NULLABLE_STRING,
     "progress": {"type": "integer", "minimum": 0, "maximum": 100}, "stage": {"type": "string"},
     "eta": NULLABLE_INT},
    required=("id", "status"),
)  # fmt: skip
ASSET_INPUT = _obj({"type": {"type": "string"}, "url": {"type": "string"},
                    "asset_id": {"type": "string"}}, ("type",))  # fmt: skip
V3_CREATE = _obj(
    {"type": {"type": "string", "enum": ["avatar", "image", "cinematic_avatar", "studio"]},
     "avatar_id": {"type": "string"}, "script": {"type": "string", "nullable": True},
     "voice_id": NULLABLE_STRING, "audio_url": NULLABLE_STRING,
     "audio_asset_id": NULLABLE_STRING, "title": NULLABLE_STRING,
     "resolution": {"type": "string", "nullable": True, "enum": ["4k", "1080p", "720p"]},
     "aspect_ratio": {"type": "string", "nullable": True,
                      "enum": ["16:9", "9:16", "4:5", "5:4", "1:1", "auto"]},
     "background": {"nullable": True, **_obj(
         {"type": {"type": "string", "enum": ["color", "image"]}, "value": {"type": "string"},
          "url": {"type": "string"}, "asset_id": {"type": "string"}}, ("type",))},
     "remove_background": {"type": "boolean", "nullable": True},
     "callback_url": NULLABLE_STRING, "callback_id": NULLABLE_STRING,
     "voice_settings": {"nullable": True, **_obj(
         {"speed": {"type": "number", "minimum": 0.5, "maximum": 1.5},
          "pitch": {"type": "number", "minimum": -50, "maximum": 50},
          "locale": NULLABLE_STRING, "volume": {"type": "number"}})},
     "motion_prompt": NULLABLE_STRING,
     "expressiveness": {"type": "string", "nullable": True, "enum": ["high", "medium", "low"]},
     "engine": {"type": "object", "nullable": True},
     "output_format": {"type": "string", "enum": ["mp4", "webm"]},
     "fit": {"type": "string", "nullable": True, "enum": ["contain", "cover"]},
     "caption": {"nullable": True, **_obj({"file_format": {"type": "string", "enum": ["srt"]},
                                           "style": NULLABLE_STRING})},
     "image": ASSET_INPUT},
    required=("type",),
)  # fmt: skip
V3_LOOK = _obj(
    {"id": {"type": "string"}, "name": {"type": "string"},
     "avatar_type": {"type": "string",
                     "enum": ["studio_avatar", "digital_twin", "photo_avatar", "video_avatar"]},
     "group_id": NULLABLE_STRING, "preview_image_url": NULLABLE_STRING,
     "preview_video_url": NULLABLE_STRING, "gender": NULLABLE_STRING,
     "tags": {"type": "array", "items": {"type": "string"}},
     "default_voice_id": NULLABLE_STRING,
     "supported_api_engines": {"type": "array", "items": {"type": "string"}},
     "image_width": NULLABLE_INT, "image_height": NULLABLE_INT,
     "preferred_orientation": NULLABLE_STRING, "status": NULLABLE_STRING,
     "error": {"type": "object", "nullable": True}},
    required=("id", "name", "avatar_type"),
)  # fmt: skip
V3_GROUP = _obj(
    {"id": {"type": "string"}, "name": {"type": "string"}, "created_at": {"type": "integer"},
     "looks_count": {"type": "integer"}, "preview_image_url": NULLABLE_STRING,
     "preview_video_url": NULLABLE_STRING, "gender": NULLABLE_STRING,
     "default_voice_id": NULLABLE_STRING, "consent_status": NULLABLE_STRING,
     "status": {"type": "string", "nullable": True,
                "enum": ["processing", "pending_consent", "failed", "completed"]},
     "error": {"type": "object", "nullable": True}},
    required=("id", "name", "created_at", "looks_count"),
)  # fmt: skip
V3_VOICE = _obj(
    {"voice_id": {"type": "string"}, "name": {"type": "string"}, "language": {"type": "string"},
     "gender": {"type": "string"}, "preview_audio_url": NULLABLE_STRING,
     "support_pause": {"type": "boolean"}, "support_locale": {"type": "boolean"},
     "type": {"type": "string", "enum": ["public", "private"]}},
    required=("voice_id", "name", "language", "gender", "support_pause", "support_locale",
              "type"),
)  # fmt: skip
V3_ENDPOINT = _obj(
    {"endpoint_id": {"type": "string"}, "url": {"type": "string"},
     "events": {"type": "array", "items": {"type": "string"}, "nullable": True},
     "status": {"type": "string", "enum": ["enabled", "disabled"]},
     "created_at": {"type": "string"}, "secret": NULLABLE_STRING},
    required=("endpoint_id", "url", "status", "created_at"),
)  # fmt: skip
V3_TEMPLATE = _obj(
    {"id": {"type": "string"}, "name": {"type": "string"}, "aspect_ratio": NULLABLE_STRING,
     "thumbnail_url": NULLABLE_STRING, "created_at": NULLABLE_INT, "updated_at": NULLABLE_INT},
    required=("id", "name"),
)  # fmt: skip
V3_TEMPLATE_DETAIL = _obj(
    {**V3_TEMPLATE["properties"], "scene_ids": {"type": "array", "items": {"type": "string"}},
     "scenes": {"type": "array", "items": _obj(
         {"scene_id": {"type": "string"}, "script": NULLABLE_STRING,
          "variables": {"type": "array", "items": _obj(
              {"name": {"type": "string"}, "variable_type": {"type": "string", "enum": [
                  "text", "image", "video", "audio", "character", "voice"]}},
              ("name", "variable_type"))}},
         ("scene_id",))},
     "variables": {"type": "object", "additionalProperties": TEMPLATE_VARIABLE}},
    required=("id", "name", "scenes", "variables"),
)  # fmt: skip
V3_EVENT = _obj(
    {"event_id": {"type": "string"}, "event_type": {"type": "string"},
     "event_data": {"type": "object"}, "created_at": {"type": "string"}},
    ("event_id", "event_type", "event_data", "created_at"),
)  # fmt: skip
ENDPOINT_BODY = _obj(
    {
        "url": {"type": "string"},
        "events": {"type": "array", "items": {"type": "string"}, "nullable": True},
    }
)
JSON = "application/json"
LIST_CODES = ("400", "401", "429")

OPERATIONS.update({
    ("post", "/v3/videos"): {
        "operationId": "v3_video_create",
        "requestBody": {"required": True, "content": {JSON: {"schema": V3_CREATE}}},
        "responses": _answers(v3(_obj({"video_id": {"type": "string"},
                                       "status": {"type": "string"},
                                       "output_format": {"type": "string"}},
                                      ("video_id", "status"))),
                              V3_ERROR, ("400", "401", "402", "403", "404", "409", "429")),
    },
    ("get", "/v3/videos"): {
        "operationId": "v3_video_list",
        "parameters": _query("title", "folder_id", limit=100),
        "responses": _answers(v3_list(V3_VIDEO), V3_ERROR, LIST_CODES),
    },
    ("get", "/v3/videos/{video_id}"): {
        "operationId": "v3_video_get",
        "parameters": [_path("video_id")],
        "responses": _answers(v3(V3_VIDEO), V3_ERROR),
    },
    ("delete", "/v3/videos/{video_id}"): {
        "operationId": "v3_video_delete",
        "parameters": [_path("video_id")],
        "responses": _answers(v3(_obj({"id": {"type": "string"},
                                       "deleted": {"type": "boolean", "enum": [True]}},
                                      ("id", "deleted"))), V3_ERROR),
    },
    ("get", "/v3/avatars"): {
        "operationId": "v3_avatar_groups",
        "parameters": _query("ownership", limit=50),
        "responses": _answers(v3_list(V3_GROUP), V3_ERROR, LIST_CODES),
    },
    ("get", "/v3/avatars/{group_id}"): {
        "operationId": "v3_avatar_group",
        "parameters": [_path("group_id")],
        "responses": _answers(v3(V3_GROUP), V3_ERROR),
    },
    ("get", "/v3/avatars/looks"): {
        "operationId": "v3_avatar_looks",
        "parameters": _query("group_id", "avatar_type", "ownership", limit=50),
        "responses": _answers(v3_list(V3_LOOK), V3_ERROR, LIST_CODES),
    },
    ("get", "/v3/avatars/looks/{look_id}"): {
        "operationId": "v3_avatar_look",
        "parameters": [_path("look_id")],
        "responses": _answers(v3(V3_LOOK), V3_ERROR),
    },
    ("get", "/v3/voices"): {
        "operationId": "v3_voices",
        "parameters": _query("type", "language", "gender", "engine", limit=100),
        "responses": _answers(v3_list(V3_VOICE), V3_ERROR, LIST_CODES),
    },
    ("get", "/v3/voices/{voice_id}"): {
        "operationId": "v3_voice",
        "parameters": [_path("voice_id")],
        "responses": _answers(v3(V3_VOICE), V3_ERROR),
    },
    ("post", "/v3/assets"): {
        "operationId": "v3_asset_upload",
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _obj(
            {"file": {"type": "string", "format": "binary"}}, ("file",))}}},
        "responses": _answers(v3(_obj({"asset_id": {"type": "string"}, "url": {"type": "string"},
                                       "mime_type": {"type": "string"},
                                       "size_bytes": {"type": "integer"}},
                                      ("asset_id", "url", "mime_type", "size_bytes"))),
                              V3_ERROR, ("400", "401", "413")),
    },
    ("get", "/v3/users/me"): {
        "operationId": "v3_me",
        "responses": _answers(v3(_obj({"username": {"type": "string"},
                                       "email": NULLABLE_STRING,
                                       "billing_type": {"type": "string"},
                                       "wallet": {"type": "object"}},
                                      ("username",))), V3_ERROR, ("401",)),
    },
    ("get", "/v3/templates"): {
        "operationId": "v3_templates",
        "parameters": _query(limit=100),
        "responses": _answers(v3_list(V3_TEMPLATE), V3_ERROR, LIST_CODES),
    },
    ("get", "/v3/templates/{template_id}"): {
        "operationId": "v3_template",
        "parameters": [TEMPLATE_ID_PARAM],
        "responses": _answers(v3(V3_TEMPLATE_DETAIL), V3_ERROR),
    },
    ("post", "/v3/templates/{template_id}"): {
        "operationId": "v3_template_generate",
        "parameters": [TEMPLATE_ID_PARAM],
        "requestBody": {"required": True, "content": {JSON: {"schema": _obj(
            {"variables": {"type": "object"}, "title": NULLABLE_STRING,
             "caption": {"type": "boolean"}, "callback_url": NULLABLE_STRING,
             "callback_id": NULLABLE_STRING, "folder_id": NULLABLE_STRING},
            ("variables",))}}},
        "responses": _answers(v3(V3_VIDEO), V3_ERROR,
                              ("400", "401", "402", "403", "404", "409", "429")),
    },
    ("post", "/v3/webhooks/endpoints"): {
        "operationId": "v3_webhook_create",
        "requestBody": {"required": True, "content": {JSON: {"schema": _obj(
            ENDPOINT_BODY["properties"], ("url",))}}},
        "responses": _answers(v3(V3_ENDPOINT), V3_ERROR, ("400", "401", "403", "409")),
    },
    ("get", "/v3/webhooks/endpoints"): {
        "operationId": "v3_webhook_list",
        "parameters": _query(limit=100),
        "responses": _answers(v3_list(V3_ENDPOINT), V3_ERROR, ("400", "401", "403")),
    },
    ("patch", "/v3/webhooks/endpoints/{endpoint_id}"): {
        "operationId": "v3_webhook_update",
        "parameters": [_path("endpoint_id")],
        "requestBody": {"required": True, "content": {JSON: {"schema": ENDPOINT_BODY}}},
        "responses": _answers(v3(V3_ENDPOINT), V3_ERROR, ("400", "401", "403", "404")),
    },
    ("delete", "/v3/webhooks/endpoints/{endpoint_id}"): {
        "operationId": "v3_webhook_delete",
        "parameters": [_path("endpoint_id")],
        "responses": _answers(_obj({"data": {"type": "object"},
                                    "error": {"nullable": True, "enum": [None]}}, ("data",)),
                              V3_ERROR, ("401", "403", "404")),
    },
    ("post", "/v3/webhooks/endpoints/{endpoint_id}/rotate-secret"): {
        "operationId": "v3_webhook_rotate",
        "parameters": [_path("endpoint_id")],
        "responses": _answers(v3(_obj({"endpoint_id": {"type": "string"},
                                       "secret": {"type": "string"}},
                                      ("endpoint_id", "secret"))),
                              V3_ERROR, ("401", "403", "404")),
    },
    ("get", "/v3/webhooks/event-types"): {
        "operationId": "v3_webhook_event_types",
        "responses": _answers(v3_list(_obj({"event_type": {"type": "string"},
                                            "description": {"type": "string"}},
                                           ("event_type",))), V3_ERROR, ("401",)),
    },
    ("get", "/v3/webhooks/events"): {
        "operationId": "v3_webhook_events",
        "parameters": _query("event_type", limit=100),
        "responses": _answers(v3_list(V3_EVENT), V3_ERROR, ("400", "401", "403")),
    },
})  # fmt: skip

# What a HeyGen-style webhook delivery's body is (saas/heygen/webhooks.py)
EVENT = _obj(
    {"event_type": {"type": "string", "enum": ["avatar_video.success", "avatar_video.fail"]},
     "event_data": _obj({"video_id": {"type": "string"}, "url": NULLABLE_STRING,
                         "callback_id": NULLABLE_STRING, "msg": {"type": "string"}},
                        ("video_id", "callback_id"))},
    required=("event_type", "event_data"),
)  # fmt: skip


def document() -> dict:
    paths: dict = {}
    for (method, path), operation in OPERATIONS.items():
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "HeyGen-compatible API",
            "version": "3",
            "description": "HeyGen's v1, v2 and v3 calls this server answers; see the README's "
            "'Migrating from HeyGen'.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}
        },
        "security": [{"apiKey": []}],
    }


def response_schema(method: str, path: str, status: int) -> dict:
    answers = OPERATIONS[(method, path)]["responses"]
    answer = answers.get(str(status)) or answers["400"]
    return answer["content"]["application/json"]["schema"]


def json_schema(schema):
    """SCHEMA (OpenAPI 3.0: ``nullable``) as plain JSON Schema, for validators."""
    if isinstance(schema, list):
        return [json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: json_schema(v) for k, v in schema.items() if k != "nullable"}
    if not schema.get("nullable"):
        return out
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    if "type" in out:
        out["type"] = [out["type"], "null"]
    return out
