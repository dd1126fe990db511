"""Request shapes for videos (DRF serializers). Errors name the field with its JSON path.

Shared by the REST API, the web app, the HeyGen-compatible routes and
templates, so a video request is checked the same way wherever it comes from.
"""

from rest_framework import serializers

from .drafts import LENGTHS, TONES

ASPECTS = ["16:9", "9:16", "1:1"]
RESOLUTIONS = ["720p", "1080p"]


def validate_voice(value: str) -> str:
    from avatar.voices import catalogue

    if value not in {voice.id for voice in catalogue()}:
        raise serializers.ValidationError(
            f"Unknown voice {value!r}. GET /api/v1/voices lists them.", code="unknown_voice"
        )
    return value


class SceneSerializer(serializers.Serializer):
    script = serializers.CharField(
        max_length=5000,
        required=False,
        trim_whitespace=True,
        error_messages={"blank": "Write what the presenter says in this scene."},
    )
    audio = serializers.UUIDField(required=False, help_text="an uploaded audio asset instead")
    transcript = serializers.CharField(max_length=5000, required=False)
    voice = serializers.CharField(required=False, validators=[validate_voice])
    avatar = serializers.CharField(max_length=100, required=False)
    layout = serializers.CharField(max_length=40, required=False)
    background = serializers.JSONField(required=False)
    media = serializers.ListField(child=serializers.JSONField(), max_length=20, required=False)
    overlays = serializers.ListField(child=serializers.JSONField(), max_length=20, required=False)
    rate = serializers.FloatField(min_value=0.5, max_value=2.0, required=False)
    pitch = serializers.FloatField(min_value=-12, max_value=12, required=False)

    def validate(self, data):
        if not data.get("script") and not data.get("audio"):
            raise serializers.ValidationError(
                {"script": "A scene needs a script, or an uploaded audio asset."}
            )
        return data


class VideoCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    project = serializers.UUIDField(required=False)
    aspect = serializers.ChoiceField(choices=ASPECTS, default="16:9")
    resolution = serializers.ChoiceField(choices=RESOLUTIONS, default="720p")
    scenes = SceneSerializer(many=True, allow_empty=False, max_length=30)
    captions = serializers.JSONField(required=False)
    music = serializers.JSONField(required=False)
    transitions = serializers.JSONField(required=False)
    brand = serializers.JSONField(required=False)
    callback_url = serializers.URLField(max_length=2000, required=False)


class FromUrlSerializer(serializers.Serializer):
    url = serializers.URLField(
        max_length=2000,
        error_messages={
            "invalid": "Paste the full address of a product page, starting with https://"
        },
    )
    length = serializers.ChoiceField(choices=LENGTHS, default=30)
    tone = serializers.ChoiceField(choices=TONES, default="energetic")
    aspect = serializers.ChoiceField(choices=ASPECTS, default="9:16")
    resolution = serializers.ChoiceField(choices=RESOLUTIONS, default="720p")
    avatar = serializers.CharField(max_length=100, required=False)
    voice = serializers.CharField(required=False, validators=[validate_voice])
    title = serializers.CharField(max_length=200, required=False)
    project = serializers.UUIDField(required=False)
    music = serializers.JSONField(required=False)
    captions = serializers.JSONField(required=False)
    callback_url = serializers.URLField(max_length=2000, required=False)


def plain(value):
    """Validated data as JSON-ready builtins (UUIDs and decimals as strings)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def checked(data: dict, serializer_class=None) -> dict:
    """DATA as a valid video request (defaults filled in); DRF's ValidationError if not."""
    serializer = (serializer_class or VideoCreateSerializer)(data=data)
    serializer.is_valid(raise_exception=True)
    return plain(serializer.validated_data)
