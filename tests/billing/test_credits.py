"""The credit ledger: reserve on submit, settle on success, release on failure."""

import pytest

from saas.billing import services
from saas.billing.models import CreditEntry
from saas.billing.services import InsufficientCredits
from saas.errors import Conflict, ServiceError

VIDEO = "3f1c2a70-0000-4000-8000-000000000001"


@pytest.fixture
def workspace(personas):
    """Workspace A with its Free monthly grant and 100 bought credits."""
    ws = personas.workspace_a
    services.ensure_monthly_grant(ws)
    services.add_purchase(ws, 100, stripe_ref="cs_seed", note="seed")
    return ws


def kinds(workspace):
    return list(
        CreditEntry.objects.filter(workspace=workspace)
        .order_by("created_at")
        .values_list("kind", "amount")
    )


def test_the_balance_is_the_sum_of_the_ledger(workspace):
    assert services.balance(workspace) == 120 + 100
    assert services.balance(workspace) == sum(a for _, a in kinds(workspace))


def test_a_reservation_takes_credits_off_the_balance(workspace):
    services.reserve_credits(workspace, VIDEO, 50)
    assert services.balance(workspace) == 170
    assert services.reserved_credits(workspace) == 50


def test_a_second_reservation_for_the_same_video_is_a_no_op(workspace):
    services.reserve_credits(workspace, VIDEO, 50)
    services.reserve_credits(workspace, VIDEO, 50)
    services.reserve_credits(workspace, VIDEO.upper(), 80)  # the same UUID spelled otherwise
    assert services.balance(workspace) == 170


def test_a_reservation_beyond_the_balance_is_refused_with_402(workspace):
    with pytest.raises(InsufficientCredits) as refused:
        services.reserve_credits(workspace, VIDEO, 221)
    assert (refused.value.status, refused.value.code) == (402, "insufficient_credits")
    assert "221" in refused.value.message and "220" in refused.value.message
    assert services.balance(workspace) == 220


def test_the_whole_balance_can_be_reserved(workspace):
    services.reserve_credits(workspace, VIDEO, 220)
    assert services.balance(workspace) == 0


def test_settling_charges_the_actual_cost_and_returns_the_rest(workspace):
    services.reserve_credits(workspace, VIDEO, 60)
    services.settle_credits(workspace, VIDEO, 42)
    assert services.balance(workspace) == 220 - 42
    assert services.reserved_credits(workspace) == 0
    assert kinds(workspace)[-2:] == [("reservation", -60), ("settlement", 18)]


def test_settling_never_charges_more_than_was_reserved(workspace):
    services.reserve_credits(workspace, VIDEO, 60)
    services.settle_credits(workspace, VIDEO, 500)
    assert services.balance(workspace) == 160


def test_settling_twice_charges_once(workspace):
    services.reserve_credits(workspace, VIDEO, 60)
    services.settle_credits(workspace, VIDEO, 40)
    services.settle_credits(workspace, VIDEO, 10)
    assert services.balance(workspace) == 180


def test_a_failed_render_costs_nothing(workspace):
    services.reserve_credits(workspace, VIDEO, 60)
    services.release_credits(workspace, VIDEO)
    services.release_credits(workspace, VIDEO)
    assert services.balance(workspace) == 220
    assert kinds(workspace)[-2:] == [("reservation", -60), ("release", 60)]


def test_a_video_is_never_both_settled_and_released(workspace):
    services.reserve_credits(workspace, VIDEO, 60)
    services.release_credits(workspace, VIDEO)
    services.settle_credits(workspace, VIDEO, 60)  # too late: already released
    assert services.balance(workspace) == 220
    other = "video-2"
    services.reserve_credits(workspace, other, 30)
    services.settle_credits(workspace, other, 30)
    services.release_credits(workspace, other)  # too late: already settled
    assert services.balance(workspace) == 190


def test_releasing_an_unknown_video_does_nothing(workspace):
    services.release_credits(workspace, "never-reserved")
    assert services.balance(workspace) == 220


def test_settling_without_a_reservation_is_a_conflict(workspace):
    with pytest.raises(Conflict) as refused:
        services.settle_credits(workspace, "never-reserved", 10)
    assert refused.value.code == "no_reservation"


def test_a_reservation_in_one_workspace_is_not_seen_in_another(workspace, personas):
    services.reserve_credits(workspace, VIDEO, 60)
    services.release_credits(personas.workspace_b, VIDEO)
    assert services.balance(workspace) == 160


def test_a_refund_gives_back_what_a_settled_video_cost_once(workspace):
    services.reserve_credits(workspace, VIDEO, 60)
    services.settle_credits(workspace, VIDEO, 45)
    assert services.refund_credits(workspace, VIDEO, note="lips out of sync") == 45
    assert services.refund_credits(workspace, VIDEO) == 0
    assert services.balance(workspace) == 220


def test_bad_amounts_and_ids_are_refused(workspace):
    with pytest.raises(ServiceError):
        services.reserve_credits(workspace, VIDEO, -1)
    with pytest.raises(ServiceError):
        services.reserve_credits(workspace, "", 1)
    with pytest.raises(ServiceError):
        services.grant_credits(workspace, 0, note="nothing")


def test_a_purchase_is_added_once_per_stripe_reference(workspace):
    assert services.add_purchase(workspace, 500, stripe_ref="cs_2", note="pack")
    assert not services.add_purchase(workspace, 500, stripe_ref="cs_2", note="pack")
    assert services.balance(workspace) == 720


def test_the_ledger_is_append_only(workspace):
    entry = CreditEntry.objects.filter(workspace=workspace).first()
    entry.amount = 1_000_000
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        CreditEntry.objects.filter(workspace=workspace).update(amount=0)
    with pytest.raises(TypeError):
        CreditEntry.objects.filter(workspace=workspace).delete()
    assert services.balance(workspace) == 220


def test_the_database_refuses_a_second_reservation_for_a_video(workspace):
    from django.db import IntegrityError, transaction

    services.reserve_credits(workspace, VIDEO, 10)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditEntry.objects.create(
            workspace=workspace, kind="reservation", amount=-10, video_id=VIDEO
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditEntry.objects.create(workspace=workspace, kind="settlement", amount=0, video_id="")
