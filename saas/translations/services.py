"""Translations: the only code that creates, edits, dubs, cancels and deletes them.

A request is checked in full before anything is stored: the upload is decoded
(not trusted by its name), its length is held to the plan, the languages and
voices must exist, and the language pair must be one this installation
translates (or the customer brings their own text). Then the video is stored
and one parent job with a child per language is submitted, with each
language's credits reserved; a language that fails gives its credits back.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction

from avatar.errors import AvatarError, InvalidInput
from saas import file_checks
from saas.errors import Conflict, NotFound, ServiceError, parse_uuid
from saas.jobs import engine
from saas.jobs.models import Job
from saas.studio.uploads import probe_stored_video, stored_name, verify_video
from saas.workspaces.models import Membership, Role
from saas.workspaces.services import require_role

from .models import Translation, TranslationLanguage, language_folder
from .pipeline import LANGUAGE, TRANSLATION, translation_engines
from .voices import voices_for, voices_per_speaker  # noqa: F401  (voices_per_speaker: pages)

MAX_LANGUAGES = 10
MAX_SEGMENT_CHARS = 1000
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
OPTIONS = {"review": True, "keep_background": True, "lipsync": True, "captions_burned": False}
NOT_YET: dict[str, str] = {}  # options accepted in the API's shape but not built yet


def _service_error(exc: AvatarError) -> ServiceError:
    return ServiceError(exc.message, field=exc.field or "video", code=exc.code)


# Languages and voices --------------------------------------------------------------


def languages_offered() -> list[dict]:
    """Every language a voice here speaks, with its voices and how its translation is made."""
    from avatar.voices import catalogue

    engines = translation_engines()
    codes = sorted({v.language.lower().split("-")[0] for v in catalogue()})
    offered = []
    for code in codes:
        sources = sorted(
            {a for engine in engines for a, b in engine.pairs if b == code}
            | ({"any"} if any(e.any_pair for e in engines) else set())
        )
        offered.append(
            {
                "language": code,
                "voices": [v.id for v in voices_for(code)],
                "neural_voice": any(v.quality == "neural" for v in voices_for(code)),
                "voice_note": _voice_note(voices_for(code)),
                "translated_from": sources,
            }
        )
    return offered


def _voice_note(voices: list) -> str:
    """What the picker says of a language's best voice, where it is not a native one."""
    neural = [v for v in voices if v.quality == "neural"]
    if not neural:
        return "espeak-ng voice: no neural voice speaks this language offline yet"
    if all(v.engine == "kokoro" for v in neural):
        return "Neural voice (Kokoro) of a Japanese speaker: a light accent"
    return ""


def _clean_language(value, field: str) -> str:
    code = str(value or "").strip().lower()
    if not LANGUAGE_CODE.match(code):
        raise ServiceError(
            f"{value!r} is not a language code: use two letters, such as es or pt.", field=field
        )
    return code


def _clean_targets(targets, source: str) -> list[str]:
    if isinstance(targets, list) and not all(isinstance(t, str) for t in targets):
        raise ServiceError("Give languages as codes, such as es or pt.", field="target_languages")
    if isinstance(targets, str):
        targets = [t for t in re.split(r"[,\s]+", targets) if t]
    if not isinstance(targets, list) or not targets:
        raise ServiceError(
            "Choose at least one language to translate into.", field="target_languages"
        )
    if len(targets) > MAX_LANGUAGES:
        raise ServiceError(
            f"At most {MAX_LANGUAGES} languages at a time.", field="target_languages"
        )
    codes = list(dict.fromkeys(_clean_language(t, "target_languages") for t in targets))
    if source and source in codes:
        raise ServiceError(
            f"The video is already in {source}: choose other languages.", field="target_languages"
        )
    return codes


def _clean_voices(voices, targets: list[str]) -> dict[str, str]:
    from avatar.voices import get_voice

    voices = voices or {}
    if not isinstance(voices, dict) or not all(isinstance(v, str) for v in voices.values()):
        raise ServiceError('Give voices as an object: {"es": "espeak:es"}.', field="voices")
    for language in voices:  # a voice for a language not asked for is a mistake, not a no-op
        if language not in targets:
            raise ServiceError(
                f"{language!r} is not one of the languages to translate into "
                f"({', '.join(targets)}).",
                field=f"voices.{language}",
            )
    chosen = {}
    for language in targets:
        field = f"voices.{language}"
        voice_id = voices.get(language)
        if voice_id:
            try:
                voice = get_voice(str(voice_id))
            except AvatarError as exc:
                raise ServiceError(exc.message, field=field) from None
            if voice.language.lower().split("-")[0] != language:
                raise ServiceError(
                    f"{voice.name} speaks {voice.language}, not {language}.", field=field
                )
            chosen[language] = voice.id
            continue
        available = voices_for(language)
        if not available:
            raise ServiceError(f"No voice here speaks {language}.", field=field)
        neural = [v for v in available if v.quality == "neural"]
        chosen[language] = (neural or available)[0].id
    return chosen


def _clean_options(options) -> dict:
    options = options or {}
    if not isinstance(options, dict):
        raise ServiceError("Options must be an object.", field="options")
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ServiceError(
            f"Unknown option {unknown[0]!r}; choose from {', '.join(OPTIONS)}.", field="options"
        )
    clean = {}
    for name, default in OPTIONS.items():
        value = options.get(name, default)
        if isinstance(value, str):  # a multipart form's "true" / "false"
            words = {"true": True, "1": True, "yes": True, "on": True,
                     "false": False, "0": False, "no": False, "off": False}  # fmt: skip
            value = words.get(value.strip().lower(), value)
        if not isinstance(value, bool):
            raise ServiceError(f"{name} must be true or false.", field=f"options.{name}")
        if value and name in NOT_YET:
            raise ServiceError(NOT_YET[name], field=f"options.{name}", code="not_available")
        clean[name] = value
    return clean


def _check_pairs(source: str, targets: list[str]) -> None:
    from avatar.dub import translate

    engines = translation_engines()
    for target in targets:
        try:
            translate.engine_for(source, target, engines)
        except translate.UnsupportedPair as exc:
            raise _service_error(exc) from None


# Creating ------------------------------------------------------------------------


def _workspace_video(actor: Membership, video_id):
    from saas.studio.models import Video

    video = Video.objects.filter(workspace=actor.workspace, pk=parse_uuid(video_id)).first()
    if video is None:
        raise NotFound("No such video in this workspace.")
    if video.status != Video.Status.COMPLETED or not video.mp4:
        raise ServiceError("Only a finished video can be translated.", field="video_id")
    return video


def create_translation(
    actor: Membership,
    *,
    upload=None,
    video_id=None,
    source_language: str = "",
    target_languages=(),
    voices=None,
    options=None,
    subtitles=None,
    title: str = "",
) -> Translation:
    """Check everything, store the video and queue one job per target language."""
    from saas.billing import services as billing

    require_role(actor, Role.CREATOR)
    workspace = actor.workspace
    source = _clean_language(source_language, "source_language") if source_language else ""
    if isinstance(target_languages, tuple):
        target_languages = list(target_languages)
    targets = _clean_targets(target_languages, source)  # anything but codes is refused there
    chosen = _clean_voices(voices, targets)
    options = _clean_options(options)
    transcript = _read_subtitles(subtitles, source)
    if source and not options["review"]:  # under review, the customer may write it instead
        _check_pairs(source, targets)
    plan = billing.plan_for(workspace)
    with tempfile.TemporaryDirectory(prefix="translation-upload-") as tmp:
        if video_id:
            video = _workspace_video(actor, video_id)
            with video.mp4.open("rb") as handle:
                path = Path(tmp) / "video.mp4"
                path.write_bytes(handle.read())
            info = probe_stored_video(path, plan.max_video_seconds)
            name = Path(video.mp4.name).name
        else:
            video = None
            if upload is None:
                raise ServiceError(
                    "Attach a video (MP4, MOV or WebM), or give a video_id.", field="video"
                )
            info, path = verify_video(upload, Path(tmp), plan.max_video_seconds)
            name = stored_name(upload.name, path.suffix, "video")  # verify_video's extension
        transcript = _fit_to_video(transcript, info.duration_s)
        billing.check_render_allowed(workspace, resolution="720p", duration_s=info.duration_s)
        credits = billing.estimate_cost(workspace, info.duration_s)
        with open(path, "rb") as handle:
            return _submit(actor, handle, name, info, video, source, targets, chosen, options,
                           transcript, credits, title)  # fmt: skip


def _read_subtitles(upload, source: str) -> list[dict] | None:
    if upload is None:
        return None
    from avatar.dub import subtitles

    if not source:
        raise ServiceError("Say which language your subtitles are in.", field="source_language")
    if upload.size > subtitles.MAX_BYTES:
        raise ServiceError("Subtitle files can be at most 2 MB.", field="subtitles")
    kind = file_checks.sniff(file_checks.read_head(upload))
    if kind not in ("text", "empty"):
        raise ServiceError(
            f"This file is {file_checks.label(kind)}, not SRT or WebVTT subtitles.",
            field="subtitles",
            code="invalid_subtitles",
        )
    try:
        segments = subtitles.read(upload.read())
    except AvatarError as exc:
        raise _service_error(exc) from None
    return [s.to_dict() for s in segments]


def _fit_to_video(transcript: list[dict] | None, duration_s: float) -> list[dict] | None:
    """Uploaded subtitles held to the video: a line that starts after it ends, or is
    longer than a line may be, is refused (it could never be saved in review); a line
    that runs past the end is cut there."""
    if transcript is None:
        return None
    fitted = []
    for number, line in enumerate(transcript, start=1):
        if line["start"] >= duration_s:
            raise ServiceError(
                f"Line {number} of the subtitles starts at {line['start']:.1f} s, after the "
                f"video ends ({duration_s:.1f} s): are they for another cut of the video?",
                field="subtitles",
                code="invalid_subtitles",
            )
        if len(line["text"]) > MAX_SEGMENT_CHARS:
            raise ServiceError(
                f"Line {number} of the subtitles is {len(line['text'])} characters long; "
                f"a line can be at most {MAX_SEGMENT_CHARS}.",
                field="subtitles",
                code="invalid_subtitles",
            )
        fitted.append({**line, "end": min(line["end"], duration_s)})
    return fitted


def _submit(actor, handle, name, info, video, source, targets, voices, options, transcript,
            credits, title) -> Translation:  # fmt: skip
    stored = None
    try:
        with transaction.atomic():
            parent = Job.objects.create(
                kind=TRANSLATION.name, workspace=actor.workspace, created_by=actor.user
            )
            translation = Translation(
                workspace=actor.workspace,
                title=(title or (video.title if video else Path(name).stem) or "Translation")[:200],
                source_video=video,
                source_language=source,
                language=source if transcript else "",
                duration_s=info.duration_s,
                width=info.width,
                height=info.height,
                segments=transcript,
                transcript_source="uploaded" if transcript else "",
                options=options,
                job=parent,
                created_by=actor.user,
            )
            translation.source.save(name, File(handle, name=name), save=False)
            stored = translation.source
            translation.save()
            languages = [
                TranslationLanguage.objects.create(
                    translation=translation,
                    workspace=actor.workspace,
                    language=language,
                    voice=voices[language],
                    stage=TranslationLanguage.Stage.TRANSCRIBE,
                    credits_reserved=credits,
                )
                for language in targets
            ]
            engine.submit_group(TRANSLATION, parent, [(LANGUAGE, job) for job in languages])
    except Exception:
        if stored:  # nothing half-stored: the transaction rolled back, so must the file
            stored.storage.delete(stored.name)
        raise
    return translation


# Reading -------------------------------------------------------------------------


def get_translation(membership: Membership, translation_id) -> Translation:
    translation = (
        Translation.objects.select_related("job")
        .filter(workspace=membership.workspace, pk=parse_uuid(translation_id))
        .first()
    )
    if translation is None:
        raise NotFound("No such translation in this workspace.")
    return translation


def list_translations(membership: Membership):
    return Translation.objects.filter(workspace=membership.workspace).select_related("job")


def get_language(translation: Translation, language: str) -> TranslationLanguage:
    job = translation.languages.filter(language=str(language).lower()).first()
    if job is None:
        raise NotFound(f"This translation has no language {language!r}.")
    return job


# Reviewing and dubbing -------------------------------------------------------------


def _under_review(actor: Membership, translation_id, language: str):
    """(translation, language job) for an edit, which only a language under review takes."""
    require_role(actor, Role.CREATOR)
    translation = get_translation(actor, translation_id)
    job = get_language(translation, language)
    if job.status != TranslationLanguage.Status.WAITING:
        raise Conflict(
            f"The {job.language} translation is {job.get_stage_display().lower()} "
            f"({job.status}); segments can be edited while it waits for review."
        )
    return translation, job


def set_speaker_voices(actor: Membership, translation_id, language: str, voices):
    """Choose a voice per speaker ({"S2": voice id}) for a language under review."""
    from avatar.voices import get_voice

    _, job = _under_review(actor, translation_id, language)
    language = job.language  # the URL's code may be in capitals
    speakers = {s.get("speaker") for s in job.segments or []} - {None, ""}
    if not isinstance(voices, dict):
        raise ServiceError('Give speaker_voices as {"S2": voice id}.', field="speaker_voices")
    for speaker, voice_id in voices.items():
        field = f"speaker_voices.{speaker}"
        if speaker not in speakers:
            known = ", ".join(sorted(speakers)) or "none (one voice is heard)"
            raise ServiceError(f"No speaker {speaker!r} here; speakers: {known}.", field=field)
        try:
            voice = get_voice(str(voice_id))
        except InvalidInput as exc:
            raise ServiceError(exc.message, field=field) from None
        if voice.primary_language != language:
            message = f"{voice.name} speaks {voice.language}, not {language}."
            raise ServiceError(message, field=field)
    merged = {**(job.speaker_voices or {}), **{k: str(v) for k, v in voices.items()}}
    TranslationLanguage.objects.filter(pk=job.pk).update(speaker_voices=merged)
    job.refresh_from_db()
    return job


def update_segments(
    actor: Membership, translation_id, language: str, segments
) -> TranslationLanguage:
    """Replace the translated text (and, optionally, timing) of a language under review."""
    translation, job = _under_review(actor, translation_id, language)
    current = job.segments or []
    if not isinstance(segments, list) or len(segments) != len(current):
        raise ServiceError(
            f"Send all {len(current)} segments, in order, each with its text.", field="segments"
        )
    updated = []
    for index, (old, new) in enumerate(zip(current, segments, strict=True)):
        field = f"segments.{index}"
        if not isinstance(new, dict) or not isinstance(new.get("text"), str):
            raise ServiceError("Each segment needs a text.", field=f"{field}.text")
        text = new["text"].replace("\r\n", "\n").strip()  # a browser sends CRLF
        if len(text) > MAX_SEGMENT_CHARS and text != (old.get("text") or "").strip():
            raise ServiceError(
                f"A segment is at most {MAX_SEGMENT_CHARS} characters.", field=f"{field}.text"
            )
        start, end = new.get("start", old["start"]), new.get("end", old["end"])
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (start, end))
        if not numbers or not (0 <= start < end <= translation.duration_s + 0.5):
            raise ServiceError(
                "Start and end must be seconds within the video, start before end.",
                field=f"{field}.start",
            )
        updated.append({**old, "text": text, "start": float(start), "end": float(end)})
    TranslationLanguage.objects.filter(pk=job.pk, status=job.status).update(segments=updated)
    job.refresh_from_db()
    return job


def retranslate_segment(
    actor: Membership, translation_id, language: str, index
) -> TranslationLanguage:
    """Translate one segment again from the original (undoing an edit)."""
    from avatar.dub import translate

    translation, job = _under_review(actor, translation_id, language)
    segments = list(job.segments or [])
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(segments):
        raise ServiceError(f"No segment {index!r}.", field="index")
    try:
        [text], _ = translate.translate_texts(
            [segments[index]["source"]], translation.language, job.language, translation_engines()
        )
    except AvatarError as exc:
        raise _service_error(exc) from None
    segments[index] = {**segments[index], "text": text}
    TranslationLanguage.objects.filter(pk=job.pk).update(segments=segments)
    job.refresh_from_db()
    return job


def dub(actor: Membership, translation_id, languages=None) -> Translation:
    """The review is done: dub the waiting languages (all, or those named)."""
    require_role(actor, Role.CREATOR)
    translation = get_translation(actor, translation_id)
    waiting = translation.languages.filter(status=TranslationLanguage.Status.WAITING)
    if languages is not None and (
        not isinstance(languages, list)
        or not languages  # an empty list names none: it does not mean all
        or not all(isinstance(c, str) for c in languages)
    ):
        raise ServiceError(
            'Give languages as a list, e.g. ["es"], or leave it out to dub every waiting one.',
            field="languages",
        )
    if languages:
        wanted = {str(code).lower() for code in languages}
        unknown = wanted - set(translation.languages.values_list("language", flat=True))
        if unknown:
            raise ServiceError(f"This translation has no language {sorted(unknown)[0]!r}.",
                               field="languages")  # fmt: skip
        waiting = waiting.filter(language__in=wanted)
    for job in waiting:
        if not any((segment.get("text") or "").strip() for segment in job.segments or []):
            raise ServiceError(
                f"Write the {job.language} translation first: every line is empty.",
                field=f"languages.{job.language}",
            )
    resumed = [job for job in waiting if engine.resume(LANGUAGE, job.pk)]
    if not resumed:
        raise Conflict("No language of this translation is waiting for review.")
    return translation


def cancel_translation(actor: Membership, translation_id) -> Translation:
    require_role(actor, Role.CREATOR)
    translation = get_translation(actor, translation_id)
    if not engine.cancel(TRANSLATION, translation.job_id):
        raise Conflict(f"The translation is already {translation.job.status}.")
    translation.job.refresh_from_db()
    return translation


def delete_translation(actor: Membership, translation_id) -> None:
    require_role(actor, Role.CREATOR)
    translation = get_translation(actor, translation_id)
    engine.cancel(TRANSLATION, translation.job_id)
    from django.core.files.storage import default_storage

    for job in translation.languages.all():
        for name in ("mp4", "srt", "vtt"):
            stored = getattr(job, name)
            if stored:
                stored.delete(save=False)
        for name in ("dub.wav", "voice.wav", "lipsynced.mp4"):  # the stages' working files
            default_storage.delete(f"{language_folder(job)}/{name}")
    if translation.source:
        translation.source.delete(save=False)
    parent = translation.job
    translation.delete()
    parent.delete()
