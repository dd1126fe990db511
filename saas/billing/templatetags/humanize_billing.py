from decimal import Decimal

from django import template

register = template.Library()

STATUS_LABELS = {
    "active": "active",
    "trialing": "trial",
    "past_due": "payment failed",
    "unpaid": "unpaid",
    "canceled": "cancelled",
    "incomplete": "awaiting payment",
}


@register.filter
def minutes(seconds) -> str:
    """600 -> "10 minutes", 60 -> "1 minute", 90 -> "90 seconds"."""
    seconds = int(seconds)
    if seconds % 60:
        return f"{seconds} seconds"
    count = seconds // 60
    return f"{count} minute{'s' * (count != 1)}"


@register.filter
def normalize(value) -> str:
    """Decimal("0.50") -> "0.5", Decimal("1") -> "1"."""
    return format(Decimal(value).normalize(), "f")


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " "))


@register.filter
def thousands(value) -> str:
    """7932 -> "7,932"; -1500 -> "-1,500"."""
    return f"{int(value):,}"
