"""A local shop for the browser and image tests (127.0.0.1 only, threaded).

Routes:
    /product            product page: cookie banner, lazy images, price loaded by XHR
    /api/product.json   the product JSON the page fetches
    /product-full       /product with a longer description, more bullets and a rating
    /img/<name>.png     generated images (photos, a logo, a swatch, a pixel)
    /missing            404
    /slow               answers after 5 s (timeouts)
    /evil               page whose subresources point at internal addresses
    /redirect-ok        302 to /product
    /redirect-internal  302 to 127.0.0.2 (must be refused before connecting)
    /bot                a bot wall (503, "Just a moment...")
    /static/<path>      files from a directory given to the server (fixtures)
    /unit-price         a product whose only prices are a per-unit price and a former price
    /lost-images        a product whose images are on a host that does not exist
    /pt-product         a Brazilian shop's product page whose theme declares English
    /it-product         an Italian product page (a language the script writer does not write)
    /plain              a product rendered on the server with no signal the wait knows
    /restless           a page whose content changes every 100 ms, with no product
    /hop                a page that sends the browser on to /product by script (0.3 s)
    /late               a page that renders its product from /api/late.json (0.8 s)
"""

from __future__ import annotations

import io
import json
import threading
import time
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

PRODUCT_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trail Mug | Northwind Shop</title>
<style>
 @font-face { font-family: Shop; src: url(/fonts/shop.woff2) format("woff2"); }
 body { font-family: Shop, sans-serif; margin: 0; }
 #cookie-banner { position: fixed; bottom: 0; left: 0; right: 0; background: #222; color: #fff;
   padding: 24px; z-index: 10; }
 .gallery img { width: 400px; height: 400px; display: block; margin: 8px; }
 .spacer { height: 2600px; }
</style></head>
<body>
<header><img src="/img/logo.png" alt="Northwind logo" width="120" height="40"></header>
<main class="product">
  <h1 class="product-title">Northwind Trail Mug</h1>
  <p class="brand">Brand: Northwind</p>
  <p class="price" id="price">Loading price...</p>
  <button class="add-to-cart">Add to cart</button>
  <div class="gallery">
    <img src="/img/photo1.png" alt="Northwind Trail Mug front">
    <div class="spacer"></div>
    <img class="lazy" data-src="/img/photo2.png" alt="Northwind Trail Mug side">
    <img class="lazy" data-src="/img/photo3.png" alt="Northwind Trail Mug lid">
  </div>
  <div class="swatches"><img src="/img/swatch.png" alt="blue" width="30" height="30"></div>
  <div class="description"><p>A double-walled steel mug that keeps coffee hot for hours.</p>
  <ul><li>Keeps drinks hot for 12 hours</li><li>Leak-proof lid</li>
  <li>Fits every cup holder</li></ul></div>
  <img src="/img/pixel.png" width="1" height="1" alt="">
</main>
<div id="cookie-banner" class="cookie-consent">We use cookies.
  <button id="accept" onclick="document.getElementById('cookie-banner').remove();
    window.cookiesAccepted = true;">Accept all</button></div>
<script>
  fetch('/api/product.json').then(r => r.json()).then(p => {
    document.getElementById('price').textContent = p.currency_symbol + p.price;
  });
  const io = new IntersectionObserver((entries) => entries.forEach((e) => {
    if (e.isIntersecting) { e.target.src = e.target.dataset.src; io.unobserve(e.target); }
  }));
  document.querySelectorAll('img.lazy').forEach((img) => io.observe(img));
</script>
</body></html>"""

# /product with what a real listing has beside: a longer description, more bullets,
# reviews (a 30 s script needs that many facts; /product's make about 19 s).
PRODUCT_FULL_HTML = PRODUCT_HTML.replace(
    """<div class="description"><p>A double-walled steel mug that keeps coffee hot for hours.</p>
  <ul><li>Keeps drinks hot for 12 hours</li><li>Leak-proof lid</li>
  <li>Fits every cup holder</li></ul></div>""",
    """<div class="rating">Rated 4.8 out of 5 by 2,315 customers</div>
  <div class="description"><p>A double-walled steel mug that keeps coffee hot for hours.</p>
  <p>The vacuum-sealed walls keep the outside cool to the touch, so you can hold it straight
  from the coffee machine. The lid opens with one thumb and locks shut, and the wide mouth
  takes ice cubes and fits under most espresso machines.</p>
  <p>Every mug is made from 18/8 stainless steel with a powder-coated finish that will not
  chip or fade, and it goes in the dishwasher.</p>
  <ul><li>Keeps drinks hot for 12 hours and cold for 24 hours</li><li>Leak-proof lid that
  locks with one hand</li><li>Fits every cup holder</li><li>Holds 16 ounces of coffee</li>
  <li>Dishwasher safe, lid included</li><li>Free of BPA and plastic taste</li></ul></div>""",
)

# No structured data; the only money on the page is "was" and "per kg": neither is what
# the shopper pays, so the extractor must take no price and ask the seller.
UNIT_PRICE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Alpine Coffee Beans | Northwind Shop</title>
</head><body>
<header><img src="/img/logo.png" alt="Northwind logo" width="120" height="40"></header>
<main class="product">
  <h1>Alpine Coffee Beans</h1>
  <div class="gallery"><img src="/img/photo1.png" alt="Alpine Coffee Beans bag">
  <img src="/img/photo2.png" alt="Alpine Coffee Beans in a cup"></div>
  <p class="pricing">Was <span>$24.00</span></p>
  <p class="base">$19.96 / kg</p>
  <button class="add-to-cart">Add to cart</button>
  <div class="description"><p>Slow-roasted arabica beans from small mountain farms.</p>
  <ul><li>Roasted every Monday</li><li>Chocolate and hazelnut notes</li>
  <li>Whole beans in a resealable bag</li></ul></div>
</main></body></html>"""

LOST_IMAGES_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbor Rain Jacket | Northwind Shop</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
 "name": "Harbor Rain Jacket", "image": ["http://cdn.northwind.invalid/jacket-front.jpg",
 "http://cdn.northwind.invalid/jacket-back.jpg"],
 "offers": {"@type": "Offer", "price": "89.00", "priceCurrency": "USD"}}</script>
</head><body><main class="product">
  <h1>Harbor Rain Jacket</h1>
  <div class="gallery"><img src="http://cdn.northwind.invalid/jacket-front.jpg" alt="Front">
  <img src="http://cdn.northwind.invalid/jacket-back.jpg" alt="Back"></div>
  <p class="price">$89.00</p>
  <button class="add-to-cart">Add to cart</button>
  <div class="description"><p>A light, fully taped rain jacket that packs into its pocket.</p>
  <ul><li>Waterproof to 20,000 mm</li><li>Packs into its own pocket</li>
  <li>Two zipped hand pockets</li></ul></div>
</main></body></html>"""

# A Brazilian shop on an English theme: <html lang="en"> and og:locale en_US, while
# every word of the product is Portuguese (the page a customer reported).
PT_PRODUCT_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Mochila Impermeável Trilha 25 L | Loja Serra Azul</title>
<meta property="og:locale" content="en_US">
<meta property="og:site_name" content="Loja Serra Azul">
<meta name="description" content="Mochila impermeável de 25 litros para trilhas e viagens.">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
 "name": "Mochila Impermeável Trilha 25 L", "brand": {"@type": "Brand", "name": "Serra Azul"},
 "image": ["/img/photo1.png", "/img/photo2.png", "/img/photo3.png"],
 "description": "DESCRIPTION",
 "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.8", "reviewCount": "1234"},
 "offers": {"@type": "Offer", "price": "249.90", "priceCurrency": "BRL",
  "availability": "https://schema.org/InStock"}}</script>
</head><body>
<header><nav><a href="/">Início</a> <a href="/mochilas">Mochilas</a>
  <a href="/carrinho">Carrinho</a></nav></header>
<main class="product">
  <nav class="breadcrumbs"><a href="/">Início</a> / <a href="/mochilas">Mochilas</a></nav>
  <h1>Mochila Impermeável Trilha 25 L</h1>
  <p class="brand">Marca: Serra Azul</p>
  <div class="gallery"><img src="/img/photo1.png" alt="Mochila Trilha de frente">
  <img src="/img/photo2.png" alt="Mochila Trilha de lado">
  <img src="/img/photo3.png" alt="Mochila Trilha aberta"></div>
  <p class="price">R$ 249,90</p>
  <p class="installments">ou 10x de R$ 24,99 sem juros</p>
  <button class="add-to-cart">Adicionar ao carrinho</button>
  <div class="description"><p>A Mochila Trilha foi feita para quem não para. O tecido de
  náilon resinado protege suas coisas da chuva, e as alças acolchoadas distribuem o peso
  mesmo nas caminhadas mais longas. Tem espaço para o notebook, a garrafa e o casaco.</p>
  <ul><li>Tecido impermeável que aguenta chuva forte</li>
  <li>Compartimento acolchoado para notebook de até 15 polegadas</li>
  <li>Alças ergonômicas com ajuste no peito e na cintura</li>
  <li>Bolsos laterais para garrafa e guarda-chuva</li></ul></div>
</main>
<footer><p>Loja Serra Azul · Atendimento de segunda a sexta, das 9h às 18h</p></footer>
</body></html>""".replace(
    "DESCRIPTION",
    "A Mochila Trilha foi feita para quem não para. O tecido de náilon resinado protege suas "
    "coisas da chuva, e as alças acolchoadas distribuem o peso mesmo nas caminhadas mais "
    "longas. Tem espaço para o notebook, a garrafa e o casaco.",
)

IT_PRODUCT_HTML = """<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Caffettiera Moka Aurora 6 tazze</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
 "name": "Caffettiera Moka Aurora 6 tazze", "image": ["/img/photo1.png", "/img/photo2.png"],
 "description": "DESCRIPTION",
 "offers": {"@type": "Offer", "price": "34.90", "priceCurrency": "EUR"}}</script>
</head><body><main class="product">
  <h1>Caffettiera Moka Aurora 6 tazze</h1>
  <div class="gallery"><img src="/img/photo1.png" alt="Moka Aurora">
  <img src="/img/photo2.png" alt="Moka Aurora aperta"></div>
  <p class="price">34,90 €</p>
  <button class="add-to-cart">Aggiungi al carrello</button>
  <div class="description"><p>La moka in alluminio che prepara un caffè cremoso in pochi
  minuti. Il manico resta freddo e la valvola di sicurezza è facile da pulire.</p>
  <ul><li>Adatta a fornelli a gas, elettrici e in vetroceramica</li>
  <li>Guarnizione di ricambio inclusa nella confezione</li></ul></div>
</main></body></html>""".replace(
    "DESCRIPTION",
    "La moka in alluminio che prepara un caffè cremoso in pochi minuti. Il manico resta "
    "freddo e la valvola di sicurezza è facile da pulire.",
)

PRODUCT_JSON = {
    "title": "Northwind Trail Mug",
    "price": "24.99",
    "currency": "USD",
    "currency_symbol": "$",
    "available": True,
}

# Rendered on the server, with no signal the browser's wait knows: no structured data,
# no h1, a price in Egyptian pounds written "L.E".
PLAIN_HTML = """<!doctype html><html lang="en"><head><title>3 Fruits jar</title></head>
<body><div class="name">3 Fruits jar</div><div class="price">Price: L.E 12.00</div>
<img src="/img/photo1.png" alt="3 Fruits jar"></body></html>"""

# Sends the browser on to /product by script, once it has been still for 0.3 s.
HOPPING_HTML = """<!doctype html><html lang="en"><head><title>One moment</title></head>
<body><p>Taking you to the product...</p>
<script>setTimeout(() => { location.href = '/product'; }, 300);</script></body></html>"""

# Never still: text is added every 100 ms, and there is no product signal.
RESTLESS_HTML = """<!doctype html><html lang="en"><head><title>News</title></head>
<body><ul id="ticker"></ul><script>
setInterval(() => {
  const li = document.createElement('li');
  li.textContent = 'tick ' + Date.now();
  document.getElementById('ticker').appendChild(li);
}, 100);
</script></body></html>"""

# Four scripts that each answer after 0.3 s (ShopServer.slow_script records how many
# were in flight at once).
SLOW_SCRIPTS_HTML = (
    '<!doctype html><html lang="en"><head><title>Trail Mug</title>'
    + "".join(f'<script src="/slow.js?n={n}"></script>' for n in range(4))
    + "</head><body><h1>Northwind Trail Mug</h1></body></html>"
)

# The product arrives by a request that answers after 0.8 s, with nothing on the page
# changing meanwhile: the page is not still while the request is in flight.
LATE_HTML = """<!doctype html><html lang="en"><head><title>Loading</title></head>
<body><main id="app"></main><script>
fetch('/api/late.json').then(r => r.json()).then(p => {
  document.getElementById('app').innerHTML =
    '<h1>' + p.title + '</h1><p class="price">' + p.currency_symbol + p.price + '</p>';
});
</script></body></html>"""

EVIL_HTML = """<!doctype html><html><head><title>Evil</title></head><body>
<h1>Nothing to see</h1>
<img src="http://169.254.169.254/latest/meta-data/iam.png">
<img src="http://10.0.0.1/admin.png">
<img src="/img/photo1.png">
<script>fetch('http://10.0.0.1/api').catch(() => {});
fetch('http://[::ffff:127.0.0.1]:1/').catch(() => {});</script>
</body></html>"""

BOT_HTML = """<!doctype html><html><head><title>Just a moment...</title></head>
<body><div id="challenge">Checking your browser before accessing the shop.</div></body></html>"""


@lru_cache(maxsize=32)
def make_image(name: str) -> bytes:
    """Deterministic PNGs: photos are large and textured (many colours); a logo, a
    swatch, a banner and a pixel are small, flat or strip-shaped. ``photo1-small``
    is photo1 at half size (a near-duplicate).

    Made once per name and then served from memory, as a shop serves its image files:
    a photo takes 0.18 s to draw and encode, which a download of it must not count."""
    sizes = {
        "logo": (120, 40),
        "swatch": (30, 30),
        "pixel": (1, 1),
        "banner": (1600, 200),
        "flat": (600, 600),
    }
    base = name.removesuffix("-small")
    size = sizes.get(base, (800, 800))
    seed = sum(base.encode())
    image = Image.new("RGB", size, (240, 240, 240))
    if base.startswith("photo"):
        rng = np.random.default_rng(seed)
        ys, xs = np.mgrid[0 : size[1], 0 : size[0]]
        pixels = np.stack(
            [
                (xs * (seed % 7 + 1)) % 256,
                (ys * (seed % 5 + 1)) % 256,
                ((xs + ys) * (seed % 3 + 1)) % 256,
            ],
            axis=-1,
        ).astype(np.float64)
        pixels += rng.normal(0, 12, pixels.shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(image)
        for _ in range(6):
            x, y = int(rng.integers(0, 600)), int(rng.integers(0, 600))
            draw.ellipse(
                [x, y, x + 180, y + 180], fill=tuple(int(v) for v in rng.integers(0, 255, 3))
            )
    if name.endswith("-small"):
        image = image.resize((size[0] // 2, size[1] // 2))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class ShopHandler(BaseHTTPRequestHandler):
    server: ShopServer

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.hits.append(self.path)
        self.server.hosts.append(self.headers.get("Host", ""))
        path = self.path.split("?", 1)[0]
        routes = {
            "/product": lambda: self._send(200, PRODUCT_HTML, "text/html; charset=utf-8"),
            "/product-full": lambda: self._send(200, PRODUCT_FULL_HTML, "text/html; charset=utf-8"),
            "/api/product.json": lambda: self._send(
                200, json.dumps(PRODUCT_JSON), "application/json"
            ),
            "/missing": lambda: self._send(404, "<h1>Not found</h1>", "text/html"),
            "/evil": lambda: self._send(200, EVIL_HTML, "text/html"),
            "/bot": lambda: self._send(503, BOT_HTML, "text/html"),
            "/slow": self._slow,
            "/redirect-ok": lambda: self._redirect("/product"),
            "/redirect-internal": lambda: self._redirect(
                f"http://127.0.0.2:{self.server.server_port}/product"
            ),
            "/redirect-metadata": lambda: self._redirect("http://169.254.169.254/latest/"),
            "/redirect-private": lambda: self._redirect("http://10.0.0.1/admin"),
            "/big": lambda: self._send(200, b"x" * 200_000, "application/octet-stream"),
            "/unit-price": lambda: self._send(200, UNIT_PRICE_HTML, "text/html; charset=utf-8"),
            "/lost-images": lambda: self._send(200, LOST_IMAGES_HTML, "text/html; charset=utf-8"),
            "/pt-product": lambda: self._send(200, PT_PRODUCT_HTML, "text/html; charset=utf-8"),
            "/it-product": lambda: self._send(200, IT_PRODUCT_HTML, "text/html; charset=utf-8"),
            "/plain": lambda: self._send(200, PLAIN_HTML, "text/html; charset=utf-8"),
            "/hop": lambda: self._send(200, HOPPING_HTML, "text/html; charset=utf-8"),
            "/restless": lambda: self._send(200, RESTLESS_HTML, "text/html; charset=utf-8"),
            "/late": lambda: self._send(200, LATE_HTML, "text/html; charset=utf-8"),
            "/api/late.json": self._late_json,
            "/slow-scripts": lambda: self._send(200, SLOW_SCRIPTS_HTML, "text/html"),
            "/slow.js": self._slow_script,
        }
        if path in routes:
            routes[path]()
        elif path.startswith("/img/") and path.endswith(".png"):
            self._send(200, make_image(path[5:-4]), "image/png")
        elif path.startswith("/static/") and self.server.static_dir:
            self._static(path[len("/static/") :])
        else:
            self._send(404, "not found", "text/plain")

    def _send(self, status: int, body: str | bytes, content_type: str) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _late_json(self) -> None:
        time.sleep(0.8)
        self._send(200, json.dumps(PRODUCT_JSON), "application/json")

    def _slow_script(self) -> None:
        server = self.server
        with server.lock:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        time.sleep(0.3)
        with server.lock:
            server.in_flight -= 1
        script = "document.documentElement.dataset.loaded = (+document.documentElement" \
                 ".dataset.loaded || 0) + 1;"  # fmt: skip
        self._send(200, script, "text/javascript")

    def _slow(self) -> None:
        time.sleep(5)
        try:
            self._send(200, "<h1>late</h1>", "text/html")
        except OSError:
            pass

    def _static(self, relative: str) -> None:
        root = self.server.static_dir.resolve()
        target = (root / relative).resolve()
        if root not in target.parents or not target.is_file():
            self._send(404, "not found", "text/plain")
            return
        self._send(200, target.read_bytes(), "text/html; charset=utf-8")


class LocalServer(ThreadingHTTPServer):
    """A threaded HTTP server on 127.0.0.1 at a free port, started in the background."""

    daemon_threads = True

    def __init__(self, handler) -> None:
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class ShopServer(LocalServer):
    def __init__(self, static_dir: Path | None = None) -> None:
        super().__init__(ShopHandler)
        self.static_dir = static_dir
        self.hits: list[str] = []
        self.hosts: list[str] = []
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0  # of /slow.js
