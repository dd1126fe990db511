"""Presenter images: the stock catalogue and customer uploads.

A presenter is a still portrait. Stock presenters record where the image comes
from and under which licence it may be used.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from avatar.errors import InvalidInput

ALLOWED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
FOOTAGE_SUFFIXES = frozenset({".mp4", ".mov", ".webm", ".mkv", ".m4v"})  # video avatars
# Outputs are at most 1920 px wide, so larger uploads are shrunk on load.
MAX_SIDE_PX = 2048


@dataclass(frozen=True)
class Presenter:
    """A presenter image and its provenance."""

    id: str
    name: str
    image_path: Path
    licence: str
    source: str


def _matplotlib_sample(name: str) -> Path:
    from matplotlib import cbook  # only needed when a stock presenter is used

    return Path(cbook.get_sample_data(name, asfileobj=False))


STOCK_DIR = Path(__file__).resolve().parent / "stock"


def _bundled(name: str) -> Path:
    return STOCK_DIR / name


def _drawn(name: str) -> Path:
    """Draw an illustrated presenter once per machine and return the cached PNG."""
    import tempfile

    from avatar.stock.illustrated import draw

    folder = Path(tempfile.gettempdir()) / "talkingads-stock-v1"
    path = folder / f"{name}.png"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        Image.fromarray(draw(name)).save(partial, format="PNG")
        partial.replace(path)
    return path


@dataclass(frozen=True)
class _Stock:
    name: str
    licence: str
    source: str
    locate: Callable[[], Path]
    generator: Callable[[], np.ndarray] | None = None


def _generator(name: str) -> Callable[[], np.ndarray]:
    def generate() -> np.ndarray:
        from avatar.stock.illustrated import draw

        return draw(name)

    return generate


_INTER_FACES = (
    "inter-faces avatar set (github.com/cjdowner/interfaces, commit "
    "2166b2273fd050699e112e95a251f0519cce58c3, '1000 x 1000/{file}'), from {origin}; "
    "see avatar/stock/LICENCES.md"
)
_REAL_MODEL = (
    "; a real, identifiable model with no model release on file: never present them as "
    "endorsing a product"
)

# Catalogue order is gallery order: the default presenter first.
STOCK: dict[str, _Stock] = {
    "daniel": _Stock(
        name="Daniel",
        licence="CC0 1.0 (stock photo, Pexels 2017, as published by inter-faces)" + _REAL_MODEL,
        source=_INTER_FACES.format(
            file="047.jpg", origin="pexels.com/photo/portrait-of-smiling-man-325682"
        ),
        locate=lambda: _bundled("daniel.jpg"),
    ),
    "clara": _Stock(
        name="Clara",
        licence="CC0 1.0 (stock photo, Pexels 2016, as published by inter-faces)" + _REAL_MODEL,
        source=_INTER_FACES.format(
            file="001.jpg", origin="pexels.com/photo/blonde-haired-woman-in-blue-shirt-y-27411"
        ),
        locate=lambda: _bundled("clara.jpg"),
    ),
    "marcus": _Stock(
        name="Marcus",
        licence="CC0 1.0 or the Unsplash License (stock photo, Unsplash, as published by "
        "inter-faces); both allow commercial use without attribution" + _REAL_MODEL,
        source=_INTER_FACES.format(file="084.jpg", origin="unsplash.com/photos/ZGa9d1a_4tA"),
        locate=lambda: _bundled("marcus.jpg"),
    ),
    "naomi": _Stock(
        name="Naomi",
        licence="CC0 1.0 (stock photo, Visual Hunt 2017, as published by inter-faces)"
        + _REAL_MODEL,
        source=_INTER_FACES.format(file="057.jpg", origin="visualhunt.com/photo/198137"),
        locate=lambda: _bundled("naomi.jpg"),
    ),
    "grace": _Stock(
        name="Grace Hopper",
        licence="Public domain (U.S. Navy photograph, work of the U.S. federal government)",
        source="matplotlib sample data grace_hopper.jpg",
        locate=lambda: _matplotlib_sample("grace_hopper.jpg"),
    ),
    "astronaut": _Stock(
        name="Eileen Collins",
        licence="Public domain (NASA photograph, work of the U.S. federal government)",
        source="scikit-image 0.26.0 skimage/data/astronaut.png (NASA Great Images), "
        "cropped to head and shoulders and scaled 2x: avatar/stock/astronaut.jpg",
        locate=lambda: _bundled("astronaut.jpg"),
    ),
    "maya": _Stock(
        name="Maya (illustrated)",
        licence="CC0 1.0 (drawn by this project's code, avatar/stock/illustrated.py)",
        source="avatar.stock.illustrated.draw('maya')",
        locate=lambda: _drawn("maya"),
        generator=_generator("maya"),
    ),
    "theo": _Stock(
        name="Theo (illustrated)",
        licence="CC0 1.0 (drawn by this project's code, avatar/stock/illustrated.py)",
        source="avatar.stock.illustrated.draw('theo')",
        locate=lambda: _drawn("theo"),
        generator=_generator("theo"),
    ),
}


# The presenter a video gets when none is named: a neutral, contemporary stock photo.
DEFAULT_PRESENTER = "daniel"


@dataclass(frozen=True)
class StockAvatar:
    """A presenter offered to every workspace, usable offline, with its licence.

    Photos have an ``image_path``; illustrated presenters have a ``generator``
    (their ``image_path`` is drawn on first use).
    """

    id: str
    name: str
    licence: str
    source: str
    image_path: Path | None = None
    generator: Callable[[], np.ndarray] | None = None

    def image(self) -> np.ndarray:
        """The portrait as an RGB ``uint8`` array."""
        if self.generator is not None:
            return self.generator()
        return load_presenter_image(self.image_path)


def stock_avatars() -> list[StockAvatar]:
    """Every stock presenter, in catalogue order."""
    return [
        StockAvatar(
            key,
            stock.name,
            stock.licence,
            stock.source,
            image_path=None if stock.generator else stock.locate(),
            generator=stock.generator,
        )
        for key, stock in STOCK.items()
    ]


def check_presenter_ref(ref: str) -> None:
    """Cheap validation of a presenter reference (stock id, image path, or a video
    avatar's recording).

    Raises:
        InvalidInput: ``field="presenter"`` for an unknown id, a missing file or
            an unsupported file type.
    """
    if ref in STOCK:
        return
    path = Path(ref)
    if path.suffix.lower() not in ALLOWED_SUFFIXES | FOOTAGE_SUFFIXES:
        stock = ", ".join(sorted(STOCK))
        raise InvalidInput(
            "presenter",
            f"{ref!r} is neither a stock presenter ({stock}) nor a JPEG/PNG/WebP photo "
            "nor an MP4/MOV/WebM recording",
        )
    if not path.is_file():
        raise InvalidInput("presenter", f"presenter image {ref!r} does not exist")


def resolve_presenter(ref: str) -> Presenter:
    """Turn a stock id (``"daniel"``) or an image path into a :class:`Presenter`.

    Raises:
        InvalidInput: see :func:`check_presenter_ref`.
    """
    check_presenter_ref(ref)
    if ref in STOCK:
        stock = STOCK[ref]
        return Presenter(ref, stock.name, stock.locate(), stock.licence, stock.source)
    path = Path(ref)
    return Presenter(f"file:{path.name}", path.stem, path, "supplied by customer", str(path))


def load_presenter_image(path: Path, max_side: int = MAX_SIDE_PX) -> np.ndarray:
    """Decode a presenter image to an upright RGB ``uint8`` array (H, W, 3).

    EXIF orientation is applied, transparency is flattened onto white and
    images larger than ``max_side`` (at most ``MAX_SIDE_PX``) are shrunk.

    Raises:
        InvalidInput: ``field="presenter"`` when the file is not a readable image.
    """
    try:
        with Image.open(path) as image:
            side = min(max_side, MAX_SIDE_PX)
            image.draft("RGB", (side, side))  # cheap JPEG downscale
            image = ImageOps.exif_transpose(image)
            image.thumbnail((side, side), Image.Resampling.LANCZOS)
            rgb = _flatten_to_rgb(image)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise InvalidInput("presenter", f"cannot read presenter image: {exc}") from exc
    return np.asarray(rgb, dtype=np.uint8)


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")
