"""Grading of the extractor against shared/fixtures/product_pages (expected.json).

Rules follow the fixtures' README: titles compare case-insensitively after
HTML-unescaping and collapsing whitespace (``title_alternatives`` accepted);
prices compare as decimals (``price_acceptable_alternatives`` accepted);
brands compare ignoring case, spaces and punctuation ("TP Link" = "TP-Link");
ratings compare to 0.05; images count when at least ``images_min`` come back.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tests.conftest import SHARED

FIXTURES = SHARED / "fixtures" / "product_pages"
FIELDS = (
    "title",
    "brand",
    "price",
    "currency",
    "images",
    "description",
    "availability",
    "rating",
    "review_count",
)


def pages() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    return sorted(p for p in FIXTURES.iterdir() if (p / "expected.json").is_file())


def load(folder: Path) -> tuple[str, dict]:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    page = (folder / "page.html").read_bytes().decode("utf-8", "replace")
    return page, expected


def _text(value) -> str:
    return re.sub(r"\s+", " ", html.unescape(str(value or ""))).strip().casefold()


def _loose(value) -> str:
    return re.sub(r"[\W_]+", "", _text(value))


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def grade(product: dict, expected: dict) -> dict[str, bool | None]:
    """field -> right (True), wrong (False) or not graded (None: no expected value)."""
    titles = [expected["title"], *expected.get("title_alternatives", [])]
    prices = [expected["price"], *expected.get("price_acceptable_alternatives", [])]
    result = {
        "title": _text(product["title"]) in {_text(t) for t in titles},
        "brand": _loose(product["brand"]) == _loose(expected["brand"]),
        "price": _decimal(product["price"]) in {_decimal(p) for p in prices},
        "currency": product["currency"] == expected["currency"],
        "images": len(product["images"]) >= expected["images_min"],
        "description": bool(product["description"]) == expected["has_description"],
    }
    for key in ("availability", "rating", "review_count"):
        result[key] = None
    if "availability" in expected:
        result["availability"] = product["availability"] == expected["availability"]
    if "rating" in expected:
        want, got = _decimal(expected["rating"]), _decimal(product["rating"])
        result["rating"] = (want is None and got is None) or (
            want is not None and got is not None and abs(want - got) <= Decimal("0.05")
        )
    if "review_count" in expected:
        result["review_count"] = product["review_count"] == expected["review_count"]
    return result


def table(rows: dict[str, dict[str, bool | None]]) -> str:
    """A field-by-field score table, one line per page and a total line."""
    width = max(len(name) for name in rows) if rows else 10
    head = f"{'page':<{width}} " + " ".join(f"{f[:7]:>7}" for f in FIELDS)
    lines = [head, "-" * len(head)]
    for name, result in rows.items():
        cells = {True: "ok", False: "MISS", None: "-"}
        lines.append(f"{name:<{width}} " + " ".join(f"{cells[result[f]]:>7}" for f in FIELDS))
    totals = []
    for f in FIELDS:
        graded = [r[f] for r in rows.values() if r[f] is not None]
        totals.append(f"{sum(graded)}/{len(graded)}" if graded else "-")
    lines.append(f"{'total':<{width}} " + " ".join(f"{t:>7}" for t in totals))
    return "\n".join(lines)


def overall(rows: dict[str, dict[str, bool | None]]) -> float:
    graded = [v for r in rows.values() for v in r.values() if v is not None]
    return sum(graded) / len(graded) if graded else 0.0
