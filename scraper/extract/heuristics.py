"""Heuristics for pages without (or with wrong) structured data.

Each function reads the parsed DOM and returns a value or None. They are
written against patterns common to shops in many languages, never one site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..prices import PageHints, detect_currency, parse_number
from .dom import Regions, clean, is_hidden, label, text_of

BRAND_LABELS = re.compile(
    r"^(brand|brands|marke|marca|marque|merk|marka|výrobca|výrobce|hersteller|manufacturer|"
    r"fabricante|fabricant|produttore|producent|бренд|производитель|марка|الماركة|العلامة التجارية)"
    r"(\s*/\s*\S+)?\s*:?$",
    re.I,
)
BYLINE = re.compile(r"byline|(^|[-_ ])(brand|vendor|manufacturer)([-_ ]|$)", re.I)
BYLINE_CLEAN = [
    re.compile(r"^(visit|view|shop|see)( the| all)? (.+?)( brand)? (store|shop|page)\b.*$", re.I),
    re.compile(r"^besuchen sie den (.+?)-?store$", re.I),
    re.compile(
        r"^(visitez|visita|visite) (la |el |a )?(boutique|tienda|loja|store) (de |da )?(.+)$", re.I
    ),
    re.compile(r"^(brand|marke|marca|marque|by|von|de|par|por)\s*:?\s+(.+)$", re.I),
]
CODE_LABEL = re.compile(
    r"^(код|sku|art\.?-?nr\.?|artikel|item|model|ref|réf|código|cod\.?|product code|"
    r"article)\b.*[:#№]",
    re.I,
)
PRICE_LABEL = re.compile(r"price|preis|prix|precio|preço|prezzo|цена|cena|amount|ourprice", re.I)
NOT_CURRENT = re.compile(
    r"old|was|regular|list-?price|strike|before|compare|crossed|rrp|uvp|msrp|original|prev|"
    r"saving|save|discount|per-?unit|unit-?price|installment|instal|parcel|monthly|from-price|"
    r"bonus|points|shipping|delivery|disc\b|_disc",
    re.I,
)
CURRENT = re.compile(r"sale|special|current|final|now|our|actual|new|main|ok_pr", re.I)
# Words shoppers read as "this is not what you pay now", in the price's own text or
# just before it ("Was £20", "UVP 49,99 €", "de R$ 199,90 por").
WAS_TEXT = re.compile(
    r"(?<!\w)(was|previously|before|rrp|uvp|msrp|list price|regular price|compare at|"
    r"statt|vorher|ursprünglich|avant|au lieu de|prix barré|antes|precio anterior|de:|"
    r"era|prima|invece di|voorheen|tidigare|ord\.? ?pris|normalpris|dříve|wcześniej)(?!\w)",
    re.I,
)
# A threshold ("free shipping over €50") or a price before tax is not the price to pay.
OTHER_MONEY_TEXT = re.compile(
    r"shipping|delivery|versand|livraison|envío|envio|frete|spedizione|verzending|frakt|"
    r"fragt|dostaw|doprava|szállítás|kargo|livrare|dostava|доставк|levering|leverans|"
    r"toimitus|entrega|porte grát|送料|配送|شحن|डिलीवरी|ex\.? ?tax|excl\.?|exkl\.?|zzgl|netto|"
    r"hors tax|\bht\b|sin iva|sem iva|senza iva|bez dph|ohne mwst",
    re.I,
)
UNIT_TEXT = re.compile(
    r"(?:/|\bper\b|\bpro\b|\bpar\b|\bpor\b|\bje\b|\bal\b|\bza\b)\s*(?:\d+\s*)?"
    r"(?:kg|g|mg|l|ml|cl|dl|m|m2|m²|m³|lb|lbs|oz|fl\.? ?oz|unit|unidad|unité|stück|stk|st|"
    r"each|ea|pc|pcs|piece|litre|liter|litro|kilo|kilogram)\b|grundpreis|prix au (?:kg|litre)|"
    r"unit price|price per|precio por|preço por|prezzo al|jednostkowa",
    re.I,
)
PRICE_TEXT = re.compile(
    r"(\d[\d.,\s\u00a0]*\s?(€|\$|£|¥|₹|₽|₺|₩|₪|₫|₱|฿|₴|₸|₦|zł|[kK]č|Ft|lei|Lei|kn|лв|тг|"
    r"руб|kr|L\.E|円|[A-Z]{3}\b))|((€|\$|£|¥|₹|₩|₪|₱|฿|R\$|S/\.?|Rs\.?|L\.E|[A-Z]{3})\s?\d)"
)
RATING_TEXT = re.compile(
    r"(\d(?:[.,]\d+)?)\s*(?:out of|von|sur|de|di|van|из|z|av|of|/)\s*(5|10)\b", re.I
)
REVIEW_WORDS = (
    r"ratings?|reviews?|bewertungen|sternebewertungen|rezensionen|kundenrezensionen|avis|"
    r"évaluations|opiniones|reseñas|valoraciones|avaliações|recensioni|beoordelingen|"
    r"отзыв\w*|оцен\w*|recenzi\w*|hodnocen\w*"
)
REVIEW_COUNT = re.compile(rf"(\d[\d.,\s]*)\s*(?:{REVIEW_WORDS})", re.I)
AVAILABILITY_PATTERNS = (
    (
        "OutOfStock",
        r"out of stock|sold out|ausverkauft|nicht (auf lager|verfügbar|lieferbar)|"
        r"agotado|esgotado|indispon[ií]vel|no disponible|épuisé|rupture de stock|non disponibile|"
        r"esaurito|нет в наличии|uitverkocht|niedostępny|currently unavailable|unavailable",
    ),
    ("PreOrder", r"pre-?order|vorbestell|précommande|preventa|pré-venda"),
    ("BackOrder", r"back-?order"),
    (
        "InStock",
        r"in stock|auf lager|sofort lieferbar|lieferbar|en stock|disponible|em estoque|"
        r"dispon[ií]vel|in magazzino|disponibile|op voorraad|на складе|в наличии|skladem|"
        r"na sklade|dostępny|متوفر|available",
    ),
)
SCHEMA_AVAILABILITY = {
    "instock": "InStock",
    "in stock": "InStock",
    "in_stock": "InStock",
    "available": "InStock",
    "outofstock": "OutOfStock",
    "out of stock": "OutOfStock",
    "oos": "OutOfStock",
    "soldout": "OutOfStock",
    "out_of_stock": "OutOfStock",
    "preorder": "PreOrder",
    "pre-order": "PreOrder",
    "backorder": "BackOrder",
    "discontinued": "Discontinued",
    "limitedavailability": "InStock",
    "onlineonly": "InStock",
    "instoreonly": "InStock",
    "presale": "PreOrder",
    "available for order": "InStock",
    "pending": None,
}
DESCRIPTION_LABEL = re.compile(
    r"description|product-?details|product-?info|overview|synopsis|sinopse|beschreibung|"
    r"descrip|opis|описание|about-?(this|the)?-?(item|product)|feature-?bullets|details",
    re.I,
)
FEATURE_LABEL = re.compile(r"feature|bullet|highlight|benefit|key-?points|usp", re.I)


def first_h1s(root, regions: Regions) -> list[str]:
    """Texts of visible H1s outside related products and logos, product titles first."""
    scored = []
    for position, h1 in enumerate(root.iter("h1")):
        if regions.related(h1) or is_hidden(h1) or re.search(r"logo", label(h1), re.I):
            continue
        for child in list(h1):
            if isinstance(child.tag, str) and CODE_LABEL.match(text_of(child)):
                child.drop_tree()
        text = text_of(h1)
        if not text or len(text) >= 300:
            continue
        labels = " ".join(label(e) for e in [h1, *h1.iterdescendants()][:4])
        titled = bool(re.search(r"title|name|product|heading", labels, re.I))
        scored.append((not titled, regions.chrome(h1), position, text))
    return [text for *_, text in sorted(scored)]


def _tokens(text: str) -> set[str]:
    return {t for t in re.findall(r"\w+", text.lower()) if len(t) > 1}


def similarity(a: str, b: str) -> float:
    """Share of the shorter text's word tokens found in the longer one."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def choose_title(h1s: list[str], names: list[str], fallbacks: list[str]) -> str | None:
    """The product heading: the H1 that matches structured names best, else the name.

    An H1 that is the structured name with a short prefix (usually the brand
    in its own element) gives way to the name itself.
    """
    if names:
        name = names[0]
        best = max(h1s, key=lambda h: similarity(h, name), default=None)
        if not best or similarity(best, name) < 0.6:
            return name
        extra = best.casefold().removesuffix(name.casefold())
        if extra != best.casefold() and 0 < len(extra.split()) <= 2:
            return name
        return best
    if h1s:
        return h1s[0]
    return next((f for f in fallbacks if f), None)


def strip_site_suffix(title: str | None, site_names: list[str]) -> str | None:
    """'Buy X | Category | Shop' -> 'X' (for <title> / og:title fallbacks)."""
    if not title:
        return None
    parts = re.split(r"\s+[|–—]\s+|\s+-\s+(?=[^-]*$)", title)
    head = parts[0] if len(parts) > 1 else title
    for name in site_names:
        if name and head.lower().endswith(name.lower()):
            head = head[: -len(name)].rstrip(" -|")
    return re.sub(r"^(buy|shop|kaufen|acheter|comprar)\s+", "", head, flags=re.I).strip() or None


def brand_from_labels(root, regions: Regions) -> str | None:
    """'Brand: X' style labels; the value in the same or the next element."""
    for element in root.iter("span", "strong", "b", "p", "dt", "th", "td", "label", "div", "li"):
        own = clean(element.text)
        if not own or len(own) > 40 or regions.related(element):
            continue
        inline = re.match(r"^(.{2,40}?)\s*:\s*(.+)$", own)
        if inline and BRAND_LABELS.match(inline.group(1)):
            return _brand_value(inline.group(2))
        if BRAND_LABELS.match(own) and not len(element):
            value = _next_value(element)
            if value is not None:
                return _brand_value(value)
        if BRAND_LABELS.match(own) and own.endswith(":") and element[0].tag == "a":
            return _brand_value(text_of(element[0]))  # "Brand: <a>Velora</a>"
    return None


def _next_value(element) -> str | None:
    tail = clean(element.tail)
    if tail:
        return tail
    sibling = element.getnext()
    if sibling is not None:
        return text_of(sibling)
    parent = element.getparent()
    return clean(parent.tail) if parent is not None else None


def _brand_value(value: str) -> str | None:
    value = clean(value).strip(" :-")
    if not value or len(value) > 40 or ":" in value or len(value) < 2:
        return None
    return value


def brand_from_byline(root, regions: Regions) -> str | None:
    """A byline or brand element: 'Visit the Tefal Store', class="product-brand"."""
    for element in root.xpath("//*[@id or @class]"):
        if not BYLINE.search(label(element)) or regions.related(element):
            continue
        if element.tag in ("script", "style", "img", "meta", "link", "body", "html"):
            continue
        text = text_of(element)
        if not text or len(text) > 60:
            continue
        return clean_byline(text)
    return None


def clean_byline(text: str) -> str | None:
    """'Visit the Tefal Store' -> 'Tefal'; 'Brand: X' -> 'X'."""
    for pattern in BYLINE_CLEAN:
        match = pattern.match(text)
        if match:
            return _brand_value(
                next(
                    g
                    for g in reversed(match.groups())
                    if g and g.strip() and not re.fullmatch(r"store|shop|page|brand", g, re.I)
                )
            )
    return _brand_value(text)


def _price_candidates(root, regions: Regions):
    for index, element in enumerate(root.iter()):
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "option"):
            continue
        marked = bool(PRICE_LABEL.search(label(element))) or element.get("itemprop") == "price"
        own = clean(element.text)
        if not marked and not (own and len(own) < 40 and PRICE_TEXT.search(own)):
            continue
        text = element.get("content") if element.get("itemprop") == "price" else None
        text = text or _tight_text(element)
        if not text or len(text) > 80 or not re.search(r"\d", text):
            continue
        if len(PRICE_TEXT.findall(text)) > 1 and not element.get("content"):
            text = _own_line(element)  # "6,675.0 EGP" of a box that also holds "Ex Tax: ..."
            if len(PRICE_TEXT.findall(text)) != 1:
                continue  # a container of several prices; its children are candidates
        yield index, element, text, marked


def _tight_text(element) -> str:
    """An element's text as a shopper reads it: ``<span>1.899</span><span>,</span>
    <span>99</span>`` is "1.899,99" (the elements' own spaces are kept)."""
    parts = [t for t in element.itertext() if t]
    if element.xpath(".//script|.//style"):
        return text_of(element)
    return clean("".join(parts))


INLINE = frozenset("span b strong em i small sup sub bdi ins abbr data".split())


def _own_line(element) -> str:
    """An element's own text and its inline children's, without its nested blocks."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag in INLINE:
            parts.append("".join(t for t in child.itertext() if t))
        parts.append(child.tail or "")
    return clean("".join(parts))


def _set_aside(element, text: str, regions: Regions) -> str | None:
    """Why a price-looking ELEMENT is not the price to sell at (None: it may be).

    "other" for page chrome, related products and hidden copies; "was" for a former
    price; "unit" for a price per kilo, litre or piece.
    """
    related, chrome = regions.flags(element)
    if related or chrome or is_hidden(element) or _in_banner(element):
        return "other"
    if UNIT_TEXT.search(text):
        return "unit"
    if OTHER_MONEY_TEXT.search(_words_before(element, text)):
        return "other"
    node = element
    for _ in range(4):
        if node is None:
            break
        struck = "line-through" in node.get("style", "")
        if node.tag in ("del", "s", "strike") or struck or NOT_CURRENT.search(label(node)):
            return "unit" if re.search(r"unit|per-?unit", label(node), re.I) else "was"
        node = node.getparent()
    return "was" if WAS_TEXT.search(_words_before(element, text)) else None


BANNER = re.compile(r"announcement|promo-?bar|top-?bar|notice-?bar|ticker|marquee|usp-?bar", re.I)


def _in_banner(element) -> bool:
    """Inside a site-wide announcement strip ("free delivery over ...")."""
    return any(BANNER.search(label(node)) for node in [element, *element.iterancestors()])


def _words_before(element, text: str) -> str:
    """The price's own words and the few just before it in its parent."""
    parent = element.getparent()
    before = clean(parent.text) if parent is not None else ""
    previous = element.getprevious()
    if previous is not None and isinstance(previous.tag, str):
        before = f"{before} {text_of(previous)} {clean(previous.tail)}"
    return f"{before[-40:]} {text}"


@dataclass
class DomPrice:
    """The main visible price (None when none qualifies) and what was set aside."""

    amount: Decimal | None = None
    currency: str | None = None
    text: str | None = None
    set_aside: dict[str, list[str]] = field(default_factory=dict)  # "was"/"unit" -> texts
    seen_currency: str | None = None  # the currency of the prices set aside


def dom_price(root, regions: Regions, anchor: int, hints: PageHints) -> DomPrice:
    """The main visible price, near the product heading, and the prices set aside."""
    best, found = None, DomPrice()
    for index, element, text, marked in _price_candidates(root, regions):
        currency = detect_currency(text, hints)
        amount = parse_number(text, currency or hints.currency, hints)
        if amount is None or amount <= 0 or (not marked and currency is None):
            continue
        why = _set_aside(element, text, regions)
        if why:
            if why != "other":
                found.set_aside.setdefault(why, []).append(text)
                found.seen_currency = found.seen_currency or currency
            continue
        distance = index - anchor if index >= anchor else 5000 + anchor - index
        score = (2 if marked else 0) + (1 if currency else 0)
        score += 1 if CURRENT.search(label(element)) else 0
        key = (-score, distance)
        if best is None or key < best[0]:
            best = (key, amount, currency, text)
    if best:
        found.amount, found.currency, found.text = best[1:]
    return found


def element_index(root, element) -> int:
    """Document-order position of ``element`` (0 when absent)."""
    for index, node in enumerate(root.iter()):
        if node is element:
            return index
    return 0


def map_availability(value: str | None) -> str | None:
    """schema.org availability from a URL, a token or visible text in many languages."""
    if not value:
        return None
    token = value.rsplit("/", 1)[-1].strip().lower()
    if token in SCHEMA_AVAILABILITY:
        return SCHEMA_AVAILABILITY[token]
    text = value.lower()
    for result, pattern in AVAILABILITY_PATTERNS:
        if re.search(pattern, text):
            return result
    return None


def dom_availability(root, regions: Regions) -> str | None:
    """Availability from visible, labelled elements in the product area."""
    for element in root.xpath(
        '//*[@itemprop="availability"] | //*[contains(translate(@id, "AVLBIT", "avlbit"), '
        '"availab")] | //*[contains(translate(@class, "AVLBIT", "avlbit"), "availab")] | '
        '//*[contains(translate(@class, "STOCK", "stock"), "stock")]'
    ):
        if regions.related(element) or is_hidden(element):
            continue
        value = element.get("href") or element.get("content") or text_of(element)
        mapped = map_availability(value[:120])
        if mapped:
            return mapped
    return _labelled_availability(root, regions)


def _labelled_availability(root, regions: Regions) -> str | None:
    label_re = re.compile(
        r"^(availability|verfügbarkeit|disponibilit\w+|stock|current stock|"
        r"наличие|lagerbestand)\b[^:]{0,20}:?$",
        re.I,
    )
    for element in root.iter("span", "strong", "b", "dt", "th", "td", "label", "p", "div"):
        own = clean(element.text)
        if not own or not label_re.match(own) or regions.related(element):
            continue
        value = _next_value(element) or ""
        if re.fullmatch(r"\d+", value.strip()):
            return "InStock" if int(value) > 0 else "OutOfStock"
        mapped = map_availability(value[:80])
        if mapped and not is_hidden(element):
            return mapped
    return None


def dom_rating(root, regions: Regions) -> tuple[str | None, int | None]:
    """('4.6', 6536) from 'x out of 5' texts and 'N ratings' near rating widgets."""
    rating = count = None
    for element in root.xpath(
        '//*[contains(translate(@class, "RATINGSTARVIEW", "ratingstarview"), "rating") or '
        'contains(translate(@class, "RATINGSTARVIEW", "ratingstarview"), "star") or '
        'contains(translate(@id, "RATINGSTARVIEW", "ratingstarview"), "review") or '
        'contains(translate(@class, "RATINGSTARVIEW", "ratingstarview"), "review") or '
        'contains(translate(@id, "RATINGSTARVIEW", "ratingstarview"), "rating")]'
    ):
        if regions.related(element) or regions.chrome(element):
            continue
        text = " ".join(
            filter(None, [element.get("title"), element.get("aria-label"), text_of(element)])
        )[:300]
        if rating is None:
            match = RATING_TEXT.search(text)
            if match:
                rating = match.group(1).replace(",", ".")
        if count is None and len(text) < 80:
            match = REVIEW_COUNT.search(text)
            if match:
                number = parse_number(match.group(1), "JPY")
                count = int(number) if number is not None else None
        if rating and count is not None:
            break
    return rating, count


STRICT_DESCRIPTION = re.compile(
    r"description|descrip|beschreibung|synopsis|sinopse|описание|opis|about-?this", re.I
)
CALL_TO_ACTION = re.compile(
    r"add to (cart|basket|bag|wishlist)|in den warenkorb|ajouter au panier|añadir al carrito|"
    r"adicionar ao carrinho|в корзину",
    re.I,
)


def dom_description(root, regions: Regions) -> str | None:
    """The longest description-labelled text block without shop controls in it."""
    best: dict[bool, str] = {True: "", False: ""}
    for element in root.xpath("//*[@id or @class or @itemprop]"):
        if element.tag in ("script", "style", "meta", "body", "html", "form", "img", "a"):
            continue
        strict = bool(STRICT_DESCRIPTION.search(label(element))) or (
            element.get("itemprop") == "description"
        )
        if not (strict or DESCRIPTION_LABEL.search(label(element))):
            continue
        if regions.related(element) or regions.chrome(element):
            continue
        text = text_of(element)
        if 40 <= len(text) <= 20000 and len(text) > len(best[strict]):
            if not CALL_TO_ACTION.search(text):
                best[strict] = text
    return (best[True] or best[False])[:5000] or None


def dom_features(root, regions: Regions) -> list[str]:
    """Bullet points from feature/description lists in the product area."""
    for element in root.xpath("//ul | //ol"):
        if regions.related(element) or regions.chrome(element) or is_hidden(element):
            continue
        context = " ".join(label(a) for a in [element, *list(element.iterancestors())[:4]])
        if not (FEATURE_LABEL.search(context) or DESCRIPTION_LABEL.search(context)):
            continue
        items = [text_of(li) for li in element.iterchildren("li")]
        items = [i for i in items if 3 <= len(i) <= 300 and not i.lower().startswith("http")]
        wordy = [i for i in items if len(i.split()) >= 3]
        if len(items) >= 2 and len(wordy) >= max(2, len(items) // 2):
            return items[:10]
    return []


def breadcrumb_words(root) -> list[str]:
    """Single-word breadcrumb items (often the brand on electronics shops)."""
    words = []
    for element in root.xpath(
        '//*[contains(translate(@class, "BREADCRUMB", "breadcrumb"), "breadcrumb") or '
        'contains(translate(@id, "BREADCRUMB", "breadcrumb"), "breadcrumb")]//a'
    ):
        text = text_of(element)
        if text and " " not in text and 2 <= len(text) <= 30:
            words.append(text)
    return words


_SCRIPT_BRAND = re.compile(r'"brand(?:Name)?"\s*:\s*(?:\{[^{}]*?"name"\s*:\s*)?"([^"]{2,40})"')


def script_brands(root) -> list[str]:
    """Brand values in inline script state ("brand":"TP Link"); the caller keeps only
    those that begin the product title, since scripts also describe other products."""
    found = []
    for script in root.iter("script"):
        if script.get("src") or not script.text or '"brand' not in script.text:
            continue
        found.extend(m.group(1) for m in _SCRIPT_BRAND.finditer(script.text))
        if len(found) > 50:
            break
    return found


def keyword_brands(meta: dict[str, str]) -> list[str]:
    """Short entries of meta keywords (shops often list the brand alone)."""
    entries = [clean(e) for e in (meta.get("keywords") or "").split(",")]
    return [e for e in entries if 3 <= len(e) <= 30 and len(e.split()) <= 2]
