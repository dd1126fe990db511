"""POST /billing/stripe/webhook/: verify, store once, hand to a worker, answer fast."""

import logging

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import events, stripe_api
from .tasks import process_stripe_event

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 512 * 1024  # Stripe events are far smaller


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_BODY_BYTES


@csrf_exempt
@require_POST
def stripe_webhook(request):
    if not stripe_api.is_configured():
        return HttpResponse("Billing is not configured.", status=404, content_type="text/plain")
    if _too_large(request) or len(request.body) > MAX_BODY_BYTES:
        return HttpResponse("Too large.", status=413, content_type="text/plain")
    try:
        event = stripe_api.verify_webhook(request.body, request.headers.get("Stripe-Signature"))
    except stripe_api.InvalidWebhook as exc:
        log.warning("Rejected a Stripe webhook: %s", exc)
        return HttpResponse("Invalid signature.", status=400, content_type="text/plain")
    with transaction.atomic():
        created = events.record_event(event)
        if created:
            event_id = event["id"]
            transaction.on_commit(lambda: process_stripe_event.send(event_id))
    return JsonResponse({"received": True, "duplicate": not created})
