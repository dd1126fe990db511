"""Facts from structured data: JSON-LD, microdata, RDFa and OpenGraph (via extruct)."""

from __future__ import annotations

import logging

import extruct

from .dom import clean
from .model import Facts

PRODUCT_TYPES = {
    "product",
    "productgroup",
    "individualproduct",
    "productmodel",
    "book",
    "vehicle",
    "car",
    "offer",
}
SKIP_PRICE_TYPES = ("strikethrough", "listprice", "msrp", "srp", "regular", "original")

log = logging.getLogger(__name__)


def extract_syntaxes(html: str, url: str | None) -> dict:
    """extruct's uniform output for json-ld, microdata, opengraph and rdfa."""
    try:
        return extruct.extract(
            html,
            base_url=url,
            syntaxes=["json-ld", "microdata", "opengraph", "rdfa"],
            uniform=True,
            errors="ignore",
        )
    except Exception:  # extruct raises many kinds on broken markup; treat as absent
        log.debug("extruct failed", exc_info=True)
        return {}


def _types(node: dict) -> set[str]:
    value = node.get("@type") or []
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower() for v in values}


def walk_nodes(data):
    """Every dict in a JSON-LD / microdata tree (graphs, mainEntity, nesting)."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from walk_nodes(value)
    elif isinstance(data, list):
        for item in data:
            yield from walk_nodes(item)


def product_nodes(items: list) -> list[dict]:
    """Product-like nodes, outermost first, without offers nested in products."""
    found = []
    for node in walk_nodes(items):
        types = _types(node)
        if types & PRODUCT_TYPES and not (types == {"offer"} and found):
            if "offer" in types and not node.get("itemOffered"):
                continue
            found.append(node.get("itemOffered") if "offer" in types else node)
    return [n for n in found if isinstance(n, dict)]


def first(value):
    """First item of a list, or the value itself."""
    while isinstance(value, list):
        value = value[0] if value else None
    return value


def text_value(value) -> str | None:
    """A string from a value that may be a list, a dict with name/@value, or a number."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value")
        value = first(value)
    if value is None or isinstance(value, dict | list):
        return None
    text = clean(str(value))
    return text or None


def image_urls(value) -> list[str]:
    """Image URLs from an image property (string, ImageObject, list of either)."""
    urls = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            item = item.get("contentUrl") or item.get("url") or item.get("@id")
            item = first(item)
        if isinstance(item, str) and item.strip():
            urls.append(item.strip())
    return urls


def _offer_list(offers) -> list[dict]:
    result = []
    for offer in offers if isinstance(offers, list) else [offers]:
        if not isinstance(offer, dict):
            continue
        result.append(offer)
        nested = offer.get("offers")
        if nested:
            result.extend(_offer_list(nested))
    return result


def _offer_price(offer: dict) -> tuple[str | None, str | None]:
    """(price, currency) of one offer, looking into priceSpecification."""
    price = text_value(offer.get("price"))
    currency = text_value(offer.get("priceCurrency"))
    specs = offer.get("priceSpecification")
    for spec in specs if isinstance(specs, list) else [specs]:
        if price is not None or not isinstance(spec, dict):
            break
        kind = str(spec.get("priceType") or "").lower()
        if not any(word in kind for word in SKIP_PRICE_TYPES):
            price = text_value(spec.get("price"))
            currency = currency or text_value(spec.get("priceCurrency"))
    return price, currency


def facts_from_node(node: dict, source: str) -> Facts:
    """Facts from one schema.org Product node (JSON-LD, microdata or RDFa)."""
    facts = Facts(source=source, name=text_value(node.get("name")))
    facts.brand = text_value(node.get("brand")) or None
    facts.description = text_value(node.get("description"))
    facts.images = image_urls(node.get("image"))
    offers = _offer_list(node.get("offers"))
    for offer in offers:
        price, currency = _offer_price(offer)
        low = text_value(offer.get("lowPrice"))
        facts.currency = facts.currency or currency
        if price is not None and facts.price is None:
            facts.price = price
        if low is not None and facts.low_price is None:
            facts.low_price = low
        facts.availability = facts.availability or text_value(offer.get("availability"))
    rating = node.get("aggregateRating")
    rating = first(rating)
    if isinstance(rating, dict):
        facts.rating = text_value(rating.get("ratingValue"))
        facts.best_rating = text_value(rating.get("bestRating"))
        facts.review_count = text_value(rating.get("reviewCount")) or text_value(
            rating.get("ratingCount")
        )
    return facts


def _rdfa_to_schema(items: list) -> list[dict]:
    """RDFa nodes with their property URIs shortened to local names (schema.org, gr:)."""
    nodes = []
    for item in items:
        if not isinstance(item, dict):
            continue
        node = {}
        for key, value in item.items():
            short = key.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            node[short] = (
                [v.get("@value", v.get("@id")) if isinstance(v, dict) else v for v in value]
                if isinstance(value, list)
                else value
            )
        nodes.append(node)
    return nodes


def structured_facts(data: dict) -> list[Facts]:
    """Facts from every product node, JSON-LD first, then microdata, then RDFa."""
    facts = []
    for syntax in ("json-ld", "microdata"):
        for node in product_nodes(data.get(syntax) or []):
            facts.append(facts_from_node(node, syntax))
    for node in product_nodes(_rdfa_to_schema(data.get("rdfa") or [])):
        facts.append(facts_from_node(node, "rdfa"))
    return facts


def opengraph_facts(data: dict, meta: dict[str, str]) -> Facts:
    """Facts from OpenGraph (product namespace) and Twitter card meta tags."""
    og: dict = {}
    for item in data.get("opengraph") or []:
        for key, value in item.items():
            if not key.startswith("@"):
                og.setdefault(key.lower(), value)
    for key, value in meta.items():
        og.setdefault(key, value)
    facts = Facts(source="opengraph")
    facts.name = text_value(og.get("og:title")) or text_value(og.get("twitter:title"))
    facts.brand = text_value(og.get("product:brand") or og.get("og:brand"))
    for key in (
        "product:price:amount",
        "og:price:amount",
        "product:sale_price:amount",
        "product:price",
    ):
        if og.get(key):
            facts.price = text_value(og[key])
            break
    facts.currency = text_value(og.get("product:price:currency") or og.get("og:price:currency"))
    facts.availability = text_value(og.get("product:availability") or og.get("og:availability"))
    facts.description = text_value(og.get("og:description"))
    facts.images = [
        u
        for k in ("og:image:secure_url", "og:image", "twitter:image")
        for u in image_urls(og.get(k))
    ][:1]
    _twitter_labels(og, facts)
    return facts


def _twitter_labels(og: dict, facts: Facts) -> None:
    """Twitter product cards: twitter:labelN/dataN pairs (Price, Brand)."""
    for index in range(1, 5):
        name = (og.get(f"twitter:label{index}") or "").lower()
        value = text_value(og.get(f"twitter:data{index}"))
        if not value:
            continue
        if "price" in name and facts.price is None:
            facts.price = value
        elif ("brand" in name or "vendor" in name) and facts.brand is None:
            facts.brand = value
