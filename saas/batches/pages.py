"""The template gallery and the batch pages.

Templates: the workspace's and the built-in ones with their thumbnails, one
video from a template, a sample CSV, and "save this draft as a template".
Batches: upload a CSV/XLSX (or paste product links, or one collection page),
see every row's problems, fix a row in place, see the cost, start, follow the
progress, retry failed rows, cancel, and download the ZIP.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from saas.errors import ServiceError
from saas.web import found, run_service
from saas.workspaces.models import Role, role_at_least

from . import export, previews, sheets, templates
from . import services as batches
from .models import Batch, BatchRow
from .representation import counts


def _can_edit(request) -> bool:
    return role_at_least(request.membership.role, Role.CREATOR)


def _card(template) -> dict:
    return {
        "template": template,
        "thumbnail": previews.thumbnail_url(template),
        "required": [v for v in template.variables if v.required and v.default is None],
    }


@login_required
@require_GET
def gallery(request):
    items = templates.list_templates(request.membership)
    if any(t.builtin and not previews.thumbnail_url(t) for t in items):
        previews.queue_missing_builtin_previews()
    context = {
        "here": "templates",
        "own": [_card(t) for t in items if not t.builtin],
        "builtin": [_card(t) for t in items if t.builtin],
        "can_edit": _can_edit(request),
    }
    return render(request, "batches/gallery.html", context)


@login_required
def template_page(request, pk):
    """One template: its variables, and a form that makes one video from it."""
    template = found(templates.get_template, request.membership, pk)
    error, posted = None, {}
    if request.method == "POST":
        posted = {v.name: request.POST.get(v.name, "") for v in template.variables}
        try:
            video = templates.generate(
                request.membership, pk, posted, title=request.POST.get("title", "")
            )
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, "Your video is rendering.")
            return redirect("video", pk=video.pk)
    context = {
        "here": "templates",
        **_card(template),
        "error": error,
        "fields": [(v, posted.get(v.name, "")) for v in template.variables],
        "can_edit": _can_edit(request),
    }
    return render(request, "batches/template.html", context, status=400 if error else 200)


@login_required
@require_GET
def sample_csv(request, pk):
    """A CSV to fill in: the header row names the variables, one row shows the defaults."""
    template = found(templates.get_template, request.membership, pk)
    sample = previews.sample_values(template)
    header = [v.name for v in template.variables]
    body = [[sample.get(v.name) or v.default or "" for v in template.variables]]
    response = HttpResponse(sheets.to_csv(header, body), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{export._slug(template.name)}.csv"'
    return response


@login_required
@require_POST
def save_draft_as_template(request, draft_id):
    template = run_service(
        request, templates.template_from_draft, request.membership, draft_id,
        request.POST.get("name", ""),
        success="Saved as a template. Write {{name}} in any text to add a variable.",
    )  # fmt: skip
    if template is None:
        return redirect("editor", pk=draft_id)
    return redirect("template", pk=template.id)


@login_required
@require_POST
def template_delete(request, pk):
    run_service(request, templates.delete_template, request.membership, pk,
                success="Template deleted.")  # fmt: skip
    return redirect("templates")


# Batches ---------------------------------------------------------------------------------


def _new_context(request, **extra) -> dict:
    return {
        "here": "batches",
        "templates": templates.list_templates(request.membership),
        "chosen": request.GET.get("template") or request.POST.get("template") or "",
        "batches": list(batches.list_batches(request.membership)[:50]),
        "can_edit": _can_edit(request),
        **extra,
    }


@login_required
@require_GET
def batches_page(request):
    return render(request, "batches/list.html", _new_context(request))


@login_required
@require_POST
def batch_create(request):
    data = request.POST
    source = data.get("source", "file")
    options = {k: data.get(k) for k in ("length", "tone", "aspect", "voice", "avatar")}
    try:
        batch = batches.create_batch(
            request.membership,
            template_id=data.get("template") or None,
            name=data.get("name", ""),
            upload=request.FILES.get("file") if source == "file" else None,
            urls=data.get("urls", "").split() if source == "urls" else None,
            collection_url=data.get("collection_url", "") if source == "collection" else "",
            options=options if source in ("urls", "collection") else None,
        )
    except ServiceError as exc:
        context = _new_context(request, error=exc, posted=data)
        return render(request, "batches/list.html", context, status=400)
    return redirect("batch", pk=batch.pk)


def _rows(batch: Batch, template) -> list[dict]:
    names = [v.name for v in template.variables] if template else ["url"]
    rows = []
    for row in batch.rows.select_related("video"):
        bad = {e["field"] for e in row.errors}
        cells = [(name, row.values.get(name, ""), name in bad) for name in names]
        rows.append({"row": row, "cells": cells, "problems": batches.describe(row)})
    return rows


@login_required
@require_GET
def batch_page(request, pk):
    batch = found(batches.get_batch, request.membership, pk)
    links = batch.source in (Batch.Source.URLS, Batch.Source.COLLECTION)
    template = None if links else templates.from_snapshot(batch.template)
    tally = counts(batch)
    context = {
        "here": "batches",
        "batch": batch,
        "rows": _rows(batch, template),
        "columns": [v.name for v in template.variables] if template else ["url"],
        "counts": tally,
        "ended": tally["completed"] + tally["failed"] + tally["cancelled"] + tally["skipped"],
        "estimate": batches.estimate(batch) if batch.status == Batch.Status.DRAFT else None,
        "live": batch.status in (Batch.Status.RUNNING, Batch.Status.DISCOVERING),
        "retryable": tally["failed"] + tally["cancelled"] > 0 and batch.status in Batch.ENDED,
        "can_edit": _can_edit(request),
        "Row": BatchRow.Status,
    }
    return render(request, "batches/detail.html", context)


@login_required
@require_POST
def batch_row(request, pk, number):
    values = {k.removeprefix("v_"): v for k, v in request.POST.items() if k.startswith("v_")}
    row = run_service(request, batches.update_row, request.membership, pk, number, values)
    if row is not None:
        if row.errors:
            messages.error(request, "; ".join(batches.describe(row)))
        else:
            messages.success(request, f"Row {number} is fixed.")
    return redirect(reverse("batch", args=[pk]) + f"#row-{number}")


@login_required
@require_POST
def batch_start(request, pk):
    skip = request.POST.get("skip_invalid") == "on"
    start = partial(batches.start_batch, skip_invalid=skip)
    run_service(request, start, request.membership, pk, success="The batch has started.")
    return redirect("batch", pk=pk)


@login_required
@require_POST
def batch_cancel(request, pk):
    run_service(request, batches.cancel_batch, request.membership, pk,
                success="Cancelled. Credits reserved for unfinished videos are back.")  # fmt: skip
    return redirect("batch", pk=pk)


@login_required
@require_POST
def batch_retry(request, pk):
    run_service(request, batches.retry_failed, request.membership, pk,
                success="Failed rows are queued again.")  # fmt: skip
    return redirect("batch", pk=pk)


@login_required
@require_GET
def batch_download(request, pk):
    return export.zip_response(found(batches.get_batch, request.membership, pk))


urlpatterns = [
    path("templates/", gallery, name="templates"),
    path("templates/<str:pk>/", template_page, name="template"),
    path("templates/<str:pk>/sample.csv", sample_csv, name="template_sample_csv"),
    path("templates/<uuid:pk>/delete/", template_delete, name="template_delete"),
    path("drafts/<uuid:draft_id>/save-template/", save_draft_as_template, name="draft_template"),
    path("batches/", batches_page, name="batches"),
    path("batches/new/", batch_create, name="batch_create"),
    path("batches/<uuid:pk>/", batch_page, name="batch"),
    path("batches/<uuid:pk>/rows/<int:number>/", batch_row, name="batch_row"),
    path("batches/<uuid:pk>/start/", batch_start, name="batch_start"),
    path("batches/<uuid:pk>/cancel/", batch_cancel, name="batch_cancel"),
    path("batches/<uuid:pk>/retry/", batch_retry, name="batch_retry"),
    path("batches/<uuid:pk>/download/", batch_download, name="batch_download"),
]
