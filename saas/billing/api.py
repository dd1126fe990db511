"""GET /api/v1/billing: the workspace's plan, limits, credits and seats (any member)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services


def plan_data(plan) -> dict:
    return {
        "id": plan.id,
        "name": plan.name,
        "max_resolution": plan.max_resolution,
        "max_video_seconds": plan.max_video_seconds,
        "watermark": plan.watermark,
        "api_access": plan.api_access,
        "webhooks": plan.webhooks,
        "seats": plan.seats,
        "max_concurrent_renders": plan.max_concurrent_renders,
        "credit_rate": str(plan.credit_rate),
        "monthly_credits": plan.monthly_credits,
    }


class BillingView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        o = services.overview(request.membership.workspace, entries=0)
        account = o.account
        return Response(
            {
                "plan": plan_data(o.plan),
                "credits": {"balance": o.balance, "reserved": o.reserved, "debt": o.debt},
                "seats": {"used": o.seats_used, "limit": o.seat_limit},
                "subscription": {
                    "status": account.subscription_status or None,
                    "current_period_end": account.current_period_end,
                    "cancel_at_period_end": account.cancel_at_period_end,
                    "grace_until": account.grace_until,
                },
                "billing_configured": o.configured,
            }
        )
