"""A batch on real workers (Redis, worker processes, the scheduler): a worker killed with -9
while one of the batch's videos renders, and the batch still completes with every row's
video charged exactly once."""

from __future__ import annotations

import pytest

from saas.batches.models import Batch
from saas.billing import services as billing
from saas.billing.models import CreditEntry
from saas.studio.models import Video

from ..conftest import api_client_for
from .test_workers import funded_team, wait_for, worker_env, workers  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

WELCOME = {
    "name": "Welcome",
    "request": {
        "title": "Welcome, {{team}}",
        "scenes": [{"script": "Welcome to the {{team}} team. Your buddy is {{buddy}}.",
                    "voice": "espeak:en-us", "avatar": "{{presenter}}"}],
    },
    "variables": [{"name": "presenter", "default": "grace"}],
}  # fmt: skip
ROWS = [
    {"team": "Sales", "buddy": "Ana"},
    {"team": "Support", "buddy": "Ben", "presenter": "theo"},
    {"team": "Finance", "buddy": "Chen"},
]


def test_a_worker_killed_mid_batch_loses_no_row_and_charges_each_once(funded_team, workers):  # noqa: F811
    client = api_client_for(funded_team.creator, funded_team.workspace_a)
    template = client.post("/api/v1/templates", WELCOME, format="json").json()
    before = billing.balance(funded_team.workspace_a)
    first = workers.start()
    body = {"template": template["id"], "rows": ROWS, "start": True}
    batch = client.post("/api/v1/batches", body, format="json").json()
    assert batch["status"] == "running", batch
    wait_for(
        lambda: (
            Video.objects.filter(parent__isnull=False, stage="render", status="running")
            .exclude(lease_owner="")
            .exists()
        ),
        180,
        "a batch video to start rendering",
    )
    workers.kill9(first)
    workers.start()
    workers.start_scheduler()  # its sweeper re-sends the lost stage and wakes the batch's pump
    done = wait_for(
        lambda: Batch.objects.filter(pk=batch["id"], status__in=Batch.ENDED).first(),
        420,
        "the batch to finish on the other worker",
    )
    assert done.status == "completed", (done.error_message, list(done.rows.values()))
    rows = list(done.rows.select_related("video"))
    assert [r.status for r in rows] == ["completed"] * 3
    videos = [r.video for r in rows]
    assert len({v.pk for v in videos}) == 3 and all(v.status == "completed" for v in videos)
    assert Video.objects.filter(workspace=funded_team.workspace_a).count() == 3  # none twice
    for video in videos:
        entries = CreditEntry.objects.filter(video_id=str(video.pk))
        assert sorted(entries.values_list("kind", flat=True)) == ["reservation", "settlement"]
    charged = sum(billing.estimate_cost(funded_team.workspace_a, v.duration_s) for v in videos)
    assert billing.balance(funded_team.workspace_a) == before - charged
    archive = client.get(f"/api/v1/batches/{batch['id']}/download")
    assert archive.status_code == 200
