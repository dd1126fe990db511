"""The video editor (scenes) and the paste-a-link flow, both over drafts.

The pages are rendered here; the editor itself talks to the JSON API
(`/api/v1/drafts`, `/estimate`, `/assets`) with the session, so the web app
and API customers share one set of rules and errors.
"""

import contextlib

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from avatar.pipeline import MAX_SCRIPT_CHARS
from saas.errors import ServiceError
from saas.web import found, run_service
from saas.workspaces.models import Role, role_at_least

from .. import drafts
from ..models import Avatar, Draft
from ..specs import DEFAULT_AVATAR, DEFAULT_VOICE

LAYOUTS = [
    ("presenter", "Presenter", "The presenter full frame, text beside or above"),
    ("corner", "Corner", "Your images full frame, the presenter in a corner circle"),
    ("bottom", "Bottom third", "Your images full frame, the presenter in the bottom third"),
    ("split", "Split", "Presenter and images side by side"),
    ("voiceover", "Voice-over", "Images only, no presenter on screen"),
]
TEMPLATES = {
    "blank": {"title": "Untitled video", "aspect": "16:9", "scenes": [{"script": ""}]},
    "training": {
        "title": "New training video",
        "aspect": "16:9",
        "music": "corporate",
        "captions": {"enabled": True, "style": "subtitle"},
        "scenes": [
            {
                "script": "Welcome! In the next two minutes you will learn how our new "
                "process works and what changes for you.",
                "layout": "presenter",
                "overlays": [{"type": "title", "text": "Welcome"}],
            },
            {
                "script": "First, open the request form and fill in the three required fields.",
                "layout": "presenter",
                "overlays": [{"type": "bullets", "items": ["Open the form", "Fill in 3 fields"]}],
            },
            {
                "script": "That's it. If you have questions, ask your team lead. Thanks!",
                "layout": "presenter",
                "overlays": [{"type": "cta", "text": "Questions? Ask your lead"}],
            },
        ],
    },
    "ad": {
        "title": "New product ad",
        "aspect": "9:16",
        "music": "upbeat",
        "scenes": [
            {
                "script": "Meet the product your customers have been waiting for.",
                "layout": "presenter",
                "overlays": [{"type": "title", "text": "Meet your new favourite"}],
            },
            {
                "script": "Order today and get free shipping.",
                "layout": "presenter",
                "overlays": [{"type": "cta", "text": "Shop now"}],
            },
        ],
    },
}


def _can_edit(request) -> bool:
    return role_at_least(request.membership.role, Role.CREATOR)


@login_required
def create(request):
    """Choose how to start: a product link, a template or a blank video; resume a draft."""
    if request.method == "POST":
        starter = TEMPLATES.get(request.POST.get("template"), TEMPLATES["blank"])
        draft = run_service(request, drafts.create_draft, request.membership, starter)
        return redirect("editor", draft.pk) if draft else redirect("create")
    recent = Draft.objects.filter(workspace=request.workspace, preview=False)[:12]
    return render(request, "studio/create.html", {"drafts": recent, "can_edit": _can_edit(request)})


@login_required
def create_from_link(request):
    """Step 1 of the link flow: paste the URL. The draft opens at once and says "Reading
    the page…" while a worker reads it; then the editor shows the product and script."""
    form = {"url": "", "tone": "energetic", "length": "30", "aspect": "9:16"}
    error = None
    if request.method == "POST":
        form.update({k: request.POST.get(k, v).strip() for k, v in form.items()})
        form["url"] = with_scheme(form["url"])
        try:
            draft = drafts.draft_from_link(request.membership, _link_request(form))
        except ServiceError as exc:
            error = {"field": exc.field or "url", "message": exc.message}
        else:
            _forget_failed(request, request.POST.get("retry"))
            return redirect("editor", draft.pk)
    context = {"form": form, "error": error, "can_edit": _can_edit(request)}
    context.update(tones=drafts.TONES, lengths=drafts.LENGTHS)
    return render(request, "studio/link.html", context, status=400 if error else 200)


def _forget_failed(request, draft_id) -> None:
    """A failed link draft tried again is replaced by the new one."""
    if draft_id:
        with contextlib.suppress(ServiceError):
            draft = drafts.get_draft(request.membership, draft_id)
            if draft.status == Draft.Status.FAILED:
                drafts.delete_draft(request.membership, draft.pk)


def with_scheme(url: str) -> str:
    """A pasted link without its scheme ("shop.example/p/1", "www.shop.example") gets
    https://, as a browser's address bar would; anything else is left for the checks."""
    bare = url.removeprefix("//")
    if bare and "://" not in bare and " " not in bare and "." in bare.split("/", 1)[0]:
        return "https://" + bare
    return url


def _link_request(form: dict) -> dict:
    """The form checked as the API checks `POST /api/v1/drafts/from-url`."""
    from saas.studio.requests import FromUrlSerializer

    serializer = FromUrlSerializer(data=form)
    if not serializer.is_valid():
        field, problems = next(iter(serializer.errors.items()))
        raise ServiceError(str(problems[0]), field=field)
    return serializer.validated_data


@login_required
def editor(request, pk):
    draft = drafts.reading_state(found(drafts.get_draft, request.membership, pk))
    if draft.status != Draft.Status.READY:
        return _reading(request, draft)
    context = {
        "draft": draft,
        "can_edit": _can_edit(request),
        "editor_data": {
            "draft": drafts.draft_data(draft),
            "voices": _voices(),
            "avatars": _avatars(request.workspace),
            "layouts": [{"id": i, "name": n, "help": h} for i, n, h in LAYOUTS],
            "music": _music(),
            "defaults": {"voice": DEFAULT_VOICE, "avatar": DEFAULT_AVATAR},
            "limits": {"script_chars": MAX_SCRIPT_CHARS},
            "urls": {
                "draft": reverse("api_draft", args=[draft.pk]),
                "render": reverse("api_draft_render", args=[draft.pk]),
                "script": reverse("api_draft_script", args=[draft.pk]),
                "estimate": reverse("api_estimate"),
                "assets": reverse("api_assets"),
                "video": reverse("video", args=["00000000-0000-0000-0000-000000000000"]),
            },
            "canEdit": _can_edit(request),
        },
    }
    return render(request, "studio/editor.html", context)


def _reading(request, draft):
    """A link draft whose page a worker is reading (the page polls the draft and reloads
    into the editor), or could not read (the reason, and the link form to try again)."""
    link = draft.request.get("link") or {}
    form = {
        "url": draft.source_url,
        "tone": link.get("tone", "energetic"),
        "length": str(link.get("length", 30)),
        "aspect": draft.request.get("aspect", "9:16"),
    }
    context = {
        "draft": draft,
        "form": form,
        "error": draft.error,
        "can_edit": _can_edit(request),
        "tones": drafts.TONES,
        "lengths": drafts.LENGTHS,
        "poll_url": reverse("api_draft", args=[draft.pk]),
    }
    return render(request, "studio/reading.html", context)


@login_required
@require_POST
def delete_draft(request, pk):
    run_service(request, drafts.delete_draft, request.membership, pk, success="Draft deleted.")
    return redirect("create")


def _voices() -> list[dict]:
    from avatar.voices import catalogue

    return [
        {"id": v.id, "name": v.name, "language": v.language, "gender": v.gender,
         "quality": v.quality}
        for v in catalogue()
    ]  # fmt: skip


def _avatars(workspace) -> list[dict]:
    from avatar.presenters import stock_avatars

    stock = [{"id": s.id, "name": s.name, "stock": True} for s in stock_avatars()]
    own = Avatar.objects.filter(workspace=workspace, status=Avatar.Status.READY)
    return stock + [{"id": str(a.pk), "name": a.name, "stock": False} for a in own]


def _music() -> list[dict]:
    from avatar.music import TRACKS

    return [{"id": t.id, "name": t.title, "mood": t.mood} for t in TRACKS.values()]


urlpatterns = [
    path("create/", create, name="create"),
    path("create/link/", create_from_link, name="create_from_link"),
    path("drafts/<uuid:pk>/", editor, name="editor"),
    path("drafts/<uuid:pk>/delete", delete_draft, name="delete_draft"),
]
