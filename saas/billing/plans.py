"""The plans and credit packs, defined here once. Views never hard-code a limit.

Stripe price ids come from settings (the environment); everything else about
a plan lives in this module. Read the catalogue through `catalogue()` so that
settings are looked up at call time.
"""

import dataclasses
import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FREE, CREATOR, TEAM, ENTERPRISE = "free", "creator", "team", "enterprise"
PLAN_ORDER = (FREE, CREATOR, TEAM, ENTERPRISE)
PLAN_CHOICES = [(FREE, "Free"), (CREATOR, "Creator"), (TEAM, "Team"), (ENTERPRISE, "Enterprise")]


@dataclass(frozen=True)
class Plan:
    """What a workspace may do and what it pays per second of video.

    `seats` None means unlimited. `credit_rate` is credits per second of output
    video. For Team, `seats` and `monthly_credits` depend on the subscription's
    quantity; `plan_for(workspace)` fills them in.
    """

    id: str
    name: str
    max_resolution: str
    max_video_seconds: int
    watermark: bool
    api_access: bool
    webhooks: bool
    seats: int | None
    max_concurrent_renders: int
    credit_rate: Decimal
    monthly_credits: int
    price_id: str = ""  # the Stripe price to subscribe with; "" = not sold through Checkout
    per_seat: bool = False
    monthly_credits_per_seat: int = 0
    tagline: str = ""

    @property
    def max_height(self) -> int:
        return resolution_height(self.max_resolution)

    @property
    def purchasable(self) -> bool:
        return bool(self.price_id)

    def with_seats(self, seats: int | None) -> "Plan":
        if not self.per_seat or not seats:
            return self
        credits = self.monthly_credits_per_seat * seats
        return dataclasses.replace(self, seats=seats, monthly_credits=credits)


def catalogue() -> dict[str, Plan]:
    """Every plan by id, in upgrade order, with price ids from settings."""
    team_seat_credits = 1500
    return {
        FREE: Plan(
            id=FREE,
            name="Free",
            max_resolution="720p",
            max_video_seconds=60,
            watermark=True,
            api_access=False,
            webhooks=False,
            seats=1,
            max_concurrent_renders=1,
            credit_rate=Decimal(1),
            monthly_credits=120,
            tagline="Try it out: 720p with a watermark, videos up to a minute.",
        ),
        CREATOR: Plan(
            id=CREATOR,
            name="Creator",
            max_resolution="1080p",
            max_video_seconds=10 * 60,
            watermark=False,
            api_access=False,
            webhooks=False,
            seats=1,
            max_concurrent_renders=2,
            credit_rate=Decimal(1),
            monthly_credits=1800,
            price_id=settings.STRIPE_PRICE_CREATOR,
            tagline="1080p without a watermark, videos up to 10 minutes.",
        ),
        TEAM: Plan(
            id=TEAM,
            name="Team",
            max_resolution="1080p",
            max_video_seconds=30 * 60,
            watermark=False,
            api_access=True,
            webhooks=True,
            seats=2,
            max_concurrent_renders=5,
            credit_rate=Decimal("0.75"),
            monthly_credits=2 * team_seat_credits,
            price_id=settings.STRIPE_PRICE_TEAM,
            per_seat=True,
            monthly_credits_per_seat=team_seat_credits,
            tagline="Seats for your team, the API and webhooks, more renders at once.",
        ),
        ENTERPRISE: Plan(
            id=ENTERPRISE,
            name="Enterprise",
            max_resolution="1080p",
            max_video_seconds=60 * 60,
            watermark=False,
            api_access=True,
            webhooks=True,
            seats=None,
            max_concurrent_renders=20,
            credit_rate=Decimal("0.5"),
            monthly_credits=0,
            tagline="Custom seats, credits, limits and terms.",
        ),
    }


def get_plan(plan_id: str) -> Plan:
    try:
        return catalogue()[plan_id]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown plan {plan_id!r}.") from None


def plan_for_price(price_id: str) -> Plan | None:
    """The plan a Stripe price subscribes to, or None for an unknown price."""
    if not price_id:
        return None
    return next((p for p in catalogue().values() if p.price_id == price_id), None)


def cost_in_credits(plan: Plan, duration_s: float) -> int:
    """Seconds of output video times the plan's rate, rounded up to whole credits."""
    seconds = Decimal(str(max(0.0, float(duration_s))))
    return int((seconds * plan.credit_rate).to_integral_value(rounding=ROUND_CEILING))


_RESOLUTION = re.compile(r"^(\d{3,4})p$")


def resolution_height(resolution: str) -> int:
    """720 for "720p"; ValueError for anything else."""
    match = _RESOLUTION.match(str(resolution).strip().lower())
    if not match:
        raise ValueError(f"Unknown resolution {resolution!r}; use a value such as 720p or 1080p.")
    return int(match.group(1))


@dataclass(frozen=True)
class CreditPack:
    credits: int
    price_id: str


def credit_packs() -> list[CreditPack]:
    """STRIPE_CREDIT_PACKS ("500:price_a,2000:price_b") as packs, smallest first."""
    packs = []
    for item in settings.STRIPE_CREDIT_PACKS:
        credits, _, price_id = item.partition(":")
        if not credits.strip().isdigit() or not price_id.strip():
            raise ImproperlyConfigured(
                f"STRIPE_CREDIT_PACKS entries look like 500:price_123, not {item!r}."
            )
        packs.append(CreditPack(int(credits), price_id.strip()))
    return sorted(packs, key=lambda p: p.credits)


def pack_for_price(price_id: str) -> CreditPack | None:
    return next((p for p in credit_packs() if p.price_id == price_id), None)
