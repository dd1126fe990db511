"""The offline script writer: templates plus a small grammar, deterministic per seed.

Structure: a hook; benefit scenes (one or two in 15 s, two or three in 30 s and 60 s),
each a whole sentence from the page's cleaned facts (:mod:`scraper.script.facts`: no
headings, spec rows, boilerplate or cut-off sentences) with its headline; in longer ads
further facts follow as whole sentences; social proof when the page has a rating of 3.5
of 5 or more (the count in agreement with its noun); the price, or the reduction when the
product has a higher regular price; a call to action. The word budget is ``length_s *
voice_wps`` and the script keeps within about 10 % of it where the page has the facts; a
page with too few gets a shorter script and a note, with at most one elaboration, rather
than piled-up filler. :mod:`scraper.script.check` names what would make a script
unpublishable.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from ..extract import language as languages
from ..extract.model import Product
from ..prices import THREE_DECIMAL
from .facts import DANGLING, Fact, facts, is_headline, is_latin
from .grammar import BANKS, LANGUAGES, TONES

LENGTHS = (15, 30, 60)
ASPECTS = {"9:16": "tiktok_reels", "16:9": "youtube", "1:1": "square"}
BENEFIT_SCENES = {15: 2, 30: 3, 60: 3}
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
}  # pesos (CLP, MXN, ...) keep their code: a voice reads "$" as dollars
# Per language: (thousands separator, decimal separator) of numbers in the script, and
# currency symbols that differ from CURRENCY_SYMBOLS ("US$" in Brazil). German and
# Spanish write "1.299,90 €", French "1 299,90 €"; Portuguese writes "R$ 1.299,90"
# (Brazil) and "24,99 €". The voices' normalisers read each of these as one number.
NUMBER_STYLE = {"en": (",", "."), "de": (".", ","), "es": (".", ","), "pt": (".", ",")}
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
    """A speakable product name, a whole phrase: the title's first part (before a dash,
    comma, bracket, slash or plus), model codes left out, at most MAX_WORDS words and
    cut before a preposition rather than after one ("Grande Persian Brass Chess Set",
    not "... Chess Set with")."""
    title = product.title or product.brand or unnamed
    if not is_latin(title) and product.brand and is_latin(product.brand):
        return product.brand  # a name in another script than the script's language
    for part in re.split(r"\s[-–|—+/]\s|,|\(|\[", title):
        words = _MODEL_CODE.sub("", part).split()
        if words:
            break
    else:
        return title
    for index, word in enumerate(words[1 : max_words + 2], start=1):
        if word.lower() in DANGLING and index >= 2:
            words = words[:index]  # "Grande Persian Brass Chess Set" (before "with")
            break
    while len(words) > max_words and words[-1][:1].islower():
        words.pop()  # a trailing descriptor ("... Stone Cellars lieblich")
    if len(words) > max_words + 1:
        words = words[: max_words - 1] + words[-1:]  # keep the noun at the end
    while len(words) > 1 and words[-1].lower() in DANGLING:
        words.pop()
    return " ".join(words)


# Words a sentence may start with that are lower-cased after a lead-in ("Plus, the
# table..."); any other first word (a name, a German noun) keeps its capital.
_LOWERABLE = frozenset(
    "a an the this these that those it its each every our your all any some one two "
    "with from for in on at by made designed built ideal perfect great "
    "der die das dieser diese dieses ein eine es er mit für jede jeder jedes "
    "le la les ce cet cette un une il elle avec pour chaque "
    "el la los las este esta un una con para cada "
    "o a os as este esta um uma com para cada ideal there here based crafted handmade "
    "suitable durable easy perfect good".split()
)
# An English bullet that starts with a verb ("Helps to...", "Allows you...").
_VERB_FORM = re.compile(r"^(?:[a-z]+(?:s|es))$|^(?:[A-Z][a-z]+(?:s|es))$")


def lower_first(text: str, force: bool = False) -> str:
    """TEXT with its first letter lower-cased when the first word is a common word
    (never a name, an acronym or a German noun), or with FORCE (the bank's own text)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1].isupper():
        return text
    if not force and first.lower() not in _LOWERABLE and not _VERB_FORM.match(first):
        return text
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


def speakable_price(product: Product, language: str, amount=None) -> str | None:
    """'$24.99' in English, 'R$ 1.299,90' and '24,99 €' in Portuguese, '24,99 €' in
    German, French and Spanish."""
    if amount is None and product.price is None:
        return None
    amount = Decimal(product.price if amount is None else amount)
    code = product.currency or ""
    places = 3 if code in THREE_DECIMAL else 2  # 1.125 KWD is not 1.12
    text = local_number(amount, language, 0 if amount == amount.to_integral_value() else places)
    symbol = LOCAL_SYMBOLS.get(language, {}).get(code) or CURRENCY_SYMBOLS.get(code, "")
    if language == "en":
        return f"{symbol}{text}" if symbol else f"{text} {code}".strip()
    if language == "pt" and symbol and code != "EUR":
        return f"{symbol.strip()} {text}"
    return f"{text} {symbol.strip() or code}".strip()


# Ratings and review counts as each language writes them: "4.6" and "6,536" in English,
# "4,6" and "6.536" in German, Spanish and Portuguese, "4,6" and "6 536" in French.
SPOKEN_NUMBER_STYLE = {"en": (",", "."), "de": (".", ","), "es": (".", ","), "pt": (".", ",")}


def _spoken_number(value, language: str) -> str:
    """A rating or a count as LANGUAGE writes it ('4,5' and '1.234' in Portuguese)."""
    number = Decimal(str(value))
    text = f"{number:,f}"
    thousands, point = SPOKEN_NUMBER_STYLE.get(language, (" ", ","))
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)


def _counted(plan: _Plan, noun: str, count: int) -> str:
    """'1 avaliação', '1.234 avaliações': COUNT with the bank's NOUN in agreement."""
    one, many = plan.bank.get("nouns", {}).get(noun, (noun, noun))
    return f"{_spoken_number(count, plan.language)} {one if count == 1 else many}"


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
    lead_in: int = 0  # which benefit lead-in comes first (each is used once)
    # The page is in another language than the script: its sentences are left out (a
    # script is in one language, never a mix) and the benefits are the bank's own.
    foreign: bool = False


def _pick(plan: _Plan, key: str, **values) -> str:
    options = plan.bank[key][plan.tone]
    return expand(plan.rng.choice(options), plan.rng, **values)


def _filler(plan: _Plan) -> str | None:
    """One elaboration for a page with too few facts (at most one per script)."""
    options = plan.bank.get("extend", {}).get(plan.tone)
    return expand(plan.rng.choice(options), plan.rng) if options else None


def _name(plan: _Plan, max_words: int) -> str:
    return short_name(plan.product, max_words, plan.bank.get("product", "this product"))


def _hook(plan: _Plan) -> str:
    return _pick(plan, "hook", short=_name(plan, 4), title=_name(plan, 7))


def _benefit(plan: _Plan, fact: Fact, index: int) -> str:
    """The first benefit is said plainly; the others each with a lead-in of their own
    (never the same one twice in a script)."""
    options = plan.bank["benefit"][plan.tone]
    if index == 0 or len(options) == 1:
        template = options[0]
    else:
        others = options[1:]
        template = others[(index - 1 + plan.lead_in) % len(others)]
        if index > len(others):
            template = options[0]
    lowered = lower_first(fact.text, force=fact.generic)
    text = expand(template, plan.rng, feature=fact.text, feature_lc=lowered)
    if lowered[:1].isupper() and f", {lowered}" in text:
        # "Notably, Connect to..." reads wrong: a capital after a comma is said plainly
        text = expand(options[0], plan.rng, feature=fact.text, feature_lc=lowered)
    return text


MIN_PROOF_RATING = Decimal("3.5")  # out of 5: a lower average is no selling point


def proof_rating(product: Product) -> Decimal | None:
    """The page's rating on a five-star scale, to one decimal (None without one)."""
    if not product.rating:
        return None
    try:
        rating = Decimal(product.rating)
        scale = Decimal(product.rating_scale or 5)
    except ArithmeticError:
        return None
    if scale <= 0 or rating <= 0 or rating > scale:
        return None
    return (rating * 5 / scale).quantize(Decimal("0.1")).normalize()


def _rating_text(plan: _Plan, rating: Decimal) -> str:
    text = f"{rating:f}"
    return _spoken_number(text, plan.language)


def _proof(plan: _Plan) -> str | None:
    """The rating and, when the page gives it, how many reviews it is from; None when
    the page has no rating or one under MIN_PROOF_RATING."""
    rating = proof_rating(plan.product)
    if rating is None or rating < MIN_PROOF_RATING:
        return None
    count = plan.product.review_count
    values = {"rating": _rating_text(plan, rating), "count_phrase": ""}
    if count:
        values.update(count=_spoken_number(count, plan.language))
        values.update(n_reviews=_counted(plan, "reviews", count))
        values.update(n_buyers=_counted(plan, "buyers", count))
        values["count_phrase"] = " " + expand(plan.bank["count_phrase"], plan.rng, **values)
        options = plan.bank["proof"][plan.tone]
    else:
        options = plan.bank["proof_no_count"][plan.tone]
    return expand(plan.rng.choice(options), plan.rng, **values)


def _offer(plan: _Plan) -> str:
    price = speakable_price(plan.product, plan.language)
    if price is None:
        return _pick(plan, "offer_no_price")
    regular = plan.product.regular_price
    try:
        reduced = regular is not None and Decimal(regular) > Decimal(plan.product.price)
    except ArithmeticError:
        reduced = False
    if reduced and "offer_reduced" in plan.bank:
        was = speakable_price(plan.product, plan.language, amount=regular)
        return _pick(plan, "offer_reduced", price=price, regular=was)
    return _pick(plan, "offer", price=price)


def _overlay(plan: _Plan, role: str) -> str:
    product = plan.product
    templates = plan.bank["overlay"]
    rating = proof_rating(product)
    if role in templates and (role != "offer" or product.price) and (role != "proof" or rating):
        value = expand(
            templates[role],
            plan.rng,
            price=speakable_price(product, plan.language),
            rating=_rating_text(plan, rating) if rating else None,
        )
    elif role == "offer" and "offer_no_price" in templates:
        value = expand(templates["offer_no_price"], plan.rng)
    else:  # the hook
        value = _name(plan, 4)
    return value.upper() if plan.aspect == "9:16" else value


def _fixed_scenes(plan: _Plan) -> tuple[Scene, list[Scene]]:
    tail = []
    proof = _proof(plan)
    if proof:
        tail.append(Scene("proof", proof))
    tail.append(Scene("offer", _offer(plan)))
    tail.append(Scene("cta", _pick(plan, "cta")))
    return Scene("hook", _hook(plan)), tail


def _benefit_scene(plan: _Plan, fact: Fact, index: int) -> Scene:
    """A benefit scene; its headline is the fact's, else one of the bank's ("Good to
    know"), never the product's name again."""
    scene = Scene("benefit", _benefit(plan, fact, index))
    if fact.headline and is_headline(fact.headline):
        scene.on_screen_text = fact.headline
    else:
        spare = plan.bank.get("headlines") or [_name(plan, 4)]
        scene.on_screen_text = spare[index % len(spare)]
    return scene


def title_facts(product: Product, name: str) -> list[Fact]:
    """What the title says beyond the product's NAME ("Better Off Dead [Exclusive Blu-ray
    Steelbook]", "MAVIS - Winter coat"): each further part of two or more words, for
    pages with too few facts."""
    found = []
    for part in re.split(r"\s[-–|—+/]\s|,|\(|\)|\[|\]", product.title or ""):
        words = _MODEL_CODE.sub("", part).split()
        text = " ".join(words)
        if len(words) < 2 or not is_latin(text) or text.lower() in name.lower():
            continue
        if re.search(r"\d", text) and len(words) < 3:
            continue  # a size or a pack count ("1 x 200 ml", "235x100 cm")
        headline = text if is_headline(text) else None
        found.append(Fact(text[:1].upper() + text[1:], headline, False, 900 + len(found)))
    return found


def _generic_facts(plan: _Plan) -> list[Fact]:
    """Benefits any product has, in the script's language, for pages with too few."""
    bank = plan.bank["generic"]
    return [Fact(text, text, False, 1000 + i, generic=True) for i, text in enumerate(bank)]


def _choose(pool: list[Fact], wanted: int, room: int) -> tuple[list[Fact], list[Fact]]:
    """Up to WANTED facts, best first, whose words (with a lead-in each) fit ROOM."""
    chosen: list[Fact] = []
    spare: list[Fact] = []
    used = 0
    longest = max(10, round(1.6 * room / max(1, wanted)))
    for fact in pool:
        cost = fact.words + 2
        if len(chosen) < wanted and fact.words <= longest and used + cost <= room * 1.1:
            chosen.append(fact)
            used += cost
        else:
            spare.append(fact)
    shortest = min(pool, key=lambda f: f.words, default=None)
    if not chosen and shortest is not None and shortest.words <= room + 8:
        chosen, spare = [shortest], [f for f in pool if f is not shortest]
    return chosen, spare


def _fit(plan: _Plan, budget: int, length_s: int) -> list[Scene]:
    """Hook, benefits, proof, offer and call to action, about ``budget`` words long.

    The benefits are whole sentences of the page: as many as the length takes (one or
    two in 15 s, two or three in 30 s and 60 s), then spare facts as second sentences
    while they fit, then at most one elaboration. A page with too few facts gives a
    shorter script (and a note) rather than filler.
    """
    hook, tail = _fixed_scenes(plan)
    plan.lead_in = plan.rng.randrange(12)
    pool = [] if plan.foreign else facts(plan.product)
    room = budget - count_words(hook.text) - _total(tail)
    chosen, spare = _choose(pool, plan.benefits, room)
    minimum = 1 if length_s <= 15 else 2
    generic = [] if plan.foreign else title_facts(plan.product, _name(plan, 7))
    generic = [f for f in generic if f not in chosen] + _generic_facts(plan)
    while len(chosen) < minimum and generic:
        chosen.append(generic.pop(0))
    benefits = [_benefit_scene(plan, fact, i) for i, fact in enumerate(chosen)]
    scenes = [hook, *benefits, *tail]
    while _total(scenes) > budget * 1.1 and len(benefits) > minimum:
        scenes.remove(benefits.pop())
    sentences = {id(scene): 1 for scene in benefits}
    for fact in spare:
        if _total(scenes) >= budget * 0.9:
            break
        if _total(scenes) + fact.words + 1 > budget * 1.05:
            continue
        scene = min(benefits, key=lambda b: (sentences[id(b)], count_words(b.text)))
        if sentences[id(scene)] >= 4:
            break
        scene.text = f"{scene.text} {fact.text}."
        sentences[id(scene)] += 1
    if _total(scenes) < budget * 0.85 and length_s >= 30 and benefits:
        filler = _filler(plan)
        if filler:
            benefits[-1].text = f"{benefits[-1].text} {filler}"
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
            scene.on_screen_text = _overlay(plan, scene.role)
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
    plan = _Plan(
        product,
        BANKS[lang],
        tone,
        lang,
        aspect,
        rng,
        benefits=BENEFIT_SCENES[length_s],
        foreign=languages.primary(product.language) not in (None, lang),
    )
    if plan.foreign:
        notes.append(
            f"the page's sentences are in '{product.language}': left out of a {lang} script"
        )
    scenes = _fit(plan, budget, length_s)
    images = images if images is not None else product.images
    _assign_images(scenes, images, plan, voice_wps)
    rating = proof_rating(product)
    if rating is None:
        notes.append("no rating on the page: no social-proof scene")
    elif rating < MIN_PROOF_RATING:
        notes.append(f"the page's rating ({rating} of 5) is not said: no social-proof scene")
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
