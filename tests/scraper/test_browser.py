"""The browser renders a local shop: waits, scrolls, dismisses banners, and refuses
every request, redirect and subresource that leaves the allowlist."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from scraper.errors import Blocked, NotFound, RefusedUrl, Timeout
from scraper.extract import extract

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def product_page(browser, shop):
    return browser.scrape(shop.base + "/product")


def test_it_returns_the_rendered_page_and_final_url(product_page, shop):
    assert product_page.status == 200
    assert product_page.final_url == shop.base + "/product"
    assert "$24.99" in product_page.html  # written by script after the XHR


def test_it_keeps_the_product_json_loaded_by_xhr(product_page):
    urls = [r.url for r in product_page.json_responses]
    assert any(u.endswith("/api/product.json") for u in urls)
    assert product_page.json_responses[0].data["price"] == "24.99"


def test_it_scrolls_so_lazy_images_load(product_page, shop):
    assert 'src="/img/photo3.png"' in product_page.html
    assert "/img/photo3.png" in shop.hits


def test_it_dismisses_the_cookie_banner(product_page):
    assert product_page.cookie_banner == "Accept all"
    assert 'id="cookie-banner"' not in product_page.html


def test_it_takes_a_screenshot(product_page):
    image = Image.open(io.BytesIO(product_page.screenshot_png))
    assert image.format == "PNG" and image.size == (1280, 1600)


def test_the_rendered_page_extracts_to_the_product(product_page):
    product = extract(product_page.html, product_page.final_url, product_page.json_responses)
    assert product.title == "Northwind Trail Mug"
    assert (product.price, product.currency, product.brand) == ("24.99", "USD", "Northwind")
    names = [u.rsplit("/", 1)[-1] for u in product.images]
    assert names == ["photo1.png", "photo2.png", "photo3.png"]


def test_it_aborts_subresources_on_internal_addresses(browser, shop):
    page = browser.scrape(shop.base + "/evil")
    blocked = {b.url for b in page.blocked}
    assert "http://169.254.169.254/latest/meta-data/iam.png" in blocked
    assert "http://10.0.0.1/admin.png" in blocked
    assert "http://10.0.0.1/api" in blocked
    assert all("Refused" in b.reason for b in page.blocked)


def test_it_refuses_redirects_to_internal_addresses(browser, shop):
    with pytest.raises(RefusedUrl, match="127.0.0.2"):
        browser.scrape(shop.base + "/redirect-internal")
    with pytest.raises(RefusedUrl, match="metadata"):
        browser.scrape(shop.base + "/redirect-metadata")


def test_it_follows_allowed_redirects(browser, shop):
    page = browser.scrape(shop.base + "/redirect-ok")
    assert page.final_url == shop.base + "/product"


def test_it_refuses_an_internal_url_without_starting_a_page(browser):
    with pytest.raises(RefusedUrl):
        browser.scrape("http://10.0.0.1/")


def test_a_missing_page_is_not_found(browser, shop):
    with pytest.raises(NotFound) as caught:
        browser.scrape(shop.base + "/missing")
    assert caught.value.code == "not_found" and not caught.value.retryable


def test_a_slow_page_times_out(browser, shop):
    with pytest.raises(Timeout) as caught:
        browser.scrape(shop.base + "/slow")
    assert caught.value.retryable


def test_a_bot_wall_is_blocked(browser, shop):
    with pytest.raises(Blocked):
        browser.scrape(shop.base + "/bot")


class _Internal:
    """A server on 127.0.0.2 (an internal address) that records every request."""

    def __init__(self, port: int) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                seen.append(self.path)
                body = b"<html><title>INTERNAL SECRET</title><h1>secret</h1></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.2", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_name_that_rebinds_to_an_internal_address_cannot_reach_it(browser, scrape_config, shop):
    """DNS rebinding: the shop's name answers 127.0.0.1 (allowed here) to the first
    lookup and 127.0.0.2 (internal, with a server on the same port) to every later one.
    The whole scrape stays on the checked address: the page and its subresources come
    from the shop and the internal server sees nothing."""
    import dataclasses
    import ipaddress
    from urllib.parse import urlsplit

    port = urlsplit(shop.base).port
    internal = _Internal(port)
    lookups = []

    def rebinding(host, port):
        lookups.append(host)
        answer = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
        return [ipaddress.ip_address(answer)]

    config = dataclasses.replace(scrape_config, resolve=rebinding)
    try:
        page = browser.scrape(f"http://shop.rebind.test:{port}/product", config)
        assert lookups == ["shop.rebind.test"]  # once for the whole scrape
        # The next scrape looks again, gets the internal address, and is refused.
        with pytest.raises(RefusedUrl, match="shop.rebind.test points to a loopback") as no:
            browser.scrape(f"http://shop.rebind.test:{port}/product", config)
        assert "127.0.0.2" not in no.value.message  # the address is logged, not told
    finally:
        internal.stop()
    assert "INTERNAL" not in page.html
    assert extract(page.html, page.final_url).title
    assert internal.seen == []


def test_it_times_each_step_of_the_scrape(product_page):
    timings = product_page.timings
    steps = ["goto_s", "signals_s", "scroll_s", "idle_s", "screenshot_s"]
    assert all(timings[step] >= 0 for step in steps), timings
    assert sum(timings[s] for s in steps) <= timings["total_s"] + 0.01, timings
    assert timings["settle_s"] == pytest.approx(
        sum(timings[s] for s in ("signals_s", "scroll_s", "idle_s")), abs=0.01
    )


def test_a_scrape_for_extraction_loads_no_image_yet_finds_every_one(browser, shop,
                                                                    scrape_config):  # fmt: skip
    """The product flow's scrape (EXTRACTION_ONLY): image bytes and a screenshot are
    work extraction never reads; the images' addresses are in the HTML all the same."""
    from dataclasses import replace

    from scraper.config import EXTRACTION_ONLY

    before = len(shop.hits)
    page = browser.scrape(shop.base + "/product", replace(scrape_config, **EXTRACTION_ONLY))
    assert page.screenshot_png is None
    assert [hit for hit in shop.hits[before:] if hit.startswith("/img/")] == []
    product = extract(page.html, page.final_url, page.json_responses)
    names = [u.rsplit("/", 1)[-1] for u in product.images]
    assert names == ["photo1.png", "photo2.png", "photo3.png"]


def test_a_browser_for_extraction_never_requests_an_image_and_relaunches_for_a_screenshot(
    shop, scrape_config
):
    """A worker's browser (its scrapes all EXTRACTION_ONLY) runs Chromium with images and
    web fonts off: neither is requested at all, where blocking them by type routed each
    one through the handler. A scrape that takes a screenshot gets a Chromium that loads
    images."""
    from concurrent.futures import ThreadPoolExecutor
    from dataclasses import replace

    from scraper.browser import Browser
    from scraper.config import EXTRACTION_ONLY

    def scrape_twice():  # on a thread of its own: one sync Playwright per thread
        browser = Browser(replace(scrape_config, **EXTRACTION_ONLY))
        try:
            browser.prepare()
            requested = []
            browser._spare.page.on("request", lambda r: requested.append(r.resource_type))
            page = browser.scrape(shop.base + "/product")
            first = browser._browser
            before = len(shop.hits)
            shot = browser.scrape(shop.base + "/product", scrape_config)
            relaunched = browser._browser is not first and not first.is_connected()
            return requested, page, relaunched, shop.hits[before:], shot
        finally:
            browser.close()

    with ThreadPoolExecutor(1) as pool:
        requested, page, relaunched, hits, shot = pool.submit(scrape_twice).result()
    assert "document" in requested, requested
    assert "image" not in requested and "font" not in requested, requested
    product = extract(page.html, page.final_url, page.json_responses)
    assert [u.rsplit("/", 1)[-1] for u in product.images] == [
        "photo1.png", "photo2.png", "photo3.png"]  # fmt: skip
    assert relaunched
    assert "/img/photo1.png" in hits
    assert Image.open(io.BytesIO(shot.screenshot_png)).size == (1280, 1600)


def test_a_pages_requests_are_fetched_at_the_same_time(browser, shop):
    """The route handler fetches on a thread pool and Playwright dispatches meanwhile:
    a page's four slow scripts are all in flight at once, not one after the other."""
    page = browser.scrape(shop.base + "/slow-scripts")
    assert 'data-loaded="4"' in page.html  # every script ran
    assert shop.most_in_flight == 4


def test_a_page_prepared_ahead_is_taken_by_the_next_scrape(browser, shop):
    browser.prepare()
    spare = browser._spare
    assert spare is not None and len(browser._browser.contexts) == 1
    page = browser.scrape(shop.base + "/product")
    assert spare.guard is not None  # this scrape's guard answered its requests
    assert browser._spare is None and browser._browser.contexts == []
    assert "$24.99" in page.html


def test_a_prepared_page_refuses_every_request_until_a_scrape_takes_it(browser, shop):
    from playwright.sync_api import Error as PlaywrightError

    browser.prepare()
    before = len(shop.hits)
    with pytest.raises(PlaywrightError, match="ERR_BLOCKED_BY_CLIENT"):
        browser._spare.page.goto(shop.base + "/product")
    assert len(shop.hits) == before
    # A page no scrape would get: it is on its way to Chromium's error page.
    browser._spare.context.close()
    browser._spare = None


def test_a_prepared_page_of_other_settings_is_closed_not_used(browser, shop, scrape_config):
    from dataclasses import replace

    browser.prepare()
    spare = browser._spare
    page = browser.scrape(shop.base + "/product", replace(scrape_config, viewport=(800, 600)))
    assert spare.guard is None and browser._browser.contexts == []
    assert page.status == 200


def test_the_wait_for_a_product_ends_on_its_signals(product_page):
    assert product_page.waited_for == "signals"


def test_a_page_with_no_signal_we_know_is_read_once_it_is_still(browser, shop, scrape_config):
    """No structured data, no h1, a price in "L.E": before, the scrape waited for the
    signals to their cap (5 s in the product flow) on such a shop."""
    from dataclasses import replace

    page = browser.scrape(shop.base + "/plain", replace(scrape_config, render_wait_s=8.0))
    assert page.waited_for == "settled"
    assert "L.E 12.00" in page.html


def test_a_request_in_flight_is_waited_for_though_nothing_changes(browser, shop):
    """The product comes 0.8 s late by fetch and the page is still meanwhile: it is not
    taken for settled, so the product is in the HTML."""
    page = browser.scrape(shop.base + "/late")
    assert page.waited_for == "signals"
    assert "<h1>Northwind Trail Mug</h1>" in page.html and "$24.99" in page.html


def test_a_page_that_never_stops_changing_is_waited_for_to_the_cap(browser, shop,
                                                                  scrape_config):  # fmt: skip
    from dataclasses import replace

    page = browser.scrape(shop.base + "/restless", replace(scrape_config, render_wait_s=1.0))
    assert page.waited_for == "cap"
    assert page.timings["signals_s"] >= 1.0


def test_the_full_product_page_has_facts_enough_for_a_30_second_script(browser, shop):
    """The link bench makes its 30 s video from /product-full: it must fill the budget,
    where /product's few facts fall short (and the writer says so)."""
    from scraper.script import write_script

    def script(path: str):
        page = browser.scrape(shop.base + path)
        return write_script(extract(page.html, page.final_url, page.json_responses), 30)

    full, short = script("/product-full"), script("/product")
    assert full.word_count >= 0.85 * full.word_budget and full.notes == [], full.notes
    assert any("too little content" in note for note in short.notes)


def test_a_page_that_moves_on_by_script_is_read_where_it_lands(browser, shop):
    """The wait's evaluations may run while the document goes away: the next one is
    watched, and the product it shows is read."""
    page = browser.scrape(shop.base + "/hop")
    assert page.final_url == shop.base + "/product"
    assert page.waited_for == "signals"
    assert "Northwind Trail Mug" in page.html


def test_chromium_is_switched_off_only_for_what_every_scrape_of_its_settings_skips():
    from dataclasses import replace

    from scraper.config import EXTRACTION_ONLY, NO_FONTS_ARG, NO_IMAGES_ARG, ScrapeConfig

    default = ScrapeConfig()
    assert default.chromium_switches() == {NO_FONTS_ARG}  # a screenshot shows images
    extraction = replace(default, **EXTRACTION_ONLY)
    assert extraction.chromium_switches() == {NO_IMAGES_ARG, NO_FONTS_ARG}
    assert replace(extraction, block_resource_types=("media",)).chromium_switches() == set()


def test_a_page_cannot_send_webrtc_traffic_to_an_internal_address(browser, scrape_config):
    """WebRTC's STUN and TURN bypass the route handler (they are not HTTP): a product
    page could send UDP to internal services. Chromium is started without it."""
    import socket
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    internal = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    internal.bind(("127.0.0.2", 0))
    internal.settimeout(0.2)
    stun = internal.getsockname()[1]
    page = f"""<!doctype html><title>Widget</title><h1>Widget</h1><p>$9.99</p><script>
      const pc = new RTCPeerConnection({{iceServers: [{{urls: 'stun:127.0.0.2:{stun}'}}]}});
      pc.createDataChannel('x');
      pc.createOffer().then(offer => pc.setLocalDescription(offer));
      document.title = 'rtc';
    </script>""".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        scraped = browser.scrape(f"http://127.0.0.1:{server.server_address[1]}/p")
        assert "$9.99" in scraped.html
        datagrams = []
        for _ in range(15):  # 3 s for ICE gathering
            try:
                datagrams.append(internal.recvfrom(2048)[0])
            except TimeoutError:
                pass
        assert datagrams == []
    finally:
        server.shutdown()
        server.server_close()
        internal.close()
