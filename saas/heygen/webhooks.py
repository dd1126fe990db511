"""HeyGen-style webhooks: HeyGen's event names, body and signature on our deliveries.

An endpoint added through ``/v1/webhook/endpoint.add`` gets ``avatar_video.success``
and ``avatar_video.fail`` as HeyGen sends them::

    {"event_type": "avatar_video.success",
     "event_data": {"video_id": ..., "url": ..., "callback_id": ...}}

(``msg`` instead of ``url`` on failure), signed as the hex HMAC-SHA256 of the body
with the endpoint's secret, in every header HeyGen's receivers read: ``Signature`` and
``X-HeyGen-Signature`` (v1 endpoints), ``Heygen-Signature`` with ``Heygen-Timestamp`` and
``Heygen-Event-Id`` (v3). Retries, the delivery log, replays and SSRF checks are our
webhook machinery's, unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from saas.webhooks.flavours import Flavour

NAME = "heygen"
EVENTS = {"video.completed": "avatar_video.success", "video.failed": "avatar_video.fail"}


def payload(event_type: str, data: dict) -> dict:
    from saas.studio.models import Video

    video = Video.objects.filter(pk=data.get("id")).only("request").first()
    callback_id = ((video.request or {}).get("heygen") or {}).get("callback_id") if video else None
    event_data = {"video_id": data.get("id"), "callback_id": callback_id or None}
    if event_type == "video.completed":
        outputs = data.get("outputs") or {}
        event_data.update(url=outputs.get("mp4"), thumbnail_url=outputs.get("poster"))
        event_data.update(caption_url=outputs.get("srt"), duration=data.get("duration_s"))
    else:
        error = data.get("error") or {}
        event_data["msg"] = error.get("message") or "The video failed."
        event_data["code"] = error.get("code")
    return {"event_type": EVENTS[event_type], "event_data": event_data}


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def headers(secrets, event_id: str, body: bytes) -> dict[str, str]:
    current = next(iter(secrets))  # the newest secret: HeyGen's receivers check one
    digest = signature(current, body)
    return {"Signature": digest, "X-HeyGen-Signature": digest, "Heygen-Signature": digest,
            "Heygen-Timestamp": str(int(time.time())), "Heygen-Event-Id": event_id,
            "Webhook-Id": event_id}  # fmt: skip


FLAVOUR = Flavour(name=NAME, events=EVENTS, payload=payload, headers=headers)
