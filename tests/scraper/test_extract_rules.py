"""Extraction rules on small hand-written pages: traps every shop can have."""

from __future__ import annotations

import json

from scraper.extract import extract


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f"<html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


def test_the_current_price_wins_over_the_was_price():
    html = page(
        """<h1 class="product-title">Desk Lamp</h1>
      <div class="price-box"><del class="price">€49,99</del>
      <span class="price special-price">€39,99</span></div>
      <button>Add to cart</button>""",
        lang="de",
    )
    product = extract(html, "https://shop.de/lamp")
    assert (product.price, product.currency) == ("39.99", "EUR")


def test_a_structured_price_that_the_page_does_not_show_loses():
    head = (
        '<meta property="og:type" content="product">'
        '<meta property="product:price:amount" content="67.84">'
        '<meta property="product:price:currency" content="EUR">'
    )
    html = page('<h1>Book</h1><span class="price">71,91 €</span>', head, "pt")
    assert extract(html, "https://books.pt/b").price == "71.91"


def test_related_products_do_not_leak_into_title_price_or_images():
    html = page("""<h1>Main Chair</h1><span class="price">$120.00</span>
      <div class="product-gallery"><img src="/img/chair-1.jpg" alt="Main Chair">
      <img src="/img/chair-2.jpg" alt="Main Chair side"></div>
      <section class="related-products"><h1>Other Chair</h1>
      <span class="price">$80.00</span><img src="/img/other.jpg" alt="Other Chair"></section>""")
    product = extract(html, "https://shop.com/chair")
    assert product.title == "Main Chair" and product.price == "120"
    assert product.images == [
        "https://shop.com/img/chair-1.jpg",
        "https://shop.com/img/chair-2.jpg",
    ]


def test_hidden_sold_out_templates_do_not_set_availability():
    html = page(
        """<h1>Sofa</h1><span class="price">R$ 1.759,99</span>
      <div class="availability" style="display: none">Produto esgotado</div>
      <div class="availability">Em estoque</div>""",
        lang="pt-BR",
    )
    product = extract(html, "https://loja.com.br/sofa")
    assert product.availability == "InStock"
    assert (product.price, product.currency) == ("1759.99", "BRL")


def test_logos_icons_pixels_and_swatches_are_not_product_images():
    html = page("""<header><img src="/logo.png" alt="Shop"></header>
      <h1>Mug</h1><span class="price">£9.00</span>
      <div class="product-images"><img src="/p/mug-main.jpg" alt="Mug">
      <img src="/icons/zoom.svg"><img src="/p/pixel.gif" width="1" height="1">
      <img src="data:image/gif;base64,R0lGOD"><a class="swatch"><img src="/p/blue.jpg"></a>
      <img src="/p/mug-back.jpg" alt="Mug back"></div>""")
    product = extract(html, "https://shop.co.uk/mug")
    assert product.images == [
        "https://shop.co.uk/p/mug-main.jpg",
        "https://shop.co.uk/p/mug-back.jpg",
    ]


def test_the_shopify_adapter_reads_the_product_json():
    data = {
        "title": "Board",
        "vendor": "Acme",
        "price": 95500,
        "available": True,
        "variants": [{"price": 95500, "available": True}],
        "images": ["//cdn.shopify.com/s/files/1/p/board_grande.jpg"],
        "description": "<p>A fast board for small waves and big fun.</p>",
    }
    html = page(f"""<script src="https://cdn.shopify.com/s/shop.js"></script>
      <h1>Board</h1><script type="application/json" id="ProductJson-main">{json.dumps(data)}
      </script><script>ShopifyAnalytics.meta.currency = 'USD';</script>""")
    product = extract(html, "https://surf.com/products/board")
    assert product.platform == "shopify"
    assert (product.price, product.currency, product.brand) == ("955", "USD", "Acme")
    assert product.images == ["https://cdn.shopify.com/s/files/1/p/board.jpg"]
    assert product.availability == "InStock"


def test_product_json_from_xhr_fills_what_the_html_lacks():
    html = page("<h1>Kettle</h1><div id='app'></div>")
    responses = [
        {
            "product": {
                "name": "Kettle",
                "price": "39.90",
                "currency": "EUR",
                "images": ["https://cdn.shop.de/k1.jpg"],
            }
        }
    ]
    product = extract(html, "https://shop.de/kettle", responses)
    assert (product.price, product.currency) == ("39.90", "EUR")
    assert product.images == ["https://cdn.shop.de/k1.jpg"]


def test_woocommerce_sale_price_and_gallery():
    html = page("""<div class="product"><div class="images">
      <a href="/wp-content/uploads/2020/01/bag-300x300.jpg"><img src="/x.jpg"></a></div>
      <div class="summary"><h1 class="product_title">Bag</h1>
      <p class="price"><del>860,00 EGP</del> <ins>750,00 EGP</ins></p></div></div>""")
    html = html.replace("<body>", "<body class='woocommerce single-product'>")
    product = extract(html, "https://shop.eg/product/bag/")
    assert product.platform == "woocommerce"
    assert (product.price, product.currency) == ("750", "EGP")
    assert "https://shop.eg/wp-content/uploads/2020/01/bag.jpg" in product.images


def test_json_ld_product_with_aggregate_rating_and_offers():
    node = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Table",
        "brand": {"@type": "Brand", "name": "Nord"},
        "image": ["/t1.jpg", "/t2.jpg"],
        "offers": {
            "@type": "AggregateOffer",
            "lowPrice": "222.00",
            "highPrice": "455.00",
            "priceCurrency": "EGP",
            "availability": "https://schema.org/InStock",
        },
        "aggregateRating": {"ratingValue": "4.757", "reviewCount": "190"},
    }
    html = page(
        "<h1>Table</h1><span>EGP 222</span>",
        f'<script type="application/ld+json">{json.dumps(node)}</script>',
    )
    product = extract(html, "https://shop.com.eg/table")
    assert (product.price, product.currency, product.brand) == ("222", "EGP", "Nord")
    assert (product.rating, product.review_count, product.availability) == ("4.76", 190, "InStock")
    assert product.images == ["https://shop.com.eg/t1.jpg", "https://shop.com.eg/t2.jpg"]


def test_a_page_without_a_product_does_not_look_like_one():
    product = extract(page("<p>Welcome to our blog</p>"), "https://blog.com/")
    assert not product.looks_like_product


def test_the_cli_keys_are_the_issues_keys():
    keys = list(extract(page("<h1>X</h1>")).to_dict())
    assert keys == [
        "title",
        "brand",
        "price",
        "currency",
        "availability",
        "description",
        "features",
        "images",
        "rating",
        "review_count",
    ]


def test_a_page_with_only_a_unit_price_and_a_former_price_gets_no_price_and_says_why():
    from .server import UNIT_PRICE_HTML

    product = extract(UNIT_PRICE_HTML, "https://shop.example/unit-price")
    assert product.title == "Alpine Coffee Beans"
    assert product.price is None and product.currency == "USD"  # the page's, for the seller's
    reason = product.uncertain["price"]
    assert "a price per unit ($19.96 / kg)" in reason and "a former price ($24.00)" in reason


def test_a_page_with_no_price_at_all_asks_for_one():
    html = page("<h1>Handmade Oak Stool</h1><p>Price on request.</p><button>Enquire</button>")
    product = extract(html, "https://shop.example/stool")
    assert product.price is None and product.uncertain == {"price": "The page shows no price."}
    assert product.currency is None  # nothing on a .example page says which


def test_a_clear_price_is_not_in_doubt():
    html = page("<h1>Desk Lamp</h1><p class='price'>$39.99</p><p class='unit'>$3.99 / 100 g</p>")
    product = extract(html, "https://shop.example/lamp")
    assert (product.price, product.uncertain) == ("39.99", {})
