"""Image download and choice: SSRF rules, verification, sizes, duplicates."""

from __future__ import annotations

import pytest

from scraper.config import LOCAL_TEST_POLICY, DownloadLimits
from scraper.errors import NoImages
from scraper.images import ImageRules, choose_images, fetch_images, inspect

NAMES = [
    "photo1",
    "logo",
    "photo2",
    "swatch",
    "pixel",
    "banner",
    "photo1-small",
    "photo3",
    "flat",
    "photo4",
    "photo5",
]


@pytest.fixture(scope="module")
def downloaded(shop, tmp_path_factory):
    urls = [f"{shop.base}/img/{name}.png" for name in NAMES]
    urls += ["http://10.0.0.1/secret.png", f"{shop.base}/missing"]
    out = tmp_path_factory.mktemp("images")
    chosen, tried = fetch_images(urls, LOCAL_TEST_POLICY, out_dir=out)
    return chosen, {i.url.rsplit("/", 1)[-1]: i for i in tried}, out


def names(infos):
    return [i.url.rsplit("/", 1)[-1].removesuffix(".png") for i in infos]


def test_it_keeps_the_main_image_first_and_only_photos(downloaded):
    chosen, _, _ = downloaded
    assert names(chosen)[0] == "photo1"
    assert sorted(names(chosen)) == ["photo1", "photo2", "photo3", "photo4", "photo5"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("logo.png", "too small"),
        ("swatch.png", "too small"),
        ("pixel.png", "too small"),
        ("banner.png", "too small"),
        ("flat.png", "flat graphic"),
        ("photo1-small.png", "near-duplicate"),
        ("secret.png", "refused_url"),
        ("missing", "not_found"),
    ],
)
def test_it_says_why_an_image_was_rejected(downloaded, name, reason):
    _, tried, _ = downloaded
    assert reason in tried[name].rejected


def test_it_writes_the_chosen_images(downloaded):
    chosen, _, out = downloaded
    assert sorted(p.name for p in out.iterdir()) == [f"{n:02d}.png" for n in range(len(chosen))]
    assert all(i.path and i.path.stat().st_size == i.size_bytes for i in chosen)


def test_it_caps_the_choice_at_max_count(downloaded):
    _, tried, _ = downloaded
    chosen = choose_images(list(tried.values()), ImageRules(max_count=3))
    assert len(chosen) == 3 and names(chosen)[0] == "photo1"


def test_a_non_image_is_rejected():
    assert "not an image" in inspect(b"<html>nope</html>", "http://x/y.jpg", 0).rejected


def test_no_usable_image_is_a_no_images_error(shop):
    with pytest.raises(NoImages) as caught:
        fetch_images(
            [f"{shop.base}/img/logo.png", "http://169.254.169.254/x.png"],
            LOCAL_TEST_POLICY,
            DownloadLimits(timeout_s=5),
        )
    assert caught.value.code == "no_images"


def test_an_image_over_pillows_pixel_limit_is_skipped_not_a_crash(monkeypatch):
    """The app lowers Pillow's limit (decompression bombs); an image past twice that makes
    Pillow raise rather than warn, and the scrape must skip it like any other bad image."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), (200, 40, 40)).save(buffer, format="PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # 40,000 px is over twice that
    info = inspect(buffer.getvalue(), "https://shop.example/huge.png", 0)
    assert info.rejected == "too many pixels"


def test_why_no_images_says_it_in_words():
    from scraper.images import ImageInfo, why_no_images

    raw = "network: Cannot resolve cdn.shop.invalid: [Errno -2] Name or service not known"
    lost = [
        ImageInfo(url=f"http://cdn.shop.invalid/{n}.jpg", index=n, rejected=raw) for n in range(2)
    ]
    said = why_no_images(lost, 2)
    assert "could not download them" in said and "cdn.shop.invalid" in said
    assert "Errno" not in said and "network" not in said
    assert why_no_images([], 0) == "We found no product images on this page."
