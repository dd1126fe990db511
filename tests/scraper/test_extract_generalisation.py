"""The extractor on product pages of shops it has never seen (issue 18).

Grades ``scraper.extract.extract`` on the 20 real fixture pages and on the
generated shops of tests/scraper/shops, split by whole styles into ``tuning``
and ``heldout``; run with ``-s`` to see one score table per split. Improve the
extractor on ``failures("tuning")`` only; the held-out split measures whether
the rules generalise, so it is never listed page by page.
"""

from __future__ import annotations

from functools import cache

import pytest

from scraper.extract import extract

from . import accuracy
from .shops import SPLITS, pages

# Held-out thresholds of issue 18.
MIN_TITLE = 0.95
MIN_PRICE = 0.92
MIN_CURRENCY = 0.95
MIN_IMAGES = 0.90
THRESHOLDS = {
    "title": MIN_TITLE,
    "price": MIN_PRICE,
    "currency": MIN_CURRENCY,
    "images": MIN_IMAGES,
}

MIN_HELDOUT_PAGES = 60
MIN_HELDOUT_STYLES = 30
MIN_HELDOUT_SHARE = 1 / 3
SHOWN = ("title", "brand", "price", "currency", "images", "description", "availability")


def grade(product: dict, expected: dict) -> dict[str, bool | None]:
    """accuracy.grade, except that currency is not graded where the page has no price.

    The price rule is accuracy.grade's own: a missing price is right only where
    the expected price is None, and any price on such a page is wrong.
    """
    result = accuracy.grade(product, expected)
    if expected["price"] is None:
        result["currency"] = None
    return result


@cache
def _graded(split: str) -> tuple[tuple[str, dict, dict, dict], ...]:
    """(name, expected, product, grades) for every page of a split."""
    rows = []
    for name, html, url, expected in pages(split):
        product = extract(html, url).to_dict()
        rows.append((name, expected, product, grade(product, expected)))
    return tuple(rows)


def scores(split: str) -> dict[str, float]:
    """Field -> share of graded pages right."""
    rows = [g for _, _, _, g in _graded(split)]
    out = {}
    for field in accuracy.FIELDS:
        graded = [r[field] for r in rows if r[field] is not None]
        out[field] = sum(graded) / len(graded) if graded else 1.0
    return out


def failures(split: str = "tuning") -> list[tuple[str, str, object, object]]:
    """(page, field, expected, got) of every miss; tuning split only, by design."""
    if split != "tuning":
        raise ValueError("failures are listed for the tuning split only")
    keys = {"images": ("images_min", "images"), "description": ("has_description", "description")}
    misses = []
    for name, expected, product, grades in _graded(split):
        for field in SHOWN:
            if grades[field] is False:
                want, got = keys.get(field, (field, field))
                value = product[got]
                value = len(value) if field == "images" else value
                misses.append((name, field, expected[want], value))
    return misses


def summary(split: str) -> str:
    """One table line per split: page and style counts, then per-field accuracy."""
    names = pages(split)
    style_count = len({expected["style"] for *_, expected in names})
    share = scores(split)
    cells = " ".join(f"{share[f]:>8.3f}" for f in SHOWN)
    return f"{split:<8} {len(names):>5} {style_count:>6} {cells}"


def _header() -> str:
    return f"{'split':<8} {'pages':>5} {'styles':>6} " + " ".join(f"{f[:8]:>8}" for f in SHOWN)


@pytest.fixture(scope="module", autouse=True)
def printed_tables():
    print("\n" + _header())
    for split in SPLITS:
        print(summary(split))
    print(f"tuning misses: {len(failures())}")


def test_fixture_pages_still_score():
    folders = accuracy.pages()
    if not folders:
        pytest.skip("shared/fixtures/product_pages is absent (it lives beside the repo)")
    rows = {}
    for folder in folders:
        html, expected = accuracy.load(folder)
        rows[folder.name] = accuracy.grade(
            extract(html, expected.get("page_url")).to_dict(), expected
        )
    print("\nfixtures\n" + accuracy.table(rows) + f"\noverall {accuracy.overall(rows):.3f}")
    assert accuracy.overall(rows) >= 0.97


def test_heldout_is_a_third_of_the_pages_from_enough_styles():
    held = pages("heldout")
    styles = {expected["style"] for *_, expected in held}
    assert len(held) >= MIN_HELDOUT_PAGES
    assert len(styles) >= MIN_HELDOUT_STYLES
    assert len(held) >= MIN_HELDOUT_SHARE * len(pages())


def test_splits_share_no_style():
    tuning = {e["style"] for *_, e in pages("tuning")}
    held = {e["style"] for *_, e in pages("heldout")}
    assert tuning and held and not tuning & held


def test_generation_is_deterministic():
    from .shops import _all_pages

    _all_pages.cache_clear()
    first = pages()
    _all_pages.cache_clear()
    assert pages() == first
    assert len({name for name, *_ in first}) == len(first)


@pytest.mark.parametrize("field", sorted(THRESHOLDS))
def test_heldout_meets_the_issue_thresholds(field):
    share = scores("heldout")[field]
    assert share >= THRESHOLDS[field], f"{field}: {share:.3f} < {THRESHOLDS[field]}"


def test_failures_are_listed_for_tuning_only():
    assert all(len(miss) == 4 for miss in failures("tuning"))
    with pytest.raises(ValueError):
        failures("heldout")
