"""Drafts: videos being edited in the web app (and through the API) before they render.

A draft holds a video request in the shape of `POST /api/v1/videos`. Saving
checks only its shape and size, so half-written work is never lost; rendering
checks it in full, through the same path as the API.
"""

from __future__ import annotations

import json
import logging

from django.db import transaction
from django.utils import timezone

from saas import queueing
from saas.errors import NotFound, ServiceError, parse_uuid
from saas.validation import has_nul
from saas.workspaces.models import Membership, Role
from saas.workspaces.services import require_role

from .models import Draft

MAX_REQUEST_BYTES = 200_000
MAX_SCENES = 30


def _clean_request(request) -> dict:
    if not isinstance(request, dict):
        raise ServiceError("The draft must be a JSON object.", field="request")
    if has_nul(request):  # PostgreSQL's JSON cannot hold NUL characters
        raise ServiceError("The draft contains a NUL character (\\u0000).", field="request")
    if len(json.dumps(request)) > MAX_REQUEST_BYTES:
        raise ServiceError(
            f"The draft is larger than {MAX_REQUEST_BYTES // 1000} kB.", field="request"
        )
    scenes = request.get("scenes", [])
    if not isinstance(scenes, list) or not all(isinstance(s, dict) for s in scenes):
        raise ServiceError("scenes must be a list of objects.", field="scenes")
    if len(scenes) > MAX_SCENES:
        raise ServiceError(f"A video has at most {MAX_SCENES} scenes.", field="scenes")
    if not isinstance(request.get("title", ""), str):
        raise ServiceError("title must be text.", field="title")
    link = request.get("link", {})
    if not isinstance(link, dict) or not isinstance(link.get("images", []), list):
        raise ServiceError("link must be an object with a list of images.", field="link")
    return request


def _title(title, request: dict) -> str:
    title = (title or request.get("title") or "").strip()[:200]
    return title or "Untitled video"


def create_draft(
    actor: Membership, request: dict, *, title: str = "", source_url: str = "", product=None
) -> Draft:
    require_role(actor, Role.CREATOR)
    request = _clean_request(request)
    return Draft.objects.create(
        workspace=actor.workspace,
        title=_title(title, request),
        request=request,
        source_url=source_url or "",
        product=product,
        created_by=actor.user,
    )


def get_draft(membership: Membership, draft_id) -> Draft:
    draft = Draft.objects.filter(
        workspace=membership.workspace, pk=parse_uuid(draft_id, "draft")
    ).first()
    if draft is None:
        raise NotFound("No such draft in this workspace.")
    return draft


def editable_draft(membership: Membership, draft_id) -> Draft:
    """The draft, refused while its page is being read or when reading it failed."""
    draft = reading_state(get_draft(membership, draft_id))
    if draft.status == Draft.Status.READING:
        raise ServiceError("The product page is still being read. Try again in a moment.",
                           code="reading")  # fmt: skip
    if draft.status == Draft.Status.FAILED:
        raise ServiceError(f"This draft's page could not be read: {draft.error['message']}",
                           field="url", code="unreadable")  # fmt: skip
    return draft


def update_draft(actor: Membership, draft_id, request: dict, *, title: str = "") -> Draft:
    require_role(actor, Role.CREATOR)
    draft = editable_draft(actor, draft_id)
    draft.request = _clean_request(request)
    draft.title = _title(title, draft.request)
    draft.save(update_fields=["request", "title", "updated_at"])
    return draft


def delete_draft(actor: Membership, draft_id) -> None:
    require_role(actor, Role.CREATOR)
    get_draft(actor, draft_id).delete()


def duplicate_video(actor: Membership, video_id) -> Draft:
    """A new draft with everything VIDEO asked for, to edit and render again.

    A link video's scenes are the ones its script stage wrote (they replace the
    request once written); one duplicated before that keeps only its URL.
    """
    from .services import get_video

    require_role(actor, Role.CREATOR)
    video = get_video(actor, video_id)
    keep = ("aspect", "resolution", "music", "captions", "transitions", "brand", "project")
    request = {k: video.request[k] for k in keep if k in video.request}
    request["scenes"] = list(video.request.get("scenes") or [])
    title = f"{video.title} (copy)"[:200]
    request["title"] = title
    return create_draft(
        actor, request, title=title, source_url=video.source_url, product=video.product
    )


# Link drafts: a product page becomes a draft to review -------------------------

TONES = ("energetic", "professional", "friendly")
LENGTHS = (15, 30, 60)


def _script_options(options: dict) -> dict:
    tone = options.get("tone") or "energetic"
    if tone not in TONES:
        raise ServiceError(f"tone must be one of {', '.join(TONES)}.", field="tone")
    try:
        length = int(options.get("length") or 30)
    except (TypeError, ValueError):
        length = 0
    if length not in LENGTHS:
        raise ServiceError("length must be 15, 30 or 60 seconds.", field="length")
    return {"tone": tone, "length": length, "seed": int(options.get("seed") or 0)}


def draft_from_link(actor: Membership, request: dict, *, preview: bool = False) -> Draft:
    """A link draft, made at once: its page is read on a worker (web processes run no
    browser). The draft is `reading` until :func:`read_link` makes it `ready` (the
    product, its images as assets, a script) or `failed` (`error` says why).

    REQUEST is the API's from-url request (url, length, tone, aspect, avatar, voice...).
    A URL the SSRF policy refuses, or whose host does not exist, is refused here,
    before anything is stored. With PREVIEW the draft is hidden from lists (see
    :func:`preview_link`).
    """
    require_role(actor, Role.CREATOR)
    options = _script_options(request)
    url = request["url"]
    _check_link(url)
    video = {k: request[k] for k in ("aspect", "resolution", "captions", "project") if k in request}
    video.setdefault("aspect", "9:16")
    video["music"] = request.get("music", "upbeat")
    video["link"] = {**options, "images": []}
    reading = {k: request[k] for k in ("url", "title", "voice", "avatar") if request.get(k)}
    video["reading"] = reading  # what read_link needs; removed when the page is read
    draft = Draft.objects.create(
        workspace=actor.workspace,
        title=(request.get("title") or _host(url) or "Product video")[:200],
        request=_clean_request(video),
        source_url=url,
        created_by=actor.user,
        status=Draft.Status.READING,
        preview=preview,
    )
    _send_read(draft.pk, actor)
    return draft


READ_ACTOR = "read_link_draft"  # saas.studio.tasks
READ_TIMEOUT_S = 150  # a page still `reading` after this failed (its worker died twice)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def _check_link(url: str) -> None:
    """Refuse now what the worker would refuse: a scheme, an internal address, a host
    that does not exist (DNS only: no page is fetched here)."""
    from scraper.errors import ScrapeError
    from scraper.ssrf import check_url

    from .storyboard import scrape_config

    try:
        check_url(url, scrape_config().policy)
    except ScrapeError as exc:
        raise ServiceError(exc.message, field="url", code=exc.code) from None


def _send_read(draft_id, actor: Membership) -> None:
    """Queue the page's reading once the draft is committed (by name: the actor lives
    in .tasks, above this module)."""
    queueing.send_on_commit(
        lambda: queueing.send(READ_ACTOR, str(draft_id), actor.user_id, actor.role),
        f"draft {draft_id}: reading not queued; it fails after {READ_TIMEOUT_S} s",
    )


def read_link(draft_id, user_id, role: str) -> None:
    """The worker's half of :func:`draft_from_link`: read the page, keep its images as
    assets, write the script; the draft becomes `ready`, or `failed` with the reason.
    USER_ID and ROLE are who asked (a member, or an API key's creator and role)."""
    from scraper.errors import ScrapeError

    draft = Draft.objects.filter(pk=draft_id, status=Draft.Status.READING).first()
    if draft is None:
        return  # deleted meanwhile, or already read (a redelivered message)
    actor = Membership(workspace=draft.workspace, user_id=user_id, role=role)
    try:
        if draft.preview:
            result = _preview_result(actor, draft)
            _finish(draft, product=result)
        else:
            _finish(draft, **_link_draft(actor, draft))
    except ScrapeError as exc:
        _fail(draft, exc.message, exc.code, "url")
    except ServiceError as exc:
        _fail(draft, exc.message, exc.code, exc.field)
    except Exception:  # a bug, or the browser died: say so now rather than time out
        logging.getLogger(__name__).exception("draft %s: reading the page failed", draft.pk)
        _fail(draft, "Something went wrong while reading the page. Try again.", "read_failed")


def _link_draft(actor: Membership, draft: Draft) -> dict:
    from .products import import_product, storyboard

    video = dict(draft.request)
    reading, link = video.pop("reading"), video["link"]
    product = import_product(actor.workspace_id, reading["url"])
    script_request = {**link, "aspect": video["aspect"]}
    script_request.update({k: reading[k] for k in ("voice", "avatar") if reading.get(k)})
    _, video["scenes"] = storyboard(product, script_request, seed=link["seed"])
    video["link"] = {**link, "images": list(product["image_assets"])}
    video["title"] = (reading.get("title") or product.get("title") or "Product video")[:200]
    return {"request": _clean_request(video), "title": video["title"], "product": product}


def _preview_result(actor: Membership, draft: Draft) -> dict:
    """What `POST /api/v1/drafts/from-url` without save answers: product and script."""
    from .services import draft_from_url

    reading, link = draft.request["reading"], draft.request["link"]
    request = {**link, "url": reading["url"], "aspect": draft.request["aspect"]}
    request.update({k: reading[k] for k in ("voice", "avatar") if reading.get(k)})
    return draft_from_url(actor, request)


def _finish(draft: Draft, **fields) -> None:
    fields.update(status=Draft.Status.READY, error=None, updated_at=timezone.now())
    Draft.objects.filter(pk=draft.pk, status=Draft.Status.READING).update(**fields)


def _fail(draft: Draft, message: str, code: str = "unreadable", field: str | None = "url"):
    error = {"field": field or "url", "message": message, "code": code}
    Draft.objects.filter(pk=draft.pk, status=Draft.Status.READING).update(
        status=Draft.Status.FAILED, error=error, updated_at=timezone.now()
    )


def reading_state(draft: Draft) -> Draft:
    """DRAFT, marked failed when its page has been `reading` longer than READ_TIMEOUT_S
    (the message was lost or its worker died on every try)."""
    if draft.status != Draft.Status.READING:
        return draft
    if (timezone.now() - draft.updated_at).total_seconds() > READ_TIMEOUT_S:
        _fail(draft, "Reading the page took too long. Try again in a minute.", "timeout")
        draft.refresh_from_db()
    return draft


PREVIEW_POLL_S = 0.25


def preview_link(actor: Membership, request: dict) -> dict:
    """Product and script for REQUEST, nothing kept: read by a worker, as link drafts
    are, while this request waits (at most READ_TIMEOUT_S)."""
    import time

    draft = draft_from_link(actor, request, preview=True)
    deadline = time.monotonic() + READ_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            draft.refresh_from_db(fields=["status", "error", "product"])
            if draft.status != Draft.Status.READING:
                break
            time.sleep(PREVIEW_POLL_S)
        if draft.status == Draft.Status.READING:
            raise ServiceError("Reading the page took too long.", field="url", code="timeout")
        if draft.status == Draft.Status.FAILED:  # _fail always says why
            error = draft.error
            raise ServiceError(error["message"], field=error["field"], code=error["code"])
        return draft.product
    finally:
        Draft.objects.filter(pk=draft.pk).delete()


def rewrite_script(actor: Membership, draft_id, options: dict) -> Draft:
    """Write the link draft's scenes again: another tone, length or choice of images.

    OPTIONS: tone, length, seed, images (asset ids to show, in order), the
    avatar and voice to keep (default: the first scene's), and ``price``: the
    price a person confirms ("" for no price in the ad).
    """
    from .products import storyboard

    require_role(actor, Role.CREATOR)
    draft = editable_draft(actor, draft_id)
    if not draft.product:
        raise ServiceError("Only drafts made from a product link have a script to rewrite.")
    clean = _script_options(options)
    product = draft.product
    if options.get("price") is not None:
        product = confirmed_price(product, options["price"])
    images = _workspace_images(actor, options.get("images"))
    request = dict(draft.request)
    first = (request.get("scenes") or [{}])[0]
    aspect = request.get("aspect") if request.get("aspect") in ("9:16", "16:9", "1:1") else "9:16"
    script_request = {**clean, "aspect": aspect}
    for key in ("voice", "avatar"):
        if options.get(key) or first.get(key):
            script_request[key] = options.get(key) or first.get(key)
    _, request["scenes"] = storyboard(product, script_request, images=images, seed=clean["seed"])
    request["link"] = {**clean, "images": images}
    with transaction.atomic():  # everything checked first: a refusal changes nothing
        if product is not draft.product:
            Draft.objects.filter(pk=draft.pk).update(product=product)
        return update_draft(actor, draft.pk, request, title=draft.title)


def confirmed_price(product: dict, given: str) -> dict:
    """PRODUCT with the price a person gave (``""``: none in the ad), no longer in doubt.

    A number in the page's own format is read ("12,99" on a German page), and a
    currency written with it wins over the page's.
    """
    from scraper.prices import format_amount, hints_from, parse_price

    product = {**product, "uncertain": dict(product.get("uncertain") or {})}
    product["uncertain"].pop("price", None)
    product["price_confirmed"] = True
    text = str(given).strip()
    if not text:
        product["price"] = None
        return product
    hints = hints_from(product.get("url"), product.get("language"), product.get("currency"))
    money = parse_price(text, hints, None)
    if money is None or money.amount <= 0 or len(text) > 40:
        raise ServiceError("Write the price as a number, like 19.99.", field="price")
    product["price"] = format_amount(money.amount)
    product["currency"] = money.currency or product.get("currency")
    return product


def price_in_doubt(product: dict | None) -> str | None:
    """Why the product's price still needs a person's word (None when it does not)."""
    if not product or product.get("price_confirmed"):
        return None
    return (product.get("uncertain") or {}).get("price")


def check_renderable(draft: Draft) -> None:
    """Refuse to render a link draft whose price nobody has confirmed."""
    reason = price_in_doubt(draft.product)
    if reason:
        raise ServiceError(
            f"Confirm the product's price first: {reason} Enter it, or choose no price.",
            field="price", code="price_unconfirmed",
        )  # fmt: skip


def _workspace_images(actor: Membership, ids) -> list[str]:
    from .models import Asset

    if ids is None:
        return []
    if not isinstance(ids, list) or len(ids) > 20:
        raise ServiceError("images must be a list of at most 20 asset ids.", field="images")
    wanted = [str(parse_uuid(i, "image")) for i in ids]
    found = {
        str(pk)
        for pk in Asset.objects.filter(
            workspace=actor.workspace, pk__in=wanted, kind=Asset.Kind.IMAGE
        ).values_list("pk", flat=True)
    }
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ServiceError(f"No image asset {missing[0]} in this workspace.", field="images")
    return wanted


def draft_data(draft: Draft) -> dict:
    """A draft as the API and the editor see it, with its images' URLs."""
    from .models import Asset
    from .representation import file_url

    link = draft.request.get("link") or {}
    product = dict(draft.product or {})
    ids = list(dict.fromkeys([*product.get("image_assets", []), *link.get("images", [])]))
    assets = {str(a.pk): a for a in Asset.objects.filter(workspace=draft.workspace, pk__in=ids)}
    images = [
        {"asset": i, "url": file_url(assets[i].file), "selected": i in link.get("images", [])}
        for i in ids
        if i in assets
    ]
    for key in ("image_assets", "image_urls", "html"):
        product.pop(key, None)
    return {
        "id": str(draft.pk),
        "title": draft.title,
        "request": draft.request,
        "source_url": draft.source_url or None,
        "product": product or None,
        "images": images,
        "status": draft.status,
        "error": draft.error,
        "created_at": draft.created_at.isoformat(),
        "updated_at": draft.updated_at.isoformat(),
    }
