"""A scanner over every page of the web app: no input makes a server error.

Every URL pattern the project serves (outside the API and the HeyGen routes, which
schemathesis fuzzes from their schemas in test_api_fuzz.py and heygen/test_contract.py)
is requested with its path filled by real objects of the workspace, by another
workspace's, and by made-up ids; as a stranger and as the workspace's owner; by GET,
and by POST with hostile form data (markup, a huge value, odd encodings, an id from
elsewhere). Each answer must be below 500. CSRF is not checked here (the test client
skips it), so every form handler runs.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ..conftest import web_client

SKIP_PREFIXES = ("api/", "v1/", "v2/", "v3/", "admin/", "static/", "media/", "protected-media/")
HOSTILE = {
    "name": "<script>alert(1)</script>",
    "title": "x" * 20000,
    "email": "not-an-email",
    "url": "javascript:alert(1)",
    "role": "god",
    "q": "' OR 1=1 --",
    "action": "\u0000",
    "values": "{broken json",
}


def patterns(resolver=None, prefix=""):
    """(route text, pattern) for every URL pattern, nested includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def fill(route: str, values: list[str]) -> str:
    """ROUTE with each <converter:name> replaced by the next of VALUES (cycled)."""
    import re

    parts = iter(values * 4)
    path = re.sub(r"<(?:\w+:)?\w+>", lambda _: next(parts), route)
    return "/" + path.lstrip("^").rstrip("$").replace("\\Z", "")


def scan_routes():
    return [
        (route, entry)
        for route, entry in patterns()
        if not route.startswith(SKIP_PREFIXES) and "(?P" not in route
    ]


@pytest.mark.slow
def test_no_page_answers_a_server_error_to_anyone(personas):
    from saas.studio import drafts

    mine = drafts.create_draft(
        personas.membership(personas.owner),
        {"scenes": [{"script": "Hello.", "voice": "espeak:en-us", "avatar": "grace"}]},
    )
    theirs = drafts.create_draft(
        personas.membership(personas.outsider),
        {"scenes": [{"script": "Hi.", "voice": "espeak:en-us", "avatar": "grace"}]},
    )
    from django.test import Client

    from saas.studio.models import Video

    video = Video.objects.create(
        workspace=personas.workspace_a, title="Scanned", request={}, spec={}, stage="speech"
    )
    ids = [
        [str(mine.pk)],
        [str(theirs.pk)],
        [str(video.pk)],
        [str(uuid.uuid4())],
        ["1"],
        ["not-an-id"],
    ]
    routes = scan_routes()
    assert len(routes) > 40  # the scan reaches the whole app
    failures, answers = [], 0
    for route, _ in routes:
        # Fresh clients for every route: a POST to log out must not end the scan's session.
        clients = {"stranger": Client(), "owner": web_client(personas.owner, personas.workspace_a)}
        for values in ids if "<" in route else ids[:1]:
            path = fill(route, values)
            for who, client in clients.items():
                for method in ("get", "post"):
                    call = getattr(client, method)
                    response = call(path, HOSTILE) if method == "post" else call(path)
                    answers += 1
                    if response.status_code >= 500:
                        failures.append((who, method.upper(), path, response.status_code))
    print(f"{len(routes)} routes, {answers} requests")
    assert failures == []
