"""The batch actors: the pump, the collection page's discovery and template thumbnails."""

import dramatiq

from saas.jobs.actors import declare

from .pipeline import DISCOVER
from .previews import TEMPLATE_PREVIEW

DISCOVER_ACTORS = declare(DISCOVER)
PREVIEW_ACTORS = declare(TEMPLATE_PREVIEW)


@dramatiq.actor(queue_name="default", max_retries=3, min_backoff=2000)
def batch_pump(batch_id: str) -> None:
    from .runner import pump

    pump(batch_id)


@dramatiq.actor(queue_name="gpu", max_retries=0)
def prepare_template_preview(template_id: str) -> None:
    from .models import VideoTemplate
    from .previews import queue_preview

    template = VideoTemplate.objects.filter(pk=template_id).first()
    if template is not None:
        queue_preview(template_id, template.workspace)
