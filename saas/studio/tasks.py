"""The studio's Dramatiq actors: thin, on top of everything, calling down.

One actor per stage of each pipeline (`video_scrape` ... `video_deliver`,
`avatar_preview_render`, `stock_preview_render`), declared from the
pipelines' data (saas/jobs/actors.py). Queues: `default` (scrape, script,
deliver), `tts` (speech) and `gpu` (lip-sync, composition, encoding and
previews), so GPU workers on other machines can listen to `gpu` alone.
"""

import dramatiq

from saas.jobs.actors import declare

from . import drafts, previews
from .models import Avatar
from .pipeline import VIDEO

STAGE_ACTORS = declare(VIDEO)
AVATAR_PREVIEW_ACTORS = declare(previews.AVATAR_PREVIEW)
STOCK_PREVIEW_ACTORS = declare(previews.STOCK_PREVIEW)


# Messages queued by the release before the job engine: turned into jobs. --------------


@dramatiq.actor(queue_name="gpu", max_retries=0)
def prepare_avatar(avatar_id: str) -> None:
    avatar = Avatar.objects.filter(pk=avatar_id, status=Avatar.Status.PROCESSING).first()
    if avatar is not None:
        previews.queue_avatar_preview(avatar)


@dramatiq.actor(queue_name="gpu", max_retries=0)
def prepare_stock_preview(stock_id: str) -> None:
    previews.queue_stock_preview(stock_id)


# A link draft's product page, read where browsers run (never in a web process). ---------


@dramatiq.actor(queue_name="default", max_retries=0, time_limit=120_000)
def read_link_draft(draft_id: str, user_id: int | None, role: str) -> None:
    drafts.read_link(draft_id, user_id, role)
