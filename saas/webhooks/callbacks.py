"""A video's `callback_url`: one POST when the video completes or fails.

The caller gave us a URL, not a shared secret, so callbacks are not signed:
the body says which video and what happened (the same `data` as the
`video.completed` / `video.failed` webhooks, or, for a video made through
another vendor's routes, that vendor's body: HeyGen's `event_type` and
`event_data` with the `callback_id`), and a receiver that acts on it
should read the video back with its API key. Signed events are what the
workspace's webhook endpoints are for.

The URL is held to the webhook rules (https, no internal addresses) when the
video is submitted and again, resolved and pinned, on every attempt. A
callback that fails with a timeout, a refused connection or a 5xx is retried
by the broker with backoff (`CALLBACK_ATTEMPTS` in all); a 4xx or a refused
URL is final. Each attempt is logged with the video's id. Receivers dedupe by
the `Webhook-Id` header, which is the same on every attempt.
"""

from __future__ import annotations

import hashlib
import logging

from . import flavours, services, ssrf, transport

log = logging.getLogger(__name__)

CALLBACK_ATTEMPTS = 6


class CallbackFailed(Exception):
    """A failure worth another attempt (the broker retries the actor)."""

    retryable = True


def check_url(url: str) -> str:
    """Refuse a callback URL at submit time; the error names `callback_url`."""
    try:
        return ssrf.validate_url(url)
    except ssrf.RefusedUrl as exc:
        raise ssrf.RefusedUrl(exc.message.replace("Webhook URLs", "Callback URLs")) from None


def event_id(video_id, event: str) -> str:
    """The same id on every attempt, so receivers can drop repeats."""
    return "evt_" + hashlib.sha256(f"{video_id}:{event}".encode()).hexdigest()[:32]


def _flavour(request: dict) -> flavours.Flavour | None:
    """The flavour a video's request was made in (a key of that flavour's name in the
    request, such as ``heygen``), whose body its callback gets; None: ours."""
    return next((f for name, f in flavours.FLAVOURS.items() if name in request), None)


def send(video_id, event: str) -> transport.Response | None:
    """POST the callback once. Raises CallbackFailed when another attempt may succeed."""
    from saas.studio.models import Video
    from saas.studio.representation import video_data

    video = Video.objects.select_related("workspace").filter(pk=video_id).first()
    if video is None or not video.callback_url:
        return None
    ident = event_id(video.pk, event)
    flavour = _flavour(video.request or {})
    if flavour is None:
        payload = services.event_payload(ident, event, video.workspace_id, video_data(video))
    else:
        payload = flavour.payload(event, video_data(video))
    body = services.encode_body(payload)
    headers = {"Content-Type": "application/json", "Webhook-Id": ident}
    try:
        target = ssrf.resolve_target(video.callback_url)
    except ssrf.RefusedUrl as exc:
        log.warning("video %s: callback refused: %s", video.pk, exc.message)
        return None
    except ssrf.ResolveFailed as exc:
        raise CallbackFailed(str(exc)) from None
    response = transport.post(target, body, headers)
    log.info(
        "video %s: callback %s answered %s in %s ms%s",
        video.pk, event, response.status, response.latency_ms,
        f" ({response.error})" if response.error else "",
    )  # fmt: skip
    if response.ok or (response.status is not None and response.status < 500):
        return response  # delivered, or refused by the receiver: final either way
    raise CallbackFailed(response.error or f"HTTP {response.status}")
