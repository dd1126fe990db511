"""Small lxml helpers: parsing, visible text, visibility and page-region tests."""

from __future__ import annotations

import html as htmllib
import re

import lxml.html
from lxml import etree

SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "title", "iframe"}
# Containers of other products, never of the main one
RELATED = re.compile(
    r"related|recommend|similar|upsell|up-sell|cross-?sell|also[-_ ]?(bought|viewed|like|purchased)"
    r"|you[-_]?may|recently|suggest|complementary|sponsored|bestseller|best-seller|"
    r"others?[-_]bought|customers[-_]also|product-?list|products-?grid|product-?grid|"
    r"product-?tiles?|more-?products|accessor|frequently|compare|carousel-?product|wishlist|"
    r"reco(mm\w*|matic)|(^|[-_ ])recs?([-_ ]|$)|next-?prod|prev-?prod",
    re.I,
)
# Page chrome: header, footer, navigation, cart, dialogs
# Page chrome (header, footer, navigation, cart, dialogs), matched per class token so
# that "accordion-header" or "header-section" inside the product do not count.
CHROME = re.compile(
    r"^(header|footer|(site|page|global|main|top)[-_]?(header|footer|nav\w*)|nav|navbar|"
    r"navigation|nav[-_]\w+|navfooter|menu|main-?menu|mega-?menu|breadcrumbs?|mini-?cart|"
    r"cart-?drawer|newsletter|cookies?[-_\w]*|consent[-_\w]*|modal|popup|login[-_\w]*|"
    r"account|search[-_\w]*|logo|site-?logo|social[-_\w]*|share[-_\w]*)$",
    re.I,
)
CHROME_TAGS = {"header", "footer", "nav", "aside"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASS = re.compile(r"(^|\s)(hidden|d-none|hide|is-hidden|visually-hidden|sr-only)(\s|$)")
_WS = re.compile(r"\s+")


def parse(html: str) -> lxml.html.HtmlElement:
    """The document root; tolerant of encoding declarations and junk."""
    try:
        return lxml.html.document_fromstring(html)
    except ValueError:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"))
    except etree.ParserError:
        return lxml.html.document_fromstring("<html><body></body></html>")


def clean(text: str | None) -> str:
    """HTML-unescaped text with whitespace collapsed."""
    if not text:
        return ""
    return _WS.sub(" ", htmllib.unescape(str(text))).strip()


def text_of(element) -> str:
    """Visible-ish text of an element (scripts and styles skipped)."""
    parts: list[str] = []
    _collect(element, parts)
    return clean(" ".join(parts))


def _collect(element, parts: list[str]) -> None:
    if not isinstance(element.tag, str) or element.tag in SKIP_TAGS:
        if element.tail:
            parts.append(element.tail)
        return
    if element.text:
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
        # tails are added by the child call for skipped tags only
        if isinstance(child.tag, str) and child.tag not in SKIP_TAGS and child.tail:
            parts.append(child.tail)


def label(element) -> str:
    """id and class of an element, for region tests."""
    return f"{element.get('id', '')} {element.get('class', '')}"


def is_hidden(element) -> bool:
    """Hidden by inline style, the hidden attribute or a hiding class (self or ancestor)."""
    node = element
    while node is not None and isinstance(node.tag, str):
        if node.get("hidden") is not None or node.tag in ("template", "noscript"):
            return True
        if _HIDDEN_STYLE.search(node.get("style", "")) or _HIDDEN_CLASS.search(
            node.get("class", "")
        ):
            return True
        node = node.getparent()
    return False


class Regions:
    """Cached ancestor tests: is an element inside related products or page chrome?"""

    def __init__(self) -> None:
        # Keyed by the element itself: lxml proxies are recreated on access, so id()
        # values can be reused; holding the element keeps its proxy (and key) alive.
        self._cache: dict[object, tuple[bool, bool]] = {}

    def flags(self, element) -> tuple[bool, bool]:
        """(inside related products, inside page chrome)."""
        key = element
        if key in self._cache:
            return self._cache[key]
        parent = element.getparent()
        related, chrome = self.flags(parent) if parent is not None else (False, False)
        text = label(element)
        related = related or bool(RELATED.search(text))
        chrome = (
            chrome
            or element.tag in CHROME_TAGS
            or any(CHROME.match(token) for token in text.split())
        )
        self._cache[key] = (related, chrome)
        return related, chrome

    def related(self, element) -> bool:
        return self.flags(element)[0]

    def chrome(self, element) -> bool:
        return self.flags(element)[1]


def meta_values(root) -> dict[str, str]:
    """First value of every <meta name|property|itemprop> (lower-case keys)."""
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content is not None:
            values.setdefault(key.strip().lower(), content.strip())
    return values


def page_language(root, meta: dict[str, str]) -> str | None:
    """The page's language tag from <html lang>, og:locale or content-language."""
    lang = root.get("lang") or root.get("xml:lang")
    lang = lang or meta.get("og:locale") or meta.get("content-language") or meta.get("language")
    if not lang:
        return None
    lang = lang.strip().replace("_", "-")
    return lang if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang) else None
