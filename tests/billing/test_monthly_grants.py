"""Monthly credits: granted once a month, spent first, and what is left expires.

Bought credits and staff grants never expire.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from saas.billing import services
from saas.billing.models import BillingAccount, CreditEntry
from saas.workspaces.models import Workspace

THIS = services.current_period()
NEXT = services.current_period(timezone.now() + timedelta(days=32))


@pytest.fixture
def ws(personas):
    return personas.workspace_a


def entries(ws, kind):
    return list(
        CreditEntry.objects.filter(workspace=ws, kind=kind)
        .order_by("created_at")
        .values_list("period", "amount")
    )


def test_the_monthly_grant_is_given_once_per_month(ws):
    assert services.ensure_monthly_grant(ws, THIS) == 120
    assert services.ensure_monthly_grant(ws, THIS) == 0
    assert services.balance(ws) == 120
    assert entries(ws, "grant") == [(THIS, 120)]


def test_reading_the_balance_brings_the_months_grant(ws):
    assert services.balance(ws) == 120
    assert services.balance(ws) == 120
    assert entries(ws, "grant") == [(THIS, 120)]


def test_unused_monthly_credits_expire_when_the_next_month_is_granted(ws):
    services.ensure_monthly_grant(ws, THIS)
    services.reserve_credits(ws, "v1", 30)
    services.settle_credits(ws, "v1", 30)
    services.ensure_monthly_grant(ws, NEXT)
    assert entries(ws, "expiry") == [(NEXT, -90)]
    assert services.balance(ws) == 120  # the new month's grant, nothing carried over


def test_bought_credits_do_not_expire_and_monthly_ones_are_spent_first(ws):
    services.ensure_monthly_grant(ws, THIS)
    services.add_purchase(ws, 500, stripe_ref="cs_1", note="pack")
    services.reserve_credits(ws, "v1", 200)  # 120 monthly + 80 bought
    services.settle_credits(ws, "v1", 200)
    services.ensure_monthly_grant(ws, NEXT)
    assert entries(ws, "expiry") == [(NEXT, 0)]  # nothing expired (the month's sum is made)
    assert services.balance(ws) == 420 + 120


def test_staff_grants_never_expire(ws):
    services.grant_credits(ws, 1000, note="Enterprise onboarding")
    services.ensure_monthly_grant(ws, "2025-05")
    services.ensure_monthly_grant(ws, "2025-06")
    assert services.balance(ws) == 1000 + 120


def test_credits_held_by_a_running_render_are_not_expired(ws):
    services.ensure_monthly_grant(ws, THIS)
    services.reserve_credits(ws, "v1", 100)
    services.ensure_monthly_grant(ws, NEXT)
    assert entries(ws, "expiry") == [(NEXT, -20)]
    services.release_credits(ws, "v1")  # the render failed: its credits come back
    assert services.balance(ws) == 100 + 120


def test_a_render_that_held_every_credit_at_the_month_turn_and_failed_costs_nothing(ws):
    """Nothing was left to expire at the turn (the render held all 120), so no expiry
    was written; the next grant check of the month made the sum again, counted the
    released credits as unused and expired them: the failed render cost 120."""
    services.ensure_monthly_grant(ws, THIS)
    services.reserve_credits(ws, "v1", 120)
    services.ensure_monthly_grant(ws, NEXT)
    services.release_credits(ws, "v1")  # the render failed
    assert services.balance(ws) == 120 + 120
    services.ensure_monthly_grant(ws, NEXT)  # the hourly grant job, later that month
    assert services.balance(ws) == 120 + 120
    assert entries(ws, "expiry") == [(NEXT, 0)]


def test_skipped_months_expire_together(ws):
    services.ensure_monthly_grant(ws, "2025-01")
    services.ensure_monthly_grant(ws, "2025-04")
    assert entries(ws, "expiry") == [("2025-04", -120)]
    assert services.balance(ws) == 120


def test_an_upgrade_tops_up_the_months_grant_to_the_new_plan(ws):
    services.ensure_monthly_grant(ws, "2025-05")
    BillingAccount.objects.filter(workspace=ws).update(plan="creator")
    assert services.ensure_monthly_grant(ws, "2025-05") == 1800 - 120
    assert services.balance(ws) == 1800
    BillingAccount.objects.filter(workspace=ws).update(plan="free")  # a downgrade takes nothing
    assert services.ensure_monthly_grant(ws, "2025-05") == 0
    assert services.balance(ws) == 1800


def test_the_first_reservation_of_a_month_brings_the_grant(ws):
    services.reserve_credits(ws, "v1", 10)
    assert services.balance(ws) == 110


def test_the_command_grants_every_workspace_once(personas):
    out = io.StringIO()
    call_command("grant_monthly_credits", "--period", THIS, stdout=out)
    count = Workspace.objects.count()
    assert f"{THIS}: granted credits to {count} workspaces" in out.getvalue()
    call_command("grant_monthly_credits", stdout=io.StringIO())
    for ws in (personas.workspace_a, personas.workspace_b):
        assert services.balance(ws) == 120
    assert (
        CreditEntry.objects.filter(kind="grant").count()
        == CreditEntry.objects.values("workspace").distinct().count()
    )


def test_the_grant_credits_command(ws):
    out = io.StringIO()
    call_command("grant_credits", "--workspace", str(ws.pk), "--credits", "250", stdout=out)
    assert "balance 370" in out.getvalue()  # and the monthly 120
