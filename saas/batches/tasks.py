"""The batch actors: the pump, the collection page's discovery and template thumbnails."""

import dramatiq

from saas.jobs.actors import declare

from .pipeline import DISCOVER
from .previews import TEMPLATE_PREVIEW

DISCOVER_ACTORS = declare(DISCOVER)
PREVIEW_ACTORS = declare(TEMPLATE_PREVIEW)


@dramatiq.actor(queue_name="default", max_retries=3, min_backoff=2000)
def batch_pump(batch_id: str) -> None:
    from .services import pump

    pump(batch_id)
