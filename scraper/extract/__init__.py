"""Product extraction: pure, from HTML (plus any JSON the page loaded) to a Product.

Sources, strongest first: JSON-LD, microdata and RDFa product nodes; platform
adapters (Shopify, WooCommerce, XHR product JSON); OpenGraph and Twitter
cards; then DOM heuristics. Values are cross-checked against what the page
shows: a structured price that appears nowhere in the visible text loses to
the visible price next to the product heading.
"""

from __future__ import annotations

import html as htmllib
import re
from decimal import Decimal

from ..prices import (
    PageHints,
    country_currency,
    detect_currency,
    format_amount,
    hints_from,
    parse_number,
)
from . import dom, heuristics, language, structured
from .gallery import absolute, gallery_images, merge_images, script_images
from .model import CORE_KEYS, Facts, Product
from .platforms import detect_platform, json_response_facts, shopify_facts, woocommerce_facts

__all__ = ["CORE_KEYS", "Product", "extract"]

BOILERPLATE = re.compile(r"shipping|returns?|warranty|secure|payment|delivery|versand|envío", re.I)
_NUMBER = re.compile(r"\d[\d.,'\u00a0\u202f ]*\d|\d")


class _Page:
    """Everything parsed once and shared by the field pickers."""

    def __init__(self, html: str, url: str | None, json_responses) -> None:
        self.url = url
        self.root = dom.parse(html)
        self.meta = dom.meta_values(self.root)
        self.language = dom.page_language(self.root, self.meta)
        self.regions = dom.Regions()
        data = structured.extract_syntaxes(html, url)
        self.declared_languages = language.declared(self.root, self.meta, data)
        self.og = structured.opengraph_facts(data, self.meta)
        self.platform = detect_platform(self.root, html)
        self.platform_facts = json_response_facts(json_responses)
        if self.platform == "shopify":
            self.platform_facts += shopify_facts(self.root, html)
        elif self.platform == "woocommerce":
            self.platform_facts += woocommerce_facts(self.root)
        self.h1s = heuristics.first_h1s(self.root, self.regions)
        self.all_structured = structured.structured_facts(data)
        self.structured = _main_product(self.all_structured, self.h1s)
        self.review_nodes = sum(
            1
            for node in structured.walk_nodes(data.get("microdata", []) + data.get("json-ld", []))
            if "review" in str(node.get("@type", "")).lower()
        )
        declared = self.og.currency or self.meta.get("pricecurrency")
        self.hints = hints_from(url, self.language, declared)
        self.sources: list[Facts] = [*self.structured, *self.platform_facts, self.og]

    def first(self, attribute: str, sources=None):
        for facts in sources if sources is not None else self.sources:
            value = getattr(facts, attribute)
            if value:
                return value, facts.source
        return None, None


def _main_product(facts: list[Facts], h1s: list[str]) -> list[Facts]:
    """The structured nodes about the page's product (not recommendations)."""
    if not facts:
        return []
    if h1s:
        matching = [
            f for f in facts if f.name and max(heuristics.similarity(f.name, h) for h in h1s) >= 0.6
        ]
        if matching:
            return matching
    with_offer = [f for f in facts if f.price or f.low_price]
    return with_offer[:1] or facts[:1]


def extract(html: str, url: str | None = None, json_responses=()) -> Product:
    """Extract the product on a page.

    Args:
        html: the page's HTML (static or rendered).
        url: the page's final URL (makes image URLs absolute, hints the country).
        json_responses: JSON the page loaded (``JsonResponse`` objects or plain data).

    Returns:
        A :class:`Product`; fields the page does not state are None or empty.
    """
    page = _Page(html, url, json_responses)
    product = Product(url=url, platform=page.platform)
    _pick_title(page, product)
    _pick_price(page, product)
    _pick_brand(page, product)
    _pick_availability(page, product)
    _pick_rating(page, product)
    _pick_text(page, product)
    _pick_images(page, product)
    _pick_language(page, product)
    return product


def _pick_language(page: _Page, product: Product) -> None:
    """The product text's language, where the page's declaration does not bear it out."""
    text = "\n".join([product.title or "", product.description or "", *product.features])
    product.language, source = language.decide(page.declared_languages, text)
    if product.language:
        product.sources["language"] = source


def _pick_title(page: _Page, product: Product) -> None:
    names = [structured.text_value(f.name) for f in page.structured + page.platform_facts]
    names = [n for n in names if n]
    site = [page.meta.get("og:site_name", ""), page.meta.get("application-name", "")]
    title_tag = page.root.find(".//title")
    fallbacks = [
        heuristics.strip_site_suffix(page.og.name, site),
        heuristics.strip_site_suffix(dom.text_of(title_tag) if title_tag is not None else "", site),
    ]
    product.title = heuristics.choose_title(page.h1s, names, fallbacks)
    product.sources["title"] = "h1" if product.title in page.h1s else "structured"


def _visible_amounts(page: _Page, currency: str | None) -> set[Decimal]:
    body = page.root.find("body")
    text = dom.text_of(body) if body is not None else ""
    amounts = set()
    for raw in _NUMBER.findall(text):
        value = parse_number(raw, currency, page.hints)
        if value is not None:
            amounts.add(value)
    return amounts


def _price_candidates(page: _Page) -> list[tuple[Decimal, str | None, str, bool]]:
    """(amount, currency, source, whether it is the low end of a range) per source."""
    found = []
    for facts in page.sources:
        raw = facts.low_price if facts.low_price and not facts.price else facts.price
        if not raw:
            continue
        text = str(raw)
        currency = _iso(facts.currency) or detect_currency(text, page.hints)
        amount = parse_number(text, currency or page.hints.currency, page.hints)
        ranged = bool(facts.low_price) and facts.low_price != facts.price
        if ranged and facts.price:
            low = parse_number(str(facts.low_price), currency, page.hints)
            amount = min(a for a in (amount, low) if a is not None) if low else amount
        if amount is not None and amount > 0:
            found.append((amount, currency, facts.source, ranged))
    return found


def _iso(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    return value if re.fullmatch(r"[A-Z]{3}", value) else None


def _pick_price(page: _Page, product: Product) -> None:
    candidates = _price_candidates(page)
    anchor_h1 = page.root.find(".//h1")
    anchor = heuristics.element_index(page.root, anchor_h1) if anchor_h1 is not None else 0
    from_dom = heuristics.dom_price(page.root, page.regions, anchor, page.hints)
    currency_hint = next((c[1] for c in candidates if c[1]), page.hints.currency)
    visible = _visible_amounts(page, currency_hint)
    chosen = next((c for c in candidates if c[0] in visible), None)
    dom = (from_dom.amount, from_dom.currency, "dom", False) if from_dom.amount else None
    if dom and (chosen is None or _variant_in_range(chosen, dom)):
        chosen = dom
    if chosen is None and candidates:
        chosen = candidates[0]
    if chosen is None:  # no price; the page's currency still helps the seller's own
        product.uncertain["price"] = _no_price_reason(from_dom)
        product.currency = _fallback_currency(page, from_dom.seen_currency)
        return
    amount, currency, source, _ = chosen
    currency = currency or _fallback_currency(page, from_dom.currency)
    product.price, product.currency = format_amount(amount), currency
    product.sources["price"] = source


def _variant_in_range(chosen, dom) -> bool:
    """A range's low end loses to the chosen variant's price shown at the buy button."""
    return chosen[3] and dom[0] > chosen[0]


def _no_price_reason(from_dom: heuristics.DomPrice) -> str:
    """What the seller is told when no price is taken from the page."""
    kinds = {"was": "a former price", "unit": "a price per unit"}
    seen = [f"{kinds[k]} ({texts[0]})" for k, texts in from_dom.set_aside.items()]
    if not seen:
        return "The page shows no price."
    return f"The page shows only {' and '.join(seen)}, not a price to sell at."


def _fallback_currency(page: _Page, dom_currency: str | None) -> str | None:
    for facts in page.sources:
        if _iso(facts.currency):
            return _iso(facts.currency)
    if page.hints.currency and _iso(page.hints.currency):
        return _iso(page.hints.currency)
    if dom_currency:
        return dom_currency
    return country_currency(page.hints) if page.hints.country else None


def _pick_brand(page: _Page, product: Product) -> None:
    candidates = [
        (f.brand, f.source) for f in page.structured + [page.og] + page.platform_facts if f.brand
    ]
    candidates += [
        (heuristics.brand_from_labels(page.root, page.regions), "label"),
        (heuristics.brand_from_byline(page.root, page.regions), "byline"),
    ]
    title = product.title or ""
    candidates += [
        (w, "breadcrumb")
        for w in heuristics.breadcrumb_words(page.root)
        if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", title, re.I)
    ]
    # Weaker sources count only when they name the brand the title starts with
    weak = [(b, "script") for b in heuristics.script_brands(page.root)]
    weak += [(b, "keywords") for b in heuristics.keyword_brands(page.meta)]
    candidates += [(b, s) for b, s in weak if _title_prefix(b, title)]
    for value, source in candidates:
        brand = _clean_brand(value, title)
        if brand:
            product.brand, product.sources["brand"] = brand, source
            return


def _loose(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _title_prefix(brand: str, title: str) -> str | None:
    """The title's first words when they spell ``brand`` (ignoring case and punctuation)."""
    words = title.split()
    for length in range(1, 5):
        if words[:length] and _loose(" ".join(words[:length])) == _loose(brand):
            return " ".join(words[:length])
    return None


def _clean_brand(value, title: str) -> str | None:
    text = structured.text_value(value)
    if not text or text.lower() in ("thing", "brand", "null", "none", "n/a", "-", "generic"):
        return None
    if text.startswith(("http://", "https://")) or len(text) > 60:
        return None
    # The title's spelling wins when it differs only in punctuation ("TP Link" / "TP-Link")
    return _title_prefix(text, title) or text


def _pick_availability(page: _Page, product: Product) -> None:
    value, source = page.first("availability", page.structured + page.platform_facts + [page.og])
    mapped = heuristics.map_availability(value) if value else None
    if mapped is None:
        mapped, source = heuristics.dom_availability(page.root, page.regions), "dom"
    product.availability = mapped
    if mapped:
        product.sources["availability"] = source


def _number_text(value) -> str | None:
    """A rating as a short decimal string: '4.757' -> '4.76', '4,7' -> '4.7'."""
    match = re.search(r"\d+(?:[.,]\d+)?", str(value)) if value is not None else None
    if match is None:
        return None
    number = Decimal(match.group(0).replace(",", "."))
    return format(number.quantize(Decimal("0.01")).normalize(), "f")


def _pick_rating(page: _Page, product: Product) -> None:
    for facts in page.structured:
        rating = _number_text(facts.rating)
        count = parse_number(str(facts.review_count), "JPY") if facts.review_count else None
        if rating and Decimal(rating) > 0 and (count is None or count > 0):
            product.rating, product.rating_scale = rating, _number_text(facts.best_rating)
            product.review_count = int(count) if count is not None else None
            product.sources["rating"] = facts.source
            return
    rating, count = heuristics.dom_rating(page.root, page.regions)
    product.rating = _number_text(rating) if rating else None
    product.review_count = count if count else (page.review_nodes or None)
    if product.rating:
        product.sources["rating"] = "dom"


def _strip_html(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"<br\s*/?>|</p>|</li>|</h\d>", "\n", text, flags=re.I)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", text))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line) or None


def _is_boilerplate(text: str) -> bool:
    return len(text) < 400 and len(set(m.lower() for m in BOILERPLATE.findall(text))) >= 2


def _pick_text(page: _Page, product: Product) -> None:
    description = None
    for facts in page.structured + page.platform_facts:
        text = _strip_html(facts.description)
        if text and len(text) >= 30 and not _is_boilerplate(text):
            description, product.sources["description"] = text, facts.source
            break
    if description is None:
        description = heuristics.dom_description(page.root, page.regions)
        product.sources["description"] = "dom"
    if description is None:
        description = _strip_html(page.og.description or page.meta.get("description"))
        product.sources["description"] = "meta"
    product.description = description
    product.features = heuristics.dom_features(page.root, page.regions) or _features_from(
        description
    )


def _features_from(description: str | None) -> list[str]:
    """Bullet-like lines of a description ("Two-way audio: talk back...")."""
    if not description:
        return []
    lines = [ln.strip(" •-*·") for ln in re.split(r"\n|•|·", description)]
    lines = [ln for ln in lines if 15 <= len(ln) <= 200]
    return lines[1:9] if len(lines) >= 3 else []


def _pick_images(page: _Page, product: Product) -> None:
    structured_images = [img for f in page.structured for img in f.images]
    platform_images = [img for f in page.platform_facts for img in f.images]
    anchors = structured_images + platform_images + page.og.images
    anchors = [a for a in (absolute(u, page.url) for u in anchors) if a]
    dom_images = gallery_images(page.root, page.regions, page.url, product.title, anchors)
    groups = [structured_images, platform_images, dom_images, page.og.images]
    product.images = merge_images(groups, page.url)
    if len(product.images) < 3:  # a gallery the page's script builds: read its state
        known = [url for group in groups for url in group]
        groups.append(script_images(page.root, page.url, product.title, known))
        product.images = merge_images(groups, page.url)


def hints_for(html: str, url: str | None) -> PageHints:
    """PageHints of a page (language, country, declared currency)."""
    root = dom.parse(html)
    meta = dom.meta_values(root)
    return hints_from(url, dom.page_language(root, meta), meta.get("product:price:currency"))
