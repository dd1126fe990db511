"""What makes a written script unpublishable, found in its text: a page heading spoken
or shown, a sentence cut off, a count that disagrees with its noun, a headline that is a
fragment of a sentence, a missing part of the ad, hype filler piled up.

:func:`problems` lists them in words (an empty list: nothing found). The writer's tests
run it over real pages' scripts; anything that rewrites a script (an LLM) can too.
"""

from __future__ import annotations

import re

from .facts import _HEADLINE_BREAKS, _NOT_AN_END, _TRAILING, DANGLING, HEADING
from .writer import MIN_PROOF_RATING, Script, proof_rating

# A page's section heading at the start of a sentence, or one inside it.
HEADING_WORDS = re.compile(
    r"(?:^|[.!?:]\s+)(?:product\s+)?(?:description|details|overview|specifications|"
    r"about this item|produktbeschreibung|beschreibung|descripción|descrição)\b"
    r"|\b(?:product (?:description|details|specifications)|read more|mehr lesen|ler mais|"
    r"leia mais|leer más|lire la suite|technical details|synopsis)\b",
    re.I,
)
# A count and its noun: (number, noun) pairs where the noun's number is wrong.
_SINGULAR_AFTER_MANY = re.compile(
    r"\b(?!1\b)(\d[\d.,  ]*)\s(review|star|buyer|fan|rating|customer|Bewertung|Stern|"
    r"Kundin|opinión|estrella|comprador|avaliação|estrela|cliente satisfeito)\b",
    re.I,
)
_PLURAL_AFTER_ONE = re.compile(
    r"(?<![\d.,])\b1\s(reviews|stars|buyers|fans|ratings|customers|Bewertungen|Sterne|"
    r"Sternen|Kunden|Käufern|opiniones|estrellas|compradores|clientes|avaliações|estrelas)\b",
    re.I,
)
_TERMINAL = (".", "!", "?")
SHORT_EXCLAMATION_WORDS = 3


def sentences(text: str) -> list[str]:
    """TEXT's sentences: a full stop inside a number ("4.6") or after an ordinal or an
    abbreviation ("im 19. Jahrhundert", "ca. 5 kg") does not end one."""
    found: list[str] = []
    for piece in re.split(r"(?<=[.!?])\s+", text.strip()):
        if found and _NOT_AN_END.search(found[-1]):
            found[-1] = f"{found[-1]} {piece}"
        elif piece:
            found.append(piece)
    return found


# Words no finished sentence ends on, per language: articles, conjunctions, the
# prepositions that always take an object (German "an" and "zu" end sentences as verb
# particles, so they are not here).
CUT_WORDS = {
    "en": frozenset(
        "a an the and or nor but of with from than into onto whose for to at by".split()
    ),
    "de": frozenset(
        "der die das den dem des ein eine einen einem einer und oder mit von für".split()
    ),
    "fr": frozenset("le la les un une des du de et ou avec pour".split()),
    "es": frozenset("el la los las un una del de y o con para por".split()),
    "pt": frozenset("o a os as um uma do da dos das de e ou com pelo pela para por".split()),
}


def cut_off(sentence: str, language: str = "en") -> bool:
    """SENTENCE stops before it is finished: no terminal punctuation, an ellipsis, or a
    last word that needs more after it (an article, a preposition, a conjunction)."""
    text = sentence.strip()
    if not text.endswith(_TERMINAL) or text.endswith(("…", "...", "..")):
        return True
    words = re.findall(r"[\w'’-]+", text)
    if not words:
        return True
    if len(words) == 1:
        return not text.endswith("!")  # "Wait!", "¡Para!"
    cut_words = CUT_WORDS.get(language) or frozenset().union(*CUT_WORDS.values())
    return words[-1].lower() in cut_words or words[-1].endswith("-")


def count_mismatches(text: str) -> list[str]:
    found = [m.group(0) for m in _PLURAL_AFTER_ONE.finditer(text)]
    for match in _SINGULAR_AFTER_MANY.finditer(text):
        number = match.group(1).strip().replace(" ", "").replace(" ", "")
        if number not in ("1", "1.0", "1,0"):
            found.append(match.group(0))
    return found


def headline_fragment(headline: str, spoken: str, role: str) -> str | None:
    """Why HEADLINE is no headline (None when it is one): too long or too short, it
    starts or ends on a function word, or it is the start of the spoken sentence cut
    inside a phrase ("PRODUCT DESCRIPTION A LOT", "PICTURE THIS ELEGANT CHESS")."""
    words = re.findall(r"[\w'’&★$€£%.,-]+", headline)
    words = [w.strip(".,") for w in words if w.strip(".,")]
    low = 1 if role in ("hook", "proof", "offer", "cta") else 2
    if not low <= len(words) <= 6:
        return f"{len(words)} words"
    if role in ("proof", "offer", "cta"):
        return None
    if re.search(r"[>|/\\]", headline):
        return "a breadcrumb or a list"
    first, last = words[0].lower(), words[-1].lower()
    if first in _HEADLINE_BREAKS - {"no", "not"} and len(words) > 1 and role != "hook":
        return f"starts on {words[0]!r}"
    if last in DANGLING:
        return f"ends on {words[-1]!r}"
    if HEADING_WORDS.search(headline) or HEADING.match(headline + " X"):
        return "a page heading"
    if role == "hook":
        return None  # the product's name, as the hook says it
    return _cut_inside([w.lower() for w in words], spoken)


def _cut_inside(head: list[str], spoken: str) -> str | None:
    """Whether the words HEAD open a sentence of SPOKEN (or follow its lead-in) and a
    phrase goes on after them: the first words of a sentence cut off, as "PICTURE THIS
    ELEGANT CHESS" was cut from "Picture this elegant chess set sitting..."."""
    raw = spoken.split()
    clean = [w.strip("\"“”'‘’()[].,;:!?¡¿").lower() for w in raw]
    for start in range(len(raw) - len(head) + 1):
        if clean[start : start + len(head)] != head:
            continue
        if start and not re.search(r"[.:!?]$", raw[start - 1]):
            continue  # it starts inside the sentence, after a word that ends a phrase
        end = start + len(head)  # the first word after the headline
        if end >= len(raw) or re.search(r"[.,;:!?]$", raw[end - 1]):
            continue  # the headline ends where a phrase of the sentence ends
        following = clean[end]
        if following in _HEADLINE_BREAKS or _TRAILING.match(following):
            continue
        if following.endswith("ing"):
            continue
        return f"cut from the sentence before {raw[end]!r}"
    return None


def problems(script: Script, product=None) -> list[str]:
    """Everything unpublishable found in SCRIPT (with PRODUCT, also missing parts: a
    rating not said, a rating said that the page does not have, no price)."""
    found: list[str] = []
    said: set[str] = set()
    short_exclamations = 0
    for index, scene in enumerate(script.scenes):
        where = f"scene {index + 1} ({scene.role})"
        found += _scene_problems(where, scene, said, script.language)
        for sentence in sentences(scene.text):
            words = re.findall(r"\w+", sentence)
            if len(words) <= SHORT_EXCLAMATION_WORDS and sentence.endswith("!"):
                short_exclamations += 1
    if short_exclamations > 2:
        found.append(f"{short_exclamations} short exclamations: hype filler piles up")
    shown = [s.on_screen_text.casefold() for s in script.scenes if s.on_screen_text]
    for headline in sorted({h for h in shown if shown.count(h) > 1}):
        found.append(f"the headline {headline.upper()!r} is shown twice")
    return found + _structure(script, product)


def _scene_problems(where: str, scene, said: set[str], language: str) -> list[str]:
    found = []
    if HEADING_WORDS.search(scene.text):
        found.append(f"{where}: a page heading is spoken: {scene.text!r}")
    for sentence in sentences(scene.text):
        if cut_off(sentence, language):
            found.append(f"{where}: a sentence is cut off: {sentence!r}")
        key = sentence.lower().strip(" .!?")
        if key in said and len(key.split()) > 1:
            found.append(f"{where}: a sentence is said twice: {sentence!r}")
        said.add(key)
    headline = scene.on_screen_text or ""
    for mismatch in count_mismatches(scene.text) + count_mismatches(headline):
        found.append(f"{where}: number and noun disagree: {mismatch!r}")
    why = headline_fragment(headline, scene.text, scene.role) if headline else None
    if why:
        found.append(f"{where}: the headline {headline!r} is a fragment ({why})")
    return found


def _structure(script: Script, product) -> list[str]:
    roles = [scene.role for scene in script.scenes]
    found = []
    if not roles or roles[0] != "hook":
        found.append(f"the ad does not open with a hook: {roles}")
    if not roles or roles[-1] != "cta":
        found.append(f"the ad does not end on a call to action: {roles}")
    if "offer" not in roles:
        found.append(f"the ad has no offer: {roles}")
    benefits = roles.count("benefit")
    low, high = (1, 2) if script.length_s <= 15 else (2, 3)
    if not low <= benefits <= high:
        found.append(f"{benefits} benefits in a {script.length_s} s ad (wanted {low}-{high})")
    if product is None:
        return found
    rating = proof_rating(product)
    has_proof = "proof" in roles
    if rating is not None and rating >= MIN_PROOF_RATING and not has_proof:
        found.append(f"the page's rating ({rating}) is not said")
    if (rating is None or rating < MIN_PROOF_RATING) and has_proof:
        found.append("a rating is said that the page does not have (or is too low to say)")
    offer = next((s for s in script.scenes if s.role == "offer"), None)
    if product.price and offer is not None and not re.search(r"\d", offer.text):
        found.append(f"the offer does not state the price: {offer.text!r}")
    return found
