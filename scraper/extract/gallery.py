"""Product images from the DOM: the gallery, never logos, icons, swatches, pixels or
related products. URLs are made absolute, upgraded from thumbnail to full size
where a CDN's naming makes that safe, and deduplicated."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .dom import Regions, is_hidden, label

GALLERY = re.compile(
    r"gallery|alt-?images|product-?images?|product-?media|product-?photos?|thumbnails?|thumbs|"
    r"fotorama|slick|swiper|image-?main|main-?image|zoom|lightbox|fancybox|photo|slider|"
    r"carousel|pdp-?image|product-?image|image-?block|imageblock|media-?gallery|showcase|"
    r"product-?left|product-?img|flexslider|owl",
    re.I,
)
JUNK_URL = re.compile(
    r"logo|icon|sprite|favicon|flag|payment|badge|avatar|placeholder|loader|loading|spinner|"
    r"(?<![a-z])blank(?![a-z])|empty\.|pixel|spacer|lazy|transparent|1x1|social|facebook|twitter|pinterest|instagram|youtube|"
    r"whatsapp|rating|stars?[-_.]|arrow|btn|button|banner|promo|swatch|captcha|tracking|"
    r"/ads?/|doubleclick|analytics|beacon|trustpilot|/flags?/|play-?button|video|\.mp4|"
    r"\.webm|mp4_|/themes?/|/skin/",
    re.I,
)
JUNK_CONTEXT = re.compile(r"swatch|color-?option|colour|variant-?option|logo|icon|badge", re.I)
IMAGE_EXT = re.compile(r"\.(jpe?g|png|webp|avif|gif)(\?|#|$)", re.I)
IMAGE_ATTRS = (
    "data-image-large-src",
    "data-full-image",
    "data-zoom-src",
    "data-large-image",
    "data-hires",
    "data-zoom-image",
    "data-large_image",
    "data-large",
    "data-zoom",
    "data-full",
    "data-old-hires",
    "data-src",
    "data-original",
    "data-lazy",
    "data-lazy-src",
    "src",
)
_BG = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_SIZE_QUERY = {"sw", "sh", "w", "h", "width", "height", "imwidth", "resize", "size", "sm", "fit"}


def absolute(url: str | None, base: str | None) -> str | None:
    """Absolute http(s) URL, or None for data:, javascript: and junk."""
    if not url:
        return None
    url = url.strip().split(" ", 1)[0]
    if url.startswith(("data:", "javascript:", "blob:", "about:")) or not url:
        return None
    if url.startswith("//"):
        scheme = urlsplit(base).scheme if base else "https"
        url = f"{scheme or 'https'}:{url}"
    url = urljoin(base or "", url)
    return url if url.startswith(("http://", "https://")) else None


def upgrade(url: str) -> str:
    """Full-size form of thumbnail URLs on CDNs whose naming is documented and stable
    (Shopify, Amazon, WooCommerce, BigCommerce) and of width query parameters."""
    parts = urlsplit(url)
    host, path = parts.netloc.lower(), parts.path
    if "shopify" in host or "/s/files/" in path:
        path = re.sub(
            r"_(\d+x\d*|\d*x\d+|pico|icon|thumb|small|compact|medium|large|grande|"
            r"original|master)(@\dx)?(?=\.(jpe?g|png|webp|gif)$)",
            "",
            path,
            flags=re.I,
        )
    if "amazon" in host:
        path = re.sub(r"\._[A-Z0-9_,]+_(?=\.(jpe?g|png|webp|gif)$)", "", path, flags=re.I)
    if "/wp-content/uploads/" in path:
        path = re.sub(r"-\d{2,4}x\d{2,4}(?=\.(jpe?g|png|webp)$)", "", path, flags=re.I)
    if "bigcommerce" in host:
        path = re.sub(r"\.\d{2,4}\.\d{2,4}(?=\.(jpe?g|png|webp)$)", ".1280.1280", path, flags=re.I)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _SIZE_QUERY]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def dedupe_key(url: str) -> str:
    """Key under which two URLs show the same image."""
    parts = urlsplit(upgrade(url))
    # Magento: /cache/<store>/<kind>/<size>/<hash>/a/b/file.jpg is one image in many sizes
    path = re.sub(r"/cache/(?:[^/]+/)*?[0-9a-f]{32}/", "/cache/", parts.path.lower())
    path = re.sub(r"[-_]\d{2,4}x\d{2,4}(@\dx)?(?=\.\w+$)", "", path)  # one image, many sizes
    return f"{parts.netloc.lower().removeprefix('www.')}{path}"


def is_junk(url: str) -> bool:
    """Logos, icons, tracking pixels and the like, by URL alone."""
    lowered = url.lower()
    if lowered.split("?", 1)[0].endswith((".svg", ".ico")):
        return True
    return bool(JUNK_URL.search(urlsplit(lowered).path + "?" + urlsplit(lowered).query))


def _too_small(element) -> bool:
    """A thumbnail-sized image, unless it names its large version (a gallery's thumbs)."""
    if any(element.get(attr) for attr in IMAGE_ATTRS[:10]):
        return False
    for attr in ("width", "height"):
        value = element.get(attr, "")
        if value.isdigit() and int(value) < 100:
            return True
    return False


def _urls_of(element, base: str | None) -> list[str]:
    urls = []
    for attr in IMAGE_ATTRS:
        url = absolute(element.get(attr), base)
        if url:
            urls.append(url)
    srcset = element.get("srcset") or element.get("data-srcset")
    if srcset:
        last = srcset.split(",")[-1].strip()
        url = absolute(last, base)
        if url:
            urls.append(url)
    if element.tag == "a" and IMAGE_EXT.search(element.get("href", "")):
        url = absolute(element.get("href"), base)
        if url:
            urls.append(url)
    match = _BG.search(element.get("style", ""))
    if match:
        url = absolute(match.group(1), base)
        if url:
            urls.append(url)
    return urls


def _candidates(root, regions: Regions, base: str | None, title: str | None):
    """(element, url, in_gallery) for images in the product area, in page order."""
    title_tokens = set(re.findall(r"\w{3,}", (title or "").lower()))
    for element in root.xpath("//img | //a[@href] | //*[@style] | //source"):
        if regions.related(element) or regions.chrome(element):
            continue
        in_gallery = any(GALLERY.search(label(a)) for a in [element, *element.iterancestors()])
        alt = (element.get("alt") or element.get("title") or "").lower()
        alt_match = bool(title_tokens) and len(
            title_tokens & set(re.findall(r"\w{3,}", alt))
        ) >= min(2, len(title_tokens))
        if not (in_gallery or alt_match) or _too_small(element):
            continue
        context = [element, *list(element.iterancestors())[:2]]
        if any(JUNK_CONTEXT.search(label(e)) for e in context) or (
            element.tag == "img" and is_hidden(element) and not in_gallery
        ):
            continue
        for url in _urls_of(element, base):
            if not is_junk(url):
                yield element, url, in_gallery


def _container(element, keys_of):
    """The gallery holding an image: the outermost of the gallery-labelled ancestors
    nearest to it, widened until it holds at least two distinct images."""
    container = None
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        if GALLERY.search(label(ancestor)):
            container = ancestor
        elif container is not None:
            break
    container = container if container is not None else element.getparent()
    for _ in range(6):
        parent = container.getparent()
        if len(keys_of(container)) >= 2 or parent is None or parent.tag in ("body", "html"):
            break
        container = parent
    return container


def gallery_images(
    root, regions: Regions, base: str | None, title: str | None, anchors: list[str] | None = None
) -> list[str]:
    """Image URLs of the product's gallery, in page order.

    Images count when they sit in the same gallery container as an anchor (an
    image structured data names), or, without anchors on the page, in the
    container of the first gallery image. Related-product tiles elsewhere on the
    page that merely resemble the product are left out.
    """
    found = list(_candidates(root, regions, base, title))
    if not found:
        return []
    anchor_keys = {dedupe_key(a) for a in anchors or [] if a}
    anchored = [el for el, url, _ in found if dedupe_key(url) in anchor_keys]
    if not anchored:
        anchored = [next((el for el, _, g in found if g), found[0][0])]

    def keys_of(container) -> set[str]:
        return {
            dedupe_key(url)
            for el, url, _ in found
            if container is el or container in el.iterancestors()
        }

    containers = {_container(el, keys_of) for el in anchored}
    containers.discard(None)
    return [
        url for el, url, _ in found if any(c is el or c in el.iterancestors() for c in containers)
    ]


_SCRIPT_IMAGE = re.compile(
    r"(?:https?:)?(?:\\?/){2}[^\s\"'<>()]+?\.(?:jpe?g|png|webp|avif)(?:\?[^\s\"'<>()]*)?", re.I
)
# "imageUrl": "...", "images": ["...", ...]: image URLs by their keys (some CDNs give
# them no file extension)
_KEYED_IMAGE = re.compile(
    r"\"(?:\w*image\w*|\w*img\w*|full|zoom|large)\"\s*:\s*\"((?:https?:)?(?:\\?/){2}[^\"]+)\"",
    re.I,
)
_IMAGE_LIST = re.compile(r"\"\w*images\"\s*:\s*\[([^\]]*)\]", re.I)


def script_images(root, base: str | None, title: str | None, known: list[str]) -> list[str]:
    """Product images that only a page's inline script state holds (a gallery the page's
    JavaScript builds): URLs whose file name carries the product's name or an image
    already known to be the product's, and image fields of a script about the product."""
    title_tokens = set(re.findall(r"[a-z0-9]{3,}", (title or "").lower()))
    stems = {_stem(url) for url in known}
    found: list[str] = []
    for script in root.iter("script"):
        text = script.text or ""
        if "ld+json" in (script.get("type") or "") or not text:
            continue
        about = bool(title) and title.lower() in text.lower()
        for raw in _script_urls(text, about):
            url = absolute(raw.replace("\\/", "/"), base)
            name = urlsplit(url or "").path.rsplit("/", 1)[-1].lower()
            shared = title_tokens & set(re.findall(r"[a-z0-9]{3,}", name))
            named = len(shared) >= min(2, len(title_tokens)) or _stem(url or "") in stems
            if url and (named or about) and not is_junk(url):
                found.append(url)
    return found


def _script_urls(text: str, about: bool) -> list[str]:
    urls = _SCRIPT_IMAGE.findall(text)
    if about:
        urls += _KEYED_IMAGE.findall(text)
        for listed in _IMAGE_LIST.findall(text):
            urls += re.findall(r"\"((?:https?:)?(?:\\?/){2}[^\"]+)\"", listed)
    return urls


def _stem(url: str) -> str:
    """``.../kettle-2.jpg?v=3`` -> ``.../kettle``: one product's numbered images."""
    path = urlsplit(url).path.lower()
    return re.sub(r"[-_]?\d{0,3}\.(jpe?g|png|webp|avif)$", "", path)


IMAGE_HINT = re.compile(r"image|img|media|photo|picture|pic|static|cdn|assets|upload|files", re.I)


def looks_like_image(url: str, page_url: str | None) -> bool:
    """An image URL rather than a page (structured data sometimes gives the page URL)."""
    path = urlsplit(url).path.lower()
    if page_url and url.split("#", 1)[0] == page_url.split("#", 1)[0]:
        return False
    if path.endswith((".html", ".htm", ".php", ".aspx", "/")):
        return False
    return bool(IMAGE_EXT.search(path)) or bool(IMAGE_HINT.search(url))


def merge_images(groups: list[list[str]], base: str | None, limit: int = 20) -> list[str]:
    """Absolute, upgraded, deduplicated URLs from several sources, in priority order."""
    seen: set[str] = set()
    result: list[str] = []
    for group in groups:
        for raw in group:
            url = absolute(raw, base)
            if not url or is_junk(url) or not looks_like_image(url, base):
                continue
            key = dedupe_key(url)
            if key in seen:
                continue
            seen.add(key)
            result.append(upgrade(url))
            if len(result) >= limit:
                return result
    return result
