"""The templates every workspace starts with, made by the project.

Each is a video request with `{{variables}}` (see variables.py) and the
variables' types, labels and defaults. Ids are slugs, so the API and links
can name them (`product-ad-vertical`); a workspace's own templates have UUIDs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from saas.studio.specs import DEFAULT_AVATAR, DEFAULT_VOICE

PRESENTER = {"name": "presenter", "type": "presenter", "default": DEFAULT_AVATAR}
VOICE = {"name": "voice", "type": "voice", "default": DEFAULT_VOICE}


def _var(name, label, default=None, *, type=None, required=True) -> dict:
    item = {"name": name, "label": label, "required": required}
    if default is not None:
        item["default"] = default
    if type:
        item["type"] = type
    return item


def _scene(script: str, layout: str, *, media=None, overlays=None, background=None) -> dict:
    scene = {"script": script, "avatar": "{{presenter}}", "voice": "{{voice}}", "layout": layout}
    if media:
        scene["media"] = media
    if overlays:
        scene["overlays"] = overlays
    if background:
        scene["background"] = background
    return scene


def _bullets(*names: str) -> dict:
    return {"type": "bullets", "items": [f"{{{{{name}}}}}" for name in names]}


def _title(text: str, subtitle: str) -> dict:
    return {"type": "title", "text": text, "subtitle": subtitle}


def _gradient(*colors: str) -> dict:
    return {"type": "gradient", "colors": list(colors), "angle": 135}


@dataclass(frozen=True)
class Builtin:
    slug: str
    name: str
    description: str
    request: dict
    variables: list = field(default_factory=list)
    sample: dict = field(default_factory=dict)  # values for its preview thumbnail

    @property
    def aspect(self) -> str:
        return self.request.get("aspect", "16:9")


_PRODUCT_VARIABLES = [
    _var("product_name", "Product name"),
    _var("headline", "One-line pitch", "Made to make every day a little better."),
    _var("benefit_1", "Benefit 1"),
    _var("benefit_2", "Benefit 2"),
    _var("benefit_3", "Benefit 3", "", required=False),
    _var("image_1", "Main image (URL or asset id)"),
    _var("image_2", "Second image", "", required=False),
    _var("price", "Price", type="number"),
    _var("currency", "Currency symbol", "$"),
    _var("call_to_action", "Call to action", "Shop now"),
    PRESENTER,
    VOICE,
]
_PRODUCT_SAMPLE = {
    "product_name": "Northwind Trail Mug", "benefit_1": "Keeps coffee hot for 12 hours",
    "benefit_2": "Leak-proof lid", "price": "24.00",
}  # fmt: skip


def _product_ad(slug: str, name: str, aspect: str, image_layout: str, host: str) -> Builtin:
    images = [{"asset": "{{image_1}}"}, {"asset": "{{image_2}}"}]
    request = {
        "title": "{{product_name}}",
        "aspect": aspect,
        "music": "upbeat",
        "captions": True,
        "scenes": [
            _scene(
                "Meet {{product_name}}. {{headline}}",
                "presenter",
                overlays=[{"type": "title", "text": "{{product_name}}"}],
                background=_gradient("#1d2b64", "#f8cdda"),
            ),
            _scene(
                "{{benefit_1}}. {{benefit_2}}. {{benefit_3}}",
                image_layout,
                media=images,
                overlays=[
                    {
                        "type": "bullets",
                        "items": ["{{benefit_1}}", "{{benefit_2}}", "{{benefit_3}}"],
                    }
                ],
            ),
            _scene(
                "Get {{product_name}} today for just {{currency}}{{price}}.",
                image_layout,
                media=[{"asset": "{{image_1}}"}],
                overlays=[{"type": "price", "price": "{{currency}}{{price}}"}],
            ),
            _scene(
                "{{call_to_action}}.",
                "presenter",
                overlays=[{"type": "cta", "text": "{{call_to_action}}"}],
                background=_gradient("#f8cdda", "#1d2b64"),
            ),
        ],
    }
    description = (
        f"Hook, benefits over the product's images, price card, call to action ({aspect})."
    )
    sample = {**_PRODUCT_SAMPLE, "presenter": host}
    return Builtin(slug, name, description, request, _PRODUCT_VARIABLES, sample)


SALE = Builtin(
    "price-drop",
    "Sale / price drop",
    "Announce a discount: old and new price on a card, the offer's end date, a call to action.",
    {
        "title": "{{product_name}}: {{discount}}% off",
        "aspect": "9:16",
        "music": "upbeat",
        "scenes": [
            _scene(
                "Big news: {{product_name}} is {{discount}} percent off.",
                "presenter",
                overlays=[
                    {"type": "title", "text": "{{discount}}% off", "subtitle": "{{product_name}}"}
                ],
                background=_gradient("#c31432", "#240b36"),
            ),
            _scene(
                "It was {{currency}}{{old_price}}. Now it is only {{currency}}{{price}}.",
                "corner",
                media=[{"asset": "{{image}}"}],
                overlays=[
                    {
                        "type": "price",
                        "price": "{{currency}}{{price}}",
                        "old_price": "{{currency}}{{old_price}}",
                        "label": "Sale",
                    }
                ],
            ),  # fmt: skip
            _scene(
                "The offer ends {{ends}}. Don't miss it.",
                "presenter",
                overlays=[{"type": "cta", "text": "Shop the sale"}],
                background=_gradient("#240b36", "#c31432"),
            ),
        ],
    },
    [
        _var("product_name", "Product name"),
        _var("image", "Product image (URL or asset id)"),
        _var("old_price", "Price before", type="number"),
        _var("price", "Sale price", type="number"),
        _var("discount", "Discount (%)", type="number"),
        _var("currency", "Currency symbol", "$"),
        _var("ends", "Offer ends", "this Sunday"),
        PRESENTER,
        VOICE,
    ],
    {"product_name": "Alpine Wool Beanie", "discount": "30", "presenter": "maya"},
)

WALKTHROUGH = Builtin(
    "feature-walkthrough",
    "Feature walkthrough",
    "Three features, each over its own screenshot, for a product or an app (16:9).",
    {
        "title": "{{product_name}}: what's inside",
        "aspect": "16:9",
        "scenes": [
            _scene(
                "Here is a quick tour of {{product_name}}.",
                "presenter",
                overlays=[
                    {"type": "title", "text": "{{product_name}}", "subtitle": "A quick tour"}
                ],
                background=_gradient("#0f2027", "#2c5364"),
            ),
            _scene(
                "First, {{feature_1}}.",
                "split",
                media=[{"asset": "{{screenshot_1}}"}],
                overlays=[{"type": "title", "text": "{{feature_1}}"}],
            ),
            _scene(
                "Next, {{feature_2}}.",
                "split",
                media=[{"asset": "{{screenshot_2}}"}],
                overlays=[{"type": "title", "text": "{{feature_2}}"}],
            ),
            _scene(
                "And finally, {{feature_3}}.",
                "split",
                media=[{"asset": "{{screenshot_3}}"}],
                overlays=[{"type": "title", "text": "{{feature_3}}"}],
            ),
            _scene("{{closing}}", "presenter", background=_gradient("#2c5364", "#0f2027")),
        ],
    },  # fmt: skip
    [
        _var("product_name", "Product or app"),
        _var("feature_1", "Feature 1"),
        _var("screenshot_1", "Screenshot 1 (URL or asset id)"),
        _var("feature_2", "Feature 2"),
        _var("screenshot_2", "Screenshot 2"),
        _var("feature_3", "Feature 3"),
        _var("screenshot_3", "Screenshot 3"),
        _var("closing", "Closing line", "Try it today, and tell us what you think."),
        PRESENTER,
        VOICE,
    ],
    {"product_name": "Ledgerly", "presenter": "astronaut"},
)

LESSON = Builtin(
    "training-lesson",
    "Training lesson",
    "A presenter teaches one lesson: introduction, three key points on screen, a summary.",
    {
        "title": "{{course}}: {{lesson}}",
        "aspect": "16:9",
        "captions": True,
        "scenes": [
            _scene(
                "Welcome to {{course}}. In this lesson: {{lesson}}. {{introduction}}",
                "presenter",
                overlays=[{"type": "title", "text": "{{lesson}}", "subtitle": "{{course}}"}],
                background=_gradient("#134e5e", "#71b280"),
            ),
            _scene(
                "There are three things to remember. {{point_1}}. {{point_2}}. {{point_3}}.",
                "presenter",
                overlays=[
                    {"type": "bullets", "items": ["{{point_1}}", "{{point_2}}", "{{point_3}}"]}
                ],
                background=_gradient("#71b280", "#134e5e"),
            ),
            _scene(
                "{{summary}} Thanks for watching, {{audience}}.",
                "presenter",
                background=_gradient("#134e5e", "#71b280"),
            ),
        ],
    },
    [
        _var("course", "Course"),
        _var("lesson", "Lesson title"),
        _var("introduction", "Introduction", "", required=False),
        _var("point_1", "Key point 1"),
        _var("point_2", "Key point 2"),
        _var("point_3", "Key point 3"),
        _var("summary", "Summary", "That's it for this lesson."),
        _var("audience", "Who it is for", "team"),
        PRESENTER,
        VOICE,
    ],
    {"course": "New starter onboarding", "lesson": "Your first week"},
)

ANNOUNCEMENT = Builtin(
    "company-announcement",
    "Company announcement",
    "News from the company: the headline, the details, what happens next and when.",
    {
        "title": "{{company}}: {{headline}}",
        "aspect": "16:9",
        "scenes": [
            _scene(
                "Hello everyone. I have news from {{company}}: {{headline}}.",
                "presenter",
                overlays=[{"type": "title", "text": "{{headline}}", "subtitle": "{{company}}"}],
                background=_gradient("#232526", "#414345"),
            ),
            _scene("{{details}}", "presenter", background=_gradient("#414345", "#232526")),
            _scene(
                "{{next_steps}} Thank you.",
                "presenter",
                overlays=[{"type": "cta", "text": "{{date}}"}],
                background=_gradient("#232526", "#414345"),
            ),
        ],
    },
    [
        _var("company", "Company"),
        _var("headline", "Headline"),
        _var("details", "Details"),
        _var("next_steps", "What happens next", "Your manager will share more this week."),
        _var("date", "Date", "Starting Monday"),
        {**PRESENTER, "default": "theo"},
        VOICE,
    ],
    {"company": "Northwind", "headline": "We are opening a new office in Lisbon"},
)

BUILTINS = {
    t.slug: t
    for t in (
        _product_ad("product-ad-vertical", "Product ad (9:16)", "9:16", "corner", DEFAULT_AVATAR),
        _product_ad("product-ad-wide", "Product ad (16:9)", "16:9", "split", "maya"),
        SALE,
        WALKTHROUGH,
        LESSON,
        ANNOUNCEMENT,
    )
}
