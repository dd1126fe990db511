"""How each shop platform marks up a product's price box, gallery and data blobs.

The markup follows each platform's own conventions (class names, data
attributes, lazy-loading and script-built galleries) but every template here
is written for these tests; no theme text is copied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Platform:
    """Templates of one platform. ``{p}`` is a printed price, ``{a}`` a plain amount."""

    name: str
    image: str  # URL pattern: {host} {slug} {k} {w} {model}
    box: str
    now: str
    old: str
    unit: str
    reason: str
    frame: str  # gallery container, {imgs}
    img: str  # one static gallery image: {u} {alt}
    lazy: str  # one lazy gallery image: {u} {alt}
    structured: str = "json-ld"  # or "microdata" or "" (no product markup at all)
    brand: str = ""  # visible brand line: {b}
    blob: str = "state"  # how a script-built gallery ships its images
    extra: dict = field(default_factory=dict)


def _p(name, **kw) -> Platform:
    return Platform(name=name, **kw)


_PLATFORMS = (
    _p(
        "shopify",
        image="https://{host}/cdn/shop/files/{slug}-{k}.jpg?v=17100{k}&width={w}",
        box='<div class="price price--large price--show-badge"><div class="price__container">'
        "{inner}</div></div>",
        now='<div class="price__sale"><span class="visually-hidden visually-hidden--inline">'
        'Sale price</span><span class="price-item price-item--sale price-item--last">{p}'
        "</span></div>",
        old='<span class="visually-hidden visually-hidden--inline">Regular price</span>'
        '<span><s class="price-item price-item--regular">{p}</s></span>',
        unit='<small class="unit-price caption"><span class="price-item price-item--last">{u}'
        "</span></small>",
        reason='<span class="badge price__badge-sold-out color-inverse">{r}</span>',
        frame='<media-gallery class="product__column-sticky"><ul class="product__media-list '
        'grid" role="list">{imgs}</ul></media-gallery>',
        img='<li class="product__media-item grid__item"><div class="product__media media">'
        '<img src="{u}" srcset="{u}&amp;width=493 493w, {u}&amp;width=1946 1946w" alt="{alt}" '
        'loading="lazy" width="1946" height="1946"></div></li>',
        lazy='<li class="product__media-item grid__item"><div class="product__media media">'
        '<img class="lazyload" data-src="{u}" data-widths="[180,360,540,720,900]" alt="{alt}">'
        '<noscript><img src="{u}" alt="{alt}"></noscript></div></li>',
        brand='<p class="product__text inline-richtext caption-with-letter-spacing">{b}</p>',
        blob="shopify",
    ),
    _p(
        "woocommerce",
        image="https://{host}/wp-content/uploads/2024/03/{slug}-{k}-{w}x{w}.jpg",
        box='<p class="price">{inner}</p>',
        now='<ins aria-hidden="true"><span class="woocommerce-Price-amount amount"><bdi>{p}'
        "</bdi></span></ins>",
        old='<del aria-hidden="true"><span class="woocommerce-Price-amount amount"><bdi>{p}'
        '</bdi></span></del> <span class="screen-reader-text">Original price was: {p}.</span>',
        unit='<span class="wc-gzd-additional-info price price-unit">{u}</span>',
        reason='<p class="stock out-of-stock">{r}</p>',
        frame='<div class="woocommerce-product-gallery woocommerce-product-gallery--with-images '
        'images" data-columns="4"><div class="woocommerce-product-gallery__wrapper">{imgs}'
        "</div></div>",
        img='<div data-thumb="{u}" class="woocommerce-product-gallery__image"><a href="{u}">'
        '<img width="600" height="600" src="{u}" class="wp-post-image" alt="{alt}" '
        'data-large_image="{u}" data-large_image_width="1200"></a></div>',
        lazy='<div data-thumb="{u}" class="woocommerce-product-gallery__image"><a href="{u}">'
        '<img width="600" height="600" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        'data-lazy-src="{u}" data-lazy-srcset="{u} 600w" class="lazyload" alt="{alt}"></a></div>',
    ),
    _p(
        "magento",
        image="https://{host}/media/catalog/product/cache/9b1f0a6c2d/{slug}-{k}.jpg",
        box='<div class="product-info-price"><div class="price-box price-final_price" '
        'data-role="priceBox" data-product-id="2041">{inner}</div></div>',
        now='<span class="special-price"><span class="price-container price-final_price tax">'
        '<span class="price-label">Special Price</span><span id="product-price-2041" '
        'data-price-amount="{a}" data-price-type="finalPrice" class="price-wrapper ">'
        '<span class="price">{p}</span></span></span></span>',
        old='<span class="old-price"><span class="price-container price-final_price tax">'
        '<span class="price-label">Regular Price</span><span id="old-price-2041" '
        'data-price-amount="{a}" data-price-type="oldPrice" class="price-wrapper ">'
        '<span class="price">{p}</span></span></span></span>',
        unit='<div class="base-price-info">{u}</div>',
        reason='<div class="stock unavailable" title="Availability"><span>{r}</span></div>',
        frame='<div class="gallery-placeholder _block-content-loading" '
        'data-gallery-role="gallery-placeholder">{imgs}</div>',
        img='<img alt="{alt}" class="gallery-placeholder__image" src="{u}">',
        lazy='<img alt="{alt}" class="gallery-placeholder__image" src="{u}">',
        structured="microdata",
        blob="magento",
    ),
    _p(
        "bigcommerce",
        image="https://cdn11.bigcommerce.com/s-x7k2m9/images/stencil/{w}x{w}/products/112/"
        "38{k}/{slug}__1711{k}.jpg",
        box='<div class="productView-price">{inner}</div>',
        now='<div class="price-section price-section--withoutTax"><span class="price-label">'
        "</span><span data-product-price-without-tax "
        'class="price price--withoutTax">{p}</span></div>',
        old='<div class="price-section price-section--withoutTax non-sale-price--withoutTax">'
        '<span class="price-was-label">{was}:</span><span data-product-non-sale-price-without-tax '
        'class="price price--non-sale">{p}</span></div>',
        unit='<div class="productView-info-value">{u}</div>',
        reason='<p class="productView-price-hidden">{r}</p>',
        frame='<section class="productView-images" data-image-gallery>{imgs}</section>',
        img='<figure class="productView-image" data-zoom-image="{u}"><a href="{u}">'
        '<img class="productView-image--default" src="{u}" alt="{alt}"></a></figure>',
        lazy='<li class="productView-thumbnail"><a class="productView-thumbnail-link" '
        'href="{u}" data-image-gallery-item data-image-gallery-zoom-image-url="{u}">'
        '<img class="lazyload" data-sizes="auto" src="/img/loading.svg" data-src="{u}" '
        'alt="{alt}"></a></li>',
        brand='<h2 class="productView-brand"><a href="/brands/"><span>{b}</span></a></h2>',
    ),
    _p(
        "prestashop",
        image="https://{host}/{k}4{k}-large_default/{slug}.jpg",
        box='<div class="product-prices js-product-prices">{inner}'
        '<div class="tax-shipping-delivery-label">{tax}</div></div>',
        now='<div class="product-price h5"><div class="current-price">'
        '<span class="current-price-value" content="{a}">{p}</span></div></div>',
        old='<div class="product-discount"><span class="regular-price">{p}</span></div>',
        unit='<p class="product-unit-price sub">({u})</p>',
        reason='<span id="product-availability" class="js-product-availability">{r}</span>',
        frame='<div class="images-container js-images-container"><ul class="product-images '
        'js-qv-product-images">{imgs}</ul></div>',
        img='<li class="thumb-container js-thumb-container"><img class="thumbnail js-thumb" '
        'data-image-large-src="{u}" src="{u}" alt="{alt}" width="98" height="98"></li>',
        lazy='<li class="thumb-container js-thumb-container"><img class="thumbnail js-thumb '
        'lazyload" data-image-large-src="{u}" data-src="{u}" alt="{alt}"></li>',
        structured="microdata",
        brand='<div class="product-manufacturer"><label class="label">{brandlabel}</label> '
        '<a href="/brand/">{b}</a></div>',
    ),
    _p(
        "shopware",
        image="https://{host}/media/5a/c3/11/17000{k}/{slug}-{k}.jpg",
        box='<div class="product-detail-price-container">{inner}</div>',
        now='<p class="product-detail-price with-list-price">{p}*</p>',
        old='<span class="product-detail-list-price-wrapper"><span class="list-price-price">'
        "{p}*</span></span>",
        unit='<div class="product-detail-price-unit"><span class="price-unit-reference-content">'
        "({u})</span></div>",
        reason='<p class="delivery-information delivery-soldout">{r}</p>',
        frame='<div class="gallery-slider"><div class="gallery-slider-container">{imgs}'
        "</div></div>",
        img='<div class="gallery-slider-item-container"><div class="gallery-slider-item '
        'is-contain js-magnifier-container"><img src="{u}" srcset="{u} 800w" data-full-image="{u}" '
        'class="img-fluid gallery-slider-image magnifier-image js-magnifier-image" alt="{alt}">'
        "</div></div>",
        lazy='<div class="gallery-slider-item-container"><div class="gallery-slider-item">'
        '<img data-src="{u}" data-srcset="{u} 400w, {u} 800w" class="img-fluid '
        'gallery-slider-image" alt="{alt}" loading="lazy"></div></div>',
        structured="microdata",
        brand='<div class="product-detail-manufacturer"><a href="/brand" '
        'class="product-detail-manufacturer-link" title="{b}">{b}</a></div>',
    ),
    _p(
        "opencart",
        image="https://{host}/image/cache/catalog/products/{slug}-{k}-{w}x{w}.jpg",
        box='<ul class="list-unstyled">{inner}<li>Ex Tax: {extax}</li></ul>',
        now="<li><h2>{p}</h2></li>",
        old='<li><span style="text-decoration: line-through;">{p}</span></li>',
        unit="<li>{u}</li>",
        reason="<li>{r}</li>",
        frame='<ul class="thumbnails">{imgs}</ul>',
        img='<li class="image-additional"><a class="thumbnail" href="{u}" title="{alt}">'
        '<img src="{u}" title="{alt}" alt="{alt}"></a></li>',
        lazy='<li class="image-additional"><a class="thumbnail" href="{u}" title="{alt}">'
        '<img data-src="{u}" class="lazy" alt="{alt}"></a></li>',
        structured="",
        brand='<ul class="list-unstyled"><li>{brandlabel}: <a href="/brand">{b}</a></li>'
        "<li>Product Code: {model}</li></ul>",
    ),
    _p(
        "sfcc",
        image="https://{host}/dw/image/v2/BFKL_PRD/on/demandware.static/-/Sites-master-catalog/"
        "default/dw8e2f1c/images/large/{model}_{k}.jpg?sw={w}",
        box='<div class="prices"><div class="price"><span>{inner}</span></div></div>',
        now='<span class="sales"><span class="value" content="{a}">{p}</span></span>',
        old='<del><span class="strike-through list"><span class="value" content="{a}">{p}'
        "</span></span></del>",
        unit='<span class="price-per-unit">{u}</span>',
        reason='<div class="availability-msg"><div>{r}</div></div>',
        frame='<div class="primary-images"><div class="carousel slide"><div class="carousel-inner" '
        'role="listbox">{imgs}</div></div></div>',
        img='<div class="carousel-item"><img src="{u}" class="d-block img-fluid" alt="{alt}" '
        'itemprop="image"></div>',
        lazy='<div class="carousel-item"><img data-src="{u}" data-zoom-image="{u}" '
        'class="d-block img-fluid lazyload" alt="{alt}"></div>',
        brand='<div class="product-brand">{b}</div>',
    ),
    _p(
        "vtex",
        image="https://lojaxyz.vteximg.com.br/arquivos/ids/15{k}32-{w}-auto?v=6384{k}&width={w}",
        box='<div class="vtex-flex-layout-0-x-flexCol vtex-product-price-1-x-priceBox">'
        "{inner}</div>",
        now='<span class="vtex-product-price-1-x-sellingPrice"><span '
        'class="vtex-product-price-1-x-sellingPriceValue">{vtex}</span></span>',
        old='<span class="vtex-product-price-1-x-listPrice"><span '
        'class="vtex-product-price-1-x-listPriceValue strike">{p}</span></span>',
        unit='<span class="vtex-product-price-1-x-unitPrice">{u}</span>',
        reason='<div class="vtex-store-components-3-x-availabilityMessage">{r}</div>',
        frame='<div class="vtex-store-components-3-x-carouselContainer">{imgs}</div>',
        img='<div class="vtex-store-components-3-x-productImage"><img '
        'class="vtex-store-components-3-x-productImageTag" src="{u}" alt="{alt}"></div>',
        lazy='<div class="vtex-store-components-3-x-productImage"><img '
        'class="vtex-store-components-3-x-productImageTag" data-src="{u}" loading="lazy" '
        'alt="{alt}"></div>',
        brand='<span class="vtex-store-components-3-x-productBrandName">{b}</span>',
        blob="vtex",
    ),
    _p(
        "wix",
        image="https://static.wixstatic.com/media/8c1f2a_{k}{model}~mv2.jpg/v1/fill/w_{w},h_{w},"
        "al_c,q_85/{slug}.jpg",
        box='<div data-hook="product-price" class="_2rN9f">{inner}</div>',
        now='<span data-hook="formatted-primary-price" class="_26qxh">{p}</span>',
        old='<span data-hook="formatted-secondary-price" class="_3tyRM">{p}</span>',
        unit='<div data-hook="base-price">{u}</div>',
        reason='<div data-hook="out-of-stock-message">{r}</div>',
        frame='<div data-hook="product-gallery-root"><div data-hook="main-media-image-wrapper">'
        "{imgs}</div></div>",
        img='<wow-image data-image-info=\'{{"imageData":{{"uri":"{u}"}}}}\'><img src="{u}" '
        'alt="{alt}"></wow-image>',
        lazy='<wow-image data-has-ssr-src=""><img src="{u}/blur_2" data-src="{u}" alt="{alt}">'
        "</wow-image>",
        blob="state",
    ),
    _p(
        "squarespace",
        image="https://images.squarespace-cdn.com/content/v1/5f3c1a2b9e/{k}7a1b/{slug}-{k}.jpg",
        box='<div class="product-price">{inner}</div>',
        now="{p}",
        old='<span class="visually-hidden">Original Price:</span>'
        '<span class="original-price">{p}</span> <span class="visually-hidden">Sale Price:</span>',
        unit='<div class="product-unit-price">{u}</div>',
        reason='<div class="product-mark sold-out">{r}</div>',
        frame='<div class="product-gallery-slides">{imgs}</div>',
        img='<div class="product-gallery-slides-item"><img src="{u}?format=1000w" '
        'data-image="{u}" alt="{alt}"></div>',
        lazy='<div class="product-gallery-slides-item"><img data-src="{u}" data-image="{u}" '
        'data-image-dimensions="2000x2000" data-load="false" alt="{alt}"></div>',
    ),
    _p(
        "custom",
        image="/img/p/{model}/{k}_{w}.jpg",
        box='<div class="pdp-price">{inner}</div>',
        now='<span class="price-now">{p}</span>',
        old='<span class="price-old"><s>{p}</s></span>',
        unit='<span class="price-unit">{u}</span>',
        reason='<p class="pdp-note">{r}</p>',
        frame='<div class="pdp-gallery">{imgs}</div>',
        img='<a href="{u}" class="zoom"><img src="{u}" alt="{alt}"></a>',
        lazy='<a href="{u}" class="zoom"><img src="/img/blank.gif" data-original="{u}" '
        'data-zoom-image="{u}" alt="{alt}"></a><noscript><img src="{u}" alt="{alt}"></noscript>',
        structured="",
        brand='<p class="pdp-brand">{brandlabel}: <strong>{b}</strong></p>',
    ),
    _p(
        "spa",
        image="https://img.{host}/p/{model}/{k}/{w}.webp",
        box='<div class="ProductPrice_root__x1">{inner}</div>',
        now='<p class="ProductPrice_current__a2" data-testid="price">{p}</p>',
        old='<p class="ProductPrice_previous__b3" data-testid="old-price"><del>{p}</del></p>',
        unit='<p class="ProductPrice_unit__c4">{u}</p>',
        reason='<p class="ProductPrice_note__d5">{r}</p>',
        frame='<div class="Gallery_root__k9" data-testid="gallery">{imgs}</div>',
        img='<img src="{u}" srcset="{u} 640w, {u}?w=1280 1280w" alt="{alt}">',
        lazy='<div class="Gallery_slide__k2"><img srcset="{u} 640w, {u}?dpr=2 1280w" '
        'sizes="50vw" loading="lazy" alt="{alt}"></div>',
        structured="",
    ),
)
PLATFORMS = {p.name: p for p in _PLATFORMS}


def shopify_blob(product: dict) -> str:
    """Older Shopify themes ship the product as JSON; prices are in cents."""
    return (
        f'<script type="application/json" id="ProductJson-product-template">'
        f"{json.dumps(product, ensure_ascii=False)}</script>"
    )


def magento_blob(images: list[str], name: str) -> str:
    """Magento's gallery widget gets its images from an x-magento-init script."""
    data = [
        {
            "thumb": u,
            "img": u,
            "full": u,
            "caption": name,
            "position": str(i + 1),
            "isMain": i == 0,
            "type": "image",
            "videoUrl": None,
        }
        for i, u in enumerate(images)
    ]
    init = {
        "[data-gallery-role=gallery-placeholder]": {
            "mage/gallery/gallery": {
                "mixins": ["magnifier/magnify"],
                "data": data,
                "options": {"nav": "thumbs"},
            }
        }
    }
    return f'<script type="text/x-magento-init">{json.dumps(init)}</script>'


def vtex_blob(product: dict) -> str:
    """VTEX IO renders from a __STATE__ object embedded in a template tag."""
    state = {f"Product:sp-{product['productId']}": product}
    return (
        '<template data-type="json" data-varname="__STATE__"><script>'
        f"{json.dumps(state, ensure_ascii=False)}</script></template>"
    )


def state_blob(product: dict) -> str:
    """Hand-made single-page shops hydrate from window.__INITIAL_STATE__."""
    state = {"router": {"route": "pdp"}, "pdp": {"product": product}}
    return f"<script>window.__INITIAL_STATE__ = {json.dumps(state, ensure_ascii=False)};</script>"
