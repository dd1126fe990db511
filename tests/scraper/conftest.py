"""Shared fixtures of the scraper tests: one local shop and one browser per session."""

from __future__ import annotations

import pytest

from scraper.config import LOCAL_TEST_POLICY, ScrapeConfig

from .server import ShopServer


@pytest.fixture(scope="session")
def shop():
    server = ShopServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def scrape_config() -> ScrapeConfig:
    return ScrapeConfig(
        policy=LOCAL_TEST_POLICY, goto_timeout_s=2.0, total_timeout_s=10.0, render_wait_s=2.0
    )


@pytest.fixture(scope="session")
def browser(scrape_config):
    from scraper.browser import Browser

    instance = Browser(scrape_config)
    yield instance
    instance.close()
