"""REST transport for webhooks: parse, call a service, serialise. Admins only."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.workspaces.models import Role

from . import services
from .models import EVENTS, WebhookAttempt, WebhookDelivery, WebhookEndpoint


class EndpointSerializer(serializers.ModelSerializer):
    url = serializers.CharField(max_length=2000)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS),
        required=False,
        help_text="Events to receive; empty or absent: all of them.",
    )
    active = serializers.BooleanField(
        required=False,
        help_text="False: disabled; its events are recorded as missed and not sent. "
        "Setting it to true drops them: POST …/enable resends them instead.",
    )
    missed_events = serializers.SerializerMethodField(
        help_text="Events a disabled endpoint missed, which POST …/enable can resend."
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "active",
            "secret_prefix",
            "previous_secret_expires_at",
            "disabled_at",
            "disabled_reason",
            "disabled_automatically",
            "missed_events",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "secret_prefix",
            "previous_secret_expires_at",
            "disabled_at",
            "disabled_reason",
            "disabled_automatically",
            "created_at",
            "updated_at",
        ]

    def get_missed_events(self, endpoint) -> int:
        return services.missed_count(endpoint)


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown only in this response.")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class EnableSerializer(serializers.Serializer):
    replay_missed = serializers.BooleanField(
        default=False,
        help_text="Also send, once each, the events the endpoint missed while disabled.",
    )


class EnabledSerializer(EndpointSerializer):
    replayed = serializers.IntegerField(read_only=True, help_text="Missed events queued again.")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "replayed"]


class RotateSecretSerializer(serializers.Serializer):
    previous_valid_hours = serializers.IntegerField(
        min_value=0,
        max_value=services.MAX_OVERLAP_HOURS,
        default=24,
        help_text="How long the old secret keeps signing as well (0: stop now).",
    )


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "next_attempt_at",
            "last_response_code",
            "last_latency_ms",
            "last_error",
            "replay_of",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "started_at", "response_code", "latency_ms", "error", "response_body"]
        read_only_fields = fields


class DeliveryDetailSerializer(DeliverySerializer):
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta(DeliverySerializer.Meta):
        fields = [*DeliverySerializer.Meta.fields, "payload", "attempt_log"]
        read_only_fields = fields


def _validated(serializer_class, request, partial=False):
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _with_secret(endpoint, secret):
    endpoint.secret = secret
    return EndpointWithSecretSerializer(endpoint).data


class AdminOnly:
    read_role = write_role = Role.ADMIN


class EndpointList(AdminOnly, generics.ListAPIView):
    serializer_class = EndpointSerializer

    def get_queryset(self):
        return services.list_endpoints(self.request.membership)

    @extend_schema(request=EndpointSerializer, responses={201: EndpointWithSecretSerializer})
    def post(self, request):
        data = _validated(EndpointSerializer, request)
        data.pop("active", None)
        endpoint, secret = services.create_endpoint(request.membership, **data)
        return Response(_with_secret(endpoint, secret), status=status.HTTP_201_CREATED)


class EndpointDetail(AdminOnly, APIView):
    serializer_class = EndpointSerializer

    def get(self, request, pk):
        endpoint = services.get_endpoint(request.membership, pk)
        return Response(EndpointSerializer(endpoint).data)

    def patch(self, request, pk):
        data = _validated(EndpointSerializer, request, partial=True)
        endpoint = services.update_endpoint(request.membership, pk, **data)
        return Response(EndpointSerializer(endpoint).data)

    def delete(self, request, pk):
        services.delete_endpoint(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RotateSecret(AdminOnly, APIView):
    serializer_class = RotateSecretSerializer

    @extend_schema(request=RotateSecretSerializer, responses=EndpointWithSecretSerializer)
    def post(self, request, pk):
        hours = _validated(RotateSecretSerializer, request)["previous_valid_hours"]
        endpoint, secret = services.rotate_secret(request.membership, pk, hours)
        return Response(_with_secret(endpoint, secret))


class EnableEndpoint(AdminOnly, APIView):
    """Enable a disabled endpoint; with replay_missed, resend what it missed."""

    serializer_class = EnableSerializer

    @extend_schema(request=EnableSerializer, responses=EnabledSerializer)
    def post(self, request, pk):
        replay = _validated(EnableSerializer, request)["replay_missed"]
        endpoint, replayed = services.enable_endpoint(request.membership, pk, replay_missed=replay)
        endpoint.replayed = replayed
        return Response(EnabledSerializer(endpoint).data)


class SendTest(AdminOnly, APIView):
    serializer_class = DeliverySerializer

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request, pk):
        delivery = services.send_test(request.membership, pk)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryList(AdminOnly, generics.ListAPIView):
    """The endpoint's deliveries, newest first; ?status= filters."""

    serializer_class = DeliverySerializer

    def get_queryset(self):
        deliveries = services.deliveries_for(self.request.membership, self.kwargs["pk"])
        wanted = self.request.query_params.get("status")
        return deliveries.filter(status=wanted) if wanted else deliveries


class DeliveryDetail(AdminOnly, APIView):
    serializer_class = DeliveryDetailSerializer

    def get(self, request, pk, delivery_id):
        delivery = services.get_delivery(request.membership, pk, delivery_id)
        return Response(DeliveryDetailSerializer(delivery).data)


class ReplayDelivery(AdminOnly, APIView):
    serializer_class = DeliverySerializer

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request, pk, delivery_id):
        delivery = services.replay_delivery(request.membership, pk, delivery_id)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
