"""Product images for the video: download under the SSRF rules, verify, size, dedupe
and choose the best 3 to 8.

Downloads go through :func:`scraper.fetch.fetch` (address pinned, every redirect
checked, size and time capped). Pillow verifies each file; logos, swatches,
banners and pixels fail the size and shape tests; near-duplicates (the same
photo in two sizes) are merged by a difference hash.
"""

from __future__ import annotations

import io
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from PIL import Image, UnidentifiedImageError

from .config import DownloadLimits, UrlPolicy
from .errors import NoImages, ScrapeError
from .fetch import fetch, raise_for_status
from .ssrf import Resolver, resolve_host

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class ImageRules:
    """What counts as a usable product image."""

    min_side: int = 300
    max_aspect: float = 2.5  # wider or taller than this is a banner or a strip
    min_colors: int = 24  # flat logos and swatches have very few colours
    duplicate_distance: int = 6  # dHash bits
    min_count: int = 3
    max_count: int = 8


@dataclass
class ImageInfo:
    """A downloaded, verified image."""

    url: str
    index: int  # position in the extractor's list (0 = main image)
    width: int = 0
    height: int = 0
    format: str = ""
    size_bytes: int = 0
    dhash: int = 0
    colors: int = 0
    data: bytes = field(default=b"", repr=False)
    path: Path | None = None
    rejected: str | None = None

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 0.0


def dhash(image: Image.Image, size: int = 8) -> int:
    """64-bit difference hash: robust to resizing and recompression."""
    small = image.convert("L").resize((size + 1, size), Image.Resampling.LANCZOS)
    pixels = np.asarray(small, dtype=np.int16)
    bits = (pixels[:, 1:] > pixels[:, :-1]).flatten()
    return int("".join("1" if b else "0" for b in bits), 2)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def inspect(data: bytes, url: str, index: int) -> ImageInfo:
    """Verify ``data`` as an image and measure it; ``rejected`` says why not usable."""
    info = ImageInfo(url=url, index=index, size_bytes=len(data), data=data)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            info.width, info.height = image.size
            info.format = image.format or ""
            if info.width * info.height > MAX_PIXELS:
                info.rejected = "too many pixels"
                return info
            image.draft("RGB", (256, 256))
            rgb = image.convert("RGB")
            info.dhash = dhash(rgb)
            info.colors = len(rgb.resize((64, 64)).getcolors(64 * 64) or [])
    except Image.DecompressionBombError:  # Pillow's own limit, which the app sets lower
        info.rejected = "too many pixels"
        return info
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        info.rejected = f"not an image ({exc.__class__.__name__})"
        return info
    if info.format not in FORMATS:
        info.rejected = f"unsupported format {info.format or '?'}"
    return info


def judge(info: ImageInfo, rules: ImageRules) -> str | None:
    """Why an image is not a usable product photo, or None."""
    if info.rejected:
        return info.rejected
    if min(info.width, info.height) < rules.min_side:
        return f"too small ({info.width}x{info.height})"
    if max(info.aspect, 1 / info.aspect) > rules.max_aspect:
        return f"banner or strip shape ({info.width}x{info.height})"
    if info.colors < rules.min_colors:
        return f"flat graphic ({info.colors} colours): a logo, icon or swatch"
    return None


def score(info: ImageInfo) -> float:
    """Higher is better: large, product-like shape, early on the page."""
    area = math.log(max(info.width * info.height, 1))
    shape = 1.0 - min(abs(math.log(info.aspect)), 1.0)  # 1 for square, 0 at e:1
    return area + 2.0 * shape - 0.15 * info.index


def choose_images(infos: list[ImageInfo], rules: ImageRules | None = None) -> list[ImageInfo]:
    """The best ``min_count``..``max_count`` distinct usable images, main image first.

    Rejected images keep their reason in ``rejected``. Fewer than ``min_count``
    come back when the page has fewer usable images.
    """
    rules = rules or ImageRules()
    usable = []
    for info in infos:
        info.rejected = judge(info, rules)
        if info.rejected is None:
            usable.append(info)
    kept: list[ImageInfo] = []
    for info in sorted(usable, key=lambda i: i.width * i.height, reverse=True):
        twin = next(
            (k for k in kept if hamming(k.dhash, info.dhash) <= rules.duplicate_distance), None
        )
        if twin is None:
            kept.append(info)
        else:
            info.rejected = f"near-duplicate of {twin.url}"
    main = min(kept, key=lambda i: i.index, default=None)
    rest = sorted((k for k in kept if k is not main), key=score, reverse=True)
    return ([main] if main else []) + rest[: rules.max_count - 1]


def download(
    url: str,
    index: int,
    policy: UrlPolicy,
    limits: DownloadLimits,
    resolve: Resolver = resolve_host,
) -> ImageInfo:
    """Download and inspect one image; failures become ``rejected`` reasons."""
    try:
        fetched = raise_for_status(
            fetch(url, policy, limits, resolve=resolve, headers={"Accept": "image/*"})
        )
    except ScrapeError as exc:
        return ImageInfo(url=url, index=index, rejected=f"{exc.code}: {exc.message}")
    return inspect(fetched.body, fetched.url, index)


def fetch_images(
    urls: list[str],
    policy: UrlPolicy,
    limits: DownloadLimits | None = None,
    rules: ImageRules | None = None,
    out_dir: Path | None = None,
    max_downloads: int = 16,
    resolve: Resolver = resolve_host,
) -> tuple[list[ImageInfo], list[ImageInfo]]:
    """Download up to ``max_downloads`` candidates and choose the video's images.

    Args:
        urls: candidate URLs, best first (``Product.images``).
        policy: SSRF policy for every download.
        limits: per-download size and time limits.
        rules: what counts as usable.
        out_dir: when given, chosen images are written there as ``00.jpg``...
        max_downloads: candidates tried at most.
        resolve: DNS resolver (tests).

    Returns:
        (chosen images, every image tried with its ``rejected`` reason).

    Raises:
        NoImages: no candidate was a usable image.
    """
    limits = limits or DownloadLimits()
    candidates = list(dict.fromkeys(urls))[:max_downloads]
    with ThreadPoolExecutor(max_workers=4) as pool:
        tried = list(
            pool.map(
                lambda pair: download(pair[1], pair[0], policy, limits, resolve),
                enumerate(candidates),
            )
        )
    chosen = choose_images(tried, rules)
    if not chosen:
        reasons = "; ".join(f"{i.url}: {i.rejected}" for i in tried[:5]) or "no image URLs"
        error = NoImages(f"No usable product image was found ({reasons})")
        error.tried = tried
        raise error
    if out_dir is not None:
        _save(chosen, Path(out_dir))
    return chosen, tried


def why_no_images(tried: list[ImageInfo], found: int) -> str:
    """Why none of a page's images could be used, for the seller (no error codes)."""
    if not found:
        return "We found no product images on this page."
    reasons = [info.rejected or "" for info in tried]
    host = urlsplit(tried[0].url).hostname if tried else None
    where = f" ({host})" if host else ""
    if all(r.startswith(("network", "timeout")) for r in reasons):
        return (f"We found {found} product images but could not download them: the shop's "
                f"image server{where} did not answer.")  # fmt: skip
    if all(r.startswith(("refused_url",)) for r in reasons):
        return (f"We found {found} product images, but they are on addresses we do not "
                f"download from for safety{where}.")  # fmt: skip
    if all(r.startswith(("blocked", "not_found")) for r in reasons):
        return (
            f"We found {found} product images, but the shop{where} would not let us download them."
        )
    return (f"We found {found} product images, but none was a photo we could use "
            "(too small, broken or a logo).")  # fmt: skip


def _save(chosen: list[ImageInfo], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for number, info in enumerate(chosen):
        info.path = out_dir / f"{number:02d}.{FORMATS.get(info.format, 'img')}"
        info.path.write_bytes(info.data)
