"""HeyGen's v1/v2 routes over our services: transport and shapes only.

Every view authenticates with our API keys (HeyGen's ``X-Api-Key`` header, or our
``Authorization: Bearer``), acts in the key's workspace with its role, and shares
our rate limit, idempotency, credits and plan checks: each call ends in the same
service function our ``/api/v1`` uses. Errors leave in HeyGen's envelope.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import authentication, exceptions, parsers
from rest_framework.views import APIView

from saas.api.errors import exception_handler as our_exception_handler
from saas.api.idempotency import idempotent
from saas.api.pagination import NewestFirstCursorPagination
from saas.errors import NotFound, ServiceError
from saas.studio import services as studio
from saas.studio.models import Video
from saas.workspaces.auth import ApiKeyAuthentication
from saas.workspaces.services import authenticate_api_key

from . import envelopes, mapping, mapping_v3, webhooks

LONG_POLL_MAX_S = 30
# Long polls a workspace may hold open at once: each holds a web thread, and a few dozen
# from one key would hold them all. Beyond it the status is answered at once.
LONG_POLLS_PER_WORKSPACE = 2


@contextmanager
def _long_poll_slot(workspace_id) -> Iterator[bool]:
    """True while this request holds one of its workspace's long-poll slots."""
    from django.core.cache import cache

    key, ttl = f"heygen:long-polls:{workspace_id}", LONG_POLL_MAX_S * 4
    cache.add(key, 0, timeout=ttl)
    try:
        held = cache.incr(key)
    except ValueError:  # it expired in between: count this one alone (it will not decr)
        yield True
        return
    cache.touch(key, ttl)  # lives while polls keep coming, so a decr finds its own count
    try:
        yield held <= LONG_POLLS_PER_WORKSPACE
    finally:
        try:
            cache.decr(key)
        except ValueError:
            pass


class HeyGenKeyAuthentication(authentication.BaseAuthentication):
    """HeyGen's ``X-Api-Key: <key>`` header, with one of our API keys."""

    def authenticate(self, request):
        secret = request.headers.get("X-Api-Key")
        if secret is None:
            return None
        key = authenticate_api_key(secret.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("Unauthorized: invalid or revoked API key.")
        return (key.created_by, key)

    def authenticate_header(self, request):
        return 'X-Api-Key realm="api"'


class HeyGenView(APIView):
    """A HeyGen route: ``version`` picks the envelope (1 or 2)."""

    version = 2
    field_names = staticmethod(mapping.heygen_field)  # our field paths -> HeyGen's
    idempotency_per_route = True  # HeyGen's Idempotency-Key: per route, replayed as sent
    authentication_classes = [HeyGenKeyAuthentication, ApiKeyAuthentication]
    schema = None  # not in our OpenAPI document: HeyGen documents these

    def get_exception_handler(self):
        return our_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return envelopes.reshaped(response, self.version, self.field_names)

    def ok(self, data, status: int = 200):
        return (envelopes.v1 if self.version == 1 else envelopes.v2)(data, status)


def _body(request) -> dict:
    """The JSON body as an object (HeyGen's bodies always are)."""
    if not isinstance(request.data, dict):
        raise ServiceError("Send a JSON object.", field="body", code="invalid_parameter")
    return request.data


def _video_id(request) -> str:
    video_id = request.query_params.get("video_id") or _body(request).get("video_id")
    if not video_id:
        raise ServiceError("Give the video_id.", field="video_id", code="invalid_parameter")
    return video_id


def _video(request, video_id: str, code: str = "video_not_found") -> Video:
    """The workspace's video, or HeyGen's not-found (v1/v2 and v3 name it differently)."""
    try:
        return studio.get_video(request.membership, video_id)
    except NotFound:
        raise NotFound("Video not found.", code=code, field="video_id") from None


class VideoGenerate(HeyGenView):
    """``POST /v2/video/generate``: the video is queued; poll its status or get a webhook."""

    @idempotent
    def post(self, request):
        video = create_video(request.membership, *mapping.video_request(request.data))
        return self.ok({"video_id": str(video.pk)})


def create_video(membership, ours: dict, callback_id: str) -> Video:
    """Our video request (mapped from HeyGen's) checked as ``POST /api/v1/videos`` checks
    it, and queued, with HeyGen's callback_id kept for its webhook."""
    from saas.studio.requests import VideoCreateSerializer, plain

    serializer = VideoCreateSerializer(data=ours)
    serializer.is_valid(raise_exception=True)
    data = plain(serializer.validated_data)
    # Marks the video as HeyGen's: its callback_url gets HeyGen's body (webhooks.callbacks).
    data["heygen"] = {"callback_id": callback_id or None}
    return studio.create_video(membership, data)


class VideoStatus(HeyGenView):
    """``GET /v1/video_status.get?video_id=``; ``&wait=30`` holds the answer until the
    status changes or 30 s pass (no polling loop needed)."""

    version = 1

    def get(self, request):
        video = _video(request, _video_id(request))
        try:
            wait = min(float(request.query_params.get("wait") or 0), LONG_POLL_MAX_S)
        except ValueError:
            raise ServiceError("Give wait in seconds, up to 30.", field="wait") from None
        if wait > 0 and video.status in ("queued", "running"):
            with _long_poll_slot(request.membership.workspace.pk) as may_wait:
                deadline, seen = time.monotonic() + (wait if may_wait else 0), video.status
                while video.status == seen and time.monotonic() < deadline:
                    time.sleep(0.5)
                    video.refresh_from_db()
        return self.ok(mapping.video_status(video))


class TokenPagination(NewestFirstCursorPagination):
    """Our cursor pagination under HeyGen's names: ``token`` for the cursor, ``limit``
    up to 100."""

    cursor_query_param = "token"
    page_size = max_page_size = 100

    @staticmethod
    def token_of(link: str | None) -> str | None:
        """The ``token`` in a next-page LINK (None on the last page)."""
        return parse_qs(urlsplit(link).query)["token"][0] if link else None


class VideoList(HeyGenView):
    """``GET /v1/video.list?token=&limit=``: newest first, 100 a page; ``token`` from the
    answer is the next page."""

    version = 1

    def get(self, request):
        paginator = TokenPagination()
        videos = Video.objects.filter(workspace=request.membership.workspace)
        try:
            page = paginator.paginate_queryset(videos, request, view=self)
        except exceptions.NotFound:  # DRF's answer to a cursor it cannot read
            raise ServiceError("This token is not one we gave.", field="token") from None
        token = paginator.token_of(paginator.get_next_link())
        return self.ok({"videos": [mapping.video_item(v) for v in page], "token": token})


class VideoDelete(HeyGenView):
    """``DELETE /v1/video.delete?video_id=`` (a running render is cancelled first)."""

    version = 1

    def delete(self, request):
        video = _video(request, _video_id(request))
        studio.delete_video(request.membership, video.pk)
        return self.ok(None)

    post = delete  # some clients send it as a POST


class Avatars(HeyGenView):
    """``GET /v2/avatars``: stock presenters and video avatars as ``avatars``, photo
    avatars as ``talking_photos``."""

    def get(self, request):
        from avatar.presenters import stock_avatars
        from saas.studio.avatars import stock_preview_url
        from saas.studio.models import Avatar
        from saas.studio.representation import absolute_url, file_url

        avatars = [
            {"avatar_id": s.id, "avatar_name": s.name, "gender": None,
             "preview_image_url": None, "preview_video_url": absolute_url(stock_preview_url(s.id)),
             "premium": False, "type": None, "tags": ["stock"]}
            for s in stock_avatars()
        ]  # fmt: skip
        photos = []
        mine = Avatar.objects.filter(
            workspace=request.membership.workspace, status=Avatar.Status.READY
        ).order_by("-created_at")
        for avatar in mine:
            image, preview = file_url(avatar.image), file_url(avatar.preview)
            if avatar.kind == Avatar.Kind.PHOTO:
                photo = {"talking_photo_id": str(avatar.pk), "talking_photo_name": avatar.name}
                photos.append({**photo, "preview_image_url": image})
            else:
                avatars.append({"avatar_id": str(avatar.pk), "avatar_name": avatar.name,
                                "gender": None, "preview_image_url": image,
                                "preview_video_url": preview, "premium": False,
                                "type": "video_avatar", "tags": []})  # fmt: skip
        return self.ok({"avatars": avatars, "talking_photos": photos})


class Voices(HeyGenView):
    """``GET /v2/voices``: our catalogue in HeyGen's fields (``support_pause``: SSML
    ``<break time="1s"/>`` becomes a pause)."""

    def get(self, request):
        from django.urls import reverse
        from django.utils.translation import get_language_info

        from avatar.voices import catalogue

        voices = []
        for voice in catalogue():
            code = voice.primary_language
            try:
                language = get_language_info(code)["name"]
            except KeyError:
                language = code
            preview = request.build_absolute_uri(reverse("api_voice_preview", args=[voice.id]))
            voices.append({
                "voice_id": voice.id, "language": language, "locale": voice.language,
                "gender": voice.gender, "name": voice.name, "preview_audio": preview,
                "support_pause": True, "emotion_support": False,
                "support_interactive_avatar": False, "quality": voice.quality,
            })  # fmt: skip
        return self.ok({"voices": voices})


class RemainingQuota(HeyGenView):
    """``GET /v2/user/remaining_quota``: HeyGen counts seconds (60 to a credit); so do we,
    one credit being one minute of video."""

    def get(self, request):
        from saas.billing import services as billing

        credits = billing.balance(request.membership.workspace)
        return self.ok({"remaining_quota": credits * 60, "details": {"api": credits}})


class RawBody(parsers.BaseParser):
    """Any body, read whole (up to the largest upload we take) as ``{"upload": file}``;
    the SHA-256 is kept beside it so an Idempotency-Key tells two files apart."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        import hashlib

        from saas.studio.uploads import MAX_AUDIO_BYTES

        data = stream.read(MAX_AUDIO_BYTES + 1) if stream is not None else b""
        content_type = (media_type or "").split(";")[0].strip().lower()
        suffix = AssetUpload.TYPES.get(content_type, "bin")
        upload = SimpleUploadedFile(f"upload.{suffix}", data, content_type)
        return {"upload": upload, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


class AssetUpload(HeyGenView):
    """``POST /v1/asset`` (HeyGen's upload host): the file as the raw body, its type in
    Content-Type. Verified and limited like every upload (images 20 MB, audio 100 MB)."""

    version = 1
    parser_classes = [RawBody]
    TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
             "audio/mpeg": "mp3", "audio/wav": "wav", "audio/x-wav": "wav",
             "audio/mp4": "m4a"}  # fmt: skip

    @idempotent
    def post(self, request):
        from saas.studio.representation import file_url

        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type not in self.TYPES:
            message = f"Send the file's type as Content-Type: one of {', '.join(self.TYPES)}."
            if content_type.startswith("video/"):
                message = "Video assets are not supported yet: upload images or audio."
            raise ServiceError(message, field="Content-Type", code="invalid_parameter")
        upload, kind = request.data["upload"], content_type.split("/")[0]
        asset = studio.create_asset(request.membership, upload, kind if kind == "audio" else None)
        return self.ok({
            "id": str(asset.pk), "name": asset.original_name, "file_type": kind,
            "folder_id": "", "meta": None, "created_ts": mapping.unix(asset.created_at),
            "url": file_url(asset.file), "image_key": str(asset.pk) if kind == "image" else None,
        })  # fmt: skip


def _endpoint_data(endpoint, secret: str | None = None) -> dict:
    data = {
        "endpoint_id": str(endpoint.pk),
        "url": endpoint.url,
        "status": "enabled" if endpoint.active else "disabled",
        "events": endpoint.events or list(webhooks.EVENTS.values()),
        "created_at": endpoint.created_at.isoformat(),
    }
    if secret is not None:
        data["secret"] = secret
    return data


class WebhookEndpointAdd(HeyGenView):
    """``POST /v1/webhook/endpoint.add`` {url, events}: like HeyGen, the URL must answer
    an OPTIONS request (1 s) first; the secret signing its deliveries is shown once."""

    version = 1
    write_role = "admin"

    @idempotent
    def post(self, request):
        from saas.billing.services import check_webhooks_allowed
        from saas.webhooks import services as hooks
        from saas.webhooks import ssrf, transport

        # Who may, before the probe: the server sends nothing for someone who may not.
        check_webhooks_allowed(request.membership.workspace)
        url, events = _body(request).get("url"), _body(request).get("events") or []
        if not isinstance(url, str) or not url:
            raise ServiceError("Give the endpoint's url.", field="url", code="invalid_parameter")
        if not isinstance(events, list):
            raise ServiceError("Give events as a list.", field="events", code="invalid_parameter")
        try:
            target = ssrf.resolve_target(ssrf.validate_url(url))
        except (ssrf.RefusedUrl, ssrf.ResolveFailed) as exc:
            raise ServiceError(str(exc), field="url", code="invalid_parameter") from None
        answer = transport.options(target)
        if answer.status is None or answer.status >= 500:
            raise ServiceError(
                f"The URL did not answer an OPTIONS request: {answer.error or answer.status}.",
                field="url", code="invalid_parameter",
            )  # fmt: skip
        endpoint, secret = hooks.create_endpoint(
            request.membership, url, events, "Added through HeyGen's API", flavour=webhooks.NAME
        )
        return self.ok(_endpoint_data(endpoint, secret))


class WebhookEndpointList(HeyGenView):
    """``GET /v1/webhook/endpoint.list``: the workspace's HeyGen-style endpoints."""

    version = 1
    read_role = "admin"

    def get(self, request):
        from saas.webhooks import services as hooks

        endpoints = hooks.list_endpoints(request.membership).filter(flavour=webhooks.NAME)
        return self.ok([_endpoint_data(e) for e in endpoints])


class WebhookEndpointDelete(HeyGenView):
    """``DELETE /v1/webhook/endpoint.delete?endpoint_id=``."""

    version = 1
    write_role = "admin"

    def delete(self, request):
        from saas.webhooks import services as hooks

        endpoint_id = request.query_params.get("endpoint_id") or _body(request).get("endpoint_id")
        if not endpoint_id:
            raise ServiceError(
                "Give the endpoint_id.", field="endpoint_id", code="invalid_parameter"
            )
        try:
            hooks.delete_endpoint(request.membership, endpoint_id)
        except NotFound:
            raise NotFound("Endpoint not found.", field="endpoint_id") from None
        return self.ok(None)

    post = delete


class WebhookEvents(HeyGenView):
    """``GET /v1/webhook/webhook.list``: the event types an endpoint can subscribe to."""

    version = 1

    def get(self, request):
        return self.ok(list(webhooks.EVENTS.values()))


class Document(APIView):
    """``GET /v2/openapi.json``: the HeyGen calls this server answers (no key needed)."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []
    schema = None

    def get(self, request):
        from rest_framework.response import Response

        from .openapi import document

        return Response(document())


def _template(request, template_id: str, code: str = "template_not_found"):
    from saas.batches import templates

    try:
        return templates.get_template(request.membership, template_id)
    except NotFound:
        raise NotFound("Template not found.", code=code, field="template_id") from None


class Templates(HeyGenView):
    """``GET /v2/templates``: the workspace's templates and the built-in ones."""

    def get(self, request):
        from saas.batches import templates
        from saas.batches.previews import thumbnail_url

        found = templates.list_templates(request.membership)
        return self.ok({"templates": [mapping.template_item(t, thumbnail_url(t)) for t in found]})


class TemplateDetail(HeyGenView):
    """``GET /v2/template/{id}``: its variables, in HeyGen's shape."""

    def get(self, request, template_id):
        return self.ok({"variables": mapping.template_variables(_template(request, template_id))})


class TemplateDetailV3(HeyGenView):
    """``GET /v3/template/{id}``: the same variables as a list, with the template's name."""

    def get(self, request, template_id):
        from saas.batches.previews import thumbnail_url

        template = _template(request, template_id)
        variables = list(mapping.template_variables(template).values())
        return self.ok({"id": template.id, "name": template.name,
                        "thumbnail_image_url": thumbnail_url(template),
                        "variables": variables})  # fmt: skip


class TemplateGenerate(HeyGenView):
    """``POST /v2/template/{id}/generate``: ``variables`` filled in, one video queued."""

    @idempotent
    def post(self, request, template_id):
        from saas.batches import templates

        template = _template(request, template_id)
        arguments = mapping_v3.template_generate_v2(template, _body(request))
        video = templates.generate(request.membership, template.id, **arguments)
        return self.ok({"video_id": str(video.pk)})
