"""Page chrome, structured data and ground truth around the platform parts."""

from __future__ import annotations

import json
from decimal import Decimal

from .build import ESC, Spec, gallery, price_box, variant_picker
from .catalog import RELATED

SCHEMA = "https://schema.org/"


def render(spec: Spec) -> tuple[str, dict]:
    """The complete HTML document and its expected.json."""
    loc = spec.loc
    direction = ' dir="rtl"' if loc.lang == "ar" else ""
    doc = (
        f'<!DOCTYPE html>\n<html lang="{loc.tag}"{direction}>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{ESC(_title_tag(spec))}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="canonical" href="{spec.url}">\n{_opengraph(spec)}{_json_ld(spec)}'
        f"</head>\n<body>\n{_cookie(spec)}{_header(spec)}{_breadcrumbs(spec)}"
        f'<main id="MainContent">\n{_product(spec)}\n{_related(spec)}\n</main>\n'
        f"{_footer(spec)}</body>\n</html>\n"
    )
    return doc, expected(spec)


def _distracting_title(spec: Spec) -> bool:
    return spec.scenario in ("plain", "script")


def _title_tag(spec: Spec) -> str:
    if spec.scenario == "plain":
        return spec.item.brand
    if spec.scenario == "script":
        return spec.style.site
    return f"{spec.item.name} | {spec.style.site}"


def _states_brand(spec: Spec) -> bool:
    visible = bool(spec.style.platform.brand)
    return visible or spec.markup in ("full", "partial", "og")


def _structured_name(spec: Spec) -> str:
    if spec.scenario == "range":
        return f"{spec.item.name} - M"
    return spec.item.name


# ---------------------------------------------------------------- structured data


def _opengraph(spec: Spec) -> str:
    if spec.markup == "none":
        return ""
    title = spec.style.site if _distracting_title(spec) else spec.item.name
    tags = {
        "og:site_name": spec.style.site,
        "og:title": title,
        "og:type": "product",
        "og:url": spec.url,
        "og:image": spec.images[0],
        "og:locale": spec.loc.og_locale,
    }
    if spec.markup == "og":
        tags["product:brand"] = spec.item.brand
        if spec.shown is not None:
            tags["product:price:amount"] = f"{spec.shown:f}"
            tags["product:price:currency"] = spec.loc.currency
    return "".join(f'<meta property="{k}" content="{ESC(str(v))}">\n' for k, v in tags.items())


def _offer(spec: Spec) -> dict | None:
    cur = spec.loc.currency
    if spec.scenario in ("range", "from"):
        return {
            "@type": "AggregateOffer",
            "lowPrice": f"{spec.low:f}",
            "highPrice": f"{spec.high:f}",
            "offerCount": 3,
            "priceCurrency": cur,
        }
    if spec.shown is not None:
        return {
            "@type": "Offer",
            "price": f"{spec.shown:f}",
            "priceCurrency": cur,
            "availability": SCHEMA + "InStock",
            "url": spec.url,
        }
    if spec.reason == "soldout":
        return {"@type": "Offer", "availability": SCHEMA + "OutOfStock", "url": spec.url}
    return None


def _product_node(spec: Spec) -> dict:
    node = {
        "@context": "https://schema.org/",
        "@type": "Product",
        "name": _structured_name(spec),
        "image": spec.images[:1],
        "description": spec.item.blurb,
        "sku": spec.item.model,
        "brand": {"@type": "Brand", "name": spec.item.brand},
    }
    offer = _offer(spec) if spec.markup == "full" else None
    if offer:
        node["offers"] = offer
    return node


def _json_ld(spec: Spec) -> str:
    if spec.markup not in ("full", "partial") or spec.style.platform.structured != "json-ld":
        return ""
    data = json.dumps(_product_node(spec), ensure_ascii=False)
    return f'<script type="application/ld+json">{data}</script>\n'


def _microdata(spec: Spec) -> str:
    """A hidden itemprop cluster, as Magento, PrestaShop and Shopware themes emit."""
    if spec.markup not in ("full", "partial") or spec.style.platform.structured != "microdata":
        return ""
    node = _product_node(spec)
    offer = node.get("offers")
    props = "".join(
        f'<meta itemprop="{k}" content="{ESC(str(v))}">'
        for k, v in (offer or {}).items()
        if not k.startswith("@")
    )
    offers = (
        f'<div itemprop="offers" itemscope itemtype="{SCHEMA}{offer["@type"]}">{props}</div>'
        if offer
        else ""
    )
    return (
        f'<div itemscope itemtype="{SCHEMA}Product" class="d-none">'
        f'<meta itemprop="name" content="{ESC(node["name"])}">'
        f'<meta itemprop="sku" content="{spec.item.model}">'
        f'<div itemprop="brand" itemscope itemtype="{SCHEMA}Brand">'
        f'<meta itemprop="name" content="{ESC(spec.item.brand)}"></div>'
        f'<link itemprop="image" href="{ESC(spec.images[0])}">{offers}</div>'
    )


# ---------------------------------------------------------------- chrome


def _cookie(spec: Spec) -> str:
    return (
        f'<div id="cookie-banner" class="cookie-consent"><p>{ESC(spec.w["cookies"])}</p>'
        '<button type="button">OK</button></div>\n'
    )


def _header(spec: Spec) -> str:
    site, w = ESC(spec.style.site), spec.w
    threshold = spec.loc.price(Decimal(50), "0")
    cart = spec.loc.price(Decimal(RELATED[0][1]), "0.10")
    logo = f'<a href="/" class="logo"><img src="/static/logo.svg" alt="{site}"></a>'
    if spec.scenario == "plain" and not spec.style.platform.structured:
        logo = f'<h1 class="site-title">{logo}</h1>'
    return (
        f'<div class="announcement-bar">{ESC(w["shipping"].format(p=spec.money(threshold)))}'
        f'</div>\n<header class="site-header">{logo}<nav><ul><li><a href="/">{ESC(w["home"])}'
        '</a></li><li><a href="/collections/new">New</a></li><li><a href="/sale">Sale</a></li>'
        f'</ul></nav><a href="/cart" class="mini-cart">(1) {ESC(spec.money(cart))}</a>'
        "</header>\n"
    )


def _breadcrumbs(spec: Spec) -> str:
    """Home / a category / the product (the brand is not a crumb: it would state one)."""
    return (
        f'<nav class="breadcrumb" aria-label="breadcrumb"><a href="/">{ESC(spec.w["home"])}'
        f'</a> / <a href="/collections/all">{ESC(spec.w["related"])}</a> / '
        f"<span>{ESC(spec.item.name)}</span></nav>\n"
    )


def _brand_line(spec: Spec) -> str:
    template = spec.style.platform.brand
    return template.format(
        b=ESC(spec.item.brand), brandlabel=ESC(spec.w["brand"]), model=spec.item.model
    )


def _product(spec: Spec) -> str:
    w = spec.w
    stock = w["instock"] if spec.shown is not None else ""
    rating = spec.rng.randint(40, 2400)
    return (
        f'<div class="product" data-product-id="{spec.item.model}">{_microdata(spec)}'
        f'<div class="product__media-wrapper">{gallery(spec)}</div>\n'
        f'<div class="product__info">{_brand_line(spec)}<h1 class="product__title">'
        f'{ESC(spec.item.name)}</h1><div class="rating">4.{rating % 10} ★ '
        f'<a href="#reviews">{ESC(w["reviews"].format(n=f"{rating:,}"))}</a></div>'
        f"{price_box(spec)}{variant_picker(spec)}{_noprice_extras(spec)}"
        f'<p class="stock">{ESC(stock)}</p><label>{ESC(w["quantity"])} <input type="number" '
        f'value="1"></label><button type="submit" name="add">{ESC(w["cart"])}</button>'
        f"</div>\n{_description(spec)}</div>"
    )


def _noprice_extras(spec: Spec) -> str:
    """Numbers that are not prices: a model number, a year, a phone line."""
    if spec.shown is not None:
        return ""
    return (
        f'<ul class="facts"><li>Model: XR-{len(spec.item.slug) * 100}</li><li>2024</li>'
        f"<li>{ESC(spec.w['service'])}: +44 20 7946 0{len(spec.item.slug):03d}</li></ul>"
    )


def _description(spec: Spec) -> str:
    return (
        f'<section class="product-description"><h2>{ESC(spec.w["description"])}</h2>'
        f"<p>{ESC(spec.item.blurb)}</p><ul><li>{spec.item.model}</li>"
        "<li>2-year warranty</li></ul></section>"
    )


def _related(spec: Spec) -> str:
    cards = []
    microdata = spec.markup == "full" and spec.style.platform.structured == "microdata"
    for name, eur in RELATED[: spec.rng.randint(3, 6)]:
        price = spec.loc.price(Decimal(eur), "0.01")
        slug = name.lower().replace(" ", "-")
        scope = f' itemscope itemtype="{SCHEMA}Product"' if microdata else ""
        meta = (
            f'<meta itemprop="name" content="{name}"><div itemprop="offers" itemscope '
            f'itemtype="{SCHEMA}Offer"><meta itemprop="price" content="{price:f}">'
            f'<meta itemprop="priceCurrency" content="{spec.loc.currency}"></div>'
            if microdata
            else ""
        )
        cards.append(
            f'<li class="card"{scope}>{meta}<a href="/products/{slug}"><img src="'
            f'{ESC(spec.image(slug, 1, 360))}" alt="{name}"><h3 class="card__heading">{name}'
            f'</h3></a><span class="price">{ESC(spec.money(price))}</span></li>'
        )
    return (
        f'<section class="related-products"><h2>{ESC(spec.w["related"])}</h2>'
        f'<ul class="grid">{"".join(cards)}</ul></section>'
    )


def _footer(spec: Spec) -> str:
    site = ESC(spec.style.site)
    return (
        f'<footer class="footer"><p>{ESC(spec.w["service"])}: +1 (800) 555-0142 · '
        "Mon-Fri 9-17</p><address>Harbour Road 12, 4000 Portside</address>"
        '<ul class="payment-icons"><li><img src="/static/pay/visa.svg" alt="Visa"></li>'
        '<li><img src="/static/pay/mastercard.svg" alt="Mastercard"></li></ul>'
        f"<p>© 2009–2024 {site}</p></footer>\n"
    )


# ---------------------------------------------------------------- ground truth


def expected(spec: Spec) -> dict:
    """Ground truth in the shared fixtures' expected.json format."""
    others = [spec.was, spec.unit]
    if spec.scenario in ("range", "from"):
        others += [spec.low, spec.high]
    shown = [f"{v:f}" for v in others if v is not None and v != spec.price]
    title_alts = [_structured_name(spec)] if spec.scenario == "range" else []
    return {
        "source": "generated:tests.scraper.shops",
        "license": "project",
        "platform": spec.style.platform.name,
        "title": spec.item.name,
        "brand": spec.item.brand if _states_brand(spec) else None,
        "price": f"{spec.price:f}" if spec.price is not None else None,
        "currency": spec.loc.currency if spec.price is not None else None,
        "images_min": len(spec.images),
        "has_description": True,
        "notes": f"{spec.scenario} page, markup={spec.markup}, locale={spec.loc.tag}",
        "availability": _availability(spec),
        "title_alternatives": title_alts,
        "price_acceptable_alternatives": [],
        "other_prices_on_page": shown,
        "markup": [spec.markup],
        "page_url": spec.url,
        "style": spec.style.name,
        "scenario": spec.scenario,
    }


def _availability(spec: Spec) -> str | None:
    if spec.shown is not None:
        return "InStock"
    return "OutOfStock" if spec.reason == "soldout" else None
