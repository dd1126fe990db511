"""The dashboard (every video, live) and one video's page, share link and duplicate."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_GET, require_POST

from saas.errors import NotFound, parse_uuid
from saas.media import shared_url
from saas.web import found, run_service
from saas.workspaces.models import Role, role_at_least

from .. import services
from ..drafts import duplicate_video
from ..models import Video
from ..pipeline import VIDEO
from ..representation import OUTPUTS, file_url, queue_position

PAGE_SIZE = 24
MAX_LIVE_IDS = 100
ASPECTS = ("9:16", "16:9", "1:1")
STATUS_FILTERS = {
    "active": ("In progress", Video.ACTIVE),
    Video.Status.COMPLETED: ("Completed", (Video.Status.COMPLETED,)),
    Video.Status.FAILED: ("Failed", (Video.Status.FAILED,)),
    Video.Status.CANCELLED: ("Cancelled", (Video.Status.CANCELLED,)),
}


# Presentation helpers ------------------------------------------------------------


def eta_text(seconds) -> str:
    """The same words as App.formatSeconds in app.js, for the first paint."""
    if seconds is None:
        return ""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60} s"


def timing_text(seconds) -> str:
    """How long a stage took: tenths below ten seconds, like the ETA above."""
    if seconds is None:
        return ""
    return f"{seconds:.1f} s" if seconds < 10 else eta_text(seconds)


def aspect_of(video: Video) -> str:
    aspect = (video.request or {}).get("aspect")
    return aspect if aspect in ASPECTS else "16:9"


def frame_size(aspect: str, resolution: str) -> tuple[int, int]:
    short = 1080 if resolution == "1080p" else 720
    long = short * 16 // 9
    return {"9:16": (short, long), "1:1": (short, short)}.get(aspect, (long, short))


def live_data(video: Video) -> dict:
    """What the dashboard and the video page need to redraw a video's progress."""
    return {
        "id": str(video.pk),
        "status": video.status,
        "status_label": video.get_status_display(),
        "stage": video.stage,
        "stage_label": video.get_stage_display(),
        "progress": video.progress,
        "eta_seconds": video.eta_seconds,
        "queue_position": queue_position(video),
        "active": video.is_active,
        "poster": file_url(video.poster),
        "error": video.error_message if video.status == Video.Status.FAILED else None,
        "url": reverse("video", args=[video.pk]),
    }


def creator_name(video: Video) -> str:
    user = video.created_by
    if user is None:
        return "Someone"
    return user.get_full_name() or user.email


def ago(moment) -> str:
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


def card(video: Video) -> dict:
    return {
        "created_ago": ago(video.created_at),
        **live_data(video),
        "video": video,
        "title": video.title,
        "aspect": aspect_of(video),
        "aspect_class": aspect_of(video).replace(":", "x"),
        "eta_text": eta_text(video.eta_seconds),
        "creator": creator_name(video),
        "is_link": bool(video.source_url),
    }


def outputs(video: Video, names) -> dict:
    return {name: file_url(getattr(video, name)) for name in names}


def _can_edit(request) -> bool:
    return role_at_least(request.membership.role, Role.CREATOR)


# The dashboard -------------------------------------------------------------------


def _filters(request) -> dict:
    get = request.GET
    return {
        "q": get.get("q", "").strip()[:200],
        "status": get.get("status") if get.get("status") in STATUS_FILTERS else "",
        "aspect": get.get("aspect") if get.get("aspect") in ASPECTS else "",
        "mine": get.get("mine") == "1",
    }


def filtered_videos(request, filters: dict):
    videos = Video.objects.filter(workspace=request.workspace).select_related("created_by")
    if filters["q"]:
        videos = videos.filter(title__icontains=filters["q"])
    if filters["status"]:
        videos = videos.filter(status__in=STATUS_FILTERS[filters["status"]][1])
    if filters["aspect"]:
        videos = videos.filter(request__aspect=filters["aspect"])
    if filters["mine"]:
        videos = videos.filter(created_by=request.user)
    return videos


def _query(filters: dict, **extra) -> str:
    params = {k: v for k, v in filters.items() if v and k != "mine"}
    if filters["mine"]:
        params["mine"] = "1"
    return urlencode({**params, **extra})


@login_required
@require_GET
def dashboard(request):
    filters = _filters(request)
    page = Paginator(filtered_videos(request, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    filtering = any(filters.values())
    context = {
        "cards": [card(video) for video in page],
        "page": page,
        "filters": filters,
        "filtering": filtering,
        "workspace_is_empty": not filtering
        and not Video.objects.filter(workspace=request.workspace).exists(),
        "status_choices": [(key, label) for key, (label, _) in STATUS_FILTERS.items()],
        "aspects": ASPECTS,
        "can_edit": _can_edit(request),
        "previous_query": _query(filters, page=page.number - 1) if page.has_previous() else "",
        "next_query": _query(filters, page=page.number + 1) if page.has_next() else "",
    }
    return render(request, "studio/dashboard.html", context)


@login_required
@require_GET
def dashboard_live(request):
    """Progress of the listed videos (`?ids=a,b,c`) of the current workspace only."""
    ids = []
    for raw in request.GET.get("ids", "").split(",")[:MAX_LIVE_IDS]:
        try:
            ids.append(parse_uuid(raw.strip()))
        except NotFound:
            continue
    videos = [live_data(v) for v in Video.objects.filter(workspace=request.workspace, pk__in=ids)]
    if ids and not videos:
        # None of them is in this workspace (deleted, or someone else's): say so.
        return JsonResponse({"videos": [], "error": "No such videos here."}, status=404)
    return JsonResponse({"videos": videos})


# One video -----------------------------------------------------------------------


def stage_steps(video: Video) -> list[dict]:
    """The video's stages with their state (done, current, failed, waiting) and timing."""
    stages = VIDEO.stages_for(video)
    current = stages.index(video.stage) if video.stage in stages else len(stages)
    steps = []
    for index, stage in enumerate(stages):
        if video.status == Video.Status.COMPLETED or index < current:
            state = "done"
        elif index == current:
            state = {"failed": "failed", "cancelled": "stopped"}.get(video.status, "current")
        else:
            state = "waiting"
        seconds = (video.stage_timings or {}).get(stage)
        steps.append(
            {"label": Video.Stage(stage).label, "state": state, "seconds": timing_text(seconds)}
        )
    return steps


def share_url(video: Video) -> str:
    if not video.share_token:
        return ""
    return settings.SITE_ROOT + reverse("shared_video", args=[video.share_token])


def video_context(request, video: Video) -> dict:
    aspect = aspect_of(video)
    resolution = (video.request or {}).get("resolution", "720p")
    width, height = frame_size(aspect, resolution)
    return {
        "video": video,
        "live": live_data(video),
        "eta_text": eta_text(video.eta_seconds),
        "aspect": aspect,
        "aspect_class": aspect.replace(":", "x"),
        "resolution": resolution,
        "frame": f"{width}×{height}",
        "outputs": outputs(video, OUTPUTS),
        "steps": stage_steps(video),
        "creator": creator_name(video),
        "can_edit": _can_edit(request),
        "share_url": share_url(video),
        "source_label": video.source_url.split("://", 1)[-1],
        "language": _language(video),
    }


def _language(video: Video) -> str:
    language = ((video.product or {}).get("language") or "en")[:2].lower()
    return language if language.isalpha() else "en"


@login_required
@require_GET
def video_page(request, pk):
    video = found(services.get_video, request.membership, pk)
    return render(request, "studio/video.html", video_context(request, video))


def _back_to(pk):
    return redirect("video", pk=pk)


@login_required
@require_POST
def cancel(request, pk):
    run_service(
        request,
        services.cancel_video,
        request.membership,
        pk,
        success="Video cancelled. Its reserved credits were returned.",
    )
    return _back_to(pk)


@login_required
@require_POST
def delete(request, pk):
    title = found(services.get_video, request.membership, pk).title
    result = run_service(request, _delete, request.membership, pk)
    if result is None:
        return _back_to(pk)
    messages.success(request, f"“{title}” was deleted.")
    return redirect("dashboard")


def _delete(actor, pk) -> bool:
    services.delete_video(actor, pk)
    return True


@login_required
@require_POST
def duplicate(request, pk):
    draft = run_service(request, duplicate_video, request.membership, pk)
    if draft is None:
        return _back_to(pk)
    messages.success(request, "A copy is ready to edit. Render it when it looks right.")
    return redirect(reverse("editor", args=[draft.pk]))


@login_required
@require_POST
def share(request, pk):
    run_service(
        request,
        services.share_video,
        request.membership,
        pk,
        success="Share link created. Anyone with the link can watch this video.",
    )
    return _back_to(pk)


@login_required
@require_POST
def share_revoke(request, pk):
    run_service(
        request,
        services.revoke_share,
        request.membership,
        pk,
        success="Share link turned off. The old link no longer works.",
    )
    return _back_to(pk)


@require_GET
def shared_video(request, token):
    """The public page of a shared video: the player and its title, nothing else."""
    try:
        video = services.get_shared_video(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    aspect = aspect_of(video)
    context = {
        "video": video,
        "aspect_class": aspect.replace(":", "x"),
        "outputs": {n: shared_url(getattr(video, n), token) for n in ("mp4", "poster", "vtt")},
        "language": _language(video),
        "page_url": settings.SITE_ROOT + request.path,
    }
    response = render(request, "studio/shared_video.html", context)
    # The token is the key to the page: keep it out of Referer headers and indexes.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/live.json", dashboard_live, name="dashboard_live"),
    path("videos/<uuid:pk>/", video_page, name="video"),
    path("videos/<uuid:pk>/cancel", cancel, name="video_cancel"),
    path("videos/<uuid:pk>/delete", delete, name="video_delete"),
    path("videos/<uuid:pk>/duplicate", duplicate, name="video_duplicate"),
    path("videos/<uuid:pk>/share", share, name="video_share"),
    path("videos/<uuid:pk>/share/revoke", share_revoke, name="video_share_revoke"),
    path("s/<str:token>/", shared_video, name="shared_video"),
]
