"""Drafts over REST: videos being edited, saved as they are, rendered when ready.

The web app's editor and link flow use these endpoints too (with the session).
"""

from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.studio import drafts
from saas.studio import services as studio
from saas.studio.models import Draft
from saas.studio.representation import video_data
from saas.studio.requests import LENGTHS, TONES, FromUrlSerializer, VideoCreateSerializer, plain

from .idempotency import idempotent
from .schema import no_content, returns
from .video_views import _validated


class DraftSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    request = serializers.JSONField(
        help_text="a video request (POST /api/v1/videos), complete or not"
    )


class DraftScriptSerializer(serializers.Serializer):
    tone = serializers.ChoiceField(choices=TONES, default="energetic")
    length = serializers.ChoiceField(choices=LENGTHS, default=30)
    seed = serializers.IntegerField(min_value=0, max_value=1_000_000, default=0)
    images = serializers.ListField(child=serializers.UUIDField(), max_length=20, required=False)
    voice = serializers.CharField(max_length=100, required=False)
    avatar = serializers.CharField(max_length=100, required=False)
    price = serializers.CharField(
        max_length=40, required=False, allow_blank=True,
        help_text="the product's price as a person confirms it; empty: no price in the ad",
    )  # fmt: skip


class DraftFromUrlSerializer(FromUrlSerializer):
    save = serializers.BooleanField(
        default=False,
        help_text="keep the draft (and the page's images as assets) for editing",
    )


class DraftList(generics.ListAPIView):
    serializer_class = DraftSerializer

    def get_queryset(self):
        return Draft.objects.filter(workspace=self.request.membership.workspace, preview=False)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset().order_by("-created_at"))
        return self.get_paginated_response([drafts.draft_data(d) for d in page])

    @returns(201, DraftSerializer)
    def post(self, request):
        data = _validated(DraftSerializer, request)
        draft = drafts.create_draft(request.membership, data["request"], title=data.get("title"))
        return Response(drafts.draft_data(draft), status=status.HTTP_201_CREATED)


class DraftDetail(APIView):
    @returns()
    def get(self, request, pk):
        draft = drafts.reading_state(drafts.get_draft(request.membership, pk))
        return Response(drafts.draft_data(draft))

    @returns(200, DraftSerializer)
    def put(self, request, pk):
        data = _validated(DraftSerializer, request)
        draft = drafts.update_draft(
            request.membership, pk, data["request"], title=data.get("title", "")
        )
        return Response(drafts.draft_data(draft))

    @no_content()
    def delete(self, request, pk):
        drafts.delete_draft(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftScript(APIView):
    """Write a link draft's script again: another tone, length or set of images."""

    @returns(200, DraftScriptSerializer)
    def post(self, request, pk):
        options = _validated(DraftScriptSerializer, request)
        draft = drafts.rewrite_script(request.membership, pk, options)
        return Response(drafts.draft_data(draft))


class DraftRender(APIView):
    """Check the draft in full and queue it as a video (the draft stays)."""

    @returns(201)
    @idempotent
    def post(self, request, pk):
        draft = drafts.editable_draft(request.membership, pk)
        drafts.check_renderable(draft)
        serializer = VideoCreateSerializer(data=draft.request)
        serializer.is_valid(raise_exception=True)
        video = studio.create_video(request.membership, plain(serializer.validated_data))
        return Response(video_data(video), status=status.HTTP_201_CREATED)


class DraftFromUrl(APIView):
    """The scraped product and a script, for review before rendering.

    With `save`, the draft is made at once (201) with `status: "reading"`; a worker
    reads the page, keeps its images as assets and writes the script, and the draft
    becomes `ready` (or `failed`, with `error`): poll `GET /api/v1/drafts/{id}`.
    Without `save`, the answer waits for the worker and nothing is kept (200).
    """

    @returns(200, DraftFromUrlSerializer)
    @idempotent
    def post(self, request):
        data = _validated(DraftFromUrlSerializer, request)
        if data.pop("save"):
            draft = drafts.draft_from_link(request.membership, data)
            return Response(drafts.draft_data(draft), status=status.HTTP_201_CREATED)
        return Response(drafts.preview_link(request.membership, data))
