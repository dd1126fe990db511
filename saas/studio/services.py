"""The only code that writes projects (and, later, videos)."""

import secrets

from django.db import transaction

from saas.errors import Conflict, NotFound, ServiceError, parse_uuid
from saas.jobs import engine
from saas.workspaces.models import Membership, Role
from saas.workspaces.services import require_role

from . import specs
from .estimates import audio_lengths, estimate_seconds, uuid_or_none
from .models import Project, Pronunciation, Video
from .pipeline import VIDEO, stages_for_request

PROJECT_FIELDS = ("name", "description")


def _clean_project(data: dict) -> dict:
    clean = {k: v for k, v in data.items() if k in PROJECT_FIELDS}
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            raise ServiceError("A project needs a name.", field="name")
    return clean


def get_project(membership: Membership, project_id) -> Project:
    project = Project.objects.filter(
        workspace=membership.workspace, pk=parse_uuid(project_id)
    ).first()
    if project is None:
        raise NotFound("No such project in this workspace.")
    return project


def create_project(actor: Membership, name: str, description: str = "") -> Project:
    require_role(actor, Role.CREATOR)
    clean = _clean_project({"name": name, "description": description})
    return Project.objects.create(workspace=actor.workspace, created_by=actor.user, **clean)


def update_project(actor: Membership, project_id, **changes) -> Project:
    require_role(actor, Role.CREATOR)
    project = get_project(actor, project_id)
    for field, value in _clean_project(changes).items():
        setattr(project, field, value)
    project.save()
    return project


def delete_project(actor: Membership, project_id) -> None:
    require_role(actor, Role.CREATOR)
    get_project(actor, project_id).delete()


# Pronunciation glossary ---------------------------------------------------------


def _clean_pronunciation(written: str, spoken: str) -> tuple[str, str]:
    written, spoken = (written or "").strip(), " ".join((spoken or "").split())
    if not written:
        raise ServiceError("Enter the word as it is written.", field="written")
    if not spoken:
        raise ServiceError("Enter how the word is said, e.g. 'shao me' for Xiaomi.", field="spoken")
    if "[" in spoken or "]" in spoken:
        raise ServiceError("How it is said cannot contain [ or ].", field="spoken")
    return written, spoken


def set_pronunciation(actor: Membership, written: str, spoken: str) -> Pronunciation:
    """Add or replace the workspace's pronunciation of WRITTEN."""
    require_role(actor, Role.CREATOR)
    written, spoken = _clean_pronunciation(written, spoken)
    entry = actor.workspace.pronunciations.filter(written__iexact=written).first()
    if entry is None:
        return Pronunciation.objects.create(
            workspace=actor.workspace, written=written, spoken=spoken
        )
    entry.written, entry.spoken = written, spoken
    entry.save(update_fields=["written", "spoken"])
    return entry


def delete_pronunciation(actor: Membership, entry_id) -> None:
    require_role(actor, Role.CREATOR)
    deleted, _ = actor.workspace.pronunciations.filter(pk=parse_uuid(entry_id)).delete()
    if not deleted:
        raise NotFound("No such pronunciation in this workspace.")


# Videos --------------------------------------------------------------------------


@transaction.atomic
def create_video(actor: Membership, request: dict, *, source_url: str = "") -> Video:
    """Check the plan, reserve credits and queue the render. REQUEST is validated data."""
    from saas.billing import services as billing

    require_role(actor, Role.CREATOR)
    workspace = actor.workspace
    seconds = estimate_seconds(request, audio_lengths(workspace, request))
    billing.check_render_allowed(
        workspace, resolution=request.get("resolution", "720p"), duration_s=seconds
    )
    check_references(actor, request)
    if request.get("callback_url"):
        from saas.webhooks.callbacks import check_url

        try:
            check_url(request["callback_url"])
        except ServiceError as exc:
            raise ServiceError(exc.message, field="callback_url", code=exc.code) from None
    spec = {}
    if not source_url:
        plan = billing.plan_for(workspace)
        spec = specs.validate(request, watermark=plan.watermark).to_dict()
    video = Video.objects.create(
        spec=spec,
        workspace=workspace,
        project=_project(actor, request.get("project")),
        title=request.get("title") or "Untitled video",
        source_url=source_url,
        request=request,
        stage=stages_for_request(source_url)[0],
        estimated_seconds=seconds,
        credits_reserved=billing.estimate_cost(workspace, seconds),
        callback_url=request.get("callback_url") or "",
        created_by=actor.user,
    )
    engine.submit(VIDEO, video)
    return video


def check_references(actor: Membership, request: dict) -> None:
    """Every avatar and asset a request names must exist in the actor's workspace."""
    from avatar.presenters import STOCK

    from .models import Asset, Avatar

    for index, scene in enumerate(request.get("scenes", [])):
        ref = scene.get("avatar")
        if ref and ref not in STOCK:
            found = Avatar.objects.filter(
                workspace=actor.workspace, pk=uuid_or_none(ref), status=Avatar.Status.READY
            ).exists()
            if not found:
                raise ServiceError(
                    f"No ready avatar {ref!r} in this workspace (stock: {', '.join(STOCK)}).",
                    field=f"scenes.{index}.avatar",
                )
        audio = scene.get("audio")
        if (
            audio
            and not Asset.objects.filter(
                workspace=actor.workspace, pk=uuid_or_none(audio), kind=Asset.Kind.AUDIO
            ).exists()
        ):
            raise ServiceError(
                "No such audio asset in this workspace.", field=f"scenes.{index}.audio"
            )
    if request.get("avatar") and request["avatar"] not in STOCK:
        check_references(actor, {"scenes": [{"avatar": request["avatar"]}]})
    for field, ref in _file_references(request):
        key = ref.removeprefix(specs.ASSET)
        if key.startswith("avatar/"):
            key = key.removeprefix("avatar/")
            if Avatar.objects.filter(workspace=actor.workspace, pk=uuid_or_none(key)).exists():
                continue
        if not Asset.objects.filter(workspace=actor.workspace, pk=uuid_or_none(key)).exists():
            raise ServiceError("No such asset in this workspace.", field=field)


def _file_references(request: dict):
    """(field, asset id) of every uploaded file a request names besides avatars and audio:
    backgrounds, media, music and the brand's logo."""
    for index, scene in enumerate(request.get("scenes", [])):
        background = scene.get("background")
        if isinstance(background, dict) and isinstance(background.get("src"), str):
            yield f"scenes.{index}.background", background["src"]
        for number, item in enumerate(scene.get("media") or []):
            ref = item.get("asset") or item.get("src") if isinstance(item, dict) else item
            if isinstance(ref, str):
                yield f"scenes.{index}.media.{number}", ref
    music, brand = request.get("music"), request.get("brand")
    if isinstance(music, dict) and isinstance(music.get("asset"), str):
        yield "music.asset", music["asset"]
    if isinstance(brand, dict) and isinstance(brand.get("logo"), str):
        yield "brand.logo", brand["logo"]


def _project(actor: Membership, project_id):
    """The request's project: a wrong one is a field of the body, not a missing page."""
    if not project_id:
        return None
    try:
        return get_project(actor, project_id)
    except NotFound:
        raise ServiceError("No such project in this workspace.", field="project") from None


def get_video(membership: Membership, video_id) -> Video:
    # get(), not filter().first(): no ORDER BY to build for a primary key (0.15 ms a call).
    try:
        return Video.objects.get(workspace=membership.workspace, pk=parse_uuid(video_id))
    except Video.DoesNotExist:
        raise NotFound("No such video in this workspace.") from None


def cancel_video(actor: Membership, video_id) -> Video:
    require_role(actor, Role.CREATOR)
    video = get_video(actor, video_id)
    if not engine.cancel(VIDEO, video.pk):
        raise Conflict(f"The video is already {video.status}; only queued or running videos stop.")
    video.refresh_from_db()
    return video


def delete_video(actor: Membership, video_id) -> None:
    """Delete a video and its files; a running render is cancelled first."""
    require_role(actor, Role.CREATOR)
    video = get_video(actor, video_id)
    engine.cancel(VIDEO, video.pk)
    for name in ("mp4", "poster", "srt", "vtt"):
        stored = getattr(video, name)
        if stored:
            stored.delete(save=False)
    video.delete()


def estimate(membership: Membership, request: dict) -> dict:
    """What REQUEST would cost and whether the plan allows it, without creating it."""
    from saas.billing import services as billing

    workspace = membership.workspace
    seconds = estimate_seconds(request, audio_lengths(workspace, request))
    credits = billing.estimate_cost(workspace, seconds)
    balance = billing.balance(workspace)
    problems = []
    try:
        billing.check_render_allowed(
            workspace, resolution=request.get("resolution", "720p"), duration_s=seconds
        )
    except ServiceError as exc:
        problems.append({"code": exc.code, "message": exc.message, "field": exc.field})
    if credits > balance:
        problems.append(
            {
                "code": "insufficient_credits",
                "message": f"This needs {credits} credits; the workspace has {balance}.",
                "field": None,
            }
        )
    return {
        "duration_s": seconds,
        "credits": credits,
        "balance": balance,
        "allowed": not problems,
        "problems": problems,
    }


def purge_idempotency_records() -> int:
    """Forget Idempotency-Keys older than a day."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import IdempotencyRecord

    cutoff = timezone.now() - timedelta(hours=24)
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]


# Share links ---------------------------------------------------------------------
#
# Why the token is stored as it is: a share link is a *publishing* switch, not
# a credential. It opens one finished video, read-only, to anyone the link is
# sent to, and members expect to copy it again whenever they need it (as with
# Loom or YouTube "unlisted" links). Storing only a SHA-256 digest would mean
# showing it once, like an API key, which is the wrong experience here. So the
# token is 256 random bits (secrets.token_urlsafe(32)), stored as-is so members
# can see it, looked up by exact match, and revocable: revoking clears it and a
# new share makes a new token, so an old link never comes back.


def share_video(actor: Membership, video_id) -> Video:
    """Give a completed video a public link (or keep the one it has)."""
    require_role(actor, Role.CREATOR)
    video = get_video(actor, video_id)
    if video.status != Video.Status.COMPLETED:
        raise Conflict("Only finished videos can be shared.")
    if not video.share_token:
        video.share_token = secrets.token_urlsafe(32)
        video.save(update_fields=["share_token", "updated_at"])
    return video


def revoke_share(actor: Membership, video_id) -> Video:
    """Turn the public link off; its URL answers 404 from now on."""
    require_role(actor, Role.CREATOR)
    video = get_video(actor, video_id)
    video.share_token = ""
    video.save(update_fields=["share_token", "updated_at"])
    return video


def get_shared_video(token: str) -> Video:
    if not token or len(token) > 64:
        raise NotFound("No such shared video.")
    video = Video.objects.filter(share_token=token, status=Video.Status.COMPLETED).first()
    if video is None:
        raise NotFound("No such shared video.")
    return video


# Assets ------------------------------------------------------------------------


def create_asset(actor: Membership, upload, kind: str | None = None):
    """Verify and store an uploaded image, logo or recording."""
    from .models import Asset
    from .uploads import verify_upload

    require_role(actor, Role.CREATOR)
    if kind is not None and kind not in Asset.Kind.values:
        raise ServiceError("kind must be image, logo or audio.", field="kind")
    verified = verify_upload(upload, kind)
    original_name = (upload.name or "upload")[:255]
    upload.name = verified.stored_name(upload.name)
    return Asset.objects.create(
        workspace=actor.workspace,
        kind=verified.kind,
        file=upload,
        original_name=original_name,
        content_type=verified.content_type,
        size=verified.size,
        sha256=verified.sha256,
        width=verified.width,
        height=verified.height,
        duration_s=verified.duration_s,
        created_by=actor.user,
    )


def get_asset(membership: Membership, asset_id):
    from .models import Asset

    asset = Asset.objects.filter(workspace=membership.workspace, pk=parse_uuid(asset_id)).first()
    if asset is None:
        raise NotFound("No such asset in this workspace.")
    return asset


def delete_asset(actor: Membership, asset_id) -> None:
    require_role(actor, Role.CREATOR)
    asset = get_asset(actor, asset_id)
    asset.file.delete(save=False)
    asset.delete()


# Voices ------------------------------------------------------------------------

PREVIEW_TEXT = {
    "en": "Hi! I can present your products and your training videos.",
    "de": "Hallo! Ich präsentiere Ihre Produkte und Schulungsvideos.",
    "fr": "Bonjour ! Je présente vos produits et vos vidéos de formation.",
    "es": "¡Hola! Presento tus productos y tus vídeos de formación.",
    "it": "Ciao! Presento i tuoi prodotti e i tuoi video di formazione.",
    "pt": "Olá! Eu apresento os seus produtos e vídeos de treinamento.",
    "nl": "Hallo! Ik presenteer uw producten en trainingsvideo's.",
}


def voice_preview(voice_id: str) -> str:
    """The storage name of a short sample of the voice, made on first request."""
    import tempfile
    from pathlib import Path

    from django.core.files import File
    from django.core.files.storage import default_storage

    from avatar.voices import get_voice, synthesize

    voice = get_voice(voice_id)
    name = f"voice-previews/{voice.id.replace(':', '/').replace('+', '_')}.wav"
    if default_storage.exists(name):
        return name
    text = PREVIEW_TEXT.get(voice.primary_language, "1, 2, 3, 4, 5.")
    with tempfile.TemporaryDirectory() as tmp:
        result = synthesize(text, voice.id, Path(tmp) / "preview.wav")
        with open(result.wav, "rb") as handle:
            return default_storage.save(name, File(handle, name="preview.wav"))


# Drafts: the product and the script, before anything renders ------------------


def draft_from_url(actor: Membership, request: dict) -> dict:
    """Scrape the page and write a script; nothing is stored or charged."""
    from scraper.errors import ScrapeError

    from . import storyboard

    require_role(actor, Role.CREATOR)
    try:
        result = storyboard.scrape(request["url"])
    except ScrapeError as exc:
        raise ServiceError(exc.message, field="url", code=exc.code) from None
    product = result.product
    voice = storyboard.voice_for(product.language, request.get("voice"))
    script = storyboard.write(
        product, length=int(request.get("length", 30)), tone=request.get("tone", "energetic"),
        aspect=request.get("aspect", "9:16"), voice=voice, images=product.images,
    )  # fmt: skip
    avatar = request.get("avatar") or specs.DEFAULT_AVATAR
    data = product.to_dict(full=True)
    data["language_note"] = storyboard.language_note(product.language)
    return {
        "product": data,
        "script": storyboard.script_data(script),
        "scenes": storyboard.scenes_for(script, product, product.images, avatar, voice),
        "voice": voice,
    }
