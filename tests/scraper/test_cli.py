"""python -m scraper: extract, script and refusals."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

PAGE = """<html lang="en"><head><title>Mug | Shop</title></head><body>
<h1>Trail Mug</h1><p>Brand: Northwind</p><span class="price">$24.99</span>
<div class="description"><p>A double-walled steel mug that keeps coffee hot for hours.</p>
<ul><li>Keeps drinks hot for 12 hours</li><li>Leak-proof lid with one-hand opening</li></ul>
</div><div class="gallery"><img src="/m1.jpg" alt="Trail Mug"></div></body></html>"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scraper", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_extract_prints_the_product_as_json(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    result = run("extract", str(path), "--url", "https://shop.com/mug")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == [
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
    assert (data["title"], data["brand"], data["price"], data["currency"]) == (
        "Trail Mug",
        "Northwind",
        "24.99",
        "USD",
    )
    assert data["images"] == ["https://shop.com/m1.jpg"]


def test_script_prints_the_script_as_json(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    result = run(
        "script",
        str(path),
        "--url",
        "https://shop.com/mug",
        "--length",
        "15",
        "--tone",
        "friendly",
        "--aspect",
        "16:9",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["length_s"] == 15 and data["tone"] == "friendly" and data["platform"] == "youtube"
    assert [s["role"] for s in data["scenes"]][0] == "hook"


def test_a_refused_url_exits_non_zero_with_the_reason():
    result = run("scrape", "http://169.254.169.254/latest/meta-data/")
    assert result.returncode == 2
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "refused_url" and "metadata" in error["message"]


def test_a_bad_scheme_exits_non_zero():
    result = run("scrape", "file:///etc/passwd")
    assert result.returncode == 2 and "refused_url" in result.stderr


def test_the_cli_reads_the_web_apps_allowlist_from_the_environment(monkeypatch):
    from scraper.__main__ import _config, _parser

    monkeypatch.setenv("SCRAPER_ALLOW_NETWORKS", "127.0.0.1/32, 10.9.0.0/16")
    monkeypatch.setenv("SCRAPER_ALLOW_HOSTS", "shop.internal")
    args = _parser().parse_args(["--allow-network", "192.168.5.0/24", "scrape", "http://x.test/"])
    policy = _config(args).policy
    assert policy.allow_networks == ("127.0.0.1/32", "10.9.0.0/16", "192.168.5.0/24")
    assert policy.allow_hosts == ("shop.internal",)
