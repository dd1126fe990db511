"""The avatar previews run on the job engine: a photo avatar's talking clip is made by
a worker, the avatar turns ready and `avatar.ready` is announced once; a preview that
cannot be made leaves the avatar failed with the reason, never stuck 'processing'."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from saas.jobs.models import Job
from saas.studio import previews
from saas.studio.models import Avatar
from saas.webhooks.models import WebhookDelivery

from ..studio import conftest as studio_conftest

stub_worker = studio_conftest.stub_worker
pytestmark = pytest.mark.django_db(transaction=True)  # the worker thread claims the job's row


@pytest.fixture
def endpoint(personas, settings):
    from saas.billing import services as billing
    from saas.webhooks.services import create_endpoint

    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    account = billing.account_for(personas.workspace_a)
    account.plan = "team"
    account.save()
    create_endpoint(personas.membership(personas.admin), "https://127.0.0.1:9/hook", events=[])


def new_avatar(personas) -> Avatar:
    from avatar.presenters import STOCK

    avatar = Avatar(workspace=personas.workspace_a, name="Grace", consent_at=timezone.now())
    avatar.image.save("grace.jpg", ContentFile(STOCK["grace"].locate().read_bytes()), save=False)
    avatar.save()
    return avatar


@pytest.mark.slow
def test_a_photo_avatars_preview_is_made_and_announced_once(personas, endpoint, stub_worker):
    avatar = new_avatar(personas)
    job = previews.queue_avatar_preview(avatar)
    assert job.kind == "avatar_preview" and job.subject == str(avatar.pk)
    stub_worker.drain()
    avatar.refresh_from_db()
    assert avatar.status == "ready" and avatar.preview.name.endswith(".mp4")
    with avatar.preview.open("rb") as handle:
        assert handle.read(12)[4:8] == b"ftyp"
    job.refresh_from_db()
    assert job.status == "completed" and job.progress == 100
    [delivery] = WebhookDelivery.objects.filter(event_type="avatar.ready")
    assert delivery.payload["data"]["id"] == str(avatar.pk)
    assert delivery.payload["data"]["status"] == "ready"


def test_a_preview_that_cannot_be_made_fails_the_avatar_with_the_reason(
    personas, endpoint, stub_worker, monkeypatch
):
    from avatar.errors import AvatarError

    def refuse(presenter, folder):
        raise AvatarError("no_face", "We couldn't find a face in this photo.")

    monkeypatch.setattr(previews, "render_preview", refuse)
    avatar = new_avatar(personas)
    previews.queue_avatar_preview(avatar)
    stub_worker.drain()
    avatar.refresh_from_db()
    assert avatar.status == "failed"
    assert avatar.quality_report["errors"][0]["message"] == "We couldn't find a face in this photo."
    job = Job.objects.get(subject=str(avatar.pk))
    assert (job.status, job.error_code) == ("failed", "no_face")
    assert not WebhookDelivery.objects.filter(event_type="avatar.ready").exists()


def test_a_preview_of_a_deleted_avatar_completes_without_announcing(
    personas, endpoint, stub_worker
):
    from django.db import transaction

    avatar = new_avatar(personas)
    with transaction.atomic():  # deleted before the worker (a running thread) can start it
        job = previews.queue_avatar_preview(avatar)
        Avatar.objects.filter(pk=avatar.pk).delete()
    stub_worker.drain()
    job.refresh_from_db()
    assert job.status == "completed" and "skipped" in job.result
    assert not WebhookDelivery.objects.exists()
