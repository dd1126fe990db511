"""A local shop with a collection: 12 products over 3 pages (5, 5, 2), each a real page.

Routes (127.0.0.1 only, threaded):
    /collections/all?page=N   the product grid, with a header, footer and pagination
                              (page 1 links on with rel=next, page 2 with a "Next ›" text)
    /collections/empty        a collection with no products
    /products/<slug>          a product page: JSON-LD Product, title, price, bullets, images
    /img/<slug>-<n>.png       its photos (800x800, textured, a colour per product)
"""

from __future__ import annotations

import html
import io
import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import numpy as np
from PIL import Image, ImageDraw

from .server import LocalServer

PRODUCTS = [
    {"slug": s, "title": t, "price": p, "currency": "EUR", "bullets": b}
    for s, t, p, b in [
        ("alpine-wool-beanie", "Alpine Wool Beanie", "24.00", ["Merino wool", "One size", "Warm"]),
        ("harbor-canvas-tote", "Harbor Canvas Tote", "38.00", ["Heavy canvas", "Inner pocket"]),
        ("ridge-trail-bottle", "Ridge Trail Bottle", "19.50", ["Keeps cold 24 h", "Leak-proof"]),
        ("cedar-desk-organizer", "Cedar Desk Organizer", "45.00", ["Solid cedar", "Five slots"]),
        ("lumen-reading-lamp", "Lumen Reading Lamp", "59.90", ["Warm LED", "Dimmable"]),
        ("drift-linen-shirt", "Drift Linen Shirt", "64.00", ["Pure linen", "Relaxed fit"]),
        ("summit-rain-jacket", "Summit Rain Jacket", "129.00", ["Waterproof", "Packable"]),
        ("oak-cutting-board", "Oak Cutting Board", "34.00", ["End-grain oak", "Juice groove"]),
        ("pebble-ceramic-mug", "Pebble Ceramic Mug", "16.00", ["Hand-glazed", "350 ml"]),
        ("trek-wool-socks", "Trek Wool Socks", "14.50", ["Cushioned sole", "Merino blend"]),
        ("fjord-throw-blanket", "Fjord Throw Blanket", "89.00", ["Lambswool", "130 x 170 cm"]),
        ("atlas-leather-wallet", "Atlas Leather Wallet", "49.00", ["Full-grain leather", "RFID"]),
    ]
]
PER_PAGE = 5
HEADER = """<header class="site-header"><a href="/" class="logo">Northwind</a>
<nav class="main-nav"><a href="/collections/all">Shop all</a> <a href="/collections/new">New</a>
<a href="/products/gift-card">Gift card</a> <a href="/cart">Cart</a>
<a href="/account/login">Log in</a></nav></header>"""
FOOTER = """<footer class="site-footer"><a href="/pages/about">About</a>
<a href="/policies/refund-policy">Refunds</a> <a href="https://instagram.com/northwind">Instagram</a>
<a href="/products/featured-2023">Last year's favourite</a></footer>"""


def collection_page(number: int) -> str:
    items = PRODUCTS[(number - 1) * PER_PAGE : number * PER_PAGE]
    cards = "".join(
        f"""<li class="grid__item"><div class="card product-card">
  <a href="/products/{p["slug"]}#reviews" class="card__link">
    <img src="/img/{p["slug"]}-1.png" alt="{html.escape(p["title"])}" width="300" height="300">
    <h3 class="card__title">{html.escape(p["title"])}</h3></a>
  <span class="price">€{p["price"]}</span>
  <a href="/products/{p["slug"]}" class="quick-view">Quick view</a></div></li>"""
        for p in items
    )
    pages = (len(PRODUCTS) + PER_PAGE - 1) // PER_PAGE
    links = ""
    if number < pages:
        rel = ' rel="next"' if number == 1 else ""
        links = f'<a href="/collections/all?page={number + 1}"{rel}>Next ›</a>'
    if number > 1:
        links = f'<a href="/collections/all?page={number - 1}">‹ Previous</a> ' + links
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>All products | Northwind</title></head><body>{HEADER}
<main><h1>All products</h1><ul class="product-grid">{cards}</ul>
<nav class="pagination" aria-label="Pages">{links}</nav></main>{FOOTER}</body></html>"""


def product_page(product: dict) -> str:
    data = {
        "@context": "https://schema.org", "@type": "Product", "name": product["title"],
        "description": f"The {product['title']}: " + ", ".join(product["bullets"]) + ".",
        "image": [f"/img/{product['slug']}-{n}.png" for n in (1, 2, 3)],
        "brand": {"@type": "Brand", "name": "Northwind"},
        "offers": {"@type": "Offer", "price": product["price"], "priceCurrency": "EUR",
                   "availability": "https://schema.org/InStock"},
    }  # fmt: skip
    bullets = "".join(f"<li>{html.escape(b)}</li>" for b in product["bullets"])
    images = "".join(
        f'<img src="/img/{product["slug"]}-{n}.png" alt="{html.escape(product["title"])}">'
        for n in (1, 2, 3)
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(product["title"])} | Northwind</title>
<script type="application/ld+json">{json.dumps(data)}</script></head><body>{HEADER}
<main class="product"><h1 class="product-title">{html.escape(product["title"])}</h1>
<p class="price">€{product["price"]}</p><button class="add-to-cart">Add to cart</button>
<div class="gallery">{images}</div><div class="description"><ul>{bullets}</ul></div></main>
{FOOTER}</body></html>"""


def product_image(slug: str, number: int) -> bytes:
    seed = sum(slug.encode()) * 7 + number
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:800, 0:800]
    base = rng.integers(40, 215, 3)
    pixels = np.stack(
        [(base[0] + xs // 8) % 256, (base[1] + ys // 8) % 256, (base[2] + (xs + ys) // 16) % 256],
        axis=-1,
    ).astype(np.float64) + rng.normal(0, 10, (800, 800, 3))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        x, y = (int(v) for v in rng.integers(0, 600, 2))
        draw.ellipse([x, y, x + 200, y + 200], fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parts = urlsplit(self.path)
        slugs = {p["slug"]: p for p in PRODUCTS}
        if parts.path == "/collections/all":
            number = int(parse_qs(parts.query).get("page", ["1"])[0])
            return self._send(200, collection_page(number), "text/html; charset=utf-8")
        if parts.path == "/collections/empty":
            page = f"<!doctype html><html><body>{HEADER}<main><h1>Empty</h1>"
            page += f"<p>No products yet.</p></main>{FOOTER}</body></html>"
            return self._send(200, page, "text/html; charset=utf-8")
        if parts.path.startswith("/products/") and parts.path[10:] in slugs:
            return self._send(200, product_page(slugs[parts.path[10:]]), "text/html; charset=utf-8")
        if parts.path.startswith("/img/") and parts.path.endswith(".png"):
            slug, _, number = parts.path[5:-4].rpartition("-")
            if slug in slugs and number.isdigit():
                return self._send(200, product_image(slug, int(number)), "image/png")
        self._send(404, "<h1>Not found</h1>", "text/html")

    def _send(self, status: int, body, content_type: str) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class CollectionServer(LocalServer):
    def __init__(self) -> None:
        super().__init__(_Handler)
