"""Locales of the generated shops: how each market writes money and shop words.

A locale fixes the currency, the shop's country domain and the number format,
so that a page can state its currency only through its symbol, its language or
its domain, as real shops without structured data do.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
NNBSP = "\u202f"


@dataclass(frozen=True)
class Locale:
    """One market: BCP 47 tag, ISO currency, domain suffix and money format."""

    tag: str
    currency: str
    tld: str
    pattern: str  # "{n} €": where the amount goes
    group: str  # thousands separator
    decimal: str
    factor: Decimal  # a product's price here, relative to its EUR price
    decimals: int = 2
    whole: str | None = None  # "-" writes whole amounts as "1.299,-"
    indian: bool = False  # 1,29,999 grouping

    @property
    def lang(self) -> str:
        return self.tag.split("-")[0]

    @property
    def og_locale(self) -> str:
        return self.tag.replace("-", "_")

    def money(self, amount: Decimal) -> str:
        """The amount as this market's shops print it."""
        return self.pattern.format(n=self.number(amount))

    def number(self, amount: Decimal) -> str:
        step = Decimal(1).scaleb(-self.decimals)
        value = amount.quantize(step, rounding=ROUND_HALF_UP)
        whole, _, fraction = f"{value:f}".partition(".")
        digits = _indian(whole) if self.indian else _grouped(whole, self.group)
        if not fraction:
            return digits
        if self.whole and set(fraction) == {"0"}:
            return f"{digits}{self.decimal}{self.whole}"
        return f"{digits}{self.decimal}{fraction}"

    def price(self, eur: Decimal, ending: str) -> Decimal:
        """A shelf price for this market: two significant digits, then a .99/.90 ending."""
        raw = eur * self.factor
        step = Decimal(10) ** max(0, len(str(int(raw))) - 2)
        rounded = (raw / step).to_integral_value(rounding=ROUND_HALF_UP) * step
        if self.decimals == 0:
            return rounded
        return rounded - Decimal(ending)


def _grouped(digits: str, sep: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    return sep.join([digits, *parts])


def _indian(digits: str) -> str:
    head, tail = digits[:-3], digits[-3:]
    parts = []
    while len(head) > 2:
        parts.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([p for p in [head, *parts] if p] + [tail])


D = Decimal
LOCALES = (
    Locale("en-US", "USD", "com", "${n}", ",", ".", D("1.1")),
    Locale("en-GB", "GBP", "co.uk", "£{n}", ",", ".", D("0.85")),
    Locale("de-DE", "EUR", "de", "{n}" + NBSP + "€", ".", ",", D("1")),
    Locale("fr-FR", "EUR", "fr", "{n}" + NBSP + "€", NNBSP, ",", D("1")),
    Locale("es-ES", "EUR", "es", "{n}" + NBSP + "€", ".", ",", D("1")),
    Locale("es-MX", "MXN", "com.mx", "${n}", ",", ".", D("19")),
    Locale("pt-BR", "BRL", "com.br", "R$" + NBSP + "{n}", ".", ",", D("5.5")),
    Locale("pt-PT", "EUR", "pt", "{n}" + NBSP + "€", NBSP, ",", D("1")),
    Locale("it-IT", "EUR", "it", "€" + NBSP + "{n}", ".", ",", D("1")),
    Locale("nl-NL", "EUR", "nl", "€" + NBSP + "{n}", ".", ",", D("1"), whole="-"),
    Locale("pl-PL", "PLN", "pl", "{n}" + NBSP + "zł", NBSP, ",", D("4.3")),
    Locale("sv-SE", "SEK", "se", "{n}" + NBSP + "kr", NBSP, ",", D("11.5"), decimals=0),
    Locale("da-DK", "DKK", "dk", "{n}" + NBSP + "kr.", ".", ",", D("7.5"), whole="-"),
    Locale("cs-CZ", "CZK", "cz", "{n}" + NBSP + "Kč", NBSP, ",", D("25"), decimals=0),
    Locale("ja-JP", "JPY", "jp", "¥{n}", ",", ".", D("160"), decimals=0),
    Locale("ar-AE", "AED", "ae", "AED" + NBSP + "{n}", ",", ".", D("4")),
    Locale("tr-TR", "TRY", "com.tr", "{n}" + NBSP + "TL", ".", ",", D("35")),
    Locale("en-IN", "INR", "in", "₹{n}", ",", ".", D("90"), indian=True),
    Locale("de-CH", "CHF", "ch", "CHF" + NBSP + "{n}", "'", ".", D("0.95")),
    Locale("es-PE", "PEN", "pe", "S/" + NBSP + "{n}", ",", ".", D("4.1")),
    Locale("hu-HU", "HUF", "hu", "{n}" + NBSP + "Ft", NBSP, ",", D("390"), decimals=0),
    Locale("ro-RO", "RON", "ro", "{n}" + NBSP + "lei", ".", ",", D("5")),
    Locale("nb-NO", "NOK", "no", "kr" + NBSP + "{n}", NBSP, ",", D("11.7"), whole="-"),
    Locale("en-AU", "AUD", "com.au", "${n}", ",", ".", D("1.65")),
    Locale("en-CA", "CAD", "ca", "${n}", ",", ".", D("1.5")),
)

# Shop words per language, in this order (one "|"-separated line each):
# add to cart | was | from {p} | {p} per kg | sold out | price on request | log in for price |
# free shipping over {p} | you may also like | home | description | {n} reviews | incl. tax |
# brand | in stock | we use cookies | customer service | quantity
_WORDS = {
    "en": "Add to cart|Was|From {p}|{p} per kg|Sold out|Price on request|Log in to see prices|"
    "Free shipping on orders over {p}|You may also like|Home|Description|{n} reviews|"
    "Tax included.|Brand|In stock|We use cookies to improve your experience.|Customer service|"
    "Quantity",
    "de": "In den Warenkorb|Statt|ab {p}|Grundpreis: {p} / 1 kg|Ausverkauft|Preis auf Anfrage|"
    "Preise nach Anmeldung|Kostenloser Versand ab {p}|Das könnte Ihnen auch gefallen|Startseite|"
    "Beschreibung|{n} Bewertungen|inkl. MwSt.|Marke|Auf Lager|Wir verwenden Cookies.|"
    "Kundenservice|Menge",
    "fr": "Ajouter au panier|Avant|À partir de {p}|{p} / kg|Épuisé|Prix sur demande|"
    "Connectez-vous pour voir les prix|Livraison offerte dès {p}|Vous aimerez aussi|Accueil|"
    "Description|{n} avis|TTC|Marque|En stock|Nous utilisons des cookies.|Service client|Quantité",
    "es": "Añadir al carrito|Antes|Desde {p}|{p} / kg|Agotado|Precio a consultar|"
    "Inicia sesión para ver precios|Envío gratis a partir de {p}|También te puede gustar|Inicio|"
    "Descripción|{n} opiniones|IVA incluido|Marca|En stock|Utilizamos cookies.|"
    "Atención al cliente|Cantidad",
    "pt": "Adicionar ao carrinho|De|A partir de {p}|{p} / kg|Esgotado|Preço sob consulta|"
    "Faça login para ver preços|Frete grátis acima de {p}|Você também pode gostar|Início|"
    "Descrição|{n} avaliações|IVA incluído|Marca|Em estoque|Usamos cookies.|Atendimento|"
    "Quantidade",
    "it": "Aggiungi al carrello|Prima|Da {p}|{p} / kg|Esaurito|Prezzo su richiesta|"
    "Accedi per vedere i prezzi|Spedizione gratuita da {p}|Potrebbe interessarti anche|Home|"
    "Descrizione|{n} recensioni|IVA inclusa|Marca|Disponibile|Utilizziamo i cookie.|"
    "Servizio clienti|Quantità",
    "nl": "In winkelwagen|Van|Vanaf {p}|{p} per kg|Uitverkocht|Prijs op aanvraag|"
    "Log in om prijzen te zien|Gratis verzending vanaf {p}|Misschien ook leuk|Home|"
    "Omschrijving|{n} beoordelingen|Incl. btw|Merk|Op voorraad|Wij gebruiken cookies.|"
    "Klantenservice|Aantal",
    "pl": "Dodaj do koszyka|Cena regularna|Od {p}|{p} / kg|Wyprzedane|Cena na zapytanie|"
    "Zaloguj się, aby zobaczyć ceny|Darmowa dostawa od {p}|Może Ci się spodobać|Strona główna|"
    "Opis|{n} opinii|Zawiera VAT|Marka|Dostępny|Używamy plików cookie.|Obsługa klienta|Ilość",
    "sv": "Lägg i varukorgen|Ord. pris|Från {p}|Jämförpris {p}/kg|Slutsåld|Pris på förfrågan|"
    "Logga in för att se priser|Fri frakt över {p}|Du kanske också gillar|Hem|Beskrivning|"
    "{n} recensioner|Inkl. moms|Varumärke|I lager|Vi använder cookies.|Kundtjänst|Antal",
    "da": "Læg i kurv|Før|Fra {p}|{p} pr. kg|Udsolgt|Pris på forespørgsel|"
    "Log ind for at se priser|Gratis fragt over {p}|Du vil måske også kunne lide|Forside|"
    "Beskrivelse|{n} anmeldelser|Inkl. moms|Mærke|På lager|Vi bruger cookies.|Kundeservice|Antal",
    "cs": "Do košíku|Původní cena|Od {p}|{p} / kg|Vyprodáno|Cena na dotaz|"
    "Přihlaste se pro zobrazení cen|Doprava zdarma od {p}|Mohlo by se vám líbit|Úvod|Popis|"
    "{n} hodnocení|vč. DPH|Značka|Skladem|Používáme cookies.|Zákaznický servis|Množství",
    "ja": "カートに追加|通常価格|{p}から|{p} / kg|売り切れ|価格はお問い合わせください|"
    "ログインして価格を表示|{p}以上のご注文で送料無料|おすすめ商品|ホーム|商品説明|{n}件のレビュー|"
    "税込|ブランド|在庫あり|当サイトはCookieを使用しています。|カスタマーサービス|数量",
    "ar": "أضف إلى السلة|كان|ابتداءً من {p}|{p} / كجم|نفدت الكمية|السعر عند الطلب|"
    "سجّل الدخول لرؤية الأسعار|شحن مجاني للطلبات فوق {p}|قد يعجبك أيضاً|الرئيسية|الوصف|"
    "{n} تقييم|شامل الضريبة|العلامة التجارية|متوفر|نستخدم ملفات تعريف الارتباط.|"
    "خدمة العملاء|الكمية",
    "tr": "Sepete ekle|Eski fiyat|{p}'den başlayan|{p} / kg|Tükendi|Fiyat sorunuz|"
    "Fiyatları görmek için giriş yapın|{p} üzeri ücretsiz kargo|Bunları da beğenebilirsiniz|"
    "Ana sayfa|Açıklama|{n} değerlendirme|KDV dahil|Marka|Stokta|Çerez kullanıyoruz.|"
    "Müşteri hizmetleri|Adet",
    "hu": "Kosárba|Eredeti ár|{p}-tól|{p} / kg|Elfogyott|Ár kérésre|"
    "Az árakért jelentkezzen be|Ingyenes szállítás {p} felett|Ez is tetszhet|Főoldal|Leírás|"
    "{n} értékelés|Bruttó ár|Márka|Raktáron|Sütiket használunk.|Ügyfélszolgálat|Mennyiség",
    "ro": "Adaugă în coș|Preț vechi|De la {p}|{p} / kg|Stoc epuizat|Preț la cerere|"
    "Autentifică-te pentru prețuri|Livrare gratuită peste {p}|Ți-ar putea plăcea|Acasă|"
    "Descriere|{n} recenzii|TVA inclus|Brand|În stoc|Folosim cookie-uri.|Relații clienți|Cantitate",
    "nb": "Legg i handlekurv|Før|Fra {p}|{p} per kg|Utsolgt|Pris på forespørsel|"
    "Logg inn for å se priser|Fri frakt over {p}|Du liker kanskje også|Hjem|Beskrivelse|"
    "{n} anmeldelser|Inkl. mva.|Merke|På lager|Vi bruker informasjonskapsler.|Kundeservice|Antall",
}
WORD_KEYS = (
    "cart was from unit soldout request login shipping related home description reviews tax "
    "brand instock cookies service quantity"
).split()


def words(lang: str) -> dict[str, str]:
    """The shop words of a language (keys in WORD_KEYS)."""
    values = _WORDS[lang].split("|")
    assert len(values) == len(WORD_KEYS), lang
    return dict(zip(WORD_KEYS, values, strict=True))
