"""Templates: save a draft (or a request) with `{{variables}}`, fill it in, render a video.

The only code that writes VideoTemplate rows. Built-in templates (builtin.py)
are read-only and shared by every workspace.
"""

from __future__ import annotations

from dataclasses import dataclass

from saas.errors import NotFound, ServiceError, parse_uuid
from saas.workspaces.models import Membership, Role
from saas.workspaces.services import require_role

from . import variables as vars_
from .builtin import BUILTINS
from .models import VideoTemplate


@dataclass
class Template:
    """A built-in or workspace template, as every caller sees it."""

    id: str
    name: str
    description: str
    request: dict
    variables: list[vars_.Variable]
    builtin: bool
    record: VideoTemplate | None = None

    @property
    def aspect(self) -> str:
        return self.request.get("aspect", "16:9")

    def snapshot(self) -> dict:
        """What a batch keeps of it: enough to render every row the same way later."""
        return {
            "id": self.id,
            "name": self.name,
            "request": self.request,
            "variables": [v.to_dict() for v in self.variables],
        }


def _from_record(record: VideoTemplate) -> Template:
    return Template(
        str(record.pk), record.name, record.description, record.request,
        vars_.from_dicts(record.variables), False, record,
    )  # fmt: skip


def _builtin(slug: str) -> Template:
    item = BUILTINS[slug]
    variables = vars_.declare(item.request, item.variables)
    return Template(slug, item.name, item.description, item.request, variables, True)


def from_snapshot(snapshot: dict) -> Template:
    return Template(
        snapshot["id"], snapshot["name"], "", snapshot["request"],
        vars_.from_dicts(snapshot["variables"]), False,
    )  # fmt: skip


def list_templates(membership: Membership) -> list[Template]:
    """The workspace's own templates (newest first), then the built-in ones."""
    own = VideoTemplate.objects.filter(workspace=membership.workspace)
    return [_from_record(t) for t in own] + [_builtin(slug) for slug in BUILTINS]


def get_template(membership: Membership, template_id) -> Template:
    if str(template_id) in BUILTINS:
        return _builtin(str(template_id))
    record = VideoTemplate.objects.filter(
        workspace=membership.workspace, pk=parse_uuid(template_id, "template")
    ).first()
    if record is None:
        raise NotFound("No such template in this workspace.")
    return _from_record(record)


def _clean(request, given_variables) -> tuple[dict, list[dict]]:
    from saas.studio.drafts import _clean_request

    request = _clean_request(request)
    if not request.get("scenes"):
        raise ServiceError("A template needs at least one scene.", field="request.scenes")
    declared = vars_.declare(request, given_variables)
    return request, [v.to_dict() for v in declared]


def _name(name) -> str:
    name = (name or "").strip()[:200]
    if not name:
        raise ServiceError("A template needs a name.", field="name")
    return name


def create_template(
    actor: Membership, name: str, request: dict, variables=None, description: str = ""
) -> Template:
    require_role(actor, Role.CREATOR)
    request, declared = _clean(request, variables)
    record = VideoTemplate.objects.create(
        workspace=actor.workspace, name=_name(name), description=(description or "")[:2000],
        request=request, variables=declared, created_by=actor.user,
    )  # fmt: skip
    _queue_thumbnail(record)
    return _from_record(record)


def _queue_thumbnail(record: VideoTemplate) -> None:
    """Render its thumbnail on a worker once saved (previews.py)."""
    from django.db import transaction

    from saas import queueing

    subject = str(record.pk)
    transaction.on_commit(lambda: queueing.send("prepare_template_preview", subject, queue="gpu"))


def template_from_draft(actor: Membership, draft_id, name: str = "", variables=None) -> Template:
    """Save a draft as a template: its `{{placeholders}}` become the variables."""
    from saas.studio.drafts import get_draft

    draft = get_draft(actor, draft_id)
    request = {k: v for k, v in draft.request.items() if k not in ("link", "project")}
    return create_template(actor, name or draft.title, request, variables)


def update_template(actor: Membership, template_id, **changes) -> Template:
    require_role(actor, Role.CREATOR)
    template = get_template(actor, template_id)
    if template.builtin:
        raise ServiceError("Built-in templates cannot be changed; save a copy instead.")
    record = template.record
    if "request" in changes or "variables" in changes:
        given = changes.get("variables", record.variables)
        record.request, record.variables = _clean(changes.get("request", record.request), given)
    if "name" in changes:
        record.name = _name(changes["name"])
    if "description" in changes:
        record.description = (changes["description"] or "")[:2000]
    record.save()
    if "request" in changes or "variables" in changes:
        _queue_thumbnail(record)
    return _from_record(record)


def delete_template(actor: Membership, template_id) -> None:
    require_role(actor, Role.CREATOR)
    template = get_template(actor, template_id)
    if template.builtin:
        raise ServiceError("Built-in templates cannot be deleted.")
    if template.record.thumbnail:
        template.record.thumbnail.delete(save=False)
    template.record.delete()


# Filling a template in -------------------------------------------------------------


def lookups(workspace) -> vars_.Lookups:
    """What image, presenter and voice values may name in WORKSPACE."""
    from avatar.presenters import STOCK
    from avatar.voices import catalogue
    from saas.studio.models import Asset, Avatar

    voices = {voice.id for voice in catalogue()}

    def image(value: str) -> str | None:
        if vars_.is_url(value):
            return None  # fetched (under the SSRF policy) just before its video is made
        kinds = (Asset.Kind.IMAGE, Asset.Kind.LOGO)
        found = Asset.objects.filter(workspace=workspace, pk=_uuid(value), kind__in=kinds)
        return None if found.exists() else "not an image URL or an image asset of this workspace"

    def presenter(value: str) -> str | None:
        if value in STOCK:
            return None
        ready = Avatar.objects.filter(
            workspace=workspace, pk=_uuid(value), status=Avatar.Status.READY
        ).exists()
        return None if ready else f"no such presenter (stock: {', '.join(STOCK)}, or an avatar id)"

    def voice(value: str) -> str | None:
        return None if value in voices else "unknown voice (GET /api/v1/voices lists them)"

    return vars_.Lookups(image=image, presenter=presenter, voice=voice)


def _uuid(value):
    try:
        return parse_uuid(value)
    except NotFound:
        return None


def tidy(request: dict) -> dict:
    """A filled request without what empty optional variables left behind.

    Media items with no image go; a scene that had only those falls back to
    the presenter layout; bullets lose empty items and overlays with nothing
    to show go; a brand with no logo goes.
    """
    request = dict(request)
    scenes = []
    for scene in request.get("scenes", []):
        scene = dict(scene)
        if "media" in scene:
            scene["media"] = [m for m in scene["media"] if _media_src(m)]
            if not scene["media"]:
                del scene["media"]
                if scene.get("layout") in ("corner", "split", "bottom"):
                    scene["layout"] = "presenter"
        if "overlays" in scene:
            scene["overlays"] = [o for o in map(_tidy_overlay, scene["overlays"]) if o]
            if not scene["overlays"]:
                del scene["overlays"]
        scenes.append(scene)
    request["scenes"] = scenes
    if isinstance(request.get("brand"), dict) and not request["brand"].get("logo"):
        request["brand"] = {k: v for k, v in request["brand"].items() if k != "logo"}
    return request


def _media_src(item) -> str:
    return (item.get("asset") or item.get("src") or "") if isinstance(item, dict) else item or ""


def _tidy_overlay(overlay):
    if not isinstance(overlay, dict):
        return overlay
    overlay = {k: v for k, v in overlay.items() if v not in ("", None)}
    if "items" in overlay:
        overlay["items"] = [item for item in overlay["items"] if item]
        if not overlay["items"]:
            return None
    shown = ("text", "price", "items")
    return overlay if any(overlay.get(key) for key in shown) else None


def fill_in(template: Template, values: dict, workspace, *, check_request=True):
    """(the video request, [(field, reason)]) for VALUES filled into TEMPLATE.

    Errors name the variable (`price: not a number`), or, when the filled
    request itself is wrong (a script too long), its field.
    """
    clean, errors = vars_.check(template.variables, values, lookups(workspace))
    if errors:
        return None, errors
    request = tidy(vars_.fill(template.request, clean))
    if not check_request:
        return request, []
    return request, request_errors(request, workspace)


def request_errors(request: dict, workspace) -> list[tuple[str, str]]:
    """What is wrong with a filled request as a video (empty: nothing)."""
    from saas.billing.services import plan_for
    from saas.studio import specs
    from saas.studio.requests import VideoCreateSerializer

    serializer = VideoCreateSerializer(data=request)
    if not serializer.is_valid():
        return list(_flatten(serializer.errors))
    try:
        specs.validate(_without_urls(request), watermark=plan_for(workspace).watermark)
    except ServiceError as exc:
        return [(exc.field or "request", exc.message)]
    return []


def plan_errors(request: dict, workspace) -> list[tuple[str, str]]:
    """The plan's resolution and length as the video will be held to them when it is
    made (a batch row over them is invalid before the batch is priced and started)."""
    from saas.billing.services import check_render_allowed
    from saas.studio.estimates import audio_lengths, estimate_seconds

    seconds = estimate_seconds(request, audio_lengths(workspace, request))
    resolution = request.get("resolution") or "720p"
    try:
        check_render_allowed(workspace, resolution=resolution, duration_s=seconds)
    except ServiceError as exc:
        return [(exc.field or "request", exc.message)]
    return []


def _without_urls(request):
    """Image URLs stand in as asset-like names until they are fetched."""
    if isinstance(request, dict):
        return {k: _without_urls(v) for k, v in request.items()}
    if isinstance(request, list):
        return [_without_urls(v) for v in request]
    if isinstance(request, str) and vars_.is_url(request):
        return "pending-image"
    return request


def _flatten(errors, prefix=""):
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(errors, list):
        if all(isinstance(e, str) for e in errors):
            yield prefix or "request", " ".join(str(e) for e in errors)
        else:
            for index, value in enumerate(errors):
                if value:
                    yield from _flatten(value, f"{prefix}.{index}")
    else:
        yield prefix or "request", str(errors)


def import_images(request: dict, workspace_id) -> dict:
    """REQUEST with every image URL fetched (SSRF policy) and replaced by a new asset's id.

    Runs where the work runs: on a worker for batches, in the request for a
    single `generate` (bounded by the download limits)."""
    cache: dict[str, str] = {}

    def walk(value, path=()):
        if isinstance(value, dict):
            return {k: walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, str) and vars_.is_url(value) and _is_image_place(path):
            if value not in cache:
                cache[value] = _fetch_image(value, workspace_id, _field(path))
            return cache[value]
        return value

    return walk(request)


def _is_image_place(path) -> bool:
    return "media" in path or "background" in path or "logo" in path


def _field(path) -> str:
    return ".".join(str(p) for p in path)


def _fetch_image(url: str, workspace_id, field: str) -> str:
    from django.core.files.base import ContentFile

    from saas.studio.products import _image_asset
    from saas.studio.storyboard import scrape_config
    from scraper.config import DownloadLimits
    from scraper.images import download

    info = download(url, 0, scrape_config().policy, DownloadLimits(max_bytes=15 * 2**20))
    if info.rejected:
        raise ServiceError(f"The image {url} could not be used ({info.rejected}).", field=field)
    name = f"image.{(info.format or 'jpg').lower()}"
    return str(_image_asset(workspace_id, ContentFile(info.data, name=name), url).pk)


def generate(actor: Membership, template_id, values: dict, *, title: str = "", meta=None, **extra):
    """One video from a template and its VALUES (the API's templates/{id}/generate).

    EXTRA: callback_url, project, resolution. META is kept on the request as
    it is (the HeyGen routes' callback_id). A missing or wrong value is an
    error that names the variable.
    """
    from saas.studio import services as studio
    from saas.studio.requests import checked

    require_role(actor, Role.CREATOR)
    template = get_template(actor, template_id)
    if not isinstance(values, dict):
        raise ServiceError("variables must be an object of name: value.", field="variables")
    request, errors = fill_in(template, values, actor.workspace)
    if errors:
        field, reason = errors[0]
        where = f"variables.{field}" if field in {v.name for v in template.variables} else field
        raise ServiceError(f"{field}: {reason}", field=where)
    request = import_images(request, actor.workspace_id)
    if title:
        request["title"] = title[:200]
    request.update({k: v for k, v in extra.items() if v})
    return studio.create_video(actor, {**checked(request), **(meta or {})})
