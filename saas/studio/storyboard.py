"""URL to video: scrape a product page, write its script, and lay it out as scenes.

Used by the render pipeline's scrape and script stages, by the drafts API and
by `manage.py make_video --url`.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from django.conf import settings

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "BRL": "R$"}
log = logging.getLogger(__name__)
LAYOUTS = {"hook": "presenter", "benefit": "corner", "proof": "corner", "offer": "corner"}
LAYOUTS["cta"] = "presenter"


def scrape_config():
    """The product flow's scrape: its SSRF policy, and nothing fetched that extraction
    does not read (images are downloaded afterwards, only the ones picked)."""
    from scraper.config import EXTRACTION_ONLY, ScrapeConfig, UrlPolicy

    policy = UrlPolicy(
        allow_networks=tuple(settings.SCRAPER_ALLOW_NETWORKS),
        allow_hosts=tuple(settings.SCRAPER_ALLOW_HOSTS),
    )
    return ScrapeConfig(policy=policy, **EXTRACTION_ONLY)


# Playwright's sync API keeps an event loop on the thread that uses it, and
# Django refuses database calls from a thread with an event loop. So the
# browser lives on its own thread (one per process, reused between scrapes).
_browser_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="browser")


# Product images are small and the page already loaded: an image server that does not
# answer within seconds will not, and the seller can upload images instead.
IMAGE_TIMEOUT_S = 8.0
IMAGE_CONNECT_TIMEOUT_S = 3.0


def scrape(url: str, image_dir: Path | None = None):
    """Scrape URL under the SSRF policy; with IMAGE_DIR also download the best images
    (none usable is not an error: the result's ``images_problem`` says why)."""
    from scraper.config import DownloadLimits
    from scraper.pipeline import scrape_product

    limits = DownloadLimits(timeout_s=IMAGE_TIMEOUT_S, connect_timeout_s=IMAGE_CONNECT_TIMEOUT_S)
    future = _browser_thread.submit(
        scrape_product, url, scrape_config(), image_dir=image_dir, limits=limits
    )
    try:
        return future.result()
    finally:
        _browser_thread.submit(_prepare_next)


def _prepare_next() -> None:
    """Open the next scrape's page on the browser thread while this worker does other
    work (scraper.browser.Browser.prepare); a failure here is the next scrape's to see."""
    from scraper.browser import get_browser

    try:
        get_browser(scrape_config()).prepare()
    except Exception:  # noqa: BLE001 (the next scrape opens its own page instead)
        log.warning("could not open a page for the next scrape", exc_info=True)


def voice_languages() -> list[str]:
    """Every language a voice of this installation speaks (primary subtags)."""
    from avatar.voices import catalogue

    return sorted({v.primary_language for v in catalogue()})


def script_language(language: str | None) -> str:
    """The language a script for a page in LANGUAGE is written in: the page's own when
    the writer writes it and a voice speaks it, else the writer's fallback (English)."""
    from scraper.extract import Product
    from scraper.script.writer import resolve_language

    return resolve_language(Product(language=language), None, voice_languages())[0]


def language_note(language: str | None) -> str | None:
    """For the seller, in words: the page's language has no script writer or voice, the
    languages there are, and that the script is in English (None when all is well)."""
    from scraper.script.writer import language_note as note

    return note(language, voice_languages())


def voice_for(language: str | None, requested: str | None) -> str:
    """The requested voice, or the best voice for the language the page's script is
    written in (an English voice for a page in a language the writer does not write)."""
    from avatar.voices import DEFAULT_VOICE_ID, catalogue

    if requested:
        return requested
    primary = script_language(language)
    for voice in catalogue():  # best quality first
        if voice.primary_language == primary:
            return voice.id
    return DEFAULT_VOICE_ID


def write(product, *, length: int, tone: str, aspect: str, voice: str, images, seed: int = 0):
    """The script and storyboard for PRODUCT (a scraper Product)."""
    from scraper.script import write_script

    return write_script(
        product, length=length, tone=tone, aspect=aspect, seed=seed, images=list(images),
        language=None, available_languages=voice_languages(),
    )  # fmt: skip


def price_text(product) -> str | None:
    if not product.price:
        return None
    symbol = CURRENCY_SYMBOLS.get(product.currency or "")
    return f"{symbol}{product.price}" if symbol else f"{product.price} {product.currency or ''}"


def scenes_for(script, product, refs: list, avatar: str, voice: str) -> list[dict]:
    """One video scene per script scene, showing the images it names (REFS[i])."""
    scenes = []
    for scene in script.scenes:
        item = {"script": scene.text, "voice": voice, "avatar": avatar}
        item["layout"] = LAYOUTS.get(scene.role, "corner")
        media = [refs[i] for i in scene.images if i < len(refs)]
        if item["layout"] == "corner" and not media and refs:
            media = [refs[0]]
        if item["layout"] == "corner" and not media:
            item["layout"] = "presenter"
        if media:
            item["media"] = media
        item["overlays"] = _overlays(scene, product, script.language)
        scenes.append(item)
    return scenes


def _overlays(scene, product, language: str = "en") -> list[dict]:
    if scene.role == "offer" and price_text(product):
        # the price card reads as the script does: "R$ 249,90" in a Portuguese ad
        shown = scene.on_screen_text if language != "en" else ""
        return [{"type": "price", "price": shown or price_text(product)}]
    if scene.role == "cta":
        return [{"type": "cta", "text": scene.on_screen_text or "Shop now"}]
    text = scene.on_screen_text or (product.title if scene.role == "hook" else "")
    return [{"type": "title", "text": text[:60]}] if text else []


def script_data(script) -> dict:
    return asdict(script)
