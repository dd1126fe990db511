"""The translation pipelines on the job engine.

`translation` is a parent job with no stages of its own: one Translation, and
one `translation_language` child per target language, so a language that
fails costs nothing and leaves the others alone. A language walks:

  transcribe (shared: the first language to run writes the transcript; the
  others find it) -> translate -> review (a gate: waits for the customer
  unless they asked for no review) -> dub (the new voice fitted to the
  timing, over the ducked original) -> lipsync (the face re-animated to the
  new voice; skipped when the customer turns it off) -> encode (MP4, SRT, VTT).

Each stage reads its inputs from media storage and writes its outputs back,
so it can run on any worker.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from avatar.errors import AvatarError
from saas.jobs import pipelines
from saas.jobs.pipelines import Pipeline, Stage
from saas.studio.pipeline import replace_stored

from .models import Translation, TranslationLanguage, language_folder

Step = TranslationLanguage.Stage


def translation_engines():
    """The offline engines installed here, then the configured provider, if any."""
    from avatar.dub import translate

    provider = None
    if settings.TRANSLATION_PROVIDER_URL:
        provider = translate.Provider(
            settings.TRANSLATION_PROVIDER_URL,
            settings.TRANSLATION_PROVIDER_KEY,
            settings.TRANSLATION_PROVIDER_MODEL,
        )
    return translate.installed_engines(provider)


def _download(field, folder: Path, name: str) -> Path:
    path = folder / name
    with field.open("rb") as source, open(path, "wb") as target:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            target.write(chunk)
    return path


def _store(job: TranslationLanguage, name: str, path: Path) -> str:
    with open(path, "rb") as handle:
        return replace_stored(f"{language_folder(job)}/{name}", File(handle, name=name))


# Stages --------------------------------------------------------------------------


def stage_transcribe(job: TranslationLanguage, progress) -> dict:
    from avatar.dub.transcribe import MIN_LANGUAGE_PROBABILITY, speech_samples, transcribe

    translation = Translation.objects.get(pk=job.translation_id)
    if translation.segments is not None:
        return {}  # another language (or the customer's subtitles) made it already
    with tempfile.TemporaryDirectory(prefix=f"transcribe-{job.pk}-") as tmp:
        source = _download(translation.source, Path(tmp), "source" + _suffix(translation))
        progress(0.1)
        samples = speech_samples(source)
    transcript = transcribe(samples, translation.source_language or None)
    _label_speakers(samples, transcript.segments)
    if not transcript.segments:
        raise AvatarError(
            "no_speech", "We heard no speech in this video, so there is nothing to translate.",
            field="video",
        )  # fmt: skip
    confident = transcript.language_probability >= MIN_LANGUAGE_PROBABILITY
    if not translation.source_language and not confident:
        raise AvatarError(
            "language_unclear",
            "We could not tell which language is spoken: choose the source language.",
            field="source_language",
        )
    Translation.objects.filter(pk=translation.pk, segments__isnull=True).update(
        segments=[s.to_dict() for s in transcript.segments],
        language=translation.source_language or transcript.language,
        language_probability=transcript.language_probability,
        transcript_source="whisper",
    )
    return {}


def _label_speakers(samples, segments) -> None:
    """S1, S2... on each segment (SAMPLES at 16 kHz), where the voice encoder is installed."""
    from avatar.dub import speakers

    if not speakers.available() or not segments:
        return
    labels = speakers.label(samples, [(s.start, s.end) for s in segments])
    for segment, name in zip(segments, labels, strict=True):
        segment.speaker = name


def stage_translate(job: TranslationLanguage, progress) -> dict:
    from avatar.dub import translate

    translation = Translation.objects.get(pk=job.translation_id)
    source = translation.language
    if source == job.language:
        raise AvatarError(
            "same_language",
            f"The video is already in {job.language}: choose another target language.",
            field="target_languages",
        )
    if job.segments:  # the customer's own translation
        return {"engine": "", "quality": "own"}
    texts = [segment["text"] for segment in translation.segments]
    try:
        translated, engine = translate.translate_texts(
            texts, source, job.language, translation_engines()
        )
    except translate.UnsupportedPair:
        if not translation.options.get("review", True):
            raise  # nobody will type it: the language fails, and costs nothing
        # No engine here for the pair: the customer writes the translation under review.
        return {"segments": _segments(translation, [""] * len(texts)), "quality": "own"}
    segments = _segments(translation, translated)
    return {"segments": segments, "engine": engine.name, "quality": engine.quality}


def _segments(translation: Translation, texts: list[str]) -> list[dict]:
    return [
        {"start": s["start"], "end": s["end"], "source": s["text"], "text": text,
         "speaker": s.get("speaker") or ""}
        for s, text in zip(translation.segments, texts, strict=True)
    ]  # fmt: skip


def stage_review(job: TranslationLanguage, progress) -> dict:
    return {}  # the gate itself: the customer has reviewed (or asked for no review)


def _waits_for_review(job: TranslationLanguage) -> bool:
    return bool(Translation.objects.get(pk=job.translation_id).options.get("review", True))


def stage_dub(job: TranslationLanguage, progress) -> dict:
    import numpy as np

    from avatar.audio.io import decode_audio
    from avatar.dub.dub import RATE, Line, dub_track

    from .voices import voices_per_speaker

    translation = Translation.objects.get(pk=job.translation_id)
    voices = voices_per_speaker(job)
    lines = [Line(s["start"], s["end"], s["text"], voices.get(s.get("speaker") or ""))
             for s in job.segments]  # fmt: skip
    spans = [(s["start"], s["end"]) for s in translation.segments or []]
    with tempfile.TemporaryDirectory(prefix=f"dub-{job.pk}-") as tmp:
        source = _download(translation.source, Path(tmp), "source" + _suffix(translation))
        original = decode_audio(source, rate=RATE, max_seconds=translation.duration_s + 60)
        # The picture may outlast the sound track (encoders pad video): the dub covers it all.
        missing = int(round(translation.duration_s * RATE)) - len(original)
        if missing > 0:
            original = np.concatenate([original, np.zeros(missing, dtype=np.float32)])
        result = dub_track(
            lines, job.voice, original, Path(tmp) / "dub.wav", speech_spans=spans,
            glossary=dict(job.workspace.pronunciations.values_list("written", "spoken")),
            voice_out=Path(tmp) / "voice.wav", progress=progress,
        )  # fmt: skip
        _store(job, "dub.wav", result.wav)
        _store(job, "voice.wav", Path(tmp) / "voice.wav")
    placed = [{"start": p.start, "end": p.end, "speed": p.speed} for p in result.placed]
    return {"report": {**result.report(), "placed": placed}, "speaker_voices": voices}


def stage_lipsync(job: TranslationLanguage, progress) -> dict:
    """The face re-animated to the new voice; frames without a usable face pass through."""
    from avatar.lipsync.video import relipsync

    translation = Translation.objects.get(pk=job.translation_id)
    folder = language_folder(job)
    with tempfile.TemporaryDirectory(prefix=f"lipsync-{job.pk}-") as tmp:
        work = Path(tmp)
        source = _download(translation.source, work, "source" + _suffix(translation))
        for name in ("voice.wav", "dub.wav"):
            with default_storage.open(f"{folder}/{name}", "rb") as handle:
                (work / name).write_bytes(handle.read())
        out = work / "lipsynced.mp4"
        report = relipsync(source, work / "voice.wav", work / "dub.wav", out, progress=progress)
        if report.synced:
            _store(job, "lipsynced.mp4", out)
    return {"report": {**job.report, "lipsync": report.to_dict()}}


def stage_encode(job: TranslationLanguage, progress) -> dict:
    from avatar.dub import subtitles
    from avatar.dub.burn import burn_captions
    from avatar.dub.dub import mux
    from avatar.dub.probe import probe_video
    from avatar.dub.transcribe import Segment

    translation = Translation.objects.get(pk=job.translation_id)
    spoken = [s for s in job.segments if s["text"].strip()]
    placed = job.report.get("placed") or []
    timed = [
        Segment(p["start"], p["end"], s["text"]) for s, p in zip(spoken, placed, strict=False)
    ] or [Segment(s["start"], s["end"], s["text"]) for s in spoken]
    folder = language_folder(job)
    with tempfile.TemporaryDirectory(prefix=f"encode-{job.pk}-") as tmp:
        work = Path(tmp)
        source = _download(translation.source, work, "source" + _suffix(translation))
        out = work / f"{job.language}.mp4"
        picture = source
        if (job.report.get("lipsync") or {}).get("synced"):  # the picture was re-lip-synced
            picture = work / "lipsynced.mp4"
            with default_storage.open(f"{folder}/lipsynced.mp4", "rb") as handle:
                picture.write_bytes(handle.read())
        with default_storage.open(f"{folder}/dub.wav", "rb") as handle:
            (work / "dub.wav").write_bytes(handle.read())
        progress(0.3)
        if translation.options.get("captions_burned"):
            burn_captions(picture, timed, job.language, work / "dub.wav", out)
        elif picture is source:  # the original picture, with the new sound
            mux(source, work / "dub.wav", out)
        else:
            out = picture
        info = probe_video(out, max_seconds=translation.duration_s + 120)
        names = {"mp4": _store(job, f"{job.language}.mp4", out)}
    for fmt in ("srt", "vtt"):
        text = subtitles.write(timed, fmt)
        content = ContentFile(text.encode("utf-8"))
        names[fmt] = replace_stored(f"{folder}/{job.language}.{fmt}", content)
    return {"duration_s": info.duration_s, **names}


def _suffix(translation: Translation) -> str:
    return Path(translation.source.name).suffix or ".mp4"


# The pipelines -------------------------------------------------------------------


def _route(pipeline: Pipeline, job: TranslationLanguage) -> tuple[str, ...]:
    names = tuple(stage.name for stage in pipeline.stages)
    if Translation.objects.get(pk=job.translation_id).options.get("lipsync", True):
        return names
    return tuple(name for name in names if name != Step.LIPSYNC)


def _price(job: TranslationLanguage) -> int:
    from saas.billing import services as billing

    return billing.estimate_cost(job.workspace, job.translation.duration_s)


def _represent_parent(parent) -> dict | None:
    from .representation import translation_data

    translation = Translation.objects.filter(job=parent).first()
    return translation_data(translation) if translation else None


def _stage(step, run, queue: str, weight: int, limit: int, waits=None) -> Stage:
    return Stage(step.value, run, queue=queue, weight=weight, time_limit_s=limit,
                 label=step.label, waits=waits)  # fmt: skip


LANGUAGE = pipelines.register(
    Pipeline(
        name="translation_language",
        model="translations.TranslationLanguage",
        stages=(
            _stage(Step.TRANSCRIBE, stage_transcribe, "default", 30, 3600),
            _stage(Step.TRANSLATE, stage_translate, "default", 5, 900),
            _stage(Step.REVIEW, stage_review, "default", 0, 60, waits=_waits_for_review),
            _stage(Step.DUB, stage_dub, "tts", 20, 3600),
            _stage(Step.LIPSYNC, stage_lipsync, "gpu", 40, 3600),
            _stage(Step.ENCODE, stage_encode, "default", 5, 3600),
        ),
        route=_route,
        price=_price,
    )
)
TRANSLATION = pipelines.register(
    Pipeline(
        name="translation",
        represent=_represent_parent,
        completed_event="translation.completed",
        failed_event="translation.failed",
    )
)
