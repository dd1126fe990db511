"""Templates and batches over REST.

`/templates`: the workspace's templates and the built-in ones; save one (from
a request, or from a draft), fill it in to render one video (`generate`).
`/batches`: a template plus rows (JSON, a CSV/XLSX upload, product links or
a collection page), checked before anything is queued; start, follow, fix a
row, retry, cancel, and download every video as a ZIP.
"""

from rest_framework import generics, parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.batches import export, templates
from saas.batches import services as batches
from saas.batches.representation import batch_data, row_data, template_data
from saas.studio.representation import video_data
from saas.studio.requests import plain

from . import views
from .idempotency import idempotent
from .schema import no_content, returns


class TemplateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    request = serializers.JSONField(
        required=False, help_text="a video request (POST /api/v1/videos) with {{variables}}"
    )
    draft = serializers.UUIDField(required=False, help_text="save this draft as the template")
    variables = serializers.JSONField(
        required=False, help_text="[{name, type, label, default, required}]"
    )

    def validate(self, data):
        if not data.get("request") and not data.get("draft") and not self.partial:
            raise serializers.ValidationError({"request": "Give a request or a draft to save."})
        return data


class GenerateSerializer(serializers.Serializer):
    variables = serializers.JSONField(default=dict, help_text="{name: value}")
    title = serializers.CharField(max_length=200, required=False)
    resolution = serializers.ChoiceField(choices=["720p", "1080p"], required=False)
    project = serializers.UUIDField(required=False)
    callback_url = serializers.URLField(max_length=2000, required=False)


class TemplateList(APIView):
    @returns(operation_id="templates_list")
    def get(self, request):
        items = templates.list_templates(request.membership)
        return Response({"results": [template_data(t) for t in items]})

    @returns(201, TemplateSerializer)
    def post(self, request):
        data = plain(views.validated(TemplateSerializer, request))
        if data.get("draft"):
            template = templates.template_from_draft(
                request.membership, data["draft"], data.get("name", ""), data.get("variables")
            )
        else:
            template = templates.create_template(
                request.membership, data.get("name", ""), data["request"],
                data.get("variables"), data.get("description", ""),
            )  # fmt: skip
        return Response(template_data(template), status=status.HTTP_201_CREATED)


class TemplateDetail(APIView):
    @returns()
    def get(self, request, pk):
        return Response(template_data(templates.get_template(request.membership, pk)))

    @returns(200, TemplateSerializer)
    def patch(self, request, pk):
        data = plain(views.validated(TemplateSerializer, request, partial=True))
        data.pop("draft", None)
        return Response(template_data(templates.update_template(request.membership, pk, **data)))

    @no_content()
    def delete(self, request, pk):
        templates.delete_template(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TemplateGenerate(APIView):
    """One video from the template and its variables."""

    @returns(201, GenerateSerializer)
    @idempotent
    def post(self, request, pk):
        data = plain(views.validated(GenerateSerializer, request))
        values = data.pop("variables")
        video = templates.generate(request.membership, pk, values, **data)
        return Response(video_data(video), status=status.HTTP_201_CREATED)


class BatchSerializer(serializers.Serializer):
    template = serializers.CharField(max_length=100, required=False)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    rows = serializers.JSONField(required=False, help_text="[{variable: value}, ...]")
    file = serializers.FileField(required=False, help_text="CSV or XLSX, header = variables")
    urls = serializers.ListField(
        child=serializers.URLField(max_length=2000), required=False, max_length=200
    )
    collection_url = serializers.URLField(max_length=2000, required=False)
    options = serializers.JSONField(
        required=False, help_text="product links: length, tone, aspect, avatar, voice, music"
    )
    start = serializers.BooleanField(default=False)
    skip_invalid = serializers.BooleanField(default=False)


class BatchList(generics.ListAPIView):
    serializer_class = BatchSerializer
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self):
        return batches.list_batches(self.request.membership)

    @returns(operation_id="batches_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([batch_data(b) for b in page])

    @returns(201, BatchSerializer)
    @idempotent
    def post(self, request):
        data = views.validated(BatchSerializer, request)
        batch = batches.create_batch(
            request.membership,
            template_id=data.get("template"), name=data.get("name", ""),
            rows=data.get("rows"), upload=data.get("file"), urls=data.get("urls"),
            collection_url=data.get("collection_url", ""), options=data.get("options"),
            start=data["start"], skip_invalid=data["skip_invalid"],
        )  # fmt: skip
        return Response(batch_data(batch, rows=True), status=status.HTTP_201_CREATED)


class BatchDetail(APIView):
    @returns()
    def get(self, request, pk):
        return Response(batch_data(batches.get_batch(request.membership, pk), rows=True))

    @no_content()
    def delete(self, request, pk):
        batches.delete_batch(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RowSerializer(serializers.Serializer):
    values = serializers.JSONField(help_text="{variable: corrected value}")


class BatchRowDetail(APIView):
    """Correct a row before the batch starts."""

    @returns(200, RowSerializer)
    def patch(self, request, pk, number):
        data = views.validated(RowSerializer, request)
        row = batches.update_row(request.membership, pk, number, data["values"])
        return Response(row_data(row))


class StartSerializer(serializers.Serializer):
    skip_invalid = serializers.BooleanField(default=False)


class BatchStart(APIView):
    @returns(200, StartSerializer)
    @idempotent
    def post(self, request, pk):
        data = views.validated(StartSerializer, request)
        batch = batches.start_batch(request.membership, pk, skip_invalid=data["skip_invalid"])
        return Response(batch_data(batch, rows=True))


class BatchCancel(APIView):
    @returns()
    @idempotent
    def post(self, request, pk):
        return Response(batch_data(batches.cancel_batch(request.membership, pk), rows=True))


class BatchRetry(APIView):
    @returns()
    @idempotent
    def post(self, request, pk):
        return Response(batch_data(batches.retry_failed(request.membership, pk), rows=True))


class BatchDownload(APIView):
    """Every finished video with its captions, and manifest.csv, as one ZIP."""

    @returns()
    def get(self, request, pk):
        return export.zip_response(batches.get_batch(request.membership, pk))
