"""Before the load test (deploy/load.py): give the key's workspace room, pick a video,
and count the database queries of the two calls under test.

Runs with the production settings prod-smoke.sh exported. The workspace goes on the
enterprise plan with plenty of credits (the test measures the web tier, not plan
limits); the newest video's id goes to --id-file. Queries are counted in-process
with Django's test client against the same PostgreSQL (one warm-up call first, as
a long-running worker would have made), and printed as JSON records.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")


def _queries(client, method: str, path: str, body=None) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = getattr(client, method)
    call(path, body, content_type="application/json")  # warm-up
    with CaptureQueriesContext(connection) as captured:
        response = call(path, body, content_type="application/json")
    return response.status_code, len(captured.captured_queries)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", required=True)
    parser.add_argument("--id-file", required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.test import Client

    from saas.billing import services as billing
    from saas.studio.models import Video
    from saas.workspaces.services import authenticate_api_key

    workspace = authenticate_api_key(args.key).workspace
    account = billing.account_for(workspace)
    account.plan = "enterprise"
    account.save()
    billing.grant_credits(workspace, 10_000_000, note="load test")
    video = Video.objects.filter(workspace=workspace).order_by("-created_at").first()
    Path(args.id_file).write_text(str(video.pk))

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {args.key}")
    body = {"scenes": [{"script": "Counting queries.", "voice": "espeak:en-us"}]}
    for name, method, path, data in (
        ("video_status", "get", f"/api/v1/videos/{video.pk}", None),
        ("video_create", "post", "/api/v1/videos", body),
    ):
        status, count = _queries(client, method, path, data)
        record = {"bench": f"web.{name}.queries", "value": count, "unit": "queries/request",
                  "status": status}  # fmt: skip
        print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
