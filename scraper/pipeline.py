"""The library's front door: URL to product (and images), for the CLI and the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .browser import Page, scrape
from .config import DownloadLimits, ScrapeConfig
from .errors import NoImages, NotProductPage
from .extract import Product, extract
from .images import ImageInfo, ImageRules, fetch_images, why_no_images


@dataclass
class ScrapeResult:
    """A scraped product with the page it came from and the images chosen for video."""

    product: Product
    page: Page
    images: list[ImageInfo] = field(default_factory=list)
    # Why no image could be used, in words for the seller ("" when some were).
    images_problem: str = ""


def product_from_page(page: Page) -> Product:
    """Extract the product of a scraped page. Raises NotProductPage."""
    product = extract(page.html, page.final_url, page.json_responses)
    if not product.looks_like_product:
        raise NotProductPage(
            "This page does not look like a product page (no product name and price found)",
            url=page.final_url,
        )
    return product


def scrape_product(
    url: str,
    config: ScrapeConfig | None = None,
    image_dir: Path | None = None,
    limits: DownloadLimits | None = None,
    rules: ImageRules | None = None,
) -> ScrapeResult:
    """Scrape ``url``, extract its product and, with ``image_dir``, download its images.

    Args:
        url: the product page URL a user pasted.
        config: browser and SSRF settings.
        image_dir: where the chosen images are written (None: no downloads).
        limits: per-image download limits.
        rules: what counts as a usable image.

    Returns:
        A :class:`ScrapeResult`.

    Raises:
        RefusedUrl, NotFound, Blocked, Timeout, TooLarge, NetworkError,
        NotProductPage. Images that cannot be downloaded or used do not fail the
        scrape: ``images`` is then empty and ``images_problem`` says why.
    """
    config = config or ScrapeConfig()
    page = scrape(url, config)
    product = product_from_page(page)
    result = ScrapeResult(product=product, page=page)
    if image_dir is not None:
        try:
            chosen, _ = fetch_images(product.images, config.policy, limits, rules, image_dir)
        except NoImages as exc:
            result.images_problem = why_no_images(exc.tried, len(product.images))
        else:
            result.images = chosen
    return result
