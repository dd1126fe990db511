"""How a translation looks to API clients and webhook receivers (one shape for both)."""

from __future__ import annotations

from saas.studio.representation import file_url

from .models import Translation, TranslationLanguage

DRAFT_NOTE = "Draft quality: please review the translation before dubbing."
OWN_NOTE = "No engine here translates this pair: write the translation, then dub."


def language_data(job: TranslationLanguage) -> dict:
    error = {"code": job.error_code, "message": job.error_message} if job.error_code else None
    return {
        "id": str(job.pk),
        "language": job.language,
        "voice": job.voice,
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "eta_seconds": job.eta_seconds,
        "engine": job.engine or None,
        "quality": job.quality or None,
        "quality_note": _note(job),
        "credits": job.credits_reserved,
        "segments": job.segments,
        "speaker_voices": job.speaker_voices or {},
        "dub_report": {
            k: v for k, v in (job.report or {}).items() if k not in ("placed", "lipsync")
        }
        or None,
        "lipsync": _lipsync(job),
        "outputs": {name: file_url(getattr(job, name)) for name in ("mp4", "srt", "vtt")},
        "duration_s": job.duration_s,
        "error": error,
        "stage_timings": job.stage_timings,
    }


def _note(job: TranslationLanguage) -> str | None:
    if job.quality == "draft":
        return DRAFT_NOTE
    if job.quality == "own" and job.status == "waiting" and not job.engine:
        if not any((s.get("text") or "").strip() for s in job.segments or []):
            return OWN_NOTE
    return None


def _lipsync(job: TranslationLanguage) -> dict | None:
    report = (job.report or {}).get("lipsync")
    if not report:
        return None
    note = None
    if not report["synced"]:
        note = "No frontal face was found, so lip-sync was skipped: the picture is unchanged."
    return {**report, "note": note}


def status_of(translation: Translation, languages: list[TranslationLanguage]) -> str:
    """The parent's status, with "review" while any language waits for the customer."""
    if translation.job.status == "running" and any(j.status == "waiting" for j in languages):
        return "review"
    return translation.job.status


def translation_data(translation: Translation) -> dict:
    languages = list(translation.languages.all())
    return {
        "id": str(translation.pk),
        "title": translation.title,
        "status": status_of(translation, languages),
        "progress": translation.job.progress,
        "source_video": str(translation.source_video_id) if translation.source_video_id else None,
        "source_language": translation.source_language or None,
        "language": translation.language or None,
        "language_probability": translation.language_probability,
        "duration_s": translation.duration_s,
        "transcript": translation.segments,
        "transcript_source": translation.transcript_source or None,
        "options": translation.options,
        "languages": [language_data(job) for job in languages],
        "created_at": translation.created_at.isoformat(),
    }
