"""The avatar gallery: stock presenters and the workspace's own photo avatars.

Uploading is two steps: the page sends a chosen photo to `avatar_check` (the
face quality gate, nothing stored) and shows what to fix, then the form posts
to `avatar_upload`, which checks again through `create_avatar`. Every page
works without JavaScript; with it, forms post with fetch and cards of avatars
still processing redraw themselves from `avatar_status`.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from saas.errors import NotFound, ServiceError
from saas.web import found
from saas.workspaces.models import Role, role_at_least
from saas.workspaces.services import require_role

from .. import avatars as service
from ..models import Avatar
from ..uploads import MAX_IMAGE_BYTES, verify_image

MAX_UPLOAD_MB = MAX_IMAGE_BYTES // (1024 * 1024)
CONSENT_TEXT = (
    "I am the person in this photo, or I have their written permission to create a "
    "talking avatar of them."
)

# Quality-gate codes -> (what is wrong, how to fix it), in plain words. The
# report's own message (with the measured numbers) is shown under the fix.
HINTS = {
    "no_face": (
        "We couldn't find a face.",
        "Use a front-facing photo where your whole face is visible.",
    ),
    "several_faces": (
        "There is more than one person in this photo.",
        "Use a photo of just the presenter, or crop it so only one face remains.",
    ),
    "face_too_small": (
        "The face is too small in this photo.",
        "Move closer or crop the photo so your face fills at least a third of the frame.",
    ),
    "head_turned": (
        "The head is turned to the side.",
        "Look straight into the camera, with both ears about equally visible.",
    ),
    "head_tilted": (
        "The head is tilted.",
        "Hold the camera at eye level and keep your head straight, eyes level.",
    ),
    "too_dark": (
        "The photo is too dark.",
        "Face a window or a lamp so your face is evenly lit, with no bright light behind you.",
    ),
    "image_too_small": (
        "The photo is too small.",
        "Use the original photo rather than a thumbnail or screenshot; 1000 pixels or more "
        "on the short side looks best.",
    ),
    "file_too_large": (
        "The file is too large.",
        f"Export the photo as a JPEG under {MAX_UPLOAD_MB} MB and try again.",
    ),
    "not_an_image": ("We can't read this file.", "Upload a JPEG, PNG or WebP photo."),
    "unreadable_image": ("We can't read this file.", "Upload a JPEG, PNG or WebP photo."),
    "unsupported_format": ("This file type isn't supported.", "Upload a JPEG, PNG or WebP."),
    "image_too_large": (
        "The photo has too many pixels.",
        "Scale it down (a few thousand pixels a side is plenty) and try again.",
    ),
    "type_mismatch": (
        "The file's name does not match what it is.",
        "Give it the extension of its real type, or export it again as a JPEG.",
    ),
    "unsafe_file": (
        "This file has something other than a picture hidden in it.",
        "Open the photo in an image editor, save it as a new JPEG and upload that.",
    ),
    "overexposed": (
        "The face is very bright.",
        "Softer, even light keeps the details of the skin.",
    ),
    "teeth_visible": (
        "The teeth are showing.",
        "A relaxed, closed mouth looks most natural when the avatar is silent.",
    ),
    "mouth_open": (
        "The mouth is open.",
        "A relaxed, closed mouth looks most natural when the avatar is silent.",
    ),
    "eyes_closed": ("The eyes look closed.", "Use a photo with the eyes open."),
}


def _hint(issue: dict) -> dict:
    """One problem as a person reads it, said once: our title and fix where we have
    them (the checker's own sentence said the same again under it), else its sentence."""
    code = issue.get("code") or "invalid"
    title, fix = HINTS.get(code, (issue.get("message", ""), ""))
    return {"code": code, "title": title, "fix": fix, "detail": ""}


def feedback(report: dict) -> dict:
    """The quality report as problems and tips a person can act on."""
    measured = report.get("measurements") or {}
    return {
        "ok": bool(report.get("ok")),
        "problems": [_hint(issue) for issue in report.get("errors", [])],
        "tips": [_hint(issue) for issue in report.get("warnings", [])],
        "face_box": report.get("face_box"),
        "size": [measured.get("width"), measured.get("height")],
    }


# Cards -------------------------------------------------------------------------


def stock_cards() -> list[dict]:
    """Stock presenters with their preview, queuing any preview that is missing (once)."""
    cards = []
    for stock in service.stock_data():
        url = service.stock_preview_url(stock["id"])
        if url is None:
            service.request_stock_preview(stock["id"])
        cards.append({**stock, "preview_url": url})
    return cards


def _can_edit(membership) -> bool:
    return membership is not None and role_at_least(membership.role, Role.CREATOR)


def _problem_text(avatar: Avatar) -> str:
    errors = (avatar.quality_report or {}).get("errors") or []
    if avatar.status in (Avatar.Status.FAILED, Avatar.Status.REJECTED) and errors:
        return _hint(errors[0])["title"] or errors[0].get("message", "")
    return ""


def card_html(request, avatar: Avatar) -> str:
    context = {"avatar": avatar, "can_edit": _can_edit(request.membership)}
    context["problem"] = _problem_text(avatar)
    return render_to_string("studio/_avatar_card.html", context, request=request)


def _gallery(request, form_errors=None, form_values=None, status=200):
    mine = Avatar.objects.filter(workspace=request.workspace)
    context = {
        "stock": stock_cards(),
        "mine": [(a, _problem_text(a)) for a in mine],
        "can_edit": _can_edit(request.membership),
        "max_upload_mb": MAX_UPLOAD_MB,
        "consent_text": CONSENT_TEXT,
        "errors": form_errors or {},
        "values": form_values or {},
    }
    return render(request, "studio/avatars.html", context, status=status)


# Views -------------------------------------------------------------------------


@login_required
@require_GET
def avatars(request):
    return _gallery(request)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _error_json(exc: ServiceError, **extra) -> JsonResponse:
    body = {"code": exc.code, "message": exc.message, "field": exc.field, **extra}
    return JsonResponse({"error": body}, status=exc.status)


@login_required
@require_POST
def check_photo(request):
    """The face quality gate on a chosen photo, before anything is stored."""
    try:
        require_role(request.membership, Role.CREATOR)
        upload = request.FILES.get("image")
        if upload is None:
            raise ServiceError("Choose a photo to check.", field="image")
        verify_image(upload, field="image")
    except ServiceError as exc:
        hint = _hint({"code": exc.code, "message": exc.message})
        return _error_json(exc, feedback={"ok": False, "problems": [hint], "tips": []})
    return JsonResponse(feedback(service.assess_upload(upload)))


def _create(request) -> Avatar:
    consent = request.POST.get("consent", "").lower() in ("on", "true", "1", "yes")
    create = service.create_video_avatar if "video" in request.FILES else service.create_avatar
    upload = request.FILES.get("video") or request.FILES.get("image")
    return create(request.membership, upload, request.POST.get("name", ""), consent)


@login_required
@require_POST
def upload_avatar(request):
    """Keep a photo that passed the gate (with consent) and queue its preview."""
    try:
        avatar = _create(request)
    except ServiceError as exc:
        return _upload_refused(request, exc)
    if _wants_json(request):
        return JsonResponse(
            {"id": str(avatar.pk), "status": avatar.status, "html": card_html(request, avatar)},
            status=201,
        )
    messages.success(request, f"“{avatar.name}” is being prepared. This takes about a minute.")
    return redirect("avatars")


def _upload_refused(request, exc: ServiceError):
    report = getattr(exc, "report", None)
    if _wants_json(request):
        return _error_json(exc, feedback=feedback(report) if report else None)
    if exc.status == 403:
        return render(request, "workspaces/forbidden.html", {"needed": "creator"}, status=403)
    if report:  # the problems say it all, with how to fix each
        errors = {"problems": feedback(report)["problems"]}
    else:
        errors = {exc.field or "form": exc.message}
    values = {"name": request.POST.get("name", "")}
    return _gallery(request, form_errors=errors, form_values=values, status=exc.status)


@login_required
@require_GET
def avatar_detail(request, pk):
    avatar = found(service.get_avatar, request.membership, pk)
    report = feedback(avatar.quality_report or {})
    context = {"avatar": avatar, "report": report, "can_edit": _can_edit(request.membership)}
    context["problem"] = _problem_text(avatar)
    return render(request, "studio/avatar.html", context)


@login_required
@require_GET
def avatar_status(request, pk):
    """A photo avatar's status and its redrawn card, for the gallery's polling."""
    avatar = found(service.get_avatar, request.membership, pk)
    return JsonResponse(
        {"id": str(avatar.pk), "status": avatar.status, "html": card_html(request, avatar)}
    )


@login_required
@require_GET
def avatar_thumbnail(request, pk):
    """A card-sized JPEG of a photo avatar (made once, kept beside the upload)."""
    from django.core.files.storage import default_storage

    avatar = found(service.get_avatar, request.membership, pk)
    if not avatar.image:
        raise Http404("This avatar has no photo.")
    with default_storage.open(service.thumbnail(avatar), "rb") as handle:
        response = HttpResponse(handle.read(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_POST
def delete_avatar(request, pk):
    name = found(service.get_avatar, request.membership, pk).name
    try:
        service.delete_avatar(request.membership, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ServiceError as exc:
        if _wants_json(request):
            return _error_json(exc)
        return render(request, "workspaces/forbidden.html", {"needed": "creator"}, status=403)
    if _wants_json(request):
        return JsonResponse({"deleted": str(pk)})
    messages.success(request, f"Avatar “{name}” deleted.")
    return redirect("avatars")


@login_required
@require_GET
def stock_status(request, stock_id):
    if stock_id not in {s["id"] for s in service.stock_data()}:
        raise Http404("No such stock presenter.")
    return JsonResponse({"id": stock_id, "preview_url": service.stock_preview_url(stock_id)})


@lru_cache(maxsize=16)
def _portrait_jpeg(stock_id: str) -> bytes:
    from avatar.presenters import STOCK, stock_avatars

    if stock_id not in STOCK:
        raise KeyError(stock_id)
    from PIL import Image

    stock = next(s for s in stock_avatars() if s.id == stock_id)
    return service.card_jpeg(Image.fromarray(stock.image()))


@login_required
@require_GET
def stock_portrait(request, stock_id):
    """A stock presenter's portrait, small enough for a card."""
    try:
        data = _portrait_jpeg(stock_id)
    except KeyError:
        raise Http404("No such stock presenter.") from None
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


urlpatterns = [
    path("avatars/", avatars, name="avatars"),
    path("avatars/check/", check_photo, name="avatar_check"),
    path("avatars/upload/", upload_avatar, name="avatar_upload"),
    path("avatars/<uuid:pk>/", avatar_detail, name="avatar_detail"),
    path("avatars/<uuid:pk>/status/", avatar_status, name="avatar_status"),
    path("avatars/<uuid:pk>/thumb.jpg", avatar_thumbnail, name="avatar_thumbnail"),
    path("avatars/<uuid:pk>/delete/", delete_avatar, name="avatar_delete"),
    path("avatars/stock/<slug:stock_id>/status/", stock_status, name="stock_avatar_status"),
    path("avatars/stock/<slug:stock_id>/portrait.jpg", stock_portrait, name="stock_portrait"),
]
