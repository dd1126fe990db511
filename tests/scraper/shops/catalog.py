"""Invented products and shops: names, brands, EUR prices, descriptions.

Every name here is made up; none is copied from a real shop.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    """A product: ``eur`` is its price in EUR; ``pack`` is set for goods sold by weight."""

    name: str
    brand: str
    model: str
    eur: Decimal
    blurb: str
    pack: tuple[str, Decimal] | None = None  # ("250 g", per-kg factor)

    @property
    def slug(self) -> str:
        keep = "".join(c if c.isalnum() else "-" for c in self.name.lower())
        return "-".join(p for p in keep.split("-") if p)[:60]


def _item(name, brand, model, eur, blurb, pack=None) -> Item:
    return Item(name, brand, model, Decimal(eur), blurb, pack)


GOODS = (
    _item(
        "Nordvik Ceramic Pour-Over Kettle 1.2 L",
        "Nordvik",
        "NK-120",
        "49.90",
        "A matte stoneware kettle with a gooseneck spout for slow, even pours.",
    ),
    _item(
        "Halden Trail Running Shoe GTX",
        "Halden",
        "HT-2024",
        "139.00",
        "Waterproof trail shoe with a rock plate and a 6 mm drop.",
    ),
    _item(
        "Lumora Desk Lamp with Wireless Charger",
        "Lumora",
        "LDL-7",
        "79.00",
        "Dimmable LED desk lamp whose base charges your phone.",
    ),
    _item(
        "Brisa Linen Duvet Cover Set",
        "Brisa Home",
        "BL-220",
        "119.00",
        "Stone-washed European linen that softens with every wash.",
    ),
    _item(
        "Kestrel 27-inch 4K Monitor KM27U",
        "Kestrel",
        "KM27U",
        "329.00",
        "IPS panel, 98% DCI-P3, USB-C with 90 W power delivery.",
    ),
    _item(
        "Otava Merino Crew Sweater",
        "Otava",
        "OT-M3",
        "89.00",
        "Fine-gauge merino wool knit, mulesing-free.",
    ),
    _item(
        "Pellucid Noise Cancelling Headphones P9",
        "Pellucid",
        "P9",
        "249.00",
        "Adaptive noise cancelling, 40-hour battery, multipoint Bluetooth.",
    ),
    _item(
        "Taiga Cast Iron Skillet 28 cm",
        "Taiga Cookware",
        "TCI-28",
        "59.00",
        "Pre-seasoned cast iron pan for oven, grill and induction.",
    ),
    _item(
        "Velora City E-Bike Step-Through",
        "Velora",
        "VC-500",
        "1899.00",
        "Mid-drive motor, 500 Wh battery, belt drive and hydraulic brakes.",
    ),
    _item(
        "Quill & Fern A5 Dotted Notebook",
        "Quill & Fern",
        "QF-A5D",
        "18.00",
        "160 pages of 100 gsm ivory paper, lay-flat binding.",
    ),
    _item(
        "Solenne Robot Vacuum S7 Max",
        "Solenne",
        "S7MAX",
        "449.00",
        "Lidar navigation, 5000 Pa suction and a self-emptying dock.",
    ),
    _item(
        "Arbor Oak Bedside Table with Drawer",
        "Arbor Living",
        "AO-BT1",
        "159.00",
        "Solid oak bedside table with a soft-close drawer.",
    ),
    _item(
        "Fjellro Down Sleeping Bag -10",
        "Fjellro",
        "FR-10",
        "279.00",
        "800 fill-power down, comfort rated to -10 degrees.",
    ),
    _item(
        "Castra Espresso Machine Duetto",
        "Castra",
        "CD-2",
        "699.00",
        "Dual boiler espresso machine with PID temperature control.",
    ),
    _item(
        "Mirela Silk Pillowcase Pair",
        "Mirela",
        "MS-PP",
        "69.00",
        "22 momme mulberry silk, hidden zip closure.",
    ),
    _item(
        "Gravon Smartwatch G3 Titanium",
        "Gravon",
        "G3-TI",
        "399.00",
        "Titanium case, sapphire glass, 14-day battery.",
    ),
)

CONSUMABLES = (
    _item(
        "Terra Alta Single-Origin Coffee Beans",
        "Terra Alta",
        "TA-250",
        "14.90",
        "Washed Arabica from Huila with notes of cocoa and red apple.",
        ("250 g", Decimal(4)),
    ),
    _item(
        "Oliveto Extra Virgin Olive Oil",
        "Oliveto",
        "OL-500",
        "12.50",
        "Cold-extracted from Koroneiki olives, harvest 2023.",
        ("500 g", Decimal(2)),
    ),
    _item(
        "Kinda Organic Matcha Powder",
        "Kinda",
        "KM-100",
        "24.00",
        "Ceremonial grade matcha, stone ground.",
        ("100 g", Decimal(10)),
    ),
    _item(
        "Bellwood Dark Chocolate 85%",
        "Bellwood",
        "BW-85",
        "4.20",
        "Bean-to-bar chocolate made from Ecuadorian cacao.",
        ("80 g", Decimal("12.5")),
    ),
    _item(
        "Saltmarsh Flaky Sea Salt",
        "Saltmarsh",
        "SM-250",
        "6.90",
        "Hand-harvested pyramid flakes.",
        ("250 g", Decimal(4)),
    ),
    _item(
        "Hive & Heath Wildflower Honey",
        "Hive & Heath",
        "HH-450",
        "11.00",
        "Raw, unfiltered honey from small apiaries.",
        ("450 g", Decimal("2.2222")),
    ),
)

RELATED = (
    ("Canvas Tote Bag", "12.00"),
    ("Bamboo Cutting Board", "29.00"),
    ("Wool Beanie", "25.00"),
    ("Travel Mug 350 ml", "22.00"),
    ("Gift Card", "50.00"),
    ("Cleaning Kit", "15.00"),
    ("Leather Keyring", "9.00"),
    ("Spare Filter Set", "19.00"),
)

SHOP_WORDS = (
    "Acme",
    "Larkspur",
    "Copperleaf",
    "Bluefin",
    "Hollowell",
    "Marigold",
    "Northwind",
    "Pinecrest",
    "Saltbox",
    "Tidewater",
    "Wren",
    "Juniper",
    "Kettle",
    "Magpie",
    "Orchard",
    "Quarry",
)
SHOP_SUFFIX = ("Store", "Shop", "Market", "Supply", "Goods", "Outfitters", "Home", "House")
