"""Text normalisation: what the voice says for what the script wrote.

The tables pair written inputs with the words expected to be spoken,
compared after lower-casing, collapsing whitespace and dropping the
punctuation that ends words. No Django here: ``-p no:django`` works.
"""

from __future__ import annotations

import random
import re
import string

import pytest

from avatar.errors import InvalidInput
from avatar.text import Pause, Script, Sentence, Token, normalize


def said(text: str, language: str = "en", glossary: dict[str, str] | None = None) -> str:
    """The spoken words of ``text``, lower-cased, without word-final punctuation."""
    spoken = normalize(text, language, glossary).spoken_text.lower()
    return " ".join(re.sub(r"[,.!?;:](?=\s|$)", "", spoken).split())


def table(rows: list[tuple[str, str]]):
    return pytest.mark.parametrize(("written", "expected"), rows, ids=[r[0] for r in rows])


PRICES = [
    ("$19.99", "nineteen dollars and ninety-nine cents"),
    ("$1", "one dollar"),
    ("$0.99", "ninety-nine cents"),
    ("$1.01", "one dollar and one cent"),
    ("$19.00", "nineteen dollars"),
    ("$1,299", "one thousand two hundred ninety-nine dollars"),
    ("$1,299.99", "one thousand two hundred ninety-nine dollars and ninety-nine cents"),
    ("$1.5M", "one point five million dollars"),
    ("$2B", "two billion dollars"),
    ("$10k", "ten thousand dollars"),
    ("$3 million", "three million dollars"),
    ("-$5", "minus five dollars"),
    ("€1.299,00", "one thousand two hundred ninety-nine euros"),
    ("€5", "five euros"),
    ("5€", "five euros"),
    ("5,99 €", "five euros and ninety-nine cents"),
    ("£5", "five pounds"),
    ("£0.99", "ninety-nine pence"),
    ("£1.50", "one pound and fifty pence"),
    ("¥1000", "one thousand yen"),
    ("₹500", "five hundred rupees"),
    ("USD 20", "twenty dollars"),
    ("20 EUR", "twenty euros"),
    ("CHF 10", "ten swiss francs"),
    ("C$5", "five canadian dollars"),
    ("99¢", "ninety-nine cents"),
    ("$5–$10", "five to ten dollars"),
    ("$5-10", "five to ten dollars"),
    ("$5.99-$9.99", "five dollars and ninety-nine cents to nine dollars and ninety-nine cents"),
    ("$9.99/mo", "nine dollars and ninety-nine cents per month"),
    ("$99/year", "ninety-nine dollars per year"),
    ("Only $19.99!", "only nineteen dollars and ninety-nine cents"),
]

PERCENTAGES_AND_RANGES = [
    ("20%", "twenty percent"),
    ("12.5%", "twelve point five percent"),
    ("100 %", "one hundred percent"),
    ("20-30%", "twenty to thirty percent"),
    ("-20%", "minus twenty percent"),
    ("10-20 kg", "ten to twenty kilograms"),
    ("10–20", "ten to twenty"),
    ("1-2 days", "one to two days"),
    ("2020-2024", "twenty twenty to twenty twenty-four"),
    ("9am-5pm", "nine a m to five p m"),
    ("9:30-17:30", "nine thirty to five thirty p m"),
]

UNITS = [
    ("5000mAh", "five thousand milliamp hours"),
    ("100Wh", "one hundred watt hours"),
    ("65W", "sixty-five watts"),
    ("2 kW", "two kilowatts"),
    ("220V", "two hundred twenty volts"),
    ("16GB", "sixteen gigabytes"),
    ("1 TB", "one terabyte"),
    ("512 MB", "five hundred twelve megabytes"),
    ("3.2 GHz", "three point two gigahertz"),
    ("900MHz", "nine hundred megahertz"),
    ("120Hz", "one hundred twenty hertz"),
    ("30 cm", "thirty centimeters"),
    ("5mm", "five millimeters"),
    ("1 m", "one meter"),
    ("10 km", "ten kilometers"),
    ('15.6" screen', "fifteen point six inches screen"),
    ("12 in.", "twelve inches"),
    ("2 in 1 box", "two in one box"),
    ("6 ft", "six feet"),
    ("1 ft", "one foot"),
    ("1 kg", "one kilogram"),
    ("1.5 kg", "one point five kilograms"),
    ("250 g", "two hundred fifty grams"),
    ("2 lbs", "two pounds"),
    ("1 lb", "one pound"),
    ("8 oz", "eight ounces"),
    ("500 ml", "five hundred milliliters"),
    ("2L", "two liters"),
    ("0.5 l", "zero point five liters"),
    ("20°C", "twenty degrees celsius"),
    ("-5°C", "minus five degrees celsius"),
    ("68°F", "sixty-eight degrees fahrenheit"),
    ("60 mph", "sixty miles per hour"),
    ("100 km/h", "one hundred kilometers per hour"),
    ("120fps", "one hundred twenty frames per second"),
    ("48MP camera", "forty-eight megapixels camera"),
    ("4x zoom", "four times zoom"),
    ("2x", "two times"),
    ("30 × 40 cm", "thirty by forty centimeters"),
    ("30x40x5cm", "thirty by forty by five centimeters"),
    ("24h", "twenty-four hours"),
    ("5 min", "five minutes"),
    ("~5 kg", "about five kilograms"),
]

NUMBERS = [
    ("42", "forty-two"),
    ("1,000,000", "one million"),
    ("3.14", "three point one four"),
    ("0.5", "zero point five"),
    ("-7", "minus seven"),
    ("10+ colors", "ten plus colors"),
    ("10k followers", "ten thousand followers"),
    ("1st", "first"),
    ("2nd", "second"),
    ("3rd", "third"),
    ("4th", "fourth"),
    ("11th", "eleventh"),
    ("12th", "twelfth"),
    ("21st", "twenty-first"),
    ("23rd", "twenty-third"),
    ("100th", "one hundredth"),
    ("101st", "one hundred first"),
    ("1/2 cup", "one half cup"),
    ("3/4", "three quarters"),
    ("2/3", "two thirds"),
    ("4.5/5 stars", "four point five out of five stars"),
    ("10/10", "ten out of ten"),
    ("½", "one half"),
    ("1½ cups", "one and a half cups"),
    ("2-in-1", "two in one"),
    ("3-year warranty", "three year warranty"),
    ("15.6-inch", "fifteen point six inch"),
    ("50-mm lens", "fifty millimeter lens"),
    ("3rd-party", "third party"),
    ("version 1.2.3", "version one point two point three"),
    ("16:9", "sixteen to nine"),
    ("1990s", "nineteen nineties"),
    ("the '90s", "the nineties"),
    ("80s music", "eighties music"),
]

DATES_AND_TIMES = [
    ("2024-03-15", "march fifteenth twenty twenty-four"),
    ("03/15/2024", "march fifteenth twenty twenty-four"),
    ("15/03/2024", "march fifteenth twenty twenty-four"),
    ("04/05/2024", "april fifth twenty twenty-four"),
    ("15.03.2024", "march fifteenth twenty twenty-four"),
    ("March 15, 2024", "march fifteenth twenty twenty-four"),
    ("15 March 2024", "march fifteenth twenty twenty-four"),
    ("March 15th", "march fifteenth"),
    ("Jan. 5", "january fifth"),
    ("the 3rd of May", "may third"),
    ("March 2024", "march twenty twenty-four"),
    ("1999", "nineteen ninety-nine"),
    ("2005", "two thousand five"),
    ("2024", "twenty twenty-four"),
    ("2000", "two thousand"),
    ("1905", "nineteen oh five"),
    ("9:30", "nine thirty"),
    ("9:05", "nine oh five"),
    ("9:30am", "nine thirty a m"),
    ("9am", "nine a m"),
    ("9 a.m.", "nine a m"),
    ("10 PM", "ten p m"),
    ("14:00", "two p m"),
    ("14:30", "two thirty p m"),
    ("12:00", "twelve o'clock"),
    ("00:30", "twelve thirty a m"),
]

PHONES_AND_CODES = [
    ("555-123-4567", "five five five one two three four five six seven"),
    ("(555) 123-4567", "five five five one two three four five six seven"),
    ("+1 555 123 4567", "plus one five five five one two three four five six seven"),
    ("555-1234", "five five five one two three four"),
    ("007", "zero zero seven"),
    ("5551234567", "five five five one two three four five six seven"),
    ("A01", "a zero one"),
    ("SM-A015F", "s m a zero one five f"),
    ("RTX4090", "r t x forty ninety"),
    ("iPhone 15 Pro", "iphone fifteen pro"),
    ("WH-1000XM5", "w h one thousand x m five"),
    ("B08N5WRWNW", "b zero eight n five w r w n w"),
    ("Galaxy S23 Ultra", "galaxy s twenty-three ultra"),
    ("PS5", "p s five"),
    ("4K", "four k"),
    ("8K TV", "eight k t v"),
    ("5G", "five g"),
    ("3D", "three d"),
    ("1080p", "ten eighty p"),
    ("COVID-19", "covid nineteen"),
    ("v2.0", "v two point zero"),
]

WORDS = [
    ("USB", "u s b"),
    ("HDMI", "h d m i"),
    ("LED", "l e d"),
    ("HD", "h d"),
    ("AI", "a i"),
    ("FAQ", "f a q"),
    ("BMW", "b m w"),
    ("NASA", "nasa"),
    ("LASER", "laser"),
    ("OK", "okay"),
    ("USB-C", "u s b c"),
    ("FREE SHIPPING", "free shipping"),
    ("e.g. this", "for example this"),
    ("i.e. that", "that is that"),
    ("shoes, bags, etc.", "shoes bags et cetera"),
    ("Apple vs. Samsung", "apple versus samsung"),
    ("approx. 5", "approximately five"),
    ("incl. tax", "including tax"),
    ("Dr. Smith", "doctor smith"),
    ("Mr. Jones", "mister jones"),
    ("Mrs. Jones", "missus jones"),
    ("No. 1 seller", "number one seller"),
    ("#1 brand", "number one brand"),
    ("salt & pepper", "salt and pepper"),
    ("R&D", "r and d"),
    ("AT&T", "a t and t"),
    ("w/ case", "with case"),
    ("w/o case", "without case"),
    ("open 24/7", "open twenty-four seven"),
    ("U.S. sales", "u s sales"),
]

WEB = [
    ("www.shop.com/deals", "w w w dot shop dot com slash deals"),
    ("https://shop.com", "shop dot com"),
    ("https://www.shop.com/deals?utm_source=ad", "w w w dot shop dot com slash deals"),
    ("shop.com", "shop dot com"),
    ("Visit shop.com.", "visit shop dot com"),
    ("my-shop.co.uk/summer-sale/", "my dash shop dot co dot u k slash summer dash sale"),
    ("hello@shop.com", "hello at shop dot com"),
    ("first.last@shop.io", "first dot last at shop dot i o"),
    ("@brand", "at brand"),
    ("#SummerSale", "hashtag summer sale"),
]

SYMBOLS = [
    ("Big sale 🔥🔥", "big sale"),
    ("I ❤ this", "i this"),
    ("Love ♥ it 👍🏽", "love it"),
    ("Brand™ Shoes® ©2024", "brand shoes twenty twenty-four"),
    ("2 + 2 = 4", "two plus two equals four"),
    ("★★★★★ reviews", "reviews"),
    ("Fast → easy", "fast easy"),
    ("“Quoted” words", "quoted words"),
    ("don’t", "don't"),
    ("Cafe\u0301", "café"),
    ("Buy\u00a0now", "buy now"),
    ("> 50% off", "more than fifty percent off"),
]


@table(PRICES)
def test_it_says_prices(written, expected):
    assert said(written) == expected


@table(PERCENTAGES_AND_RANGES)
def test_it_says_percentages_and_ranges(written, expected):
    assert said(written) == expected


@table(UNITS)
def test_it_says_units_in_singular_and_plural(written, expected):
    assert said(written) == expected


@table(NUMBERS)
def test_it_says_numbers_ordinals_and_fractions(written, expected):
    assert said(written) == expected


@table(DATES_AND_TIMES)
def test_it_says_dates_years_and_times(written, expected):
    assert said(written) == expected


@table(PHONES_AND_CODES)
def test_it_reads_phone_numbers_and_model_numbers(written, expected):
    assert said(written) == expected


@table(WORDS)
def test_it_expands_abbreviations_and_spells_initialisms(written, expected):
    assert said(written) == expected


@table(WEB)
def test_it_reads_urls_and_email_addresses(written, expected):
    assert said(written) == expected


@table(SYMBOLS)
def test_it_drops_emoji_and_says_meaningful_symbols(written, expected):
    assert said(written) == expected


GERMAN = [
    ("19,99 €", "neunzehn euro und neunundneunzig cent"),
    ("1.299,00 €", "eintausendzweihundertneunundneunzig euro"),
    ("1 €", "ein euro"),
    ("20 % Rabatt", "zwanzig prozent rabatt"),
    ("2,5 kg", "zwei komma fünf kilogramm"),
    ("10-20 kg", "zehn bis zwanzig kilogramm"),
    ("am 15.03.2024", "am fünfzehnten märz zweitausendvierundzwanzig"),
    ("Am 3. Mai", "am dritten mai"),
    ("Das 1. Modell", "das erste modell"),
    ("um 14:30 Uhr", "um vierzehn uhr dreißig"),
    ("1999", "neunzehnhundertneunundneunzig"),
    ("z.B. ca. 5 Stück", "zum beispiel circa fünf stück"),
    ("www.shop.de", "w w w punkt shop punkt d e"),
]

FRENCH = [
    ("19,99 €", "dix-neuf euros et quatre-vingt-dix-neuf centimes"),
    ("1 299,00 €", "mille deux cent quatre-vingt-dix-neuf euros"),
    ("20 %", "vingt pour cent"),
    ("2,5 kg", "deux virgule cinq kilogrammes"),
    ("le 1er mars 2024", "le premier mars deux mille vingt-quatre"),
    ("le 15/03/2024", "le quinze mars deux mille vingt-quatre"),
    ("à 14h30", "à quatorze heures trente"),
    ("la 1re fois", "la première fois"),
    ("16 Go", "seize gigaoctets"),
    ("contact@boutique.fr", "contact arobase boutique point f r"),
]

SPANISH = [
    ("19,99 €", "diecinueve euros con noventa y nueve céntimos"),
    ("1.299,00 €", "mil doscientos noventa y nueve euros"),
    ("1 €", "un euro"),
    ("21 €", "veintiún euros"),
    ("31 dólares", "treinta y un dólares"),
    ("20 %", "veinte por ciento"),
    ("2,5 kg", "dos coma cinco kilogramos"),
    ("15 de marzo de 2024", "quince de marzo de dos mil veinticuatro"),
    ("15/03/2024", "quince de marzo de dos mil veinticuatro"),
    ("a las 14:30", "a las catorce y treinta"),
    ("el 1º modelo", "el primer modelo"),
    ("la 1ª vez", "la primera vez"),
    ("p. ej. esto", "por ejemplo esto"),
]

OTHER_LANGUAGES = [
    ("it", "19,99 €", "diciannove euro e novantanove centesimi"),
    ("it", "20%", "venti per cento"),
    ("pt-BR", "R$ 19,99", "dezenove reais e noventa e nove centavos"),
    ("pt", "15/03/2024", "quinze de março de dois mil e vinte e quatro"),
    ("nl", "19,99 €", "negentien euro en negenennegentig cent"),
    ("pl", "25", "dwadzieścia pięć"),
    ("xx", "Price 1.299,00 € on 15/03/2024, 20%", "price 1.299,00 € on 15/03/2024 20 %"),
    ("zh", "价格是19.99元", "价格是 19.99 元"),
]


@table(GERMAN)
def test_it_says_german(written, expected):
    assert said(written, "de-DE") == expected


@table(FRENCH)
def test_it_says_french(written, expected):
    assert said(written, "fr-FR") == expected


@table(SPANISH)
def test_it_says_spanish(written, expected):
    assert said(written, "es") == expected


@pytest.mark.parametrize(("language", "written", "expected"), OTHER_LANGUAGES)
def test_it_says_numbers_in_other_languages_or_keeps_the_digits(language, written, expected):
    assert said(written, language) == expected


def test_it_reads_numeric_dates_day_first_outside_the_us():
    assert said("04/05/2024", "en-GB") == "may fourth twenty twenty-four"
    assert said("04/05/2024", "en-US") == "april fifth twenty twenty-four"
    assert said("13/05/2024", "en-US") == "may thirteenth twenty twenty-four"


def test_it_reads_the_language_tag_by_its_primary_subtag():
    assert said("20%", "DE") == said("20%", "de-AT") == said("20%", "de_CH") == "zwanzig prozent"
    assert said("20%", "") == "twenty percent"


def test_it_splits_sentences_at_final_punctuation():
    script = normalize("Hello there. How are you? Great! Wait… what")
    assert [s.text for s in script.sentences] == [
        "Hello there.",
        "How are you?",
        "Great!",
        "Wait.",
        "what",
    ]


def test_it_does_not_split_at_abbreviations_decimals_urls_or_initials():
    text = (
        "Dr. Smith sells e.g. apples for $19.99 at shop.com and U.S. stores, says John F. Kennedy."
    )
    assert len(normalize(text).sentences) == 1


def test_it_splits_after_etc_only_before_a_new_sentence():
    assert len(normalize("We sell shoes, bags, etc. Shop now.").sentences) == 2
    assert len(normalize("Bags etc. are here.").sentences) == 1


def test_it_ends_sentences_at_line_breaks():
    script = normalize("Big summer sale\n\nEverything must go")
    assert [s.text for s in script.sentences] == ["Big summer sale", "Everything must go"]


def test_it_splits_cjk_sentences_without_spaces():
    assert len(normalize("こんにちは。ありがとう！", "ja").sentences) == 2


def test_it_keeps_commas_and_turns_dashes_into_commas():
    assert normalize("Fast, light; and cheap.").spoken_text == "Fast, light, and cheap."
    assert normalize("Big sale — today only!").spoken_text == "Big sale, today only!"
    assert normalize("Price: $5").spoken_text == "Price, five dollars"


def test_it_drops_empty_sentences_and_keeps_the_final_mark_past_emoji():
    assert normalize("").segments == []
    assert normalize("   \n\n ").segments == []
    assert normalize("🔥🔥🔥").segments == []
    script = normalize("Buy now! 🔥")
    assert [s.text for s in script.sentences] == ["Buy now!"]
    assert script.sentences[0].tokens[-1] == Token("🔥", "", "")


@pytest.mark.parametrize(
    ("tag", "seconds"),
    [
        ("[pause 0.5s]", 0.5),
        ("[pause 1s]", 1.0),
        ("[pause 500ms]", 0.5),
        ("[PAUSE 2 seconds]", 2.0),
        ("[pause 0,5s]", 0.5),
        ("[pause: 1.5 sec]", 1.5),
        ("[pause 20s]", 10.0),
        ("[pause -1s]", 0.0),
    ],
)
def test_it_reads_pause_tags_and_clamps_them(tag, seconds):
    assert normalize(f"Hello. {tag} Bye.").segments[1] == Pause(seconds)


def test_pauses_split_sentences_where_they_stand():
    script = normalize("Buy it [pause 1s] now. [pause 0.5s][pause 0.5s] Thanks!")
    kinds = [type(segment).__name__ for segment in script.segments]
    assert kinds == ["Sentence", "Pause", "Sentence", "Pause", "Pause", "Sentence"]
    assert script.spoken_text == "Buy it now. Thanks!"


@pytest.mark.parametrize(
    "text", ["[pause]", "[pause 1]", "[pause abc]", "Hi [pause 1s", "[pause 1 minute]"]
)
def test_it_refuses_malformed_pause_tags(text):
    with pytest.raises(InvalidInput) as raised:
        normalize(text)
    assert raised.value.field == "script"
    assert "[pause 0.5s]" in raised.value.message


def test_other_bracketed_words_are_not_pauses():
    assert said("[laugh] Hi [pauses are fun]") == "laugh hi pauses are fun"


def test_the_glossary_replaces_whole_words_case_insensitively_and_keeps_the_written_form():
    script = normalize("Buy XIAOMI phones, not Xiaomis.", glossary={"Xiaomi": "shao me"})
    tokens = script.sentences[0].tokens
    assert tokens[1] == Token("XIAOMI", "shao me")
    assert tokens[-1].spoken == "Xiaomis"


def test_the_glossary_prefers_the_longest_key():
    glossary = {"Galaxy": "gal", "Galaxy S23": "the galaxy ess twenty-three"}
    assert said("New Galaxy S23 and Galaxy", glossary=glossary) == (
        "new the galaxy ess twenty-three and gal"
    )


def test_the_glossary_runs_before_every_other_rule():
    glossary = {"SM-A015F": "galaxy a zero one", "L'Oréal": "lor ay al", "4K": "four kay"}
    assert said("SM-A015F by L’Oréal in 4K", glossary=glossary) == (
        "galaxy a zero one by lor ay al in four kay"
    )
    assert said("$19.99", glossary={"$19.99": "a steal"}) == "a steal"


def test_the_glossary_applies_inside_addresses_and_possessives():
    glossary = {"Xiaomi": "shao me"}
    assert said("xiaomi.com and hello@Xiaomi.com", glossary=glossary) == (
        "shao me dot com and hello at shao me dot com"
    )
    assert said("Xiaomi's best", glossary=glossary) == "shao me's best"


def test_the_glossary_works_in_any_language():
    assert said("Xiaomi kostet 19,99 €", "de", {"Xiaomi": "Schau mi"}) == (
        "schau mi kostet neunzehn euro und neunundneunzig cent"
    )


def test_tokens_pair_written_and_spoken_words():
    sentence = normalize("Now only $19.99, 10-20 kg!").sentences[0]
    assert sentence.tokens == [
        Token("Now", "Now"),
        Token("only", "only"),
        Token("$19.99", "nineteen dollars and ninety-nine cents", ","),
        Token("10-20 kg", "ten to twenty kilograms", "!"),
    ]
    assert sentence.text == (
        "Now only nineteen dollars and ninety-nine cents, ten to twenty kilograms!"
    )


def test_script_spoken_text_joins_the_sentences():
    script = normalize("One. Two! [pause 1s] Three?")
    assert isinstance(script, Script)
    assert all(isinstance(s, Sentence) for s in script.sentences)
    assert script.spoken_text == "One. Two! Three?"


def test_it_never_raises_on_arbitrary_text():
    rng = random.Random(7)
    alphabet = string.printable + "€£¥₹$%½×°™…–—“”‘’«»¿¡ßéñ中文日本語नमस्ते🔥❤️👍🏽"
    alphabet += "\u200d\ufe0f\ue000\ue010"
    pieces = ["$19.99", "1.299,00", "10-20", " kg", "@", "#", "www.", ".com", "9:30", "1st", "e.g."]
    for _ in range(400):
        text = "".join(
            rng.choice(pieces) if rng.random() < 0.3 else rng.choice(alphabet)
            for _ in range(rng.randint(0, 60))
        )
        for language in ("en", "de", "fr", "es", "ja", "xx"):
            script = normalize(text.replace("[", "("), language, {"x": "ex", "e.g": "eg"})
            assert isinstance(script.spoken_text, str)
