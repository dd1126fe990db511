"""Videos over REST: create (from scenes or a product URL), read, list, cancel, delete."""

from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.studio import services as studio
from saas.studio.models import Video
from saas.studio.representation import video_data
from saas.studio.requests import FromUrlSerializer, VideoCreateSerializer, plain

from . import views
from .idempotency import idempotent
from .schema import no_content, returns


def _validated(serializer_class, request):
    return plain(views.validated(serializer_class, request))


class VideoList(generics.ListAPIView):
    serializer_class = VideoCreateSerializer

    def get_queryset(self):
        videos = Video.objects.filter(workspace=self.request.membership.workspace)
        status_filter = self.request.query_params.get("status")
        return videos.filter(status=status_filter) if status_filter else videos

    @returns(operation_id="videos_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([video_data(v) for v in page])

    @returns(201, VideoCreateSerializer)
    @idempotent
    def post(self, request):
        video = studio.create_video(request.membership, _validated(VideoCreateSerializer, request))
        return Response(video_data(video), status=status.HTTP_201_CREATED)


class VideoFromUrl(APIView):
    @returns(201, FromUrlSerializer)
    @idempotent
    def post(self, request):
        data = _validated(FromUrlSerializer, request)
        video = studio.create_video(request.membership, data, source_url=data["url"])
        return Response(video_data(video), status=status.HTTP_201_CREATED)


class VideoDetail(APIView):
    @returns()
    def get(self, request, pk):
        return Response(video_data(studio.get_video(request.membership, pk)))

    @no_content()
    def delete(self, request, pk):
        studio.delete_video(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VideoCancel(APIView):
    @returns()
    @idempotent
    def post(self, request, pk):
        return Response(video_data(studio.cancel_video(request.membership, pk)))


class Estimate(APIView):
    """What a video would cost, without creating it."""

    write_role = "viewer"

    @returns(200, VideoCreateSerializer)
    def post(self, request):
        data = _validated(VideoCreateSerializer, request)
        return Response(studio.estimate(request.membership, data))
