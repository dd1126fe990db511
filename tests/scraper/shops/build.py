"""Assemble one generated product page (HTML plus ground truth) from a style and a scenario."""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .catalog import CONSUMABLES, GOODS, Item
from .locales import Locale, words
from .platforms import Platform, magento_blob, shopify_blob, state_blob, vtex_blob

INSTALMENT_LOCALES = {"pt-BR", "es-MX", "es-PE"}
ESC = html.escape


@dataclass(frozen=True)
class Style:
    """A shop: its platform, market, name and domain."""

    name: str
    platform: Platform
    locale: Locale
    site: str
    host: str


@dataclass
class Spec:
    """One page to render: what it shows and what an extractor should return."""

    style: Style
    scenario: str
    markup: str  # full | og | partial | none
    item: Item
    rng: random.Random
    price: Decimal | None = None  # the expected price
    shown: Decimal | None = None  # the price next to the buy button
    was: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: Decimal | None = None
    reason: str | None = None
    images: list[str] = field(default_factory=list)

    @property
    def loc(self) -> Locale:
        return self.style.locale

    @property
    def w(self) -> dict[str, str]:
        return words(self.loc.lang)

    @property
    def url(self) -> str:
        return f"https://{self.style.host}/products/{self.item.slug}"

    def money(self, amount: Decimal) -> str:
        return self.loc.money(amount)

    def image(self, slug: str, k: int, width: int = 1200) -> str:
        return self.style.platform.image.format(
            host=self.style.host, slug=slug, k=k, w=width, model=self.item.model
        )


def plan(style: Style, scenario: str, markup: str, seed: str) -> Spec:
    """Choose the product and the prices of one page (deterministic for a seed)."""
    rng = random.Random(seed)
    item = rng.choice(CONSUMABLES if scenario == "unit" else GOODS)
    spec = Spec(style, scenario, markup, item, rng)
    loc, eur = style.locale, item.eur
    ending = rng.choice(["0.01", "0.10", "0"])
    spec.price = spec.shown = loc.price(eur, ending)
    if scenario == "sale":
        spec.was = loc.price(eur * Decimal("1.4"), "0")
    elif scenario == "unit":
        step = Decimal(1).scaleb(-loc.decimals)
        spec.unit = (spec.price * item.pack[1]).quantize(step)
    elif scenario in ("range", "from"):
        spec.low = loc.price(eur * Decimal("0.7"), ending)
        spec.high = loc.price(eur * Decimal("1.6"), ending)
        if scenario == "from":
            spec.price = spec.shown = spec.low
    elif scenario == "noprice":
        spec.price = spec.shown = None
        spec.reason = rng.choice(["soldout", "request", "login"])
    count = rng.randint(2, 6)
    spec.images = [spec.image(item.slug, k) for k in range(1, count + 1)]
    return spec


# ---------------------------------------------------------------- price box


def _fmt(spec: Spec, template: str, amount: Decimal | None = None, **extra) -> str:
    printed = spec.money(amount) if amount is not None else ""
    return template.format(
        p=ESC(printed),
        a=f"{amount:f}" if amount is not None else "",
        vtex=_vtex_spans(printed),
        was=spec.w["was"],
        **extra,
    )


def _vtex_spans(printed: str) -> str:
    """VTEX prints the code, each digit group and each separator in its own span."""
    parts = re.findall(r"\d+|[.,'\u00a0\u202f ]|[^\d.,'\u00a0\u202f ]+", printed)
    digits = [i for i, part in enumerate(parts) if part.isdigit()]
    fraction = digits[-1] if len(digits) > 1 and len(parts[digits[-1]]) == 2 else None
    return "".join(
        f'<span class="vtex-product-price-1-x-{_vtex_kind(i, part, fraction)}">{ESC(part)}</span>'
        for i, part in enumerate(parts)
    )


def _vtex_kind(index: int, part: str, fraction: int | None) -> str:
    if part.isdigit():
        return "currencyFraction" if index == fraction else "currencyInteger"
    if fraction is not None and index == fraction - 1:
        return "currencyDecimal"
    return "currencyGroup" if part in ".,' \u00a0\u202f" else "currencyCode"


def price_box(spec: Spec) -> str:
    """The price block next to the buy button, as the platform writes it."""
    p = spec.style.platform
    if spec.shown is None:
        inner = _fmt(spec, p.reason, r=ESC(_reason_text(spec)))
    else:
        inner = _price_parts(spec, p)
    extax = spec.money((spec.shown or Decimal(0)) / Decimal("1.2")) if spec.shown else "-"
    return p.box.format(inner=inner, tax=ESC(spec.w["tax"]), extax=ESC(extax))


def _reason_text(spec: Spec) -> str:
    w = spec.w
    return {"soldout": w["soldout"], "request": w["request"], "login": w["login"]}[spec.reason]


def _price_parts(spec: Spec, p: Platform) -> str:
    now = _fmt(spec, p.now, spec.shown)
    parts = [now]
    if spec.was is not None:
        label = f'<span class="was-label">{ESC(spec.w["was"])}</span> '
        parts = [label + _fmt(spec, p.old, spec.was), now]
    if spec.unit is not None:
        unit_text = spec.w["unit"].format(p=spec.money(spec.unit))
        parts.append(_fmt(spec, p.unit, u=ESC(unit_text)))
    if spec.scenario == "from":
        phrase = ESC(spec.w["from"]).split("{p}")
        parts = [f'<span class="price-from">{phrase[0]}</span>{now}{phrase[-1]}']
    if spec.scenario == "range":
        span = f"{spec.money(spec.low)} – {spec.money(spec.high)}"
        parts.insert(0, f'<p class="price-range">{ESC(span)}</p>')
    if spec.loc.tag in INSTALMENT_LOCALES:
        each = (spec.shown / 10).quantize(Decimal("0.01"))
        parts.append(f'<p class="installments">10x {ESC(spec.money(each))}</p>')
    return "".join(parts)


def variant_picker(spec: Spec) -> str:
    """Size buttons; on a range page the middle one is selected."""
    if spec.scenario not in ("range", "from"):
        return ""
    options = "".join(
        f'<option value="{s}"{" selected" if s == "M" else ""}>{s}</option>' for s in "SML"
    )
    return f'<div class="variant-picker"><select name="options[Size]">{options}</select></div>'


# ---------------------------------------------------------------- gallery


def gallery(spec: Spec) -> str:
    """Static, lazy-loaded or script-built gallery (script: only the first image in the DOM)."""
    p, alt = spec.style.platform, ESC(spec.item.name)
    mode = "script" if p.name == "magento" else _gallery_mode(spec)
    if mode == "script":
        imgs = p.img.format(u=ESC(spec.images[0]), alt=alt)
    else:
        template = p.lazy if mode == "lazy" else p.img
        imgs = "".join(template.format(u=ESC(u), alt=alt) for u in spec.images)
    return p.frame.format(imgs=imgs) + _blob(spec, mode)


def _gallery_mode(spec: Spec) -> str:
    return {"lazy": "lazy", "script": "script"}.get(spec.scenario, "static")


def _blob(spec: Spec, mode: str) -> str:
    p = spec.style.platform
    if p.blob == "shopify":
        return shopify_blob(_shopify_product(spec, mode))
    if p.blob == "magento":
        return magento_blob(spec.images, spec.item.name)
    if p.blob == "vtex" or mode == "script" or p.name == "spa":
        product = _state_product(spec, mode)
        return vtex_blob(product) if p.blob == "vtex" else state_blob(product)
    return ""


def _cents(amount: Decimal | None) -> int | None:
    return int(amount * 100) if amount is not None else None


def _shopify_product(spec: Spec, mode: str) -> dict:
    images = [u.split("https:", 1)[-1] for u in spec.images]
    return {
        "id": 7301 + len(spec.item.slug),
        "title": spec.item.name,
        "handle": spec.item.slug,
        "vendor": spec.item.brand,
        "price": _cents(spec.shown),
        "compare_at_price": _cents(spec.was),
        "available": spec.shown is not None,
        "images": images if mode == "script" else images[:1],
        "featured_image": images[0],
    }


def _state_product(spec: Spec, mode: str) -> dict:
    images = spec.images if mode == "script" else spec.images[:1]
    return {
        "productId": spec.item.model,
        "productName": spec.item.name,
        "sellingPrice": f"{spec.shown:f}" if spec.shown is not None else None,
        "images": [{"imageUrl": u, "imageLabel": spec.item.name} for u in images],
    }
