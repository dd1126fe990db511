"""Platform adapters: shops that expose product JSON (Shopify, WooCommerce), and
product JSON the page loaded by XHR."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from .dom import clean, text_of
from .model import Facts

_SHOPIFY_META = re.compile(r"var\s+meta\s*=\s*(\{.*?\});\s*\n?", re.S)
_SHOPIFY_CURRENCY = re.compile(
    r"(?:ShopifyAnalytics\.meta\.currency|Shopify\.currency\s*=\s*\{[^}]*?\"active\")"
    r"\s*[:=]\s*['\"]([A-Z]{3})['\"]"
)


def detect_platform(root, html: str) -> str | None:
    """'shopify', 'woocommerce' or None, from markers any theme keeps."""
    head = html[:400_000]
    if "cdn.shopify.com" in head or "Shopify.shop" in head or "ShopifyAnalytics" in head:
        return "shopify"
    body_class = root.find("body").get("class", "") if root.find("body") is not None else ""
    if "woocommerce" in body_class or "wp-content/plugins/woocommerce" in head:
        return "woocommerce"
    return None


def _cents(value) -> str | None:
    if isinstance(value, int | float):
        return str(Decimal(int(value)) / 100)
    return None


def shopify_product_json(data: dict) -> Facts | None:
    """Facts from Shopify's product JSON (/products/<handle>.js, ProductJson scripts)."""
    if not isinstance(data, dict) or "variants" not in data or "title" not in data:
        return None
    facts = Facts(source="shopify", name=clean(data.get("title")))
    facts.brand = clean(data.get("vendor")) or None
    variants = [v for v in data.get("variants") or [] if isinstance(v, dict)]
    available = [v for v in variants if v.get("available", True)] or variants
    price = data.get("price", available[0].get("price") if available else None)
    facts.price = _cents(price) if isinstance(price, int | float) else None
    if isinstance(data.get("available"), bool):
        facts.availability = "InStock" if data["available"] else "OutOfStock"
    images = data.get("images") or []
    facts.images = [i if isinstance(i, str) else i.get("src", "") for i in images]
    facts.description = clean(re.sub(r"<[^>]+>", " ", data.get("description") or "")) or None
    return facts


def shopify_facts(root, html: str) -> list[Facts]:
    """Facts from a Shopify page: analytics meta, product JSON scripts, currency."""
    found = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        ident = (script.get("id") or "") + " " + " ".join(script.attrib.keys())
        if "json" in kind and re.search(r"product", ident, re.I):
            try:
                facts = shopify_product_json(json.loads(script.text or ""))
            except ValueError:
                facts = None
            if facts:
                found.append(facts)
    match = _SHOPIFY_META.search(html)
    if match:
        found.extend(_shopify_meta(match.group(1)))
    currency = _SHOPIFY_CURRENCY.search(html)
    for facts in found:
        facts.currency = facts.currency or (currency.group(1) if currency else None)
    return found


def _shopify_meta(text: str) -> list[Facts]:
    try:
        product = json.loads(text).get("product") or {}
    except ValueError:
        return []
    variants = [v for v in product.get("variants") or [] if isinstance(v, dict)]
    if not variants:
        return []
    facts = Facts(source="shopify-meta", brand=clean(product.get("vendor")) or None)
    facts.price = _cents(variants[0].get("price"))
    return [facts]


def woocommerce_facts(root) -> list[Facts]:
    """Facts from WooCommerce markup: the summary price (sale price first) and gallery."""
    facts = Facts(source="woocommerce")
    for summary in root.xpath('//*[contains(concat(" ", @class, " "), " summary ")]')[:1]:
        prices = summary.xpath('.//*[contains(@class, "price")]')
        for price in prices[:1]:
            sale = price.xpath(".//ins")
            facts.price = text_of(sale[0] if sale else price) or None
        title = summary.xpath(".//h1")
        facts.name = text_of(title[0]) if title else None
    gallery = root.xpath(
        '//*[contains(@class, "woocommerce-product-gallery__image") or '
        '(contains(concat(" ", @class, " "), " images ") and ancestor::*[contains(@class, '
        '"product")])]//a[@href]'
    )
    facts.images = [a.get("href") for a in gallery if _looks_like_image(a.get("href", ""))]
    form = root.xpath("//form[@data-product_variations]")
    if form:
        facts.images += _woo_variation_images(form[0].get("data-product_variations"))
    return [facts] if (facts.price or facts.images) else []


def _woo_variation_images(raw: str | None) -> list[str]:
    try:
        variations = json.loads(raw or "[]")
    except ValueError:
        return []
    urls = []
    for variation in variations if isinstance(variations, list) else []:
        image = variation.get("image") if isinstance(variation, dict) else None
        if isinstance(image, dict):
            urls.append(image.get("full_src") or image.get("url") or image.get("src") or "")
    return [u for u in urls if u]


def _looks_like_image(url: str) -> bool:
    return bool(re.search(r"\.(jpe?g|png|webp|avif)(\?|$)", url, re.I))


def json_response_facts(responses) -> list[Facts]:
    """Facts from product JSON the page loaded by XHR (Shopify .js or generic)."""
    found = []
    for response in responses:
        data = getattr(response, "data", response)
        for node in _candidate_nodes(data):
            facts = shopify_product_json(node) or _generic_product_json(node)
            if facts:
                found.append(facts)
    return found


def _candidate_nodes(data, depth: int = 0):
    if depth > 3:
        return
    if isinstance(data, dict):
        yield data
        for key in ("product", "data", "item", "result"):
            if isinstance(data.get(key), dict):
                yield from _candidate_nodes(data[key], depth + 1)


def _generic_product_json(node: dict) -> Facts | None:
    name = node.get("name") or node.get("title")
    price = node.get("price") or node.get("sale_price") or node.get("current_price")
    if not isinstance(name, str) or isinstance(price, dict | list) or price is None:
        return None
    facts = Facts(source="xhr-json", name=clean(name), price=str(price))
    currency = node.get("currency") or node.get("currency_code") or node.get("priceCurrency")
    facts.currency = currency if isinstance(currency, str) and len(currency) == 3 else None
    brand = node.get("brand") or node.get("vendor")
    facts.brand = clean(brand) if isinstance(brand, str) else None
    if isinstance(node.get("available"), bool):
        facts.availability = "InStock" if node["available"] else "OutOfStock"
    images = node.get("images") or node.get("image") or []
    images = images if isinstance(images, list) else [images]
    facts.images = [i if isinstance(i, str) else (i or {}).get("src", "") for i in images]
    return facts
