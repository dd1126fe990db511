"""Collection pages: product links from structured data or the product grid, and the
next pages; in the browser against a local shop with 12 products over 3 pages."""

import shutil

import pytest

from scraper.collection import discover, product_links
from scraper.config import LOCAL_TEST_POLICY, ScrapeConfig
from scraper.errors import NotCollectionPage, RefusedUrl

from .collection_server import PRODUCTS, CollectionServer, collection_page

BASE = "https://shop.example/collections/winter"


def test_an_item_list_gives_the_products_in_order_relative_or_absolute():
    html = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"},
     {"@type": "ItemList", "itemListElement": [
       {"@type": "ListItem", "position": 1, "url": "/products/beanie"},
       {"@type": "ListItem", "position": 2, "item": {"@id": "https://www.shop.example/products/tote"}},
       {"@type": "ListItem", "position": 3, "item": "https://elsewhere.example/products/x"},
       {"@type": "ListItem", "position": 4, "url": "/products/beanie#colour"}]}]}
    </script></head><body></body></html>"""
    links, following = product_links(html, BASE)
    assert links == [
        "https://shop.example/products/beanie",
        "https://www.shop.example/products/tote",
    ]
    assert following is None


def test_a_product_grid_ignores_the_header_footer_and_pagination():
    html = collection_page(1).replace("/collections/all?page=2", "/collections/all?page=2")
    links, following = product_links(html, "http://shop.example/collections/all?page=1")
    slugs = [p["slug"] for p in PRODUCTS[:5]]
    assert links == [f"http://shop.example/products/{s}" for s in slugs]  # no gift card
    assert following == "http://shop.example/collections/all?page=2"


def test_the_next_page_is_found_by_its_text_without_rel():
    html = collection_page(2)
    assert 'rel="next"' not in html
    _, following = product_links(html, "http://shop.example/collections/all?page=2")
    assert following == "http://shop.example/collections/all?page=3"
    _, last = product_links(collection_page(3), "http://shop.example/collections/all?page=3")
    assert last is None


def test_microdata_products_with_urls_count():
    html = """<html><body><div itemscope itemtype="https://schema.org/Product">
      <a itemprop="url" href="/p/lamp-1234">Lamp</a><span itemprop="name">Lamp</span></div>
      <div itemscope itemtype="https://schema.org/Product">
      <a itemprop="url" href="/p/desk-5678">Desk</a><span itemprop="name">Desk</span></div>
      </body></html>"""
    links, _ = product_links(html, BASE)
    assert links == ["https://shop.example/p/lamp-1234", "https://shop.example/p/desk-5678"]


needs_chromium = pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="Debian's chromium is not installed (make setup installs it)",
)


@pytest.fixture(scope="module")
def collection():
    with CollectionServer() as server:
        yield server


@needs_chromium
@pytest.mark.slow
def test_a_collection_of_three_pages_gives_its_twelve_products(collection, browser):
    config = ScrapeConfig(policy=LOCAL_TEST_POLICY)
    found = discover(f"{collection.base}/collections/all?page=1", config, browser=browser)
    assert found.products == [f"{collection.base}/products/{p['slug']}" for p in PRODUCTS]
    assert len(found.pages) == 3 and not found.truncated
    first = discover(
        f"{collection.base}/collections/all?page=1", config, max_products=7, browser=browser
    )
    assert len(first.products) == 7 and first.truncated


@needs_chromium
@pytest.mark.slow
def test_an_empty_collection_a_product_page_and_an_internal_address_are_refused(
    collection, browser
):
    config = ScrapeConfig(policy=LOCAL_TEST_POLICY)
    with pytest.raises(NotCollectionPage, match="No product links"):
        discover(f"{collection.base}/collections/empty", config, browser=browser)
    with pytest.raises(NotCollectionPage, match="product page"):
        discover(f"{collection.base}/products/{PRODUCTS[0]['slug']}", config, browser=browser)
    with pytest.raises(RefusedUrl):
        discover("http://169.254.169.254/latest/", ScrapeConfig(), browser=browser)


def test_a_product_named_blanket_keeps_its_images():
    from scraper.extract.gallery import is_junk

    assert not is_junk("https://shop.example/img/fjord-throw-blanket-1.png")
    assert is_junk("https://shop.example/img/blank.gif")
    assert is_junk("https://shop.example/assets/blank-image.png")
