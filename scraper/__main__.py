"""Command line: python -m scraper extract|scrape|script ...

    python -m scraper extract PAGE.html --url URL
    python -m scraper scrape URL [--images DIR]
    python -m scraper script (PAGE.html --url URL | URL) --length 30 --tone energetic --aspect 9:16

Products print as JSON with the keys title, brand, price, currency, availability,
description, features, images, rating, review_count. A refused or failed scrape
exits with status 2 and prints {"error": {...}} on stderr. The optional LLM writer
is configured from SCRAPER_LLM_BASE_URL, SCRAPER_LLM_MODEL and SCRAPER_LLM_API_KEY
and is used only with --llm.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .config import ScrapeConfig, UrlPolicy
from .errors import ScrapeError
from .extract import Product, extract
from .script import ASPECTS, LENGTHS, LLMConfig, OpenAICompatibleProvider, write_script
from .script.grammar import TONES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scraper", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--allow-network",
        action="append",
        default=[],
        metavar="CIDR",
        help="allow an internal network (tests only), e.g. 127.0.0.1/32; "
        "SCRAPER_ALLOW_NETWORKS and SCRAPER_ALLOW_HOSTS are read too",
    )
    parser.add_argument("--timeout", type=float, default=45.0, help="scrape time limit (s)")
    commands = parser.add_subparsers(dest="command", required=True)
    ext = commands.add_parser("extract", help="extract the product from a saved HTML file")
    ext.add_argument("page", type=Path)
    ext.add_argument("--url", help="the page's URL (absolute image URLs, country hints)")
    ext.add_argument("--full", action="store_true", help="also print sources, language ...")
    scr = commands.add_parser("scrape", help="load a URL in Chromium and extract the product")
    scr.add_argument("url")
    scr.add_argument("--images", type=Path, help="download the chosen images into this folder")
    scr.add_argument("--full", action="store_true")
    scr.add_argument("--screenshot", type=Path, help="write the page screenshot (PNG) here")
    wri = commands.add_parser("script", help="write a video script for a page or URL")
    wri.add_argument("source", help="a saved HTML file (with --url) or a URL")
    wri.add_argument("--url")
    wri.add_argument("--length", type=int, choices=LENGTHS, default=30)
    wri.add_argument("--tone", choices=TONES, default="energetic")
    wri.add_argument("--aspect", choices=tuple(ASPECTS), default="9:16")
    wri.add_argument("--wps", type=float, default=2.5, help="voice speed, words per second")
    wri.add_argument("--seed", type=int, default=0)
    wri.add_argument("--language", help="write in this language (default: the page's)")
    wri.add_argument("--llm", action="store_true", help="use the LLM set by SCRAPER_LLM_*")
    return parser


def _env_list(name: str) -> tuple[str, ...]:
    return tuple(item for item in os.environ.get(name, "").replace(",", " ").split() if item)


def _config(args) -> ScrapeConfig:
    """The web app's allowlist (SCRAPER_ALLOW_NETWORKS, _HOSTS) plus --allow-network."""
    policy = UrlPolicy(
        allow_networks=_env_list("SCRAPER_ALLOW_NETWORKS") + tuple(args.allow_network),
        allow_hosts=_env_list("SCRAPER_ALLOW_HOSTS"),
    )
    return ScrapeConfig(
        policy=policy, total_timeout_s=args.timeout, goto_timeout_s=min(20.0, args.timeout)
    )


def _scrape(url: str, args, image_dir: Path | None = None):
    from .pipeline import scrape_product  # imports Playwright only when scraping

    return scrape_product(url, _config(args), image_dir=image_dir)


def _product(source: str, url: str | None, args) -> Product:
    path = Path(source)
    if path.is_file():
        return extract(path.read_bytes().decode("utf-8", "replace"), url)
    return _scrape(source, args).product


def _provider():
    base_url = os.environ.get("SCRAPER_LLM_BASE_URL")
    model = os.environ.get("SCRAPER_LLM_MODEL")
    if not base_url or not model:
        raise ScrapeError("--llm needs SCRAPER_LLM_BASE_URL and SCRAPER_LLM_MODEL")
    return OpenAICompatibleProvider(
        LLMConfig(base_url, model, api_key=os.environ.get("SCRAPER_LLM_API_KEY"))
    )


def run(args) -> dict:
    """Run one command and return what it prints."""
    if args.command == "extract":
        return extract(args.page.read_bytes().decode("utf-8", "replace"), args.url).to_dict(
            args.full
        )
    if args.command == "scrape":
        result = _scrape(args.url, args, args.images)
        if args.screenshot and result.page.screenshot_png:
            args.screenshot.write_bytes(result.page.screenshot_png)
        data = result.product.to_dict(args.full)
        if args.images:
            data["chosen_images"] = [str(i.path) for i in result.images]
        return data
    product = _product(args.source, args.url, args)
    script = write_script(
        product,
        args.length,
        args.tone,
        args.aspect,
        args.wps,
        args.seed,
        args.language,
        provider=_provider() if args.llm else None,
    )
    return script.to_dict()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        data = run(args)
    except ScrapeError as exc:
        print(json.dumps({"error": exc.to_dict()}, ensure_ascii=False), file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(
            json.dumps({"error": {"code": "invalid_input", "message": str(exc)}}), file=sys.stderr
        )
        return 2
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
