"""Every HTML page carries a Content-Security-Policy that runs no inline script, and no
template holds an inline <script> or an on*= handler for it to block."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from saas.studio.drafts import create_draft
from saas.studio.models import Video

from ..conftest import REPO, web_client
from .test_video_pages import make_video, with_files

TEMPLATES = REPO / "templates"


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_policy(response, path=""):
    assert "Content-Security-Policy" in response, f"{path}: no Content-Security-Policy"
    policy = directives(response)
    assert policy["default-src"] == ["'self'"], path
    assert policy["script-src"] == ["'self'"], path  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], path
    assert policy["frame-ancestors"] == ["'none'"], path
    assert policy["img-src"][:3] == ["'self'", "data:", "blob:"], path
    assert policy["media-src"][:2] == ["'self'", "blob:"], path
    assert policy["form-action"][0] == "'self'", path
    others = [value for name, values in policy.items() if name != "style-src" for value in values]
    assert "'unsafe-inline'" not in others and "'unsafe-eval'" not in others, path
    return policy


@pytest.fixture
def site(personas):
    """A workspace with one of everything a page shows."""
    owner = personas.membership(personas.owner)
    draft = create_draft(owner, {"scenes": [{"script": "Hi there."}]})
    video = with_files(make_video(personas.workspace_a, share_token="c" * 43))
    running = make_video(personas.workspace_a, status=Video.Status.RUNNING)
    return {"draft": draft, "video": video, "running": running}


def test_every_page_the_app_serves_carries_the_policy(personas, site):
    owner = web_client(personas.owner, personas.workspace_a)
    pages = [
        "/dashboard/", "/create/", "/create/link/", f"/drafts/{site['draft'].pk}/", "/avatars/",
        f"/videos/{site['video'].pk}/", f"/videos/{site['running'].pk}/", "/templates/",
        "/templates/product-ad-vertical/", "/batches/", "/translations/", "/workspace/members/",
        "/workspace/api-keys/", "/workspace/webhooks/", "/billing/",
    ]  # fmt: skip
    for path in pages:
        response = owner.get(path)
        assert response.status_code == 200, path
        assert_policy(response, path)
    visitor = Client()
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                 f"/s/{site['video'].share_token}/", "/api/v1/docs", "/admin/login/"]:  # fmt: skip
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert_policy(response, path)
    assert_policy(visitor.get("/no/such/page/"), "a 404 page")
    assert_policy(owner.get("/api/v1/voices", HTTP_ACCEPT="text/html"), "the browsable API")


def test_json_and_media_answers_are_left_alone(personas, site):
    owner = web_client(personas.owner, personas.workspace_a)
    response = owner.get("/dashboard/live.json")
    assert response["Content-Type"].startswith("application/json")
    assert "Content-Security-Policy" not in response


def test_the_api_docs_start_swagger_ui_from_a_script_file(db):
    page = Client().get("/api/v1/docs").content.decode()
    assert "<script>" not in page
    src = re.search(r'<script src="(/api/v1/docs\?[^"]*script=[^"]*)"', page)
    assert src, page
    script = Client().get(src.group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_media_host_and_stripe_are_allowed_when_configured(personas, site, settings):
    client = Client()
    local = directives(client.get("/accounts/login/"))
    site_root = settings.SITE_ROOT  # local media, linked by absolute URL from the API
    assert local["img-src"] == ["'self'", "data:", "blob:", site_root]
    assert local["media-src"] == ["'self'", "blob:", site_root]
    assert local["form-action"] == ["'self'"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "talkingads-media",
                "endpoint_url": "https://s3.media.example.test",
                "region_name": "eu-west-1",
                "access_key": "test",
                "secret_key": "test-secret",
                "addressing_style": "path",
                "querystring_auth": True,
            },
        },
    }
    settings.CSP_MEDIA_ORIGINS = ["https://cdn.example.test"]
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    policy = directives(client.get("/accounts/login/"))
    for name in ("img-src", "media-src"):
        assert "https://s3.media.example.test" in policy[name], policy[name]
        assert "https://cdn.example.test" in policy[name]
    assert policy["form-action"] == [
        "'self'", "https://checkout.stripe.com", "https://billing.stripe.com",
    ]  # fmt: skip


def test_report_only_sends_the_same_policy_without_blocking(db, settings):
    settings.CSP_REPORT_ONLY = True
    response = Client().get("/accounts/login/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self';" in response["Content-Security-Policy-Report-Only"]


# The templates -----------------------------------------------------------------------------

DJANGO_TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
EXECUTABLE = {"", "text/javascript", "module", "application/javascript"}


class InlineCode(HTMLParser):
    """Finds what a Content-Security-Policy without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        line = self.getpos()[0]
        if tag == "script" and "src" not in attrs and (attrs.get("type") or "") in EXECUTABLE:
            self.found.append(f"line {line}: inline <script>")
        for name, value in attrs.items():
            if re.fullmatch(r"on[a-z]+", name):
                self.found.append(f"line {line}: {name}= handler")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"line {line}: {name}=javascript: URL")


def inline_code(source: str) -> list[str]:
    parser = InlineCode()
    # Template tags become spaces (inside a tag they would read as odd attributes).
    parser.feed(DJANGO_TAGS.sub(lambda m: " " * len(m.group()), source))
    parser.close()
    return parser.found


def test_the_check_finds_inline_code():
    bad = (
        '<form onsubmit="return confirm(1)"><select {% if x %}selected{% endif %} '
        'onchange="this.form.submit()"></select></form><script>alert(1)</script>'
        '<a href="javascript:void(0)">x</a><script type="application/json">{}</script>'
        '<script src="/static/app.js"></script>'
    )
    assert len(inline_code(bad)) == 4, inline_code(bad)


def test_no_template_holds_an_inline_script_or_handler():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 30  # the scan sees the templates
    found = {
        str(path.relative_to(REPO)): problems
        for path in templates
        if (problems := inline_code(path.read_text()))
    }
    assert found == {}
