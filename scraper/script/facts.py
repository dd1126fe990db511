"""The facts an ad may say about a product, cleaned from its page, and their headlines.

A fact is one whole sentence of the page (a bullet or a description sentence) that
reads as a selling point on its own: never cut, never a heading, a spec row, a
breadcrumb, shop boilerplate (shipping, "buy at the best price", fakes warnings), a
caveat ("does not support ADSL"), a question, a sentence leaning on the one before it
("Well, ... so we passed it on") or text in another script than the ad's. Each fact
carries a headline for the screen: a short whole phrase (the bullet's label, the
sentence itself when it is short, or the first noun phrase in it), never the first
words of the sentence cut off.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..extract.model import Product

MAX_FACT_WORDS = 30
MIN_FACT_WORDS = 4
HEADLINE_WORDS = (2, 6)

# Words a sentence or a phrase cannot end on, in every writer language.
DANGLING = frozenset(
    "a an the of to for with and or nor that which when lets is are was were has have had "
    "its it's their your our my from by in on at as so but can will may might could would "
    "should be been being you we they who whose where while if than into onto over under "
    "about after before between through without within via per such very more most also "
    "der die das den dem des ein eine einen einem einer und oder mit für von zu zum zur im "
    "am an auf aus bei nach über unter ohne um durch ist sind hat haben wird werden sehr "
    "le la les un une de des du et ou pour avec sans sur dans par est sont au aux "
    "el los las del y con para por que o u sin en es son su sus al "
    "os um uma do da dos das no na nos nas em ao aos pelo pela e como seu sua são tem "
    "com sem sob até entre muito mais".split()
)
# Function words and common verbs: a headline is a run of the other words.
_HEADLINE_BREAKS = DANGLING | frozenset(
    "this these those that it they he she we you i there here what how why all each every "
    "any some no not just only both either well then now "
    "gives give makes make keeps keep offers offer provides provide features include "
    "includes allows allow helps help indicates ensures ensure comes come works work "
    "promises delivers deliver brings bring turns turn creates create combines combine "
    "contains contain enables enable protects protect supports support pairs sends send "
    "stores store lasts feels feel fits fit holds hold uses use means mean "
    "dieser diese dieses es er sie wir ihr man nicht kein keine auch noch nur sein seine "
    "seinen seinem seiner ihre ihren ihrem unser unsere unseren dein deine "
    "bietet sorgt macht enthält gibt lässt zieht wirkt passt hält eignet "
    "ce cet cette ces il elle ils elles nous vous ne pas aussi "
    "este esta estos estas ese esa lo le les no también muy "
    "esse essa isso isto ele ela eles elas você não também traz oferece garante mantém "
    "proporciona permite conta acompanha possui deixa fica está estão vem vai faz ajuda é "
    "gehört erscheint besteht kommt liegt steht".split()
)
_PRONOUN_OPENERS = re.compile(
    r"^(?:this means|that means|which means|well|so|but|however|then|therefore|thus|"
    r"because|or|and|which|whereas|they|them|their|he|she|his|her|aber|denn|also|doch|dann|"
    r"então|mas|porém|pois|eles|elas|pero|entonces|sin embargo|mais|donc|alors|ils|elles)\b"
    r"|^(?:dieser|diese|dieses|diesen)\s+(?=[a-zäöüß])",  # "Dieser fand heraus, ..."
    re.I,
)
# A section heading or widget label left inside a sentence ("... Product Details
# Release Date 8/3/20"), or a sentence that is nothing but one.
_HEADING_INSIDE = re.compile(
    r"\b(?:product (?:details|description|specifications|information)|specifications|"
    r"technical details|synopsis|summary|read more|see more|show more|mehr lesen|"
    r"weiterlesen|ler mais|leia mais|ver más|leer más|lire la suite|voir plus|"
    r"customer reviews|kundenrezensionen|produktbeschreibung|features\s+[A-Z]|"
    r"assembly & documents|materials & care|características do|descrição do produto|"
    r"description du produit|descripción del producto|package content|"
    r"lieferumfang|in the box)\b",
    re.I,
)
_BOILERPLATE = re.compile(
    r"https?://|www\.|@|\b[\w-]+\.(?:com|net|org|de|co|uk|br|cl|ie|eg|kz|shop|store)\b|"
    r"\b(?:sku|isbn|ean|gtin|mpn|upc|art(?:ikel)?-?nr|item (?:no|number)|model (?:no|number)|"
    r"vat|mwst|versand\w*|shipping|delivery|returns?|refunds?|checkout|cart|"
    r"best price|lowest price|buy online|shop (?:for|online|now)|order now|in stock|"
    r"out of stock|official (?:website|site|store)|fakes?|counterfeits?|illegal|"
    r"authori[sz]ed (?:dealer|retailer|seller)|discount|coupon|voucher|sale|"
    r"verkaufspreis|preis|prix|precio|preço|price|frete|entrega|envío|envio|livraison|"
    r"desconto|descuento|rabatt|remise|cupom|cupón|gutschein|código|cód|"
    r"warenkorb|carrinho|carrito|panier|garantia de fábrica|"
    r"por medidas|precaución|precaution|vorsicht)\b|"
    r"[€$£¥₹]\s?\d|\d\s?(?:[€$£¥₹]|eur|usd|gbp|brl)\b",
    re.I,
)
# A sentence about what the product does not do or does not include.
_CAVEAT = re.compile(
    r"\b(?:does not support|doesn't support|not supported|not included|not provided|"
    r"sold separately|no incluye|no prestará|não acompanha|não inclui|não está incluso|"
    r"nicht enthalten|nicht im lieferumfang|nicht geeignet|non inclus|non fourni|"
    r"não acompanha[m]?|no acompaña[n]?|do not use|não utilizar|no utilizar|nicht verwenden|"
    r"limpeza|cleaning instructions|pflegehinweis|instrucciones de limpieza)\b|^\d+\s?x\s",
    re.I,
)
_DIMENSIONS = re.compile(r"\d\s*[x×]\s*\d|\d+\s*(?:mm|cm|kg|lbs?)\s*[x×/]", re.I)
_SYMBOLS = re.compile(r"[>|★☆✈↩☂✓✔•►▶■□◆●]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“'(]?[A-ZÀ-Ý0-9])|;\s+|\n+")
# A full stop that does not end a sentence: an ordinal ("im 19. Jahrhundert") or a
# common abbreviation.
_NOT_AN_END = re.compile(
    r"(?:\b(?:im|am|vom|zum|de|des|der|dem|the|el|la|le|o|a|du)\s\d{1,2}|\b(?:ca|approx|max|min|no|nr|inkl|bzw|z\.b|usw|etc|vs|dr|mr|mrs|st|"
    r"aprox|núm|n[ºo]|sr|sra))\.$",
    re.I,
)
_TERMINAL = re.compile(r"[.!?]+$")
_HISTORY = re.compile(
    r"\b(?:founded|established|gegründet|fondée?|fundad[ao]|since 1[89]\d\d|seit 1[89]\d\d|"
    r"in 1[89]\d\d|im jahr 1[89]\d\d)\b",
    re.I,
)
_SECOND_PERSON = re.compile(
    r"\b(?:you|your|yours|sie|ihre?|ihren|du|dein|deine|vous|votre|vos|tu|ton|ta|usted|"
    r"tu|tus|você|seu|sua|seus|suas)\b",
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


@dataclass(frozen=True)
class Fact:
    """One whole sentence to speak (without its final punctuation) and its headline.
    ``generic`` marks the bank's own sentences (for pages with too few facts)."""

    text: str
    headline: str | None
    from_bullet: bool
    order: int
    generic: bool = False

    @property
    def words(self) -> int:
        return len(self.text.split())


def is_latin(text: str) -> bool:
    """Every letter in TEXT is a Latin letter (the writer's languages all are)."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def _without_other_scripts(text: str) -> str:
    """Words in another script (an Arabic translation run into the English) become
    sentence breaks, so the English sentences on either side stay whole."""
    return " ".join(w if is_latin(w) else "\n" for w in re.split(r"[ \t]+", text))


def split_sentences(text: str) -> list[str]:
    """TEXT's sentences (and ';'-separated clauses and lines), each whole."""
    pieces: list[str] = []
    joined = True  # whether the next piece continues the previous one
    for part in _SENTENCE_END.split(_without_other_scripts(text)):
        part = part.strip(" \t-–•*")
        if not part:
            joined = False
            continue
        if pieces and joined and _NOT_AN_END.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {part}"
        else:
            pieces.append(part)
        joined = True
    return pieces


def ends_whole(text: str) -> bool:
    """TEXT does not stop mid-sentence: no ellipsis, no trailing article, preposition,
    conjunction or auxiliary, no trailing comma or colon."""
    stripped = text.rstrip()
    if stripped.endswith(("…", "...", ",", ":", ";", "-", "–", "/", "+", "&")):
        return False
    words = re.findall(r"[\w'’-]+", stripped)
    return bool(words) and words[-1].lower() not in DANGLING


def _label_and_body(text: str) -> tuple[str | None, str]:
    """'Label: body' or 'Label - body' bullets: (label, body); else (None, text)."""
    match = re.match(r"^([^:–\-]{3,60}?)\s*(?::|\s[-–]\s)\s*(.+)$", text)
    if match:
        label, body = match.group(1).strip(), match.group(2).strip()
        if 1 <= len(label.split()) <= 6 and len(body.split()) >= 3 and ":" not in body:
            return label, body
    return None, text


def acceptable(sentence: str) -> bool:
    """Whether SENTENCE can be spoken as a selling point on its own."""
    words = sentence.split()
    if not MIN_FACT_WORDS <= len(words) <= MAX_FACT_WORDS:
        return False
    if not is_latin(sentence) or not ends_whole(sentence) or sentence.rstrip().endswith("?"):
        return False
    if _BOILERPLATE.search(sentence) or _CAVEAT.search(sentence):
        return False
    if _HEADING_INSIDE.search(sentence) or _SYMBOLS.search(sentence):
        return False
    if _PRONOUN_OPENERS.match(sentence) or _DIMENSIONS.search(sentence):
        return False
    if sentence.count(":") or sentence.count("/") > 1 or " + " in sentence:
        return False  # a spec row or a run of them ("Largo: 200 cm", "81.4Wh / 162.8Wh")
    digits = sum(1 for w in words if re.search(r"\d", w))
    if digits / len(words) > 0.25:
        return False
    shouted = sum(1 for w in words if len(w) > 2 and w.isupper())
    if shouted / len(words) > 0.4:
        return False
    return sentence[:1].isupper() or sentence[:1].isdigit()


def _similar(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) > 0.7


def _score(fact: Fact, product: Product) -> int:
    score = 2 if fact.from_bullet else 0
    if _SECOND_PERSON.search(fact.text):
        score += 1
    if 6 <= fact.words <= 20:
        score += 1
    if _HISTORY.search(fact.text):
        score -= 3
    if re.match(r"^(?:it|es|er|ele|ela|il|elle)\b", fact.text, re.I):
        score -= 1
    return score


def facts(product: Product) -> list[Fact]:
    """The product's facts, best first: bullets, then description sentences."""
    found: list[Fact] = []
    sources = [(f, True) for f in product.features]
    if product.description:
        sources += [(s, False) for s in split_sentences(product.description)]
    order = 0
    for raw, bullet in sources:
        for piece in split_sentences(without_heading(raw)) if bullet else [raw]:
            piece = without_heading(piece)
            if piece.rstrip().endswith("?"):
                continue  # the page asking its reader something is no selling point
            label, body = _label_and_body(piece)
            sentence = _TERMINAL.sub("", body.strip()).strip()
            sentence = re.sub(r"\s+", " ", sentence)
            if sentence[:1].islower() and (bullet or label):
                sentence = sentence[:1].upper() + sentence[1:]
            if not acceptable(sentence):
                continue
            if any(_similar(sentence, f.text) for f in found):
                continue
            headline = headline_for(sentence, label, product.language)
            found.append(Fact(sentence, headline, bullet, order))
            order += 1
    return sorted(found, key=lambda f: (-_score(f, product), f.order))


def _clean_words(text: str) -> list[str]:
    return [w.strip("\"“”'‘’()[].,;:!?") for w in text.split() if w.strip("\"“”'‘’()[].,;:!?")]


def is_headline(text: str) -> bool:
    """A whole short phrase: 2 to 6 words, not starting or ending on a function word,
    no heading words, no sentence punctuation inside."""
    words = _clean_words(text)
    low, high = HEADLINE_WORDS
    if not low <= len(words) <= high:
        return False
    if words[0].lower() in _HEADLINE_BREAKS - {"no", "not"} or words[-1].lower() in DANGLING:
        return False
    if re.search(r"[!?;,]|[.:]\s", text.strip()):
        return False
    return not _HEADING_INSIDE.search(text)


# Words a noun phrase does not end on: trailing adjectives, participles and adverbs
# ("... data rates ideal", "Bean-to-bar chocolate made", "... encryption easily").
_TRAILING = re.compile(
    r"^(?:ideal|perfect|suitable|great|easy|good|available|made|designed|built|crafted|based|"
    r"hergestellt|gefertigt|feito|feita|hecho|hecha|fabriqué|fabriquée|\w+ly)$",
    re.I,
)


def headline_for(sentence: str, label: str | None = None, language: str | None = None):
    """A headline for a fact: its label, the sentence when short, or its first noun
    phrase (a run of words between function words and verbs, 2 to 5 words long; in
    German one that ends on a capitalised noun)."""
    if label and is_headline(label) and not _HEADING_INSIDE.search(label):
        return " ".join(_clean_words(label))
    words = _clean_words(sentence)
    if len(words) <= 5 and "," not in sentence and is_headline(" ".join(words)):
        return " ".join(words)
    german = (language or "").lower().startswith("de")
    for run in _phrases(sentence):
        while run and re.search(r"ing$", run[-1]) and len(run) > 3:
            run.pop()  # "elegant chess set sitting" -> "elegant chess set"
        while run and (_TRAILING.match(run[-1]) or (german and run[-1][:1].islower())):
            run.pop()
        if 2 <= len(run) <= 5 and not all(re.search(r"\d", w) for w in run):
            phrase = " ".join(run)
            if is_headline(phrase):
                return phrase[:1].upper() + phrase[1:]
    return None


def _phrases(sentence: str) -> list[list[str]]:
    """SENTENCE's runs of words between function words, verbs and punctuation."""
    runs: list[list[str]] = [[]]
    for raw in sentence.split():
        word = raw.strip("\"“”'‘’()[]")
        clean = word.strip(".,;:!?")
        if not clean or clean.lower() in _HEADLINE_BREAKS or not re.search(r"\w", clean):
            runs.append([])
            continue
        runs[-1].append(clean)
        if word != clean:  # a comma or a full stop ends the phrase
            runs.append([])
    return runs
