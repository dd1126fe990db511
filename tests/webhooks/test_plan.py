"""A workspace whose plan no longer has webhooks (a downgrade to Free, a lapsed payment)
gets no more deliveries, and its endpoints cannot be changed, tested or replayed."""

import pytest

from saas.errors import Forbidden
from saas.webhooks import services
from saas.webhooks.models import WebhookDelivery


def test_after_a_downgrade_no_event_is_delivered_and_nothing_can_be_sent(admin, endpoint, settings):
    workspace = admin.workspace
    [before] = services.emit_event(workspace, "video.completed", {"id": "v1"})
    settings.BILLING_API_FOR_ALL_PLANS = False  # the workspace is on Free, without webhooks
    assert services.emit_event(workspace, "video.completed", {"id": "v2"}) == []
    assert WebhookDelivery.objects.count() == 1
    for attempt in (
        lambda: services.update_endpoint(admin, endpoint.pk, url="https://other.example/z"),
        lambda: services.send_test(admin, endpoint.pk),
        lambda: services.replay_delivery(admin, endpoint.pk, before.pk),
    ):
        with pytest.raises(Forbidden, match="not part of the Free plan") as refused:
            attempt()
        assert refused.value.code == "plan_limit"
    endpoint.refresh_from_db()
    assert endpoint.url != "https://other.example/z" and WebhookDelivery.objects.count() == 1
    # What the workspace may still do: see its endpoints and delete them.
    services.delete_endpoint(admin, endpoint.pk)
