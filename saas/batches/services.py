"""Batches: one video per row of variables (a CSV, a spreadsheet, JSON, product links).

The only code that writes Batch and BatchRow rows. A batch is checked row by
row when it is created; nothing is queued until it is started, and it starts
only when every row is valid (or the customer skips the bad ones) and the
balance covers the estimate. Started, it is a parent job (saas/jobs): the
pump (`pump`, on a worker) turns waiting rows into ordinary videos while the
plan's render slots allow, keeping one slot for the workspace's other videos
(runner.py, worker side), and is woken whenever one of its videos ends and at
every sweep, so a worker restart loses nothing.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from saas.errors import Conflict, NotFound, PaymentRequired, ServiceError, parse_uuid
from saas.jobs import engine, pipelines
from saas.jobs.models import Job
from saas.workspaces.models import Membership, Role
from saas.workspaces.services import require_role

from . import sheets, templates
from .models import Batch, BatchRow

log = logging.getLogger(__name__)

Row = BatchRow.Status
URL_OPTIONS = ("length", "tone", "aspect", "resolution", "avatar", "voice", "music", "captions")
MAX_URLS = 200
BATCH, DISCOVER = "batch", "batch_discover"  # the pipelines (pipeline.py)


def get_batch(membership: Membership, batch_id) -> Batch:
    batch = Batch.objects.filter(
        workspace=membership.workspace, pk=parse_uuid(batch_id, "batch")
    ).first()
    if batch is None:
        raise NotFound("No such batch in this workspace.")
    return batch


def list_batches(membership: Membership):
    return Batch.objects.filter(workspace=membership.workspace)


# Creating and checking ---------------------------------------------------------------


def create_batch(
    actor: Membership,
    *,
    template_id=None,
    name: str = "",
    rows=None,
    upload=None,
    urls=None,
    collection_url: str = "",
    options: dict | None = None,
    start: bool = False,
    skip_invalid: bool = False,
) -> Batch:
    """Check every row and keep the batch (status draft), or start it at once with START.

    Exactly one source: ROWS (a JSON list), UPLOAD (CSV or XLSX), URLS (product
    links) or COLLECTION_URL (a collection page, read on a worker).
    """
    require_role(actor, Role.CREATOR)
    given = [
        s for s in (rows is not None, upload is not None, bool(urls), bool(collection_url)) if s
    ]
    if len(given) != 1:
        raise ServiceError(
            "Give one source of rows: rows, a file, urls or collection_url.", field="rows"
        )
    links = bool(urls) or bool(collection_url)
    template = _template(actor, template_id, links)
    clean_options = _link_options(template, options or {}) if links else {}
    with transaction.atomic():
        batch = Batch.objects.create(
            workspace=actor.workspace,
            name=(name or "").strip()[:200] or _default_name(template, collection_url),
            template_ref=template.id,
            template=template.snapshot(),
            source=Batch.Source.JSON,
            options=clean_options,
            skip_invalid=skip_invalid,
            created_by=actor.user,
        )
        if collection_url:
            _discover(batch, collection_url, start)
            return batch
        if upload is not None:
            batch.source, values = sheets.read_upload(upload)
        elif urls:
            batch.source, values = Batch.Source.URLS, _url_rows(urls)
        else:
            values = sheets.json_rows(rows)
        batch.warnings = _unknown_columns(template, values) if not links else []
        batch.save(update_fields=["source", "warnings"])
        add_rows(batch, values)
    if start:
        start_batch(actor, batch.pk, skip_invalid=skip_invalid)
        batch.refresh_from_db()
    return batch


def _template(actor: Membership, template_id, links: bool) -> templates.Template:
    if template_id:
        return templates.get_template(actor, template_id)
    if links:
        return templates.get_template(actor, "product-ad-vertical")
    raise ServiceError("Choose a template.", field="template")


def _default_name(template: templates.Template, collection_url: str) -> str:
    when = timezone.localtime().strftime("%d %b %Y %H:%M")
    return f"{collection_url[:120] if collection_url else template.name} ({when})"


def _link_options(template: templates.Template, options: dict) -> dict:
    """A link row's video options: the customer's, else the template's look."""
    from saas.studio.requests import FromUrlSerializer

    first = (template.request.get("scenes") or [{}])[0]
    defaults = {"aspect": template.aspect, "music": template.request.get("music", "upbeat")}
    for key in ("avatar", "voice"):
        if first.get(key) and "{{" not in first[key]:
            defaults[key] = first[key]
    for variable in template.variables:  # a presenter or voice variable's default
        if variable.type in ("presenter", "voice") and variable.default:
            defaults.setdefault({"presenter": "avatar", "voice": "voice"}[variable.type],
                                variable.default)  # fmt: skip
    given = {k: v for k, v in options.items() if k in URL_OPTIONS and v not in (None, "")}
    serializer = FromUrlSerializer(data={"url": "https://example.com/", **defaults, **given})
    if not serializer.is_valid():
        field, message = next(templates._flatten(serializer.errors), ("options", "invalid"))
        raise ServiceError(message, field=field)
    from saas.studio.requests import plain

    data = plain(serializer.validated_data)
    return {k: data[k] for k in URL_OPTIONS if k in data}


def _url_rows(urls) -> list[dict]:
    if isinstance(urls, str):
        urls = urls.split()
    if not isinstance(urls, list) or not urls:
        raise ServiceError("urls must be a list of product page links.", field="urls")
    if len(urls) > MAX_URLS:
        raise ServiceError(f"A batch has at most {MAX_URLS} links.", field="urls")
    return [{"url": str(u).strip()} for u in urls if str(u).strip()]


def _unknown_columns(template: templates.Template, values: list[dict]) -> list[str]:
    names = {v.name for v in template.variables}
    extra = sorted({column for row in values for column in row} - names)
    if not extra:
        return []
    return [f"Columns not in the template were ignored: {', '.join(extra)}."]


def add_rows(batch: Batch, values: list[dict]) -> None:
    """Store and check VALUES as the batch's rows (numbered from 1 after the header)."""
    start = (batch.rows.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    rows = []
    for number, row_values in enumerate(values, start=start):
        row = BatchRow(batch=batch, number=number, values=row_values)
        _check_row(batch, row)
        rows.append(row)
    BatchRow.objects.bulk_create(rows)


def _check_row(batch: Batch, row: BatchRow) -> None:
    """Set ROW's status and errors from its values."""
    if batch.source in (Batch.Source.URLS, Batch.Source.COLLECTION):
        errors = _url_errors(row.values.get("url", ""))
        row.source_url = row.values.get("url", "")[:2000] if not errors else ""
    else:
        template = templates.from_snapshot(batch.template)
        request, errors = templates.fill_in(template, row.values, batch.workspace)
        errors = errors or templates.plan_errors(request, batch.workspace)
    row.errors = [{"field": field, "message": message} for field, message in errors]
    row.status = Row.INVALID if errors else Row.READY


def _url_errors(url: str) -> list[tuple[str, str]]:
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return [("url", "not a link to a product page (https://...)")]
    return [] if len(url) <= 2000 else [("url", "longer than 2000 characters")]


def describe(row: BatchRow) -> list[str]:
    """ROW's errors as people read them: "row 12, price: not a number"."""
    return [f"row {row.number}, {e['field']}: {e['message']}" for e in row.errors]


def update_row(actor: Membership, batch_id, number: int, values: dict) -> BatchRow:
    """Correct a row before the batch starts; it is checked again at once."""
    require_role(actor, Role.CREATOR)
    batch = get_batch(actor, batch_id)
    if batch.status != Batch.Status.DRAFT:
        raise Conflict("Rows can be changed only before the batch starts.")
    row = batch.rows.filter(number=number).first()
    if row is None:
        raise NotFound(f"The batch has no row {number}.")
    if not isinstance(values, dict):
        raise ServiceError("values must be an object of name: value.", field="values")
    row.values = {**row.values, **{str(k): "" if v is None else str(v) for k, v in values.items()}}
    _check_row(batch, row)
    row.save(update_fields=["values", "errors", "status", "source_url", "updated_at"])
    return row


def row_request(batch: Batch, row: BatchRow) -> tuple[dict, str]:
    """(the row's video request, its product link or "")."""
    if row.source_url:
        return {**batch.options, "url": row.source_url}, row.source_url
    template = templates.from_snapshot(batch.template)
    request, errors = templates.fill_in(template, row.values, batch.workspace, check_request=False)
    if request is None:  # valid when checked, not now: an image or avatar was deleted since
        field, message = errors[0]
        raise ServiceError(f"row {row.number}, {field}: {message}", field=field)
    request["title"] = (request.get("title") or f"{batch.name} #{row.number}")[:200]
    return request, ""


def estimate(batch: Batch) -> dict:
    """What the batch's rows would cost, and whether the workspace can start it."""
    from saas.billing import services as billing
    from saas.studio.estimates import audio_lengths, estimate_seconds

    rows = list(batch.rows.all())
    requests, broken = [], []
    for row in (r for r in rows if r.status == Row.READY):
        try:
            requests.append(row_request(batch, row)[0])
        except ServiceError as exc:
            broken.append(exc.message)
    each = [estimate_seconds(req, audio_lengths(batch.workspace, req)) for req in requests]
    seconds = sum(each)
    credits = sum(billing.estimate_cost(batch.workspace, s) for s in each)
    balance = billing.balance(batch.workspace)
    return {
        "rows": len(rows),
        "ready": len(requests),
        "invalid": sum(r.status == Row.INVALID for r in rows) + len(broken),
        "broken": broken,  # ready when checked, not now (start refuses them by row)
        "duration_s": round(seconds, 1),
        "credits": credits,
        "balance": balance,
        "shortfall": max(0, credits - balance),
    }


# Starting, the pump, ending -------------------------------------------------------------


def start_batch(actor: Membership, batch_id, *, skip_invalid: bool = False) -> Batch:
    """Queue the batch: every row valid (or SKIP_INVALID) and the balance covering it."""
    require_role(actor, Role.CREATOR)
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=get_batch(actor, batch_id).pk)
        if batch.status != Batch.Status.DRAFT:
            raise Conflict(f"The batch is {batch.get_status_display().lower()}; it cannot start.")
        invalid = list(batch.rows.filter(status=Row.INVALID))
        if invalid and not skip_invalid:
            shown = [line for row in invalid[:5] for line in describe(row)][:5]
            more = f" (and {len(invalid) - 5} more rows)" if len(invalid) > 5 else ""
            raise ServiceError(
                f"{len(invalid)} rows need fixing before the batch can start: "
                + "; ".join(shown) + more + ". Fix them, or start with skip_invalid.",
                field="rows", code="invalid_rows",
            )  # fmt: skip
        cost = estimate(batch)
        if cost["broken"] and not skip_invalid:
            raise ServiceError(
                "; ".join(cost["broken"][:5]) + ". Fix these rows, or start with skip_invalid.",
                field="rows", code="invalid_rows",
            )  # fmt: skip
        if not cost["ready"]:
            raise ServiceError("The batch has no valid rows to render.", field="rows")
        if cost["shortfall"]:
            raise PaymentRequired(
                f"This batch needs {cost['credits']} credits; the workspace has "
                f"{cost['balance']} ({cost['shortfall']} short). Buy credits or remove rows."
            )
        batch.rows.filter(status=Row.INVALID).update(status=Row.SKIPPED)
        batch.rows.filter(status=Row.READY).update(status=Row.PENDING)
        _open_job(batch)
        batch.status, batch.started_at = Batch.Status.RUNNING, timezone.now()
        batch.skip_invalid = skip_invalid
        batch.save(update_fields=["status", "started_at", "skip_invalid", "job", "updated_at"])
        transaction.on_commit(lambda: wake(batch.pk))
    return batch


def _open_job(batch: Batch) -> None:
    """A parent job for the batch's videos (a new one when failed rows are retried)."""
    job = Job.objects.create(
        kind=BATCH, workspace=batch.workspace, subject=str(batch.pk), stage="children",
        created_by=batch.created_by,
    )  # fmt: skip
    engine.submit(pipelines.get(BATCH), job)
    batch.job = job


def wake(batch_id) -> None:
    """Ask a worker to run the batch's pump."""
    from saas import queueing

    queueing.send("batch_pump", str(batch_id), queue="default")


def actor_for(batch: Batch) -> Membership:
    """Who the batch's videos are made for: its author, or the workspace's owner."""
    memberships = Membership.objects.filter(workspace=batch.workspace).select_related(
        "workspace", "user"
    )
    member = memberships.filter(user_id=batch.created_by_id).first()
    if member is None or not _can_create(member):
        member = memberships.filter(role=Role.OWNER).first()
    return member


def _can_create(member: Membership) -> bool:
    from saas.workspaces.models import role_at_least

    return role_at_least(member.role, Role.CREATOR)


def sync_rows(batch: Batch) -> None:
    """Each in-flight row takes its video's status."""
    from saas.studio.models import Video

    in_flight = batch.rows.filter(status__in=BatchRow.IN_FLIGHT).select_related("video")
    for row in in_flight:
        video = row.video
        if video is None:  # the video was deleted
            status, message = Row.CANCELLED, "The video was deleted."
        else:
            status = {
                Video.Status.QUEUED: Row.QUEUED, Video.Status.WAITING: Row.QUEUED,
                Video.Status.RUNNING: Row.RUNNING, Video.Status.COMPLETED: Row.COMPLETED,
                Video.Status.FAILED: Row.FAILED, Video.Status.CANCELLED: Row.CANCELLED,
            }[video.status]  # fmt: skip
            message = video.error_message if status == Row.FAILED else ""
        if status != row.status:
            BatchRow.objects.filter(pk=row.pk, status=row.status).update(
                status=status, error_message=message, updated_at=timezone.now()
            )


def cancel_batch(actor: Membership, batch_id) -> Batch:
    """Stop the batch: waiting rows are cancelled, running videos stopped, credits returned."""
    require_role(actor, Role.CREATOR)
    batch = get_batch(actor, batch_id)
    if batch.status not in (Batch.Status.RUNNING, Batch.Status.DISCOVERING, Batch.Status.DRAFT):
        raise Conflict(f"The batch is already {batch.status}.")
    with transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(
            status=Batch.Status.CANCELLED, finished_at=timezone.now()
        )
        batch.rows.filter(status__in=(Row.PENDING, Row.READY)).update(status=Row.CANCELLED)
        # An invalid row is skipped, not cancelled: "retry" brings cancelled rows back.
        batch.rows.filter(status=Row.INVALID).update(status=Row.SKIPPED)
        if batch.job_id:
            engine.cancel(pipelines.get(BATCH), batch.job_id)
    sync_rows(batch)
    batch.refresh_from_db()
    return batch


def retry_failed(actor: Membership, batch_id) -> Batch:
    """Queue the failed (and cancelled) rows again, as new videos; the rest stay as they are."""
    require_role(actor, Role.CREATOR)
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=get_batch(actor, batch_id).pk)
        if batch.status not in Batch.ENDED:
            raise Conflict("Failed rows can be retried once the batch has finished.")
        again = batch.rows.filter(status__in=(Row.FAILED, Row.CANCELLED))
        if not again.exists():
            raise ServiceError("No row failed; there is nothing to retry.")
        again.update(status=Row.PENDING, video=None, error_message="")
        _open_job(batch)
        batch.status, batch.finished_at = Batch.Status.RUNNING, None
        batch.save(update_fields=["status", "finished_at", "job", "updated_at"])
        transaction.on_commit(lambda: wake(batch.pk))
    return batch


def delete_batch(actor: Membership, batch_id) -> None:
    """Delete the batch (its videos stay in the workspace's video list)."""
    require_role(actor, Role.CREATOR)
    batch = get_batch(actor, batch_id)
    if batch.status == Batch.Status.RUNNING:
        raise Conflict("Cancel the batch before deleting it.")
    batch.delete()


# A collection page ------------------------------------------------------------------------


def _discover(batch: Batch, url: str, start: bool) -> None:
    errors = _url_errors(url)
    if errors:
        raise ServiceError(errors[0][1], field="collection_url")
    batch.source, batch.source_url = Batch.Source.COLLECTION, url
    batch.status, batch.start_when_found = Batch.Status.DISCOVERING, start
    batch.save(update_fields=["source", "source_url", "status", "start_when_found"])
    job = Job.objects.create(
        kind=DISCOVER, workspace=batch.workspace, subject=str(batch.pk), stage="find",
        payload={"max_products": batch.options.get("max_products", MAX_URLS)},
        created_by=batch.created_by,
    )  # fmt: skip
    engine.submit(pipelines.get(DISCOVER), job)
