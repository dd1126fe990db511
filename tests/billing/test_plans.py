"""Plans gate features in services that the API, the web app and workers share."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from saas.billing import plans, services
from saas.billing.models import BillingAccount
from saas.errors import Forbidden, ServiceError


def set_plan(workspace, plan, **fields):
    BillingAccount.objects.update_or_create(workspace=workspace, defaults={"plan": plan, **fields})


def test_a_new_workspace_is_on_free(personas):
    plan = services.plan_for(personas.workspace_a)
    assert plan.id == "free"
    assert (plan.max_resolution, plan.max_video_seconds, plan.watermark) == ("720p", 60, True)
    assert plan.monthly_credits > 0 and not plan.api_access


def test_reading_the_plan_writes_nothing(personas):
    services.plan_for(personas.workspace_a)
    assert not BillingAccount.objects.exists()


def test_the_default_plan_comes_from_settings(personas, settings):
    settings.BILLING_DEFAULT_PLAN = "enterprise"
    assert services.plan_for(personas.workspace_a).id == "enterprise"


def test_price_ids_come_from_settings(stripe_on):
    assert plans.get_plan("creator").price_id == "price_creator"
    assert plans.plan_for_price("price_team").id == "team"
    assert plans.plan_for_price("price_unknown") is None
    assert plans.plan_for_price("") is None


def test_team_seats_and_monthly_credits_follow_the_quantity(personas):
    set_plan(personas.workspace_a, "team", seats=5)
    plan = services.plan_for(personas.workspace_a)
    assert plan.seats == 5
    assert plan.monthly_credits == 5 * plan.monthly_credits_per_seat
    assert plan.api_access and plan.webhooks and not plan.watermark


def test_enterprise_is_custom(personas):
    set_plan(personas.workspace_a, "enterprise", seats=None, custom_monthly_credits=50_000)
    plan = services.plan_for(personas.workspace_a)
    assert plan.seats is None and plan.monthly_credits == 50_000


def test_free_refuses_1080p_naming_the_plan_and_the_upgrade(personas):
    with pytest.raises(Forbidden) as refused:
        services.check_render_allowed(personas.workspace_a, resolution="1080p", duration_s=30)
    error = refused.value
    assert (error.code, error.field, error.status) == ("plan_limit", "resolution", 403)
    assert "Free plan" in error.message and "Upgrade to Creator" in error.message


def test_free_refuses_videos_over_a_minute(personas):
    with pytest.raises(Forbidden) as refused:
        services.check_render_allowed(personas.workspace_a, resolution="720p", duration_s=61)
    assert (refused.value.code, refused.value.field) == ("plan_limit", "duration")
    assert "1 minute" in refused.value.message and "Creator" in refused.value.message


def test_free_allows_720p_for_a_minute(personas):
    services.check_render_allowed(personas.workspace_a, resolution="720p", duration_s=60)


def test_creator_allows_1080p_and_longer_videos(personas):
    set_plan(personas.workspace_a, "creator")
    services.check_render_allowed(personas.workspace_a, resolution="1080p", duration_s=600)
    with pytest.raises(Forbidden, match="Upgrade to Team"):
        services.check_render_allowed(personas.workspace_a, resolution="1080p", duration_s=601)


def test_beyond_every_sold_plan_it_points_to_enterprise(personas):
    set_plan(personas.workspace_a, "team", seats=2)
    with pytest.raises(Forbidden, match="Enterprise"):
        services.check_render_allowed(personas.workspace_a, resolution="1080p", duration_s=3000)


def test_an_unknown_resolution_is_a_field_error(personas):
    with pytest.raises(ServiceError) as refused:
        services.check_render_allowed(personas.workspace_a, resolution="huge", duration_s=5)
    assert refused.value.field == "resolution" and refused.value.code == "invalid"


def test_the_api_is_team_and_up_when_billing_is_on(personas, stripe_on):
    for plan in ("free", "creator"):
        set_plan(personas.workspace_a, plan)
        with pytest.raises(Forbidden) as refused:
            services.check_api_allowed(personas.workspace_a)
        assert refused.value.code == "plan_limit" and "Team" in refused.value.message
    for plan in ("team", "enterprise"):
        set_plan(personas.workspace_a, plan)
        services.check_api_allowed(personas.workspace_a)
        services.check_webhooks_allowed(personas.workspace_a)


def test_without_billing_every_plan_keeps_the_api(personas, settings):
    settings.BILLING_API_FOR_ALL_PLANS = True
    services.check_api_allowed(personas.workspace_a)
    services.check_webhooks_allowed(personas.workspace_a)


def test_cost_is_seconds_times_the_plan_rate_rounded_up(personas):
    assert services.estimate_cost(personas.workspace_a, 30) == 30
    assert services.estimate_cost(personas.workspace_a, 30.2) == 31
    set_plan(personas.workspace_a, "team", seats=2)
    assert services.plan_for(personas.workspace_a).credit_rate == Decimal("0.75")
    assert services.estimate_cost(personas.workspace_a, 10) == 8  # 7.5 rounds up
    assert services.estimate_cost(personas.workspace_a, 0) == 0


def test_credit_packs_come_from_settings(settings):
    settings.STRIPE_CREDIT_PACKS = ["2000:price_b", "500:price_a"]
    assert [(p.credits, p.price_id) for p in plans.credit_packs()] == [
        (500, "price_a"),
        (2000, "price_b"),
    ]
    settings.STRIPE_CREDIT_PACKS = ["lots:price_a"]
    with pytest.raises(ImproperlyConfigured, match="STRIPE_CREDIT_PACKS"):
        plans.credit_packs()
