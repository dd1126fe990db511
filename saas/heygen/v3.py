"""HeyGen's v3 routes over our services: transport and shapes only.

The same keys, roles, rate limit, Idempotency-Key, credits and isolation as the v1/v2
routes (views.HeyGenView); v3's envelope (``{"data": ...}``, lists with ``has_more`` and
``next_token``) and errors (``{"error": {code, message, param, doc_url}}``).
"""

from __future__ import annotations

import base64
import uuid

from django.urls import reverse
from rest_framework import exceptions, parsers

from saas.api.idempotency import idempotent
from saas.errors import NotFound, ServiceError
from saas.studio import services as studio
from saas.studio.models import Video

from . import envelopes, mapping, mapping_v3, views, webhooks
from .views import HeyGenView, TokenPagination, _body, create_video


class V3View(HeyGenView):
    version = 3
    field_names = staticmethod(mapping_v3.heygen_field)

    def ok(self, data, status: int = 200):
        return envelopes.v3(data, status)

    def page(self, items: list, default: int, maximum: int):
        """ITEMS (a list made here) a page at a time: ``limit`` and an opaque ``token``."""
        size = mapping_v3.limit(self.request, default, maximum)
        start = _offset(self.request.query_params.get("token"))
        end = start + size
        more = end < len(items)
        return envelopes.v3_list(items[start:end], more, _token(end) if more else None)

    def video_data(self, video: Video) -> dict:
        page = self.request.build_absolute_uri(reverse("video", args=[video.pk]))
        return mapping_v3.video(video, page)


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if text[:1] == "o" and text[1:].isdigit():
            return int(text[1:])
    except (ValueError, UnicodeDecodeError):
        pass
    raise ServiceError("This token is not one we gave.", field="token", code="invalid_parameter")


# Videos ---------------------------------------------------------------------------------


class Videos(V3View):
    """``POST /v3/videos`` (one avatar video) and ``GET /v3/videos`` (newest first)."""

    @idempotent
    def post(self, request):
        video = create_video(request.membership, *mapping_v3.video_request(request.data))
        return self.ok({"video_id": str(video.pk), "status": "waiting", "output_format": "mp4"})

    def get(self, request):
        size = mapping_v3.limit(request, 10, 100)
        videos = Video.objects.filter(workspace=request.membership.workspace)
        if request.query_params.get("title"):
            videos = videos.filter(title__icontains=request.query_params["title"])
        if request.query_params.get("folder_id"):
            videos = videos.filter(project_id=_uuid(request.query_params["folder_id"], "folder_id"))
        paginator = TokenPagination()
        paginator.page_size = size
        try:
            found = paginator.paginate_queryset(videos, request, view=self)
        except exceptions.NotFound:  # DRF's answer to a cursor it cannot read
            raise ServiceError("This token is not one we gave.", field="token") from None
        token = paginator.token_of(paginator.get_next_link())
        return envelopes.v3_list([self.video_data(v) for v in found], bool(token), token)


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ServiceError("Give an id we gave.", field=field, code="invalid_parameter") from None


def _video(request, video_id: str) -> Video:
    return views._video(request, video_id, code="not_found")


class VideoDetail(V3View):
    """``GET`` and ``DELETE /v3/videos/{video_id}``."""

    def get(self, request, video_id):
        return self.ok(self.video_data(_video(request, video_id)))

    def delete(self, request, video_id):
        video = _video(request, video_id)
        studio.delete_video(request.membership, video.pk)
        return self.ok({"id": str(video.pk), "deleted": True})


# Avatars and voices -----------------------------------------------------------------


def _looks(request, ownership: str | None) -> list[dict]:
    from avatar.presenters import stock_avatars
    from saas.studio.avatars import stock_preview_url
    from saas.studio.models import Avatar
    from saas.studio.representation import absolute_url, file_url

    if ownership not in (None, "public", "private"):
        raise ServiceError("Choose public or private.", field="ownership",
                           code="invalid_parameter")  # fmt: skip
    looks = []
    if ownership != "private":
        looks += [mapping_v3.look(s.id, s.name, "stock", None,
                                  absolute_url(stock_preview_url(s.id)), 0)
                  for s in stock_avatars()]  # fmt: skip
    if ownership != "public":
        mine = Avatar.objects.filter(
            workspace=request.membership.workspace, status=Avatar.Status.READY
        ).order_by("-created_at")
        looks += [mapping_v3.look(str(a.pk), a.name, a.kind, file_url(a.image),
                                  file_url(a.preview), mapping.unix(a.created_at))
                  for a in mine]  # fmt: skip
    return looks


def _one_look(request, look_id: str, what: str) -> dict:
    for item in _looks(request, None):
        if item["id"] == look_id:
            return item
    raise NotFound(f"{what} not found.", field="avatar_id")


class AvatarGroups(V3View):
    """``GET /v3/avatars``: each of our presenters is a group with one look."""

    def get(self, request):
        looks = _looks(request, request.query_params.get("ownership"))
        return self.page([mapping_v3.group(item) for item in looks], 20, 50)


class AvatarGroup(V3View):
    def get(self, request, group_id):
        return self.ok(mapping_v3.group(_one_look(request, group_id, "Avatar group")))


class AvatarLooks(V3View):
    """``GET /v3/avatars/looks``: a look's ``id`` is the ``avatar_id`` videos take."""

    def get(self, request):
        looks = _looks(request, request.query_params.get("ownership"))
        wanted = {k: request.query_params.get(k) for k in ("group_id", "avatar_type")}
        looks = [i for i in looks if all(v in (None, i[k]) for k, v in wanted.items())]
        return self.page(looks, 20, 50)


class AvatarLook(V3View):
    def get(self, request, look_id):
        return self.ok(_one_look(request, look_id, "Avatar look"))


def _voices(request) -> list[dict]:
    from django.utils.translation import get_language_info

    from avatar.voices import catalogue

    found = []
    for item in catalogue():
        try:
            language = get_language_info(item.primary_language)["name"]
        except KeyError:
            language = item.primary_language
        preview = request.build_absolute_uri(reverse("api_voice_preview", args=[item.id]))
        found.append(mapping_v3.voice(item, language, preview))
    return found


class Voices(V3View):
    """``GET /v3/voices``: every voice here is public; ``language`` (a name or a code) and
    ``gender`` filter."""

    def get(self, request):
        kind = request.query_params.get("type") or "public"
        if kind not in ("public", "private"):
            raise ServiceError("Choose public or private.", field="type", code="invalid_parameter")
        wanted = {k: (request.query_params.get(k) or "").lower() for k in ("language", "gender")}
        voices = [] if kind == "private" else _voices(request)
        if wanted["language"]:
            voices = [v for v in voices
                      if wanted["language"] in (v["language"].lower(), v["voice_id"].split(":")[0])
                      or v["language"].lower().startswith(wanted["language"])]  # fmt: skip
        if wanted["gender"]:
            voices = [v for v in voices if (v["gender"] or "").lower() == wanted["gender"]]
        return self.page(voices, 20, 100)


class VoiceDetail(V3View):
    def get(self, request, voice_id):
        for item in _voices(request):
            if item["voice_id"] == voice_id:
                return self.ok(item)
        raise NotFound("Voice not found.", field="voice_id")


# Assets, account ----------------------------------------------------------------------


class Assets(V3View):
    """``POST /v3/assets``: one multipart ``file`` (images and audio, verified by decoding)."""

    parser_classes = [parsers.MultiPartParser]

    @idempotent
    def post(self, request):
        from saas.studio.representation import file_url

        upload = request.FILES.get("file")
        if upload is None:
            raise ServiceError("File is required. Upload a file using multipart/form-data.",
                               field="file", code="invalid_parameter")  # fmt: skip
        # The declared type only turns videos away with a clear word: anything else is
        # judged by what it decodes to (generic clients send application/octet-stream).
        if (upload.content_type or "").startswith("video/"):
            raise mapping.Unsupported(
                "Only images and audio are taken as assets here.", field="file"
            )
        asset = studio.create_asset(request.membership, upload, None)
        return self.ok({"asset_id": str(asset.pk), "url": file_url(asset.file),
                        "mime_type": asset.content_type, "size_bytes": asset.size})  # fmt: skip


class Me(V3View):
    """``GET /v3/users/me``: the key's workspace and its credits (a wallet of credits)."""

    def get(self, request):
        from saas.billing import services as billing

        user = request.user
        return self.ok({
            "username": user.email, "email": user.email,
            "first_name": user.first_name or None, "last_name": user.last_name or None,
            "billing_type": "wallet",
            "wallet": {"currency": "credits",
                       "remaining_balance": billing.balance(request.membership.workspace)},
        })  # fmt: skip


# Templates ---------------------------------------------------------------------------


def _template(request, template_id: str):
    return views._template(request, template_id, code="not_found")


class Templates(V3View):
    def get(self, request):
        from saas.batches import templates
        from saas.batches.previews import thumbnail_url

        found = templates.list_templates(request.membership)
        return self.page([mapping_v3.template_item(t, thumbnail_url(t)) for t in found], 10, 100)


class Template(V3View):
    """``GET /v3/templates/{id}``; ``POST`` makes one video from its ``variables`` and
    answers with the video as ``GET /v3/videos/{id}`` would."""

    def get(self, request, template_id):
        from saas.batches.previews import thumbnail_url

        template = _template(request, template_id)
        return self.ok(mapping_v3.template_detail(template, thumbnail_url(template)))

    @idempotent
    def post(self, request, template_id):
        from saas.batches import templates

        template = _template(request, template_id)
        arguments = mapping_v3.template_generate(template, _body(request))
        video = templates.generate(request.membership, template.id, **arguments)
        return self.ok(self.video_data(video))


# Webhooks ----------------------------------------------------------------------------

EVENT_TYPES = [
    {"event_type": "avatar_video.success", "description": "A video finished rendering."},
    {"event_type": "avatar_video.fail", "description": "A video failed or was cancelled."},
]


class WebhookView(V3View):
    read_role = write_role = "admin"


class WebhookEndpoints(WebhookView):
    """``POST`` and ``GET /v3/webhooks/endpoints``; deliveries carry HeyGen's body and its
    ``Heygen-Signature`` (hex HMAC-SHA256 of the body), timestamp and event id."""

    @idempotent
    def post(self, request):
        from saas.webhooks import services as hooks

        body = _body(request)
        mapping.check_keys(body, {"url", "events"}, {"entity_id": None}, "body")
        url, events = body.get("url"), body.get("events")
        if not isinstance(url, str) or not url:
            raise ServiceError("Give the endpoint's url.", field="url", code="invalid_parameter")
        if events is not None and not isinstance(events, list):
            raise ServiceError("Give events as a list.", field="events", code="invalid_parameter")
        endpoint, secret = hooks.create_endpoint(
            request.membership, url, events or [], "Added through HeyGen's v3 API",
            flavour=webhooks.NAME,
        )  # fmt: skip
        return self.ok(mapping_v3.endpoint(endpoint, secret))

    def get(self, request):
        from saas.webhooks import services as hooks

        found = hooks.list_endpoints(request.membership).filter(flavour=webhooks.NAME)
        return self.page([mapping_v3.endpoint(e) for e in found], 10, 100)


def _endpoint(request, endpoint_id: str):
    from saas.webhooks import services as hooks

    try:
        endpoint = hooks.get_endpoint(request.membership, endpoint_id)
    except NotFound:
        endpoint = None
    if endpoint is None or endpoint.flavour != webhooks.NAME:
        raise NotFound("Webhook endpoint not found.", field="endpoint_id")
    return endpoint


class WebhookEndpoint(WebhookView):
    """``PATCH`` (url, events) and ``DELETE /v3/webhooks/endpoints/{endpoint_id}``."""

    def patch(self, request, endpoint_id):
        from saas.webhooks import services as hooks

        body = _body(request)
        mapping.check_keys(body, {"url", "events"}, {}, "body")
        if "url" not in body and "events" not in body:
            raise ServiceError("At least one of 'url' or 'events' must be provided.",
                               field="body", code="invalid_parameter")  # fmt: skip
        endpoint = _endpoint(request, endpoint_id)
        changes = {k: body[k] for k in ("url", "events") if k in body}
        if changes.get("events") is None and "events" in changes:
            changes["events"] = []  # null: every event
        endpoint = hooks.update_endpoint(request.membership, endpoint.pk, **changes)
        return self.ok(mapping_v3.endpoint(endpoint))

    def delete(self, request, endpoint_id):
        from saas.webhooks import services as hooks

        hooks.delete_endpoint(request.membership, _endpoint(request, endpoint_id).pk)
        return envelopes.v2({})  # HeyGen's v3 delete answers {"data": {}, "error": null}


class WebhookRotate(WebhookView):
    """``POST /v3/webhooks/endpoints/{id}/rotate-secret``: the old secret stops at once."""

    @idempotent
    def post(self, request, endpoint_id):
        from saas.webhooks import services as hooks

        endpoint = _endpoint(request, endpoint_id)
        endpoint, secret = hooks.rotate_secret(request.membership, endpoint.pk, 0)
        return self.ok({"endpoint_id": str(endpoint.pk), "secret": secret})


class WebhookEventTypes(V3View):
    def get(self, request):
        return envelopes.v3_list(EVENT_TYPES, False, None)


class WebhookEvents(WebhookView):
    """``GET /v3/webhooks/events``: what was sent to the workspace's HeyGen-style endpoints,
    newest first, once per event."""

    def get(self, request):
        from saas.webhooks.models import WebhookDelivery

        wanted = request.query_params.get("event_type")
        deliveries = WebhookDelivery.objects.filter(
            endpoint__workspace=request.membership.workspace,
            endpoint__flavour=webhooks.NAME,
            replay_of__isnull=True,
        ).order_by("-created_at")[:1000]
        events, seen = [], set()
        for delivery in deliveries:
            payload = delivery.payload or {}
            if delivery.event_id in seen or wanted not in (None, payload.get("event_type")):
                continue
            seen.add(delivery.event_id)
            events.append({"event_id": delivery.event_id, "event_type": payload.get("event_type"),
                           "event_data": payload.get("event_data") or {},
                           "created_at": delivery.created_at.isoformat()})  # fmt: skip
        return self.page(events, 10, 100)
