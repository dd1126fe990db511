"""Typed configuration of the scraper library. Nothing here reads the environment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Every request is fulfilled by the route handler (scraper.fetch.PinnedSession):
    # Chromium itself never needs to resolve a name, so it is not allowed to.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--dns-prefetch-disable",
    # WebRTC's STUN/TURN traffic is not HTTP and never reaches the route handler: without
    # this a page could send UDP to any internal address (ICE candidates' checks).
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
)
# Chromium switches that turn off what a scrape never loads, so that Chromium never
# requests it: blocking by type (block_resource_types) still routes each request through
# the route handler and back. Images, for scrapes without a screenshot that block them:
# on the 20 fixture pages the median extraction scrape went from 1.26 s to 1.08-1.11 s
# (2 cores, two runs each; `python -m benchmarks scraper` printed scrape_for_extraction
# 1.44 s before, 1.12 s after). Web fonts, blocked by every default: 1.15-1.20 s to
# 1.07-1.10 s more.
NO_IMAGES_ARG = "--blink-settings=imagesEnabled=false"
NO_FONTS_ARG = "--disable-remote-fonts"
MiB = 1024 * 1024


@dataclass(frozen=True)
class UrlPolicy:
    """Which URLs may be fetched.

    Args:
        allow_networks: CIDRs (``"127.0.0.1/32"``) whose addresses are allowed even
            though they are internal. Meant for tests that reach a local server.
        allow_hosts: host names allowed to resolve to internal addresses.
        schemes: URL schemes that may be fetched.
        max_redirects: redirects followed before giving up.
        only_allowlisted: refuse everything outside the allowlist without a DNS
            lookup (offline tests and benchmarks).
    """

    allow_networks: tuple[str, ...] = ()
    allow_hosts: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ("http", "https")
    max_redirects: int = 5
    only_allowlisted: bool = False


LOCAL_TEST_POLICY = UrlPolicy(allow_networks=("127.0.0.1/32",))
LOCAL_ONLY_POLICY = UrlPolicy(allow_networks=("127.0.0.1/32",), only_allowlisted=True)


@dataclass(frozen=True)
class DownloadLimits:
    """Limits of one plain HTTP download (images, product JSON)."""

    max_bytes: int = 15 * MiB
    timeout_s: float = 20.0
    connect_timeout_s: float = 5.0
    user_agent: str = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Safari/537.36"
    )


# A scrape for extraction alone: no image is loaded in the browser and no screenshot
# taken (ScrapeConfig(**EXTRACTION_ONLY)); what the product flow uses. It scrolls four
# screens, not 25: extraction reads lazy images' addresses from their data-src (and
# like) attributes, and a shop's gallery is at the top of its page. On the 20 fixture
# pages, 0, 1, 4 and 25 screens extract the same products; 25 took up to 1 s more.
EXTRACTION_ONLY = {
    "screenshot": False,
    "block_resource_types": ("media", "font", "image"),
    "scroll_screens": 4,
}


@dataclass(frozen=True)
class ScrapeConfig:
    """How the browser fetches a page.

    Args:
        policy: the SSRF policy applied to the page, every redirect and every
            request the page makes.
        goto_timeout_s: limit for the navigation itself (first response + DOM).
        total_timeout_s: limit for the whole scrape, waits and scrolling included.
        render_wait_s: how long to wait for product signals to appear.
        max_html_bytes: the final HTML may not be larger.
        max_total_bytes: requests are aborted once the page has received this much.
        max_json_bytes: JSON responses larger than this are not kept.
        max_json_responses: at most this many JSON responses are kept.
        block_resource_types: request types that are never loaded (speed).
            :data:`EXTRACTION_ONLY` adds images: extraction reads their addresses
            from the HTML and never needs their bytes (the pipeline downloads the
            ones it picks itself), only a screenshot does.
        scroll_screens: scroll down the page, a screen at a time, so lazy content
            loads: at most this many screens (0: no scrolling).
        resolve: the DNS resolver of the SSRF guard, ``(host, port) -> [addresses]``
            (None: the system's); every request connects to an address it gave.
    """

    policy: UrlPolicy = field(default_factory=UrlPolicy)
    goto_timeout_s: float = 20.0
    total_timeout_s: float = 45.0
    render_wait_s: float = 5.0
    max_html_bytes: int = 10 * MiB
    max_total_bytes: int = 60 * MiB
    max_json_bytes: int = 2 * MiB
    max_json_responses: int = 40
    viewport: tuple[int, int] = (1280, 1600)
    locale: str = "en-US"
    user_agent: str | None = None
    scroll_screens: int = 25
    dismiss_cookie_banners: bool = True
    screenshot: bool = True
    full_page_screenshot: bool = False
    block_resource_types: tuple[str, ...] = ("media", "font")
    executable_path: str = CHROMIUM_PATH
    launch_args: tuple[str, ...] = CHROMIUM_ARGS
    resolve: Callable | None = field(default=None, compare=False, repr=False)

    def chromium_switches(self) -> frozenset[str]:
        """The switches (NO_IMAGES_ARG, NO_FONTS_ARG) a Chromium that runs these scrapes
        may be launched with: what they never load (a screenshot shows images)."""
        switches = set()
        if not self.screenshot and "image" in self.block_resource_types:
            switches.add(NO_IMAGES_ARG)
        if "font" in self.block_resource_types:
            switches.add(NO_FONTS_ARG)
        return frozenset(switches)
