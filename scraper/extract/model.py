"""The product record and the per-source facts it is merged from."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

CORE_KEYS = (
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
)


@dataclass
class Product:
    """A product as extracted from one page.

    ``price`` is a decimal string ("1759.99") of the current selling price,
    ``currency`` ISO 4217, ``availability`` a schema.org value (``InStock``,
    ``OutOfStock``, ``PreOrder``, ``BackOrder``, ``Discontinued``) or None,
    ``images`` absolute, deduplicated product-image URLs (best first),
    ``rating`` a decimal string on the page's scale (``rating_scale``),
    ``language`` the ISO 639-1 code of the language the product is written in
    (the page's declaration checked against its text; ``sources["language"]``
    says which decided).
    ``uncertain`` names the fields a person should confirm, with the reason
    ("price": "The page shows no price."): a doubtful value is left out rather
    than guessed, so that a wrong price never reaches an ad unseen.
    """

    url: str | None = None
    title: str | None = None
    brand: str | None = None
    price: str | None = None
    currency: str | None = None
    availability: str | None = None
    description: str | None = None
    features: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    rating: str | None = None
    review_count: int | None = None
    rating_scale: str | None = None
    regular_price: str | None = None
    language: str | None = None
    platform: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    uncertain: dict[str, str] = field(default_factory=dict)

    def to_dict(self, full: bool = False) -> dict:
        """The CLI's JSON keys (``full`` adds url, language, sources and the rest)."""
        data = asdict(self)
        return data if full else {key: data[key] for key in CORE_KEYS}

    def to_json(self, full: bool = False) -> str:
        return json.dumps(self.to_dict(full), ensure_ascii=False, indent=2)

    @property
    def looks_like_product(self) -> bool:
        """A title plus a price, or structured product data behind it."""
        structured = any(s in self.sources.get("title", "") for s in ("json-ld", "microdata"))
        return bool(self.title) and (self.price is not None or structured or bool(self.images))


@dataclass
class Facts:
    """What one source says about the product; every field may be missing."""

    source: str
    name: str | None = None
    brand: str | None = None
    price: str | None = None  # raw text or number as the source gives it
    currency: str | None = None
    low_price: str | None = None
    availability: str | None = None
    description: str | None = None
    features: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    rating: str | None = None
    best_rating: str | None = None
    review_count: str | int | None = None
    price_is_cents: bool = False
