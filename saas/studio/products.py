"""A scraped product kept in a workspace: its images become assets, its script scenes.

Shared by the render pipeline's scrape and script stages and by link drafts
in the web app, so a draft previews exactly what a link video would render.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from saas.errors import ServiceError

from . import specs
from .models import Asset


def import_product(workspace_id, url: str, progress: Callable[[float], None] | None = None):
    """Scrape URL (under the SSRF policy) and keep its best images as workspace assets.

    Returns the product as a dict with `image_assets` (asset ids) and
    `image_urls` (where each came from), index for index.
    """
    from django.core.files import File

    from .storyboard import language_note, scrape

    with tempfile.TemporaryDirectory(prefix="scrape-") as tmp:
        result = scrape(url, Path(tmp))
        if progress:
            progress(0.7)
        kept, refused = [], []
        for info in result.images:
            with open(info.path, "rb") as handle:
                upload = File(handle, name=Path(info.path).name)
                try:
                    kept.append((_image_asset(workspace_id, upload, info.url), info.url))
                except ServiceError as exc:  # e.g. a shop's image with a page hidden in it
                    refused.append(exc)
        if refused and not kept:
            raise refused[0]
    product = result.product.to_dict(full=True)
    product["image_assets"] = [str(asset.pk) for asset, _ in kept]
    product["image_urls"] = [url for _, url in kept]
    if not kept:  # the ad goes on with the presenter; the seller can add images
        product["images_problem"] = result.images_problem or (
            "None of this page's images could be used."
        )
    note = language_note(product.get("language"))
    if note:  # a page in a language without a writer: the script is wholly English
        product["language_note"] = note
    return product


def _image_asset(workspace_id, upload, source_url: str) -> Asset:
    from .uploads import verify_image

    verified = verify_image(upload)
    return Asset.objects.create(
        workspace_id=workspace_id,
        kind=Asset.Kind.IMAGE,
        file=upload,
        original_name=Path(source_url).name[:255] or "product.jpg",
        content_type=verified.content_type,
        size=verified.size,
        sha256=verified.sha256,
        width=verified.width,
        height=verified.height,
    )


def storyboard(data: dict, request: dict, *, images: list[str] | None = None, seed: int = 0):
    """(script, scenes) for the product DATA as REQUEST asks (length, tone, aspect, voice).

    IMAGES are the asset ids to show, in order (default: all the product's own).
    """
    from . import storyboard as board

    product = _product(data)
    voice = board.voice_for(data.get("language"), request.get("voice"))
    refs = list(data.get("image_assets") or []) if images is None else list(images)
    sources = dict(zip(data.get("image_assets") or [], data.get("image_urls") or [], strict=False))
    script = board.write(
        product, length=int(request.get("length", 30)), tone=request.get("tone", "energetic"),
        aspect=request.get("aspect", "9:16"), voice=voice, seed=seed,
        images=[sources.get(ref, ref) for ref in refs],
    )  # fmt: skip
    avatar = request.get("avatar") or specs.DEFAULT_AVATAR
    return script, board.scenes_for(script, product, refs, avatar, voice)


def _product(data: dict):
    from scraper.extract import Product

    fields = Product.__dataclass_fields__
    return Product(**{k: v for k, v in data.items() if k in fields})
