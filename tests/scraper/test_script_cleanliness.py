"""Scripts written from real-looking pages carry no page headings and no number/noun
mismatch: every generated shop page (198) and the 20 real fixture pages, every tone.

A customer's ad said "product Description A lot of people..." (a page heading run into
the description) and "Rated 5 stars by 1 fans!". Both are checked in the spoken text
and in the on-screen headlines.
"""

from __future__ import annotations

import re

import pytest

from scraper.extract import extract
from scraper.script import write_script
from scraper.script.grammar import TONES

from .shops import pages

HEADING_WORDS = re.compile(
    r"(?:^|[.!?]\s+)(?:product\s+)?(?:description|details|overview|specifications|"
    r"about this item|produktbeschreibung|beschreibung|descripción|descrição)\b",
    re.I,
)
ONE_MANY = re.compile(
    r"\b1 (?:fans|reviews|buyers|customers|ratings|Bewertungen|Kunden|Käufern|avis|clients|"
    r"opiniones|clientes|compradores|avaliações)\b"
)


def _problems(text: str) -> list[str]:
    found = []
    if HEADING_WORDS.search(text):
        found.append(f"a page heading: {text!r}")
    if ONE_MANY.search(text):
        found.append(f"number and noun disagree: {text!r}")
    return found


@pytest.mark.slow
def test_no_script_speaks_a_page_heading_or_a_mismatched_count():
    problems = []
    corpus = pages()
    assert len(corpus) >= 190
    for name, html, url, _ in corpus:
        product = extract(html, url)
        for tone in TONES:
            script = write_script(product, length=30, tone=tone, seed=1)
            for scene in script.scenes:
                for text in (scene.text, scene.on_screen_text or ""):
                    problems += [f"{name} ({tone}): {p}" for p in _problems(text)]
    assert problems == [], "\n".join(problems[:20])


def test_a_heading_run_into_the_description_is_not_spoken():
    from scraper.extract.model import Product

    product = Product(
        title="Trail Mug",
        description="Product Description A lot of people drink their coffee cold by nine. "
        "This mug keeps it hot for twelve hours on any trail.",
        features=["Details: double-walled steel that never sweats"],
        price="24.99",
        currency="USD",
        rating="5",
        review_count=1,
    )
    for seed in range(6):
        script = write_script(product, length=30, tone="energetic", seed=seed)
        for scene in script.scenes:
            assert _problems(scene.text) == [], scene.text
            assert _problems(scene.on_screen_text or "") == [], scene.on_screen_text
