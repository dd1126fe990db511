"""The rules of the layout: avatar and scraper are libraries without Django,
and the web process never imports torch."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

LIBRARIES = ["avatar", "scraper"]


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    import os

    environment = {**os.environ, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=environment, capture_output=True, text=True
    )


def test_it_has_the_fixed_layout():
    for name in ["saas", "avatar", "scraper", "templates", "deploy", "tests", "manage.py"]:
        assert (REPO / name).exists(), f"{name} is missing"


@pytest.mark.parametrize("library", LIBRARIES)
def test_libraries_import_without_django(library):
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({library!r})\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('django', 'saas'))\n"
        "assert not bad, bad\n"
        "print('ok', len([n for n in sys.modules if n.startswith(pkg.__name__)]))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


@pytest.mark.parametrize("library", LIBRARIES)
def test_libraries_never_mention_django_or_saas_in_imports(library):
    offenders = []
    for path in (REPO / library).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.relative_to(REPO)}: {n}"
                for n in names
                if n.split(".")[0] in ("django", "saas", "rest_framework")
            ]
    assert offenders == []


def test_the_web_app_does_not_import_torch():
    code = (
        "import sys, django\n"
        "django.setup()\n"
        "from django.urls import get_resolver\n"
        "import saas.wsgi\n"
        "resolver = get_resolver()\n"
        "resolver.url_patterns\n"
        "from django.test import Client\n"
        "Client().get('/accounts/signup/')\n"
        "heavy = sorted(n for n in ('torch', 'onnxruntime', 'librosa') if n in sys.modules)\n"
        "assert not heavy, heavy\n"
        "print('ok')\n"
    )
    result = run_python(
        code, DJANGO_SETTINGS_MODULE="tests.settings", DATABASE_URL="sqlite:///:memory:"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


WEB_PAGES_CODE = """
import sys, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from tests.conftest import make_user
from saas.workspaces.models import Membership
from saas.studio.drafts import create_draft
from saas.studio.models import Video
user = make_user("pages@x.test")
member = Membership.objects.get(user=user)
draft = create_draft(member, {"scenes": [{"script": "Hi there."}]})
video = Video.objects.create(workspace=member.workspace, title="v", stage="speech", request={})
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
for path in ["/dashboard/", "/create/", "/create/link/", f"/drafts/{draft.pk}/", "/avatars/",
             f"/videos/{video.pk}/", "/workspace/members/", "/workspace/api-keys/",
             "/workspace/webhooks/", "/billing/", "/api/v1/voices", "/api/v1/avatars"]:
    assert client.get(path).status_code == 200, path
body = {"scenes": [{"script": "Hello"}]}
assert client.post("/api/v1/estimate", body, content_type="application/json").status_code == 200
assert "avatar.voices" in sys.modules and "avatar.music" in sys.modules  # not vacuous
heavy = ("torch", "onnxruntime", "librosa", "playwright", "mediapipe")
print(sorted(n for n in heavy if n in sys.modules))
"""


def test_the_web_pages_import_nothing_heavy(tmp_path):
    """Every page and the editor's API calls run in a web process without torch,
    mediapipe, onnxruntime, librosa or a browser."""
    result = run_python(
        WEB_PAGES_CODE,
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        TEST_MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONPATH=str(REPO),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_torch_check_can_fail():
    """Guard against a vacuous check: importing torch is visible in sys.modules."""
    result = run_python("import sys, avatar.lipsync, torch; print('torch' in sys.modules)")
    assert result.stdout.strip() == "True", result.stderr


def test_torch_is_pinned_exactly():
    text = (REPO / "pyproject.toml").read_text() + (REPO / "requirements.lock").read_text()
    pins = [line.strip().strip('",') for line in text.splitlines() if "torch" in line.lower()]
    torch_pins = [p for p in pins if p.lower().startswith("torch")]
    assert torch_pins and all(p == "torch==2.13.0" for p in torch_pins), torch_pins


def test_every_locked_requirement_is_pinned():
    lines = Path(REPO / "requirements.lock").read_text().splitlines()
    requirements = [x for x in lines if x.strip() and not x.startswith("#")]
    assert requirements and all("==" in x for x in requirements)
