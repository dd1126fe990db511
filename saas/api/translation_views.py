"""Translations over REST: upload (or pick) a video, review each language, dub, read back."""

import json

from django.db import transaction
from rest_framework import parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.errors import ServiceError
from saas.translations import services
from saas.translations.representation import language_data, translation_data

from .idempotency import idempotent
from .parsers import NulFreeJSONParser
from .schema import OBJECT, no_content, returns


def _body(request) -> dict:
    """The request's fields; a JSON body that is not an object is refused, naming it."""
    if not hasattr(request.data, "get"):
        raise ServiceError("Send a JSON object (or a multipart form).", field="body")
    return request.data


def _text(data, name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ServiceError(f"{name} must be text.", field=name)
    return value


def _json_field(data, name, default):
    """A field that is JSON in a JSON body and a JSON string in a multipart form."""
    value = data.get(name, default)
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            raise ServiceError(f"{name} is not valid JSON.", field=name) from None
    return value


class TranslationSerializer(serializers.Serializer):
    """For the schema: the body is read by the service, which names any bad field."""

    video = serializers.FileField(required=False)
    video_id = serializers.UUIDField(required=False)
    source_language = serializers.CharField(required=False)
    target_languages = serializers.ListField(child=serializers.CharField())
    voices = serializers.DictField(child=serializers.CharField(), required=False)
    options = serializers.DictField(required=False)
    subtitles = serializers.FileField(required=False)
    title = serializers.CharField(required=False)


class TranslationList(APIView):
    parser_classes = [NulFreeJSONParser, parsers.MultiPartParser, parsers.FormParser]

    @returns(operation_id="translations_list")
    def get(self, request):
        rows = services.list_translations(request.membership)[:100]
        return Response({"results": [translation_data(t) for t in rows]})

    @returns(201, TranslationSerializer)
    @idempotent
    def post(self, request):
        data = _body(request)
        targets = _json_field(data, "target_languages", [])
        repeated = hasattr(data, "getlist") and len(data.getlist("target_languages")) > 1
        if repeated and isinstance(targets, str):
            targets = data.getlist("target_languages")
        translation = services.create_translation(
            request.membership,
            upload=request.FILES.get("video"),
            video_id=_text(data, "video_id") or None,
            source_language=_text(data, "source_language"),
            target_languages=targets,
            voices=_json_field(data, "voices", None),
            options=_json_field(data, "options", None),
            subtitles=request.FILES.get("subtitles"),
            title=_text(data, "title"),
        )
        return Response(translation_data(translation), status=status.HTTP_201_CREATED)


class TranslationLanguages(APIView):
    write_role = "viewer"

    @returns(operation_id="translation_languages")
    def get(self, request):
        return Response({"results": services.languages_offered()})


class TranslationDetail(APIView):
    @returns()
    def get(self, request, pk):
        return Response(translation_data(services.get_translation(request.membership, pk)))

    @no_content()
    def delete(self, request, pk):
        services.delete_translation(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TranslationLanguageDetail(APIView):
    @returns(200, {"application/json": OBJECT})
    def patch(self, request, pk, language):
        """``segments`` (the texts, all of them) and/or ``speaker_voices`` ({"S2": voice})."""
        body = _body(request)
        with transaction.atomic():  # both or neither: a refused part keeps the other unsaved
            if "speaker_voices" not in body or "segments" in body:
                services.update_segments(request.membership, pk, language, body.get("segments"))
            if "speaker_voices" in body:
                services.set_speaker_voices(
                    request.membership, pk, language, body["speaker_voices"]
                )
        translation = services.get_translation(request.membership, pk)
        return Response(language_data(services.get_language(translation, language)))


class TranslationRetranslate(APIView):
    @returns(200, {"application/json": OBJECT})
    def post(self, request, pk, language):
        job = services.retranslate_segment(
            request.membership, pk, language, _body(request).get("index")
        )
        return Response(language_data(job))


class TranslationDub(APIView):
    @returns(200, {"application/json": OBJECT})
    @idempotent
    def post(self, request, pk):
        translation = services.dub(request.membership, pk, _body(request).get("languages"))
        return Response(translation_data(translation))


class TranslationCancel(APIView):
    @returns()
    @idempotent
    def post(self, request, pk):
        return Response(translation_data(services.cancel_translation(request.membership, pk)))
