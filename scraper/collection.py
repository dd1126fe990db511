"""Collection and category pages: the product links on them, page after page.

`product_links` is pure (HTML in, links out); `discover` opens the pages in
the browser (`browser.scrape`, so every request passes the SSRF policy) and
follows the collection's next pages up to a limit. Sources, strongest first:
a JSON-LD or microdata `ItemList` (schema.org's list of a collection's
products), `Product` items with their URLs, then the page's product grid:
links inside product cards whose address looks like a product's, outside the
header, footer and navigation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from .browser import scrape
from .config import ScrapeConfig
from .errors import NotCollectionPage
from .extract import dom
from .extract.gallery import absolute
from .extract.structured import _types, extract_syntaxes, walk_nodes

PRODUCT_PATH = re.compile(
    r"/(products?|p|dp|item|items|artikel|produkt|produit|producto|prodotto|shop/[^/]+)/"
    r"[^/?#]+|/[\w-]+-\d{3,}(\.html?)?$|/[\w-]+\.html?$|/[\w-]*\d+[\w-]*/?$",
    re.I,
)
NOT_PRODUCT = re.compile(
    r"/(cart|basket|checkout|account|login|register|search|wishlist|collections?|categor(y|ies)"
    r"|blogs?|pages?|policies|help|contact|about|faq)(/|$|\?)",
    re.I,
)
CARD = re.compile(r"product|item|card|tile|grid", re.I)
NEXT_TEXT = re.compile(
    r"^\s*(next( page)?|›|»|→|>|older|suivant|weiter|siguiente)\s*[›»→>]?\s*$", re.I
)


@dataclass
class Discovery:
    """What a collection held: its product URLs in page order, and the pages read."""

    url: str
    products: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    truncated: bool = False


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _clean(href: str | None, base: str) -> str | None:
    """HREF as an absolute URL on BASE's site, without its fragment; None otherwise."""
    url = absolute(href, base)
    if not url or _host(url) != _host(base):
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _item_urls(node: dict) -> list[str]:
    urls = []
    for element in node.get("itemListElement") or []:
        if isinstance(element, str):
            urls.append(element)
            continue
        if not isinstance(element, dict):
            continue
        item = element.get("item")
        if isinstance(item, str):
            urls.append(item)
        elif isinstance(item, dict) and isinstance(item.get("url") or item.get("@id"), str):
            urls.append(item.get("url") or item.get("@id"))
        elif isinstance(element.get("url"), str):
            urls.append(element["url"])
    return urls


def _structured(html: str, url: str) -> list[str]:
    """Product URLs from ItemList nodes, else from Product nodes that have a URL."""
    data = extract_syntaxes(html, url)
    nodes = [n for key in ("json-ld", "microdata") for n in walk_nodes(data.get(key) or [])]
    listed = [u for n in nodes if {"itemlist", "offercatalog"} & _types(n) for u in _item_urls(n)]
    if listed:
        return listed
    return [n["url"] for n in nodes if "product" in _types(n) and isinstance(n.get("url"), str)]


def _in_card(anchor) -> bool:
    node = anchor
    for _ in range(6):
        if node is None or not isinstance(node.tag, str):
            return False
        if CARD.search(dom.label(node)) or node.tag in ("li", "article"):
            return True
        node = node.getparent()
    return False


def _grid(root, url: str) -> list[str]:
    """Links of the page's product cards (outside page chrome) that look like products."""
    regions, found = dom.Regions(), []
    for anchor in root.iter("a"):
        href = _clean(anchor.get("href"), url)
        if not href or href.rstrip("/") == url.rstrip("/"):
            continue
        path = urlsplit(href).path
        if NOT_PRODUCT.search(path) or not PRODUCT_PATH.search(path):
            continue
        if regions.chrome(anchor) or dom.is_hidden(anchor) or not _in_card(anchor):
            continue
        found.append(href)
    return found


def next_page(root, url: str) -> str | None:
    """The collection's next page: rel=next, or a "Next" link in its pagination."""
    candidates = root.xpath("//link[@rel='next']/@href | //a[contains(@rel, 'next')]/@href")
    for anchor in root.iter("a"):
        words = " ".join([anchor.get("aria-label") or "", dom.text_of(anchor)])
        classes = dom.label(anchor)
        if (
            NEXT_TEXT.match(dom.text_of(anchor) or "")
            or re.search(r"\bnext\b", words, re.I)
            or (
                re.search(r"next", classes, re.I)
                and re.search(r"pag", dom.label(anchor.getparent()) or "", re.I)
            )
        ):
            candidates.append(anchor.get("href"))
    for href in candidates:
        target = _clean(href, url)
        if target and target != url:
            return target
    return None


def is_product_page(html: str, url: str) -> bool:
    """One Product in the page's structured data and no list of products: a product page."""
    data = extract_syntaxes(html, url)
    nodes = [n for key in ("json-ld", "microdata") for n in walk_nodes(data.get(key) or [])]
    products = [n for n in nodes if "product" in _types(n)]
    lists = [n for n in nodes if {"itemlist", "offercatalog"} & _types(n)]
    return len(products) == 1 and not lists


def product_links(html: str, url: str) -> tuple[list[str], str | None]:
    """(product URLs on the page in order, the next page's URL or None)."""
    root = dom.parse(html)
    links = [_clean(u, url) for u in _structured(html, url)] or []
    links = [u for u in links if u and u != url]
    if not links:
        links = _grid(root, url)
    return list(dict.fromkeys(links)), next_page(root, url)


def discover(
    url: str,
    config: ScrapeConfig | None = None,
    *,
    max_products: int = 50,
    max_pages: int = 5,
    browser=None,
) -> Discovery:
    """Read the collection at URL and its next pages; raise NotCollectionPage if none listed.

    BROWSER is a :class:`scraper.browser.Browser` to use (default: the calling thread's
    shared one). Fetching errors (RefusedUrl, Timeout, Blocked...) propagate.
    """
    found = Discovery(url)
    page_url: str | None = url
    while page_url and len(found.pages) < max_pages and page_url not in found.pages:
        config = config or ScrapeConfig()
        page = browser.scrape(page_url, config) if browser else scrape(page_url, config)
        if not found.pages and is_product_page(page.html, page.final_url):
            raise NotCollectionPage(
                "This is a product page, not a collection: add it as a product link, or paste "
                "the collection or category page that lists it.",
                url=url,
            )
        found.pages.append(page_url)
        links, page_url = product_links(page.html, page.final_url)
        for link in links:
            if link not in found.products:
                found.products.append(link)
        if len(found.products) >= max_products:
            found.truncated = len(found.products) > max_products or bool(page_url)
            found.products = found.products[:max_products]
            break
    else:
        found.truncated = bool(page_url) and page_url not in found.pages
    if not found.products:
        raise NotCollectionPage(
            "No product links were found on this page. Paste a collection or category page "
            "(one that lists several products), or the product pages' links themselves.",
            url=url,
        )
    return found
