"""Playwright with Debian's Chromium: the only module that imports playwright.

One browser per worker (per thread: Playwright's sync API is bound to the
thread that started it), launched lazily and reused; a fresh context per
scrape. Every request the page makes goes through one route handler that
applies the SSRF guard, follows redirects itself (Chromium does not route
redirect hops, so each hop is checked here), enforces the byte budget and
keeps JSON responses (product JSON that shops load by XHR).

Neither Chromium nor Playwright fetches anything itself: the route handler
sends each request through :class:`scraper.fetch.PinnedSession`, which
connects to the very address the SSRF check approved and fulfils the page's
request with the answer. A DNS server that answers a public address to the
check and an internal one a moment later (DNS rebinding) gets nowhere.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .config import DownloadLimits, ScrapeConfig
from .errors import NetworkError, RefusedUrl, ScrapeError, Timeout, TooLarge
from .fetch import PinnedSession
from .pagecheck import check_page
from .ssrf import check_url, resolve_host

# Headers the browser sets that describe its own connection, not the request.
HOP_HEADERS = frozenset(
    {"host", "connection", "content-length", "keep-alive", "proxy-connection", "te",
     "trailer", "transfer-encoding", "upgrade", "accept-encoding"}
)  # fmt: skip
# Headers of the answer that no longer hold once urllib3 has decoded the body.
DECODED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})

REDIRECTS = (301, 302, 303, 307, 308)

PRODUCT_SIGNALS_JS = """() => {
  if (document.querySelector('[itemprop=price], meta[property="product:price:amount"],'
      + ' meta[property="og:price:amount"]')) return true;
  for (const s of document.querySelectorAll('script[type="application/ld+json"]'))
    if (/"Product"/.test(s.textContent)) return true;
  const h1 = document.querySelector('h1');
  if (!h1 || !h1.innerText.trim()) return false;
  const text = (document.body && document.body.innerText || '').slice(0, 20000);
  return /(\\d[\\d.,\\s]*\\s?(€|\\$|£|¥|kr|zł|₹|USD|EUR|GBP))|((€|\\$|£|USD|EUR|GBP)\\s?\\d)/
    .test(text);
}"""

# Whether the product's signals are there, and how long ago (ms) the page's content last
# changed: a MutationObserver (nodes and text, not attributes, which carousels and
# animations change all the time) is installed on the first call, under a name that is
# not enumerable, and again on each new document.
WATCH_JS = (
    """() => {
  const key = '__talkingAdsChanged';
  if (!(key in window)) {
    Object.defineProperty(window, key, {value: {at: performance.now()}, enumerable: false});
    new MutationObserver(() => { window[key].at = performance.now(); })
      .observe(document, {subtree: true, childList: true, characterData: true});
  }
  return [("""
    + PRODUCT_SIGNALS_JS
    + """)(), performance.now() - window[key].at];
}"""
)

COOKIE_JS = """() => {
  const known = ['#onetrust-accept-btn-handler', '#truste-consent-button',
    '#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll',
    '#CybotCookiebotDialogBodyButtonAccept', '#didomi-notice-agree-button',
    '[data-testid="uc-accept-all-button"]', '.fc-cta-consent', '.cc-allow', '.cc-dismiss',
    '.js-accept-cookies', '#accept-cookies', '#cookie-accept'];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const sel of known) {
    const el = document.querySelector(sel);
    if (el && visible(el)) { el.click(); return sel; }
  }
  const accept = new RegExp('^(accept|allow|i agree|agree|got it|ok|okay|understood|'
    + 'alle akzeptieren|akzeptieren|zustimmen|einverstanden|tout accepter|accepter|'
    + "j'accepte|aceptar|acepto|aceitar|accetta|accetto|akceptuj|godkänn|accepteren|"
    + 'hyväksy|tillad|aksepter)', 'i');
  const container = /cookie|consent|gdpr|privacy|cmp|didomi|onetrust|truste/i;
  const inBanner = (el) => {
    for (let n = el; n && n !== document.body; n = n.parentElement) {
      const label = (n.id || '') + ' ' + (n.className && n.className.baseVal === undefined
        ? n.className : '') + ' ' + (n.getAttribute('aria-label') || '');
      if (container.test(label)) return true;
    }
    return false;
  };
  const buttons = document.querySelectorAll(
    'button, a, [role=button], input[type=button], input[type=submit]');
  for (const b of buttons) {
    const text = (b.innerText || b.value || '').trim();
    if (text && text.length < 40 && accept.test(text) && visible(b) && inBanner(b)) {
      b.click(); return text;
    }
  }
  return null;
}"""

# Lazy images load when they come into view. One viewport a step, each waited for two
# animation frames (the IntersectionObserver callbacks that swap data-src in run
# after a frame is rendered), not a fixed sleep: a long page scrolls in about 35 ms a
# screen instead of 120 (and no step waits more than 100 ms if frames stop). Native
# lazy images are switched to eager first.
SCROLL_JS = """async (maxSteps) => {
  // The next frame drawn, or 100 ms where the page draws none.
  const frame = () => new Promise((r) => {
    const timer = setTimeout(r, 100);
    requestAnimationFrame(() => setTimeout(() => { clearTimeout(timer); r(); }, 0));
  });
  document.querySelectorAll('img[loading="lazy"]').forEach((img) => { img.loading = "eager"; });
  let last = -1;
  for (let i = 0; i < maxSteps; i++) {
    window.scrollBy(0, Math.max(400, window.innerHeight));
    await frame();
    await frame();
    const y = window.scrollY + window.innerHeight;
    if (y >= document.body.scrollHeight - 2 && y === last) break;
    last = y;
  }
  window.scrollTo(0, 0);
  await frame();
  return document.body.scrollHeight;
}"""


@dataclass
class JsonResponse:
    """A JSON response the page received (XHR or fetch)."""

    url: str
    status: int
    data: object


@dataclass
class BlockedRequest:
    """A request the route handler refused, and why."""

    url: str
    reason: str


@dataclass
class Page:
    """What one scrape returns.

    ``html`` is the rendered DOM after waiting, cookie dismissal and scrolling;
    ``final_url`` the URL after redirects; ``screenshot_png`` a PNG of the
    viewport (or the full page); ``json_responses`` the JSON the page loaded.
    """

    url: str
    final_url: str
    status: int
    html: str
    screenshot_png: bytes | None
    json_responses: list[JsonResponse] = field(default_factory=list)
    blocked: list[BlockedRequest] = field(default_factory=list)
    cookie_banner: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # What ended the wait for the product: "signals" (its structured data, or a title and
    # a price, were in the page), "settled" (nothing changed for a while), or "cap".
    waited_for: str = ""


FETCH_POLL_MS = 5  # how often a route handler looks whether its fetch has finished
# Requests fetched at once per browser: a page's requests go to many hosts (Chromium
# itself keeps 6 connections per host, scraper.fetch.POOL_CONNECTIONS as many).
FETCH_THREADS = 16


@dataclass(frozen=True)
class _Redirected:
    """The main navigation was redirected to URL."""

    url: str


class _Guard:
    """The per-scrape route handler: SSRF checks, redirects, budget, JSON capture."""

    def __init__(self, config: ScrapeConfig, deadline: float, fetchers: ThreadPoolExecutor) -> None:
        self.config = config
        self.deadline = deadline
        self.bytes_seen = 0
        self._budget = threading.Lock()
        self.fetchers = fetchers  # where requests are fetched
        self.page = None  # the page handlers wait on meanwhile (set once it is open)
        self.blocked: list[BlockedRequest] = []
        self.json_responses: list[JsonResponse] = []
        self.pending_redirect: str | None = None
        self.main_error: ScrapeError | None = None
        self.session = PinnedSession(config.policy, config.resolve or resolve_host)

    def handle(self, route: Route) -> None:
        request = route.request
        main = _is_main_navigation(request)
        if request.resource_type in self.config.block_resource_types:
            route.abort("blockedbyclient")  # not a refusal: we just do not need it
            return
        reason = self._precheck(request.url)
        if reason:
            self._refuse(route, request.url, reason, main)
            return
        try:
            answer = self._fetch_following(route, main)
            if isinstance(answer, _Redirected):
                self.pending_redirect = answer.url
                route.abort("aborted")  # the scrape loop navigates there itself
                return
        except (Timeout, NetworkError) as exc:
            self._fail(route, main, exc)
            return
        except ScrapeError as exc:
            self._refuse(route, getattr(exc, "url", None) or request.url, exc.message, main, exc)
            return
        except PlaywrightError as exc:
            self._fail(route, main, exc)
            return
        if answer is not None:
            url, status, headers, body = answer
            self._keep_json(request.resource_type, url, status, headers, body)
            try:
                route.fulfill(status=status, headers=headers, body=body)
            except PlaywrightError:  # the page went away meanwhile
                pass

    def _precheck(self, url: str) -> str | None:
        if time.monotonic() > self.deadline:
            return "the scrape ran out of time"
        if self.bytes_seen > self.config.max_total_bytes:
            return "the page exceeded its byte budget"
        try:
            check_url(url, self.config.policy, self.session.resolve)
        except ScrapeError as exc:
            return exc.message
        return None

    def _fetch_following(self, route: Route, main: bool):
        """Fetch with redirects off, pinned to the checked address, and follow each hop
        after checking it. Returns (url, status, headers, body), or _Redirected when the
        main navigation is redirected (the scrape loop navigates there itself).

        The fetch runs on a thread of the pool while this handler waits on the page, so
        that Playwright goes on dispatching: the page's other requests are fetched at the
        same time, as Chromium would fetch them. Fetched one after the other, a page with
        8 scripts that each take 250 ms to answer took 2.3-2.4 s to load; now 0.5-0.6."""
        request = route.request
        url, method, body = request.url, request.method, request.post_data_buffer
        sent = {k: v for k, v in request.all_headers().items()
                if k.lower() not in HOP_HEADERS and not k.startswith(":")}  # fmt: skip
        sent["Accept-Encoding"] = "gzip, deflate"
        future = self.fetchers.submit(self._hops, url, method, body, sent, main)
        while not future.done():
            self.page.wait_for_timeout(FETCH_POLL_MS)  # Playwright dispatches meanwhile
        return future.result()

    def _hops(self, url: str, method: str, body, sent: dict, main: bool):
        """:meth:`_fetch_following`'s network part (any thread)."""
        for _ in range(self.config.policy.max_redirects + 1):
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout("The scrape ran out of time", url=url)
            limits = DownloadLimits(
                max_bytes=max(1, self.config.max_total_bytes - self.bytes_seen),
                timeout_s=remaining,
                connect_timeout_s=min(5.0, remaining),
            )
            status, headers, content = self.session.request(
                url, method, sent, body, limits, self.deadline
            )
            location = next((v for k, v in headers if k.lower() == "location"), None)
            if status not in REDIRECTS or not location:
                self._count(len(content), url)
                return url, status, _fulfil_headers(headers), content
            url = urljoin(url, location.strip())
            if main:
                return _Redirected(url)
            if status == 303 or (status in (301, 302) and method == "POST"):
                method, body = "GET", None
            check_url(url, self.config.policy, self.session.resolve)
        raise RefusedUrl("Too many redirects", url=url)

    def _count(self, size: int, url: str) -> None:
        with self._budget:  # fetches finish on several threads
            self.bytes_seen += size
        if self.bytes_seen > self.config.max_total_bytes:
            raise TooLarge("The page is larger than the download budget", url=url)

    def _keep_json(self, resource_type: str, url: str, status: int, headers, body) -> None:
        content_type = headers.get("content-type", "")
        if resource_type not in ("xhr", "fetch") or "json" not in content_type:
            return
        if len(self.json_responses) >= self.config.max_json_responses:
            return
        if len(body) > self.config.max_json_bytes:
            return
        try:
            data = json.loads(body)
        except ValueError:
            return
        self.json_responses.append(JsonResponse(url, status, data))

    def _refuse(self, route, url, reason, main, exc: ScrapeError | None = None) -> None:
        self.blocked.append(BlockedRequest(url, reason))
        if main and self.main_error is None:
            self.main_error = exc or RefusedUrl(f"Refused {url}: {reason}", url=url)
        route.abort("blockedbyclient")

    def _fail(self, route: Route, main: bool, exc: PlaywrightError | ScrapeError) -> None:
        if main and self.main_error is None:
            url = route.request.url
            if isinstance(exc, ScrapeError):
                self.main_error = exc
            elif "timeout" in str(exc).lower():
                self.main_error = Timeout(f"The page did not answer in time: {url}", url=url)
            else:
                self.main_error = NetworkError(f"Cannot load {url}: {exc.message}", url=url)
        try:
            route.abort("failed")
        except PlaywrightError:
            pass


def _fulfil_headers(headers: list[tuple[str, str]]) -> dict[str, str]:
    """The answer's headers for route.fulfill: names lowercased, repeated ones (several
    Set-Cookie) joined by newlines as Playwright expects, encodings already undone."""
    out: dict[str, str] = {}
    for name, value in headers:
        name = name.lower()
        if name in DECODED_HEADERS:
            continue
        out[name] = f"{out[name]}\n{value}" if name in out else value
    return out


def _is_main_navigation(request) -> bool:
    try:
        return request.is_navigation_request() and request.frame.parent_frame is None
    except PlaywrightError:
        return False


class Browser:
    """One Chromium for one worker thread; call :meth:`scrape` any number of times.

    Each scrape gets a context of its own. :meth:`prepare` opens the next one (and its
    page) ahead of time, so that a worker can pay for it while it is idle.
    """

    def __init__(self, config: ScrapeConfig | None = None) -> None:
        self.config = config or ScrapeConfig()
        self._playwright = None
        self._browser = None
        self._spare: _Opened | None = None
        self._switches: frozenset[str] = frozenset()  # the running Chromium's extra switches
        self._fetchers: ThreadPoolExecutor | None = None  # the route handlers' fetches

    def _ensure(self, config: ScrapeConfig):
        """The running Chromium, launched now if there is none, with the switches that
        both the browser's settings and this scrape's allow (ScrapeConfig.chromium_switches);
        one launched with a switch this scrape can't have (images off, for a screenshot) is
        replaced."""
        allowed = config.chromium_switches()
        if self._browser is not None and not self._switches <= allowed:
            self._spare = None
            with contextlib.suppress(PlaywrightError):
                self._browser.close()
            self._browser = None
        if self._browser is None or not self._browser.is_connected():
            if self._playwright is None:
                self._playwright = sync_playwright().start()
            self._switches = self.config.chromium_switches() & allowed
            self._browser = self._playwright.chromium.launch(
                executable_path=self.config.executable_path,
                args=[*self.config.launch_args, *sorted(self._switches)],
            )
            self._spare = None
        return self._browser

    def close(self) -> None:
        """Close Chromium and stop Playwright."""
        self._spare = None
        if self._fetchers is not None:
            self._fetchers.shutdown(wait=False, cancel_futures=True)
            self._fetchers = None
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

    def prepare(self, config: ScrapeConfig | None = None) -> None:
        """Open the next scrape's context and page now (a new page takes Chromium 0.1 to
        0.4 s on 2 cores). Until a scrape takes them, every request they see is refused."""
        if self._spare is not None and self._browser.is_connected():
            return
        self._spare = self._open(config or self.config)

    def scrape(self, url: str, config: ScrapeConfig | None = None) -> Page:
        """Load ``url`` in a fresh context and return the rendered page.

        Args:
            url: absolute http(s) URL of a product page.
            config: per-scrape settings; defaults to the browser's config.

        Returns:
            A :class:`Page`.

        Raises:
            RefusedUrl: the URL, a redirect or the final URL is not allowed.
            NotFound, Blocked, Timeout, TooLarge, NetworkError.
        """
        config = config or self.config
        started = time.monotonic()
        if self._fetchers is None:
            self._fetchers = ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="scrape-fetch")
        guard = _Guard(config, started + config.total_timeout_s, self._fetchers)
        check_url(url, config.policy, guard.session.resolve)  # the answer is kept
        opened = self._take_spare(config) or self._open(config)
        guard.page = opened.page
        opened.guard = guard
        try:
            return _run_scrape(opened.page, url, config, guard, started)
        finally:
            opened.context.close()
            guard.session.close()

    def _open(self, config: ScrapeConfig) -> _Opened:
        context = self._ensure(config).new_context(
            viewport={"width": config.viewport[0], "height": config.viewport[1]},
            locale=config.locale,
            user_agent=config.user_agent,
            service_workers="block",
            accept_downloads=False,
        )
        opened = _Opened(context, None, _context_settings(config))
        try:
            context.route("**/*", opened.handle)
            context.route_web_socket("**/*", lambda ws: ws.close())
            opened.page = context.new_page()
        except BaseException:
            context.close()
            raise
        return opened

    def _take_spare(self, config: ScrapeConfig) -> _Opened | None:
        spare, self._spare = self._spare, None
        if spare is None:
            return None
        if spare.settings == _context_settings(config) and self._browser.is_connected():
            return spare
        with contextlib.suppress(PlaywrightError):
            spare.context.close()
        return None


def _context_settings(config: ScrapeConfig) -> tuple:
    return (config.viewport, config.locale, config.user_agent)


class _Opened:
    """A context and its page, and the guard of the scrape using them (None: not yet
    taken, so every request is refused)."""

    def __init__(self, context, page, settings: tuple) -> None:
        self.context, self.page, self.settings = context, page, settings
        self.guard: _Guard | None = None

    def handle(self, route: Route) -> None:
        if self.guard is None:
            route.abort("blockedbyclient")
            return
        self.guard.handle(route)


def _navigate(page, url: str, config: ScrapeConfig, guard: _Guard):
    """page.goto with our own redirect following; returns the main response."""
    for _ in range(config.policy.max_redirects + 1):
        guard.pending_redirect = None
        timeout_ms = min(config.goto_timeout_s, guard.deadline - time.monotonic()) * 1000
        try:
            return page.goto(url, timeout=max(timeout_ms, 1), wait_until="domcontentloaded")
        except PlaywrightTimeout as exc:
            raise guard.main_error or Timeout(f"The page did not load in time: {url}") from exc
        except PlaywrightError as exc:
            if guard.pending_redirect is None:
                raise guard.main_error or NetworkError(
                    f"Cannot load {url}: {exc.message}", url=url
                ) from exc
            url = guard.pending_redirect
            check_url(url, config.policy, guard.session.resolve)
    raise RefusedUrl("Too many redirects", url=url)


QUIET_S = 0.15  # the network counts as settled after this long with nothing in flight
QUIET_CAP_S = 2.0  # pages that never go quiet (analytics beacons, long polls) are let be
# A page whose content has not changed for this long, with no request in flight for as
# long, is rendered: a shop whose product has no signal we know (no structured data, a
# price in a currency the signal does not list, no h1) is not waited for to the cap.
SETTLED_S = 0.5
SIGNALS_POLL_MS = 100
# How Playwright says that an evaluation's document went away under it (a navigation).
NAVIGATED = ("Execution context was destroyed", "navigation", "Cannot find context")


class _InFlight:
    """Counts the page's requests in flight (Playwright's events) to wait for a quiet
    network: 150 ms with nothing in flight, where Playwright's ``networkidle`` waits
    500 ms with no connection at all, on every page."""

    def __init__(self, page) -> None:
        self.pending = 0
        self.changed = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, _request) -> None:
        self.pending += 1
        self.changed = time.monotonic()

    def _ended(self, _request) -> None:
        self.pending = max(0, self.pending - 1)
        self.changed = time.monotonic()

    def quiet_for(self) -> float:
        """Seconds with no request in flight (0 while one is)."""
        return 0.0 if self.pending else time.monotonic() - self.changed

    def wait_quiet(self, page, cap_s: float) -> bool:
        """Let the page run until the network has been quiet QUIET_S (or CAP_S passed)."""
        end = time.monotonic() + cap_s
        while time.monotonic() < end:
            if self.pending == 0 and time.monotonic() - self.changed >= QUIET_S:
                return True
            page.wait_for_timeout(25)  # events are delivered while Playwright waits
        return False


def _settle(page, config: ScrapeConfig, guard: _Guard, timings: dict, network: _InFlight):
    """Wait for product signals, dismiss a cookie banner, scroll for lazy images, and let
    the requests that started (XHR prices, images) finish. Returns (the banner
    dismissed, what ended the wait for the product).

    There is no wait for the ``load`` event: it waits for every image and font, which
    extraction does not need once the product's signals are in the DOM; what is
    still loading then is waited for with the rest, on a quiet network."""

    def remaining_s(cap_s: float) -> float:
        return max(0.001, min(cap_s, guard.deadline - time.monotonic()))

    mark = time.monotonic()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        timings[name] = now - mark
        mark = now

    waited_for = _wait_for_product(page, network, remaining_s(config.render_wait_s))
    lap("signals_s")
    banner = page.evaluate(COOKIE_JS) if config.dismiss_cookie_banners else None
    if config.scroll_screens > 0:
        page.evaluate(SCROLL_JS, config.scroll_screens)
    lap("scroll_s")
    network.wait_quiet(page, remaining_s(QUIET_CAP_S))
    lap("idle_s")
    return banner, waited_for


def _wait_for_product(page, network: _InFlight, cap_s: float) -> str:
    """Wait until the product's signals are in the page ("signals"), or its content and
    the network have both been still for SETTLED_S ("settled"), at most CAP_S ("cap")."""
    end = time.monotonic() + cap_s
    while True:
        try:
            found, still_ms = page.evaluate(WATCH_JS)
        except PlaywrightError as exc:  # a script navigated: the new document is watched
            if not any(words in exc.message for words in NAVIGATED):
                raise  # a page that crashed or closed fails now, not at the cap
            found, still_ms = False, 0.0
        if found:
            return "signals"
        if min(still_ms / 1000, network.quiet_for()) >= SETTLED_S:
            return "settled"
        left = end - time.monotonic()
        if left <= 0:
            return "cap"
        page.wait_for_timeout(min(SIGNALS_POLL_MS, left * 1000))


def _run_scrape(page, url: str, config: ScrapeConfig, guard: _Guard, started: float) -> Page:
    timings: dict[str, float] = {}
    network = _InFlight(page)
    response = _navigate(page, url, config, guard)
    timings["goto_s"] = time.monotonic() - started
    status = response.status if response is not None else 200
    check_url(page.url, config.policy, guard.session.resolve)
    if status >= 400:  # no need to wait for a product that is not there
        check_page(page.content(), status, page.url)
    banner, waited_for = _settle(page, config, guard, timings, network)
    timings["settle_s"] = time.monotonic() - started - timings["goto_s"]
    html = page.content()
    if len(html.encode("utf-8", "ignore")) > config.max_html_bytes:
        raise TooLarge(f"The page is larger than {config.max_html_bytes} bytes", url=url)
    check_page(html, status, page.url)
    shot = None
    if config.screenshot:
        shot_started = time.monotonic()
        shot = page.screenshot(type="png", full_page=config.full_page_screenshot, timeout=10_000)
        timings["screenshot_s"] = time.monotonic() - shot_started
    timings["total_s"] = time.monotonic() - started
    return Page(
        url=url,
        final_url=page.url,
        status=status,
        html=html,
        screenshot_png=shot,
        json_responses=guard.json_responses,
        blocked=guard.blocked,
        cookie_banner=banner,
        timings={k: round(v, 4) for k, v in timings.items()},
        waited_for=waited_for,
    )


_local = threading.local()


def get_browser(config: ScrapeConfig | None = None) -> Browser:
    """The calling thread's shared :class:`Browser` (created on first use)."""
    browser = getattr(_local, "browser", None)
    if browser is None:
        browser = _local.browser = Browser(config)
    return browser


def scrape(url: str, config: ScrapeConfig | None = None) -> Page:
    """Scrape ``url`` with this worker's shared browser. See :meth:`Browser.scrape`."""
    return get_browser(config).scrape(url, config)


def close_browser() -> None:
    """Close this thread's shared browser, if any (call at worker shutdown)."""
    browser = getattr(_local, "browser", None)
    if browser is not None:
        browser.close()
        _local.browser = None
