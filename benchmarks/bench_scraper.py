"""Scraper speed: browser scrape per page (served locally) and extraction per page.

The fixture pages (shared/fixtures/product_pages) are served from 127.0.0.1 and
scraped with one warm browser; their external resources are unreachable, so the
route handler refuses them quickly, as it would refuse hosts we do not allow.
``scraper.scrape`` waits up to 1 s for each product's signals;
``scraper.scrape_for_extraction`` scrapes as the product flow does (images not
loaded, no screenshot, four screens scrolled, the product waited for up to 5 s).
``waited_for`` counts what ended each wait (signals, settled or cap).
``scraper.slow_scripts_scrape``: a page whose four scripts each answer after 0.3 s,
what a shop's third-party scripts cost, fetched at the same time by the route handler.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections import Counter
from collections.abc import Iterator

from scraper.browser import Browser
from scraper.config import EXTRACTION_ONLY, LOCAL_ONLY_POLICY, LOCAL_TEST_POLICY, ScrapeConfig
from scraper.errors import ScrapeError
from scraper.extract import extract
from tests.scraper.accuracy import FIXTURES, load, pages
from tests.scraper.server import ShopServer

EXTRACT_REPEATS = 3


def _context(count: int) -> dict:
    return {
        "pages": count,
        "statistic": "median",
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }


def _extract_times(folders) -> list[float]:
    times = []
    for folder in folders:
        html, expected = load(folder)
        runs = []
        for _ in range(EXTRACT_REPEATS):
            started = time.perf_counter()
            extract(html, expected.get("page_url"))
            runs.append(time.perf_counter() - started)
        times.append(min(runs))
    return times


def _scrape_times(
    folders, prepare: bool = False, **settings
) -> tuple[float, list[float], list[str], dict, dict]:
    """PREPARE: open each next page between scrapes, untimed, as the product's worker
    does in its idle time (scraper.browser.Browser.prepare)."""
    server = ShopServer(static_dir=FIXTURES).start()
    settings = {"render_wait_s": 1.0, **settings}
    config = ScrapeConfig(policy=LOCAL_ONLY_POLICY, total_timeout_s=20.0, **settings)
    browser = Browser(config)
    try:
        started = time.perf_counter()
        browser.scrape(f"{server.base}/product")  # launch + warm-up
        launch = time.perf_counter() - started
        if prepare:
            browser.prepare()
        times, failures, steps, ended = [], [], {}, Counter()
        for folder in folders:
            started = time.perf_counter()
            try:
                page = browser.scrape(f"{server.base}/static/{folder.name}/page.html")
                ended[page.waited_for] += 1
                for step, seconds in page.timings.items():
                    steps.setdefault(step, []).append(seconds)
            except ScrapeError as exc:
                failures.append(f"{folder.name}: {exc.code}")
            times.append(time.perf_counter() - started)
            if prepare:
                browser.prepare()
        medians = {step: round(statistics.median(v), 3) for step, v in steps.items()}
        return launch, times, failures, medians, dict(ended)
    finally:
        browser.close()
        server.stop()


def run() -> Iterator[dict]:
    """Yield extraction and scrape times (median per page, seconds)."""
    folders = pages()
    if not folders:
        yield {
            "bench": "scraper.skipped",
            "value": 0,
            "unit": "pages",
            "reason": "shared/fixtures/product_pages is absent",
        }
        return
    context = _context(len(folders))
    extract_times = _extract_times(folders)
    yield {
        "bench": "scraper.extract",
        "value": round(statistics.median(extract_times), 4),
        "unit": "s",
        "max": round(max(extract_times), 4),
        **context,
    }
    launch, scrape_times, failures, steps, ended = _scrape_times(folders)
    yield {
        "bench": "scraper.browser_first_scrape",
        "value": round(launch, 3),
        "unit": "s",
        **context,
    }
    yield {
        "bench": "scraper.scrape",
        "value": round(statistics.median(scrape_times), 3),
        "unit": "s",
        "max": round(max(scrape_times), 3),
        "failures": failures,
        "steps": steps,
        "waited_for": ended,
        **context,
    }
    # As the product flow scrapes (saas.studio.storyboard): no images, no screenshot,
    # each next page opened while the worker is idle, the product waited for up to 5 s.
    _, scrape_times, failures, steps, ended = _scrape_times(
        folders, prepare=True, render_wait_s=ScrapeConfig.render_wait_s, **EXTRACTION_ONLY
    )
    yield {
        "bench": "scraper.scrape_for_extraction",
        "value": round(statistics.median(scrape_times), 3),
        "unit": "s",
        "goal": 1.0,
        "max": round(max(scrape_times), 3),
        "failures": failures,
        "steps": steps,
        "waited_for": ended,
        **context,
    }
    yield _slow_scripts_record(context)


def _slow_scripts_record(context: dict) -> dict:
    """A page whose four scripts each answer after 0.3 s (tests.scraper.server), scraped
    as the product flow does: its requests are fetched at the same time (one after the
    other, the page cannot load, ``goto_s``, in under 1.2 s)."""
    server = ShopServer().start()
    config = ScrapeConfig(policy=LOCAL_TEST_POLICY, total_timeout_s=20.0, **EXTRACTION_ONLY)
    browser = Browser(config)
    try:
        browser.scrape(f"{server.base}/product")  # launch + warm-up
        times, loads = [], []
        for _ in range(3):
            browser.prepare()
            started = time.perf_counter()
            page = browser.scrape(f"{server.base}/slow-scripts")
            times.append(time.perf_counter() - started)
            loads.append(page.timings["goto_s"])
    finally:
        browser.close()
        server.stop()
    return {
        "bench": "scraper.slow_scripts_scrape",
        "value": round(statistics.median(times), 3),
        "unit": "s",
        "scripts": 4,
        "script_answer_s": 0.3,
        "goto_s": round(statistics.median(loads), 3),
        "most_in_flight": server.most_in_flight,
        "why": "it has no product signal: read once still for 0.5 s (scraper.browser.SETTLED_S)",
        **{**context, "pages": 1, "repeats": 3},
    }
