"""Generated product pages of shops the extractor has never seen (issue 18).

A deterministic generator (seeded, no network) of complete product pages in
the styles of real shop platforms (Shopify, WooCommerce, Magento, BigCommerce,
PrestaShop, Shopware, OpenCart, Salesforce Commerce Cloud, VTEX, Wix,
Squarespace) and of hand-made shops, one of them a script-rendered
single-page shop, in 25 markets (language, currency, number format, domain).
A *style* is one platform in one market; each style has three pages, each a
*scenario* with a known trap:

- ``sale``: a was/list price (struck through, "Was", "Statt", "Antes", ...)
  beside the sale price;
- ``unit``: a per-unit price ("Grundpreis", "/ kg") beside the real price;
- ``range``: a variant product showing a price range and, by the buy button,
  the selected variant's price;
- ``from``: a variant product whose price is stated as "From X" / "ab X";
- ``noprice``: sold out, price on request or log in for prices: no price
  at all, but a model number, a year, phone numbers, a free-shipping
  threshold and related products' prices around;
- ``lazy``: a lazy-loaded gallery (data-src, data-srcset, noscript, ...);
- ``script``: a gallery whose images live only in an inline JSON/JS blob,
  with ``<title>`` and og:title set to the site name;
- ``plain``: an ordinary page whose ``<title>`` is the brand alone.

Every page also carries chrome: a free-shipping banner, a mini-cart price,
breadcrumbs, ratings with counts, related products with prices and images,
a footer with phone numbers and years. Structured data varies per page:
``full`` (JSON-LD or microdata with offers), ``partial`` (no offers), ``og``
(Open Graph tags only) or ``none``; hand-made shops and OpenCart never have any.

Ground truth rules (expected.json, as in shared/fixtures/product_pages):

- ``title`` is the product heading (the JSON-LD name with a variant suffix is
  an accepted alternative); never the site name or the brand alone.
- ``price`` is the price the ad should state: the sale price, not the was
  price, the unit price or an instalment; for a range the *selected variant's*
  price shown at the buy button, except where the page itself says "from X",
  where it is X. ``None`` where the page shows no price for the product, and
  then ``currency`` is ``None`` too.
- ``brand`` is set only where the page states it (a brand line or structured
  data), as in the shared fixtures.
- ``images_min`` is the number of distinct product images, never counting
  related products, logos or payment icons.

Whole styles, never single pages, go to the ``tuning`` or the ``heldout``
split, by a hash of the style name, so that rules tuned on one split are
tested on shops they have never seen.
"""

from __future__ import annotations

import hashlib
from functools import cache

from .build import Style, plan
from .catalog import SHOP_SUFFIX, SHOP_WORDS
from .locales import LOCALES
from .page import render
from .platforms import PLATFORMS

SPLITS = ("tuning", "heldout")
SCENARIOS = ("sale", "unit", "range", "from", "noprice", "lazy", "script", "plain")
MARKUPS = ("full", "og", "none", "partial")
STYLE_COUNT = 66
PAGES_PER_STYLE = 3
HELDOUT_STYLES = 33

Page = tuple[str, str, str, dict]  # name, html, url, expected


@cache
def styles() -> tuple[Style, ...]:
    """66 distinct platform x market pairs (13 platforms, 25 markets)."""
    platforms = list(PLATFORMS.values())
    found = []
    for i in range(STYLE_COUNT):
        platform = platforms[i % len(platforms)]
        locale = LOCALES[(7 * i) % len(LOCALES)]
        site = f"{SHOP_WORDS[i % len(SHOP_WORDS)]} {SHOP_SUFFIX[(3 * i) % len(SHOP_SUFFIX)]}"
        host = f"www.{site.replace(' ', '').lower()}.{locale.tld}"
        name = f"{platform.name}-{locale.tag.lower()}"
        found.append(Style(name, platform, locale, site, host))
    return tuple(found)


def split_of(style: Style) -> str:
    """Fixed split: the 33 styles with the lowest name hash are held out."""

    def name_hash(style: Style) -> str:
        return hashlib.sha1(style.name.encode(), usedforsecurity=False).hexdigest()

    ranked = sorted(styles(), key=name_hash)
    held = {s.name for s in ranked[:HELDOUT_STYLES]}
    return "heldout" if style.name in held else "tuning"


def _scenario_and_markup(index: int, k: int, style: Style) -> tuple[str, str]:
    scenario = SCENARIOS[(PAGES_PER_STYLE * index + k) % len(SCENARIOS)]
    markup = MARKUPS[(index + 2 * k) % len(MARKUPS)]
    return scenario, markup if style.platform.structured else "none"


@cache
def _all_pages() -> tuple[tuple[str, Page], ...]:
    out = []
    for index, style in enumerate(styles()):
        for k in range(PAGES_PER_STYLE):
            scenario, markup = _scenario_and_markup(index, k, style)
            spec = plan(style, scenario, markup, seed=f"{style.name}/{k}")
            html, expected = render(spec)
            name = f"{style.name}-{scenario}-{spec.item.slug[:24]}"
            out.append((split_of(style), (name, html, spec.url, expected)))
    return tuple(out)


def pages(split: str | None = None) -> list[Page]:
    """(name, html, url, expected) of one split, or of all pages when split is None."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {SPLITS}")
    return [page for where, page in _all_pages() if split in (None, where)]
