"""Drafts: videos being edited in the web app (and through the API) before they render.

A draft holds a video request in the shape of `POST /api/v1/videos`. Saving
checks only its shape and size, so half-written work is never lost; rendering
checks it in full, through the same path as the API.
"""

from __future__ import annotations

import json

from django.db import transaction

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


def update_draft(actor: Membership, draft_id, request: dict, *, title: str = "") -> Draft:
    require_role(actor, Role.CREATOR)
    draft = get_draft(actor, draft_id)
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


def draft_from_link(actor: Membership, request: dict) -> Draft:
    """Scrape the page, keep its images as assets, write a script: a draft to review.

    REQUEST is the API's from-url request (url, length, tone, aspect, avatar, voice...).
    """
    from scraper.errors import ScrapeError

    from .products import import_product, storyboard

    require_role(actor, Role.CREATOR)
    options = _script_options(request)
    try:
        product = import_product(actor.workspace_id, request["url"])
    except ScrapeError as exc:
        raise ServiceError(exc.message, field="url", code=exc.code) from None
    video = {k: request[k] for k in ("aspect", "resolution", "captions", "project") if k in request}
    video.setdefault("aspect", "9:16")
    video["music"] = request.get("music", "upbeat")
    video["title"] = (request.get("title") or product.get("title") or "Product video")[:200]
    script_request = {**options, "aspect": video["aspect"]}
    script_request.update({k: request[k] for k in ("voice", "avatar") if request.get(k)})
    _, video["scenes"] = storyboard(product, script_request, seed=options["seed"])
    video["link"] = {**options, "images": list(product["image_assets"])}
    return create_draft(
        actor, video, title=video["title"], source_url=request["url"], product=product
    )


def rewrite_script(actor: Membership, draft_id, options: dict) -> Draft:
    """Write the link draft's scenes again: another tone, length or choice of images.

    OPTIONS: tone, length, seed, images (asset ids to show, in order), the
    avatar and voice to keep (default: the first scene's), and ``price``: the
    price a person confirms ("" for no price in the ad).
    """
    from .products import storyboard

    require_role(actor, Role.CREATOR)
    draft = get_draft(actor, draft_id)
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
        "created_at": draft.created_at.isoformat(),
        "updated_at": draft.updated_at.isoformat(),
    }
