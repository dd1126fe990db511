"""The offline script writer: templates plus a small grammar, deterministic per seed.

Structure: a hook; two to four benefit scenes drawn from the features; social
proof when the product has a rating; the price or offer; a call to action. The
word budget is ``length_s * voice_wps`` and the text is fitted to it (within
about 10 %) by trimming feature sentences or adding short elaborations.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from ..extract import language as languages
from ..extract.model import Product
from .grammar import BANKS, LANGUAGES, TONES

LENGTHS = (15, 30, 60)
ASPECTS = {"9:16": "tiktok_reels", "16:9": "youtube", "1:1": "square"}
BENEFIT_SCENES = {15: 2, 30: 3, 60: 4}
CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "BRL": "R$",
    "AUD": "A$",
    "CAD": "C$",
    "CHF": "CHF ",
    "CLP": "$",
    "MXN": "$",
}
# Per language: (thousands separator, decimal separator) of numbers in the script, and
# currency symbols that differ from CURRENCY_SYMBOLS ("US$" in Brazil). German, French
# and Spanish keep "1 299,90 €"; Portuguese writes "R$ 1.299,90" (Brazil) and "24,99 €".
NUMBER_STYLE = {"en": (",", "."), "pt": (".", ",")}
LOCAL_SYMBOLS = {"pt": {"USD": "US$", "EUR": "€"}}
_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_MODEL_CODE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9-]{5,}\b")


@dataclass
class Scene:
    """One shot: what is said, what is shown, and for how long."""

    role: str  # hook | benefit | proof | offer | cta
    text: str
    images: list[int] = field(default_factory=list)  # indices into the image list
    image_urls: list[str] = field(default_factory=list)
    on_screen_text: str = ""
    duration_s: float = 0.0


@dataclass
class Script:
    """A narrated script and its storyboard."""

    language: str
    tone: str
    aspect: str
    platform: str
    length_s: int
    voice_wps: float
    word_budget: int
    scenes: list[Scene]
    seed: int
    writer: str = "template"
    notes: list[str] = field(default_factory=list)
    # Set when the page's language has no writer or voice: says so in words and names
    # the languages there are (the script is then wholly in ``language``).
    language_note: str | None = None

    @property
    def text(self) -> str:
        return " ".join(scene.text for scene in self.scenes)

    @property
    def word_count(self) -> int:
        return count_words(self.text)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(text=self.text, word_count=self.word_count)
        return data


def count_words(text: str) -> int:
    return len(re.findall(r"[\w€$£¥₹'’.,-]*\w[\w'’.,-]*", text))


def expand(template: str, rng: random.Random, **values) -> str:
    """Pick one alternative in every ``[a|b]`` group, then fill ``{names}``."""
    while True:
        match = _CHOICE.search(template)
        if not match:
            break
        template = (
            template[: match.start()]
            + rng.choice(match.group(1).split("|"))
            + template[match.end() :]
        )
    return re.sub(r"\s+([!?.,:])", r"\1", template.format(**values)).strip()


def short_name(product: Product, max_words: int, unnamed: str = "this product") -> str:
    """A speakable product name: the title before separators, a few words long."""
    title = product.title or product.brand or unnamed
    head = re.split(r"\s[-–|—]\s|,|\(|\[|/", title)[0].strip() or title
    head = _MODEL_CODE.sub("", head)
    words = head.split()
    return " ".join(words[:max_words]) if words else title


def spoken_feature(text: str, max_words: int) -> str:
    """A bullet rewritten as a short spoken sentence: specs, codes and asides trimmed."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", text)
    text = _MODEL_CODE.sub("", text)
    head, _, body = text.partition(":")
    if body.strip() and len(head.split()) <= 5 and len(body.split()) >= 3:
        text = body
    text = re.sub(r"\s+", " ", text).strip(" -–•*.;,")
    words = text.split()
    if len(words) > max_words:
        text = _cut(words, max_words)
    return text[:1].upper() + text[1:] if text else text


DANGLING = frozenset(
    "a an the of to for with and or that which when lets is are has have its it's their your "
    "from by in on at as so but can will may might could would should be been you we they "
    "who where while if than der die das und mit für von zu le la les de des et pour avec "
    "el los las del y con para por que o os um uma do da dos das no na nos nas em ao pelo pela "
    "e como seu sua".split()
)


def _cut(words: list[str], max_words: int) -> str:
    """The first ``max_words`` words, ending at a clause boundary when one is near and
    never on a dangling article, preposition or conjunction."""
    cut = words[:max_words]
    for index in range(len(cut) - 1, max(2, max_words // 2) - 1, -1):
        if cut[index].endswith((",", ";")) or words[index + 1].lower() in DANGLING:
            cut = cut[: index + 1]
            break
    while len(cut) > 2 and cut[-1].lower().strip(",;") in DANGLING:
        cut.pop()
    return " ".join(cut).rstrip(",;")


def lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():
        return text  # an acronym or a shouted brand: leave it
    return text[:1].lower() + text[1:]


def local_number(value, language: str, decimals: int | None = None) -> str:
    """VALUE written the way LANGUAGE writes numbers: 1,299.9 (en), 1.299,9 (pt),
    1 299,9 (the others). DECIMALS fixes the decimal places (None: as given)."""
    number = Decimal(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals))
    text = f"{number:,f}"
    thousands, point = NUMBER_STYLE.get(language, (" ", ","))
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)


def speakable_price(product: Product, language: str) -> str | None:
    """'$24.99' in English, 'R$ 1.299,90' and '24,99 €' in Portuguese, '24,99 €' in
    German, French and Spanish."""
    if product.price is None:
        return None
    amount = Decimal(product.price)
    text = local_number(amount, language, 0 if amount == amount.to_integral_value() else 2)
    code = product.currency or ""
    symbol = LOCAL_SYMBOLS.get(language, {}).get(code) or CURRENCY_SYMBOLS.get(code, "")
    if language == "en":
        return f"{symbol}{text}" if symbol else f"{text} {code}".strip()
    if language == "pt" and symbol and code != "EUR":
        return f"{symbol.strip()} {text}"
    return f"{text} {symbol.strip() or code}".strip()


def _spoken_number(value, language: str) -> str:
    """A rating or a count as LANGUAGE writes it ('4,5' and '1.234' in Portuguese); the
    other languages keep the page's digits."""
    if language not in NUMBER_STYLE or language == "en":
        return str(value)
    return local_number(value, language)


def _counted(plan: _Plan, noun: str, count: int) -> str:
    """'1 avaliação', '1.234 avaliações': COUNT with the bank's NOUN in agreement."""
    one, many = plan.bank.get("nouns", {}).get(noun, (noun, noun))
    return f"{_spoken_number(count, plan.language)} {one if count == 1 else many}"


NOT_A_BENEFIT = re.compile(
    r"\b(sku|isbn|ean|art(ikel)?-?nr|item (no|number)|model (no|number)|vat|mwst|versand|"
    r"shipping|verkaufspreis|price|preis|prix|precio|preço|frete|cód(igo)?)\b"
    r"|[€$£]\s?\d|\d\s?[€$£]",
    re.I,
)


# A page's section heading run into the text after it ("Product Description A lot of
# people..."): read as a heading, never spoken.
HEADING = re.compile(
    r"^\s*(?:product\s+)?(?:description|details|overview|features|key features|highlights|"
    r"specifications|about this (?:item|product)|produktbeschreibung|beschreibung|"
    r"description du produit|descripción(?: del producto)?|descrição(?: do produto)?)"
    r"\s*[:\-–]?\s+(?=[A-ZÀ-Ý0-9])",
    re.I,
)


def without_heading(text: str) -> str:
    return HEADING.sub("", text, count=1)


def benefit_sources(product: Product, count: int) -> list[str]:
    """Feature bullets, then description sentences: spoken benefits, not spec codes."""
    features = [without_heading(f) for f in product.features]
    items = [f for f in features if len(f.split()) >= 3 and not NOT_A_BENEFIT.search(f)]
    if product.description:
        description = without_heading(product.description)
        sentences = [without_heading(s) for s in re.split(r"(?<=[.!?])\s+|\n", description)]
        items += [
            s
            for s in sentences
            if 5 <= len(s.split()) <= 40 and s not in items and not NOT_A_BENEFIT.search(s)
            and not _repeats_a_feature(s, product.features)
        ]  # fmt: skip
    return items


def _repeats_a_feature(sentence: str, features: list[str]) -> bool:
    """A description "sentence" that is really the feature list run together."""
    text = sentence.lower()
    return any(len(f.split()) >= 2 and f.lower() in text for f in features)


@dataclass
class _Plan:
    """Everything the scene builders need; the rng makes the choices."""

    product: Product
    bank: dict
    tone: str
    language: str
    aspect: str
    rng: random.Random
    benefits: int
    feature_words: int
    # The page is in another language than the script: its sentences are left out (a
    # script is in one language, never a mix) and the benefits are the bank's own.
    foreign: bool = False


def _pick(plan: _Plan, key: str, **values) -> str:
    options = plan.bank[key][plan.tone]
    return expand(plan.rng.choice(options), plan.rng, **values)


def _filler(plan: _Plan, used: set[str]) -> str | None:
    """An elaboration not used yet in this script (None when all are used)."""
    for _ in range(8):
        text = _pick(plan, "extend")
        if text not in used:
            used.add(text)
            return text
    return None


def _name(plan: _Plan, max_words: int) -> str:
    return short_name(plan.product, max_words, plan.bank.get("product", "this product"))


def _hook(plan: _Plan) -> str:
    words = 3 if plan.aspect == "9:16" else 6
    title = plan.product.title or _name(plan, 8)
    if plan.aspect != "16:9":
        title = _name(plan, 8)
    return _pick(plan, "hook", short=_name(plan, words), title=title)


def _benefit(plan: _Plan, source: str) -> str:
    feature = spoken_feature(source, plan.feature_words)
    return _pick(plan, "benefit", feature=feature, feature_lc=lower_first(feature))


def _proof(plan: _Plan) -> str | None:
    product = plan.product
    if not product.rating:
        return None
    rating = product.rating
    if product.rating_scale and product.rating_scale not in ("5", "5.0"):
        rating = f"{Decimal(rating) * 5 / Decimal(product.rating_scale):.1f}".rstrip("0")
        rating = rating.rstrip(".")
    count = product.review_count
    if count is not None and count < 2 and "nouns" not in plan.bank:
        count = None  # a bank without singular nouns would say "by 1 fans": leave it out
    counts = {"count": _spoken_number(count, plan.language) if count else ""}
    if count:
        counts.update(n_reviews=_counted(plan, "reviews", count))
        counts.update(n_buyers=_counted(plan, "buyers", count))
    count_phrase = " " + expand(plan.bank["count_phrase"], plan.rng, **counts) if count else ""
    options = plan.bank["proof"][plan.tone]
    if not count:
        options = [o for o in options if "{count}" not in o and "{n_" not in o] or [
            "{rating} / 5 ★" if plan.language != "en" else "Rated {rating} out of five."
        ]
    return expand(
        plan.rng.choice(options),
        plan.rng,
        rating=_spoken_number(rating, plan.language),
        count_phrase=count_phrase,
        **counts,
    )


def _offer(plan: _Plan) -> str:
    price = speakable_price(plan.product, plan.language)
    if price is None:
        return _pick(plan, "offer_no_price")
    return _pick(plan, "offer", price=price)


def _overlay(plan: _Plan, role: str, text: str) -> str:
    product = plan.product
    templates = plan.bank["overlay"]
    if (
        role in templates
        and (role != "offer" or product.price)
        and (role != "proof" or product.rating)
    ):
        value = expand(
            templates[role],
            plan.rng,
            price=speakable_price(product, plan.language),
            rating=_spoken_number(product.rating, plan.language) if product.rating else None,
        )
    elif role == "hook":
        value = _name(plan, 4)
    else:
        value = " ".join(re.sub(r"[!?.,:]", "", text).split()[:4])
    return value.upper() if plan.aspect == "9:16" else value


def _fixed_scenes(plan: _Plan) -> tuple[Scene, list[Scene]]:
    tail = []
    proof = _proof(plan)
    if proof:
        tail.append(Scene("proof", proof))
    tail.append(Scene("offer", _offer(plan)))
    tail.append(Scene("cta", _pick(plan, "cta")))
    return Scene("hook", _hook(plan)), tail


def _benefit_scenes(plan: _Plan, sources: list[str], allowance: int):
    """One scene per source of about ``allowance`` words; returns (scenes, spare sources)."""
    plan.feature_words = max(5, allowance - 3)
    picked, spare = sources[: plan.benefits], list(sources[plan.benefits :])
    scenes = []
    for source in picked:
        scene = Scene("benefit", _benefit(plan, source))
        scene.on_screen_text = " ".join(spoken_feature(source, 4).split()[:4])
        scenes.append(scene)
    return scenes, spare


def _pad(
    plan: _Plan, scenes: list[Scene], benefits: list[Scene], spare: list[str], budget: int
) -> None:
    """Top up the shortest benefit scenes with spare facts, then with elaborations."""
    used: set[str] = set()
    for _ in range(16):
        missing = round(budget * 0.97) - _total(scenes)
        if missing < 3 or not benefits:
            return
        scene = min(benefits, key=lambda s: count_words(s.text))
        if spare:
            extra = spoken_feature(spare.pop(0), max(4, min(missing, plan.feature_words)))
            scene.text = f"{scene.text} {extra}."
            continue
        filler = _filler(plan, used)
        if filler is None:
            return
        scene.text = f"{scene.text} {filler}"


def _generic_sources(plan: _Plan) -> list[str]:
    """Benefits any product has, in the script's language, for pages with too few."""
    return list(plan.bank["generic"])


def _fit(plan: _Plan, budget: int) -> list[Scene]:
    """Scenes whose words add up to about ``budget``."""
    hook, tail = _fixed_scenes(plan)
    sources = [] if plan.foreign else benefit_sources(plan.product, plan.benefits)
    sources = sources or _generic_sources(plan)
    if len(sources) < 2:
        sources += _generic_sources(plan)[: 2 - len(sources)]
    plan.benefits = max(2, min(plan.benefits, len(sources)))
    fixed = count_words(hook.text) + sum(count_words(s.text) for s in tail)
    allowance = max(4, (budget - fixed) // plan.benefits)
    benefits, spare = _benefit_scenes(plan, sources, allowance)
    while _total([hook, *benefits, *tail]) > budget * 1.1 and allowance > 4:
        allowance -= 2
        benefits, spare = _benefit_scenes(plan, sources, allowance)
    scenes = [hook, *benefits, *tail]
    _pad(plan, scenes, benefits, spare, budget)
    return scenes


def _total(scenes: list[Scene]) -> int:
    return sum(count_words(s.text) for s in scenes)


def _assign_images(scenes: list[Scene], images: list[str], plan: _Plan, wps: float) -> None:
    count = len(images)
    next_image = 1
    for scene in scenes:
        if count == 0:
            index = None
        elif scene.role == "benefit" and count > 1:
            index, next_image = next_image, next_image % (count - 1) + 1
        elif scene.role == "cta":
            index = count - 1 if count > 2 else 0
        else:
            index = 0
        scene.images = [index] if index is not None else []
        scene.image_urls = [images[index]] if index is not None else []
        if not scene.on_screen_text:
            scene.on_screen_text = _overlay(plan, scene.role, scene.text)
        elif plan.aspect == "9:16":
            scene.on_screen_text = scene.on_screen_text.upper()
        scene.duration_s = round(max(1.5, count_words(scene.text) / wps), 2)


def usable_languages(available=None) -> list[str]:
    """The languages the writer writes and (with AVAILABLE, the voices' languages) a voice
    speaks, in the writer's order."""
    return [lang for lang in LANGUAGES if available is None or lang in available]


def resolve_language(product: Product, language: str | None, available=None):
    """(language to write in, notes): the page's language when a writer and a voice exist."""
    wanted = (language or product.language or "en").replace("_", "-").split("-")[0].lower()
    usable = usable_languages(available)
    if wanted in usable:
        return wanted, []
    fallback = "en" if "en" in usable or not usable else usable[0]
    return fallback, [f"no writer or voice for language '{wanted}'; wrote {fallback}"]


def language_note(language: str | None, available=None) -> str | None:
    """In words, for the seller: the page's LANGUAGE has no writer or voice, which
    languages there are, and what the script is written in (None when it has both)."""
    wanted = languages.primary(language)
    usable = usable_languages(available)
    if wanted is None or wanted in usable:
        return None
    fallback = "en" if "en" in usable or not usable else usable[0]
    names = [languages.name(code) for code in usable]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    return (
        f"This page is in {languages.name(wanted)}, which the script writer does not write "
        f"yet. Scripts can be written in {listed}, so this one is in "
        f"{languages.name(fallback)}: edit the scenes to say it in your own words, or use "
        f"a product page in one of those languages."
    )


def validate(length_s: int, tone: str, aspect: str, voice_wps: float) -> None:
    """Raise ValueError for options outside the supported sets."""
    if length_s not in LENGTHS:
        raise ValueError(f"length must be one of {LENGTHS}, not {length_s}")
    if tone not in TONES:
        raise ValueError(f"tone must be one of {TONES}, not {tone!r}")
    if aspect not in ASPECTS:
        raise ValueError(f"aspect must be one of {tuple(ASPECTS)}, not {aspect!r}")
    if not 0.5 <= voice_wps <= 6:
        raise ValueError(f"voice_wps must be between 0.5 and 6, not {voice_wps}")


def write_template_script(
    product: Product,
    length_s: int = 30,
    tone: str = "energetic",
    aspect: str = "9:16",
    voice_wps: float = 2.5,
    seed: int = 0,
    language: str | None = None,
    images: list[str] | None = None,
    available_languages=None,
) -> Script:
    """The offline writer. See :func:`scraper.script.write_script` for the arguments."""
    validate(length_s, tone, aspect, voice_wps)
    lang, notes = resolve_language(product, language, available_languages)
    budget = round(length_s * voice_wps)
    rng = random.Random(f"{seed}:{lang}:{tone}:{aspect}:{length_s}")
    extra = 1 if aspect == "16:9" and length_s >= 30 else 0
    plan = _Plan(
        product,
        BANKS[lang],
        tone,
        lang,
        aspect,
        rng,
        benefits=min(4, BENEFIT_SCENES[length_s] + extra),
        feature_words=max(6, budget // 6),
        foreign=languages.primary(product.language) not in (None, lang),
    )
    if plan.foreign:
        notes.append(
            f"the page's sentences are in '{product.language}': left out of a {lang} script"
        )
    scenes = _fit(plan, budget)
    images = images if images is not None else product.images
    _assign_images(scenes, images, plan, voice_wps)
    if not product.rating:
        notes.append("no rating on the page: no social-proof scene")
    script = Script(
        lang, tone, aspect, ASPECTS[aspect], length_s, voice_wps, budget, scenes, seed, notes=notes
    )
    if language is None:  # the page's own language was wanted
        script.language_note = language_note(product.language, available_languages)
    if script.word_count < 0.85 * budget:
        notes.append(
            f"the page has too little content for {length_s} s: "
            f"{script.word_count} words for a budget of {budget}"
        )
    return script
