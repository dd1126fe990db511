"""Assets (uploads) and voices over REST."""

from django.http import FileResponse, Http404
from django.urls import reverse
from rest_framework import generics, parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from avatar.errors import AvatarError
from saas.studio import services as studio
from saas.studio.models import Asset
from saas.studio.representation import file_url

from .idempotency import idempotent
from .schema import OBJECT, no_content, returns


def asset_data(asset: Asset) -> dict:
    return {
        "id": str(asset.pk),
        "kind": asset.kind,
        "name": asset.original_name,
        "content_type": asset.content_type,
        "size": asset.size,
        "sha256": asset.sha256,
        "width": asset.width,
        "height": asset.height,
        "duration_s": asset.duration_s,
        "url": file_url(asset.file),
        "created_at": asset.created_at.isoformat(),
    }


class AssetUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=Asset.Kind.choices, required=False)


class AssetList(generics.ListAPIView):
    serializer_class = AssetUploadSerializer
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self):
        assets = Asset.objects.filter(workspace=self.request.membership.workspace)
        kind = self.request.query_params.get("kind")
        return assets.filter(kind=kind) if kind else assets

    @returns(operation_id="assets_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([asset_data(a) for a in page])

    @returns(201, AssetUploadSerializer)
    @idempotent
    def post(self, request):
        upload = request.FILES.get("file")
        asset = studio.create_asset(request.membership, upload, request.data.get("kind"))
        return Response(asset_data(asset), status=status.HTTP_201_CREATED)


class AssetDetail(APIView):
    @returns()
    def get(self, request, pk):
        return Response(asset_data(studio.get_asset(request.membership, pk)))

    @no_content()
    def delete(self, request, pk):
        studio.delete_asset(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


def voice_data(voice, request) -> dict:
    preview = reverse("api_voice_preview", args=[voice.id])
    return {
        "id": voice.id,
        "name": voice.name,
        "language": voice.language,
        "gender": voice.gender,
        "engine": voice.engine,
        "quality": voice.quality,
        "sample_rate": voice.sample_rate,
        "timings": voice.timings,
        "preview_url": request.build_absolute_uri(preview),
    }


class VoiceList(APIView):
    """Every voice; `?language=de` keeps those whose language starts with it."""

    @returns()
    def get(self, request):
        from avatar.voices import catalogue

        language = (request.query_params.get("language") or "").lower()
        voices = [v for v in catalogue() if v.language.lower().startswith(language)]
        return Response({"results": [voice_data(v, request) for v in voices]})


class VoicePreview(APIView):
    @returns(200, description="audio/wav")
    def get(self, request, voice_id):
        from django.core.files.storage import default_storage

        try:
            name = studio.voice_preview(voice_id)
        except AvatarError as exc:
            raise Http404(exc.message) from exc
        return FileResponse(default_storage.open(name, "rb"), content_type="audio/wav")


class AvatarList(APIView):
    """Stock presenters and the workspace's photo avatars; POST uploads a photo."""

    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @returns(operation_id="avatars_list")
    def get(self, request):
        from saas.studio.avatars import stock_data
        from saas.studio.models import Avatar
        from saas.studio.representation import avatar_data

        mine = Avatar.objects.filter(workspace=request.membership.workspace)
        return Response({"results": stock_data() + [avatar_data(a) for a in mine]})

    @returns(201, {"multipart/form-data": OBJECT})
    @idempotent
    def post(self, request):
        from saas.studio import avatars
        from saas.studio.representation import avatar_data

        consent = str(request.data.get("consent", "")).lower() in ("true", "1", "yes", "on")
        if "video" in request.FILES:  # a video avatar: a consent recording of the person
            avatar = avatars.create_video_avatar(
                request.membership, request.FILES["video"], request.data.get("name"), consent
            )
            return Response(avatar_data(avatar), status=status.HTTP_201_CREATED)
        try:
            avatar = avatars.create_avatar(
                request.membership, request.FILES.get("image"), request.data.get("name"), consent
            )
        except avatars.PhotoRejected as exc:
            body = {"code": exc.code, "message": exc.message, "field": exc.field}
            return Response({"error": {**body, "report": exc.report}}, status=400)
        return Response(avatar_data(avatar), status=status.HTTP_201_CREATED)


class AvatarDetail(APIView):
    @returns()
    def get(self, request, pk):
        from saas.studio import avatars
        from saas.studio.representation import avatar_data

        return Response(avatar_data(avatars.get_avatar(request.membership, pk)))

    @no_content()
    def delete(self, request, pk):
        from saas.studio import avatars

        avatars.delete_avatar(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
