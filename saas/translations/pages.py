"""The translation pages: upload a video, follow each language, review the transcript
side by side with its translation, dub, watch and download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from saas.errors import ServiceError
from saas.web import found, run_service
from saas.workspaces.models import Role, role_at_least

from . import services
from .representation import status_of


def language_name(code: str) -> str:
    """The language's English name, from Django's own list of languages, or its code."""
    from django.utils.translation import get_language_info

    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def _can_edit(request) -> bool:
    return role_at_least(request.membership.role, Role.CREATOR)


def _finished_videos(request):
    from saas.studio.models import Video

    return Video.objects.filter(
        workspace=request.membership.workspace, status=Video.Status.COMPLETED
    ).exclude(mp4="")[:50]


def _offered() -> list[dict]:
    rows = []
    for row in services.languages_offered():
        row = {**row, "name": language_name(row["language"])}
        sources = [s for s in row["translated_from"] if s != "any"]
        row["offline"] = bool(sources)
        row["note"] = (
            f"translated offline from {', '.join(language_name(s) for s in sources)}"
            if sources
            else "bring your own translation (or configure a provider)"
        )
        rows.append(row)
    return rows


def _list_context(request, **extra) -> dict:
    """The Translate page: the upload form (languages, the workspace's videos) and the list."""
    translations = list(services.list_translations(request.membership)[:50])
    return {
        "here": "translations",
        "rows": [(t, status_of(t, list(t.languages.all()))) for t in translations],
        "offered": _offered(),
        "can_edit": _can_edit(request),
        "videos": _finished_videos(request),
        **extra,
    }


@login_required
@require_GET
def translations_page(request):
    return render(request, "translations/list.html", _list_context(request))


@login_required
@require_POST
def translation_create(request):
    data = request.POST
    voices = {
        code: data.get(f"voice_{code}") for code in data.getlist("target_languages")
        if data.get(f"voice_{code}")
    }  # fmt: skip
    try:
        translation = services.create_translation(
            request.membership,
            upload=request.FILES.get("video"),
            video_id=data.get("video_id") or None,
            source_language=data.get("source_language", ""),
            target_languages=data.getlist("target_languages"),
            voices=voices,
            options={
                name: data.get(name) == "on" for name in ("review", "lipsync", "captions_burned")
            },
            subtitles=request.FILES.get("subtitles"),
            title=data.get("title", ""),
        )
    except ServiceError as exc:
        context = _list_context(request, error=exc, posted=data)
        return render(request, "translations/list.html", context, status=400)
    return redirect("translation_detail", pk=translation.pk)


def _speakers(job) -> None:
    """The speakers heard, and on each row the name of the voice its speaker gets."""
    from avatar.errors import InvalidInput
    from avatar.voices import get_voice

    voices = services.voices_per_speaker(job)
    job.speakers = sorted({row.get("speaker") for row in job.rows} - {None, ""})
    for row in job.rows:
        voice_id = voices.get(row.get("speaker") or "") or job.voice
        try:
            row["voice_name"] = get_voice(voice_id).name
        except InvalidInput:  # a voice this installation no longer has
            row["voice_name"] = voice_id


@login_required
@require_GET
def translation_page(request, pk):
    translation = found(services.get_translation, request.membership, pk)
    languages = list(translation.languages.all())
    for job in languages:
        job.name = language_name(job.language)
        pairs = zip(job.segments or [], translation.segments or [], strict=False)
        job.rows = [{"index": i, **t, "source": t.get("source") or s["text"]}
                    for i, (t, s) in enumerate(pairs)]  # fmt: skip
        _speakers(job)
    context = {
        "here": "translations",
        "translation": translation,
        "status": status_of(translation, languages),
        "languages": languages,
        "source_name": language_name(translation.language) if translation.language else "",
        "can_edit": _can_edit(request),
        "api_url": reverse("api_translation", args=[translation.pk]),
        "active": any(job.is_active for job in languages),
    }
    return render(request, "translations/detail.html", context)


def _posted_segments(request, job) -> list[dict]:
    """The segments' texts as the review form posted them (unposted ones unchanged)."""
    return [
        {"text": request.POST.get(f"text_{index}", segment["text"])}
        for index, segment in enumerate(job.segments or [])
    ]


@login_required
@require_POST
def translation_segments(request, pk, language):
    translation = found(services.get_translation, request.membership, pk)
    job = found(services.get_language, translation, language)
    segments = _posted_segments(request, job)
    action = request.POST.get("action", "save")
    success = "Your edits are saved." if action == "save" else None
    saved = run_service(
        request, services.update_segments, request.membership, pk, language, segments,
        success=success,
    )  # fmt: skip
    if saved is not None and action == "dub":
        run_service(request, services.dub, request.membership, pk, [language],
                    success=f"Dubbing {language_name(language)} now.")  # fmt: skip
    return redirect(reverse("translation_detail", args=[pk]) + f"#lang-{language}")


@login_required
@require_POST
def translation_retranslate(request, pk, language, index):
    # The button is part of the review form: the other segments' edits come with it and
    # are saved first (they were dropped).
    if any(key.startswith("text_") for key in request.POST):
        translation = found(services.get_translation, request.membership, pk)
        job = found(services.get_language, translation, language)
        saved = run_service(request, services.update_segments, request.membership, pk,
                            language, _posted_segments(request, job))  # fmt: skip
        if saved is None:
            return redirect(reverse("translation_detail", args=[pk]) + f"#lang-{language}")
    run_service(request, services.retranslate_segment, request.membership, pk, language, index,
                success=f"Segment {index + 1} translated again.")  # fmt: skip
    return redirect(reverse("translation_detail", args=[pk]) + f"#lang-{language}")


@login_required
@require_POST
def translation_cancel(request, pk):
    run_service(request, services.cancel_translation, request.membership, pk,
                success="Stopped. Credits reserved for unfinished languages are back.")  # fmt: skip
    return redirect("translation_detail", pk=pk)


@login_required
@require_POST
def translation_delete(request, pk):
    title = found(services.get_translation, request.membership, pk).title
    if run_service(request, _delete, request.membership, pk, success=f"Deleted “{title}”."):
        return redirect("translations")
    return redirect("translation_detail", pk=pk)


def _delete(membership, pk) -> bool:
    services.delete_translation(membership, pk)
    return True


urlpatterns = [
    path("translations/", translations_page, name="translations"),
    path("translations/new/", translation_create, name="translation_create"),
    path("translations/<uuid:pk>/", translation_page, name="translation_detail"),
    path(
        "translations/<uuid:pk>/<str:language>/segments/",
        translation_segments,
        name="translation_segments",
    ),
    path(
        "translations/<uuid:pk>/<str:language>/retranslate/<int:index>/",
        translation_retranslate,
        name="translation_retranslate",
    ),
    path("translations/<uuid:pk>/cancel/", translation_cancel, name="translation_cancel"),
    path("translations/<uuid:pk>/delete/", translation_delete, name="translation_delete"),
]
