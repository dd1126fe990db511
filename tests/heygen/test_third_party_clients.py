"""Two HeyGen clients written by other people, installed from PyPI and left unchanged,
run against the product as `make run` starts it: an agency's code moves by changing the
base URL and the key.

The clients live in their own environment (``.venv-clients``, built by ``make
compat-clients`` from ``tests/heygen/clients/requirements.lock``) so that their
dependencies (``mcp``, ``httpx``...) never mix with the product's; the test runs
``tests/heygen/clients/drive.py`` there and checks what each call returned.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from ..conftest import REPO, running_product

CLIENTS_PYTHON = REPO / ".venv-clients/bin/python"
SHEETS = REPO / ".artifacts/heygen"  # contact sheets of what the clients downloaded
VOICE = "piper:en_US-joe-medium"
MAKE_KEY = """
import django
django.setup()
from saas.billing import services as billing
from saas.workspaces.models import Membership
from saas.workspaces.services import create_api_key, create_workspace, ensure_user

owner, _ = ensure_user("agency@clients.test")
workspace = create_workspace(owner, "Agency moving from HeyGen")
account = billing.account_for(workspace)
account.plan = "team"
account.save()
billing.grant_credits(workspace, 500, note="third-party client test")
_, secret = create_api_key(Membership.objects.get(user=owner, workspace=workspace), "HeyGen code")
print(secret)
"""


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    if not CLIENTS_PYTHON.exists():
        pytest.skip("the HeyGen clients are not installed here: `make compat-clients`")
    data = tmp_path_factory.mktemp("heygen-product")
    with running_product(data) as (base, log, _, env):
        made = subprocess.run(
            [str(REPO / ".venv/bin/python"), "-c", MAKE_KEY], cwd=REPO, capture_output=True,
            text=True, env={**env, "DJANGO_SETTINGS_MODULE": "saas.settings"}, check=False,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        yield base, made.stdout.strip().splitlines()[-1], log


@pytest.fixture(scope="module")
def results(product, tmp_path_factory):
    from PIL import Image

    base, key, log = product
    folder = tmp_path_factory.mktemp("clients")
    photo = folder / "studio.png"
    Image.new("RGB", (1280, 720), (30, 41, 59)).save(photo)
    run = subprocess.run(
        [str(CLIENTS_PYTHON), str(REPO / "tests/heygen/clients/drive.py"), base, key,
         str(photo), str(folder)],
        capture_output=True, text=True, timeout=1200, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:] + log.read_text()[-3000:]
    from avatar.examples.contact_sheet import contact_sheet

    SHEETS.mkdir(parents=True, exist_ok=True)
    for name in ("sbroenne", "videogen", "template"):
        if (folder / f"{name}.mp4").exists():
            contact_sheet(folder / f"{name}.mp4", SHEETS / f"{name}.png", frames=4)
    return json.loads(run.stdout.strip().splitlines()[-1]), folder


@pytest.mark.slow
def test_heygen_mcp_sbroenne_lists_uploads_generates_downloads_and_deletes(results):
    found, folder = results
    client = found["sbroenne"]
    print(json.dumps({k: v for k, v in client.items() if k != "avatars"}, indent=1)[:3000])
    assert client["voices"]["error"] is None and VOICE in client["voices"]["ids"]
    assert client["avatars"]["error"] is None
    assert client["credits"]["error"] is None and client["credits"]["remaining_credits"] > 0
    assert client["upload"]["error"] is None and client["upload"]["asset_id"]
    video_id = client["generate"]["video_id"]
    assert client["generate"]["error"] is None and video_id
    assert client["status"]["status"] == "completed", client["status"]
    assert client["status"]["duration"] > 2
    assert (folder / "sbroenne.mp4").read_bytes()[4:8] == b"ftyp"
    assert "-->" in (folder / "sbroenne.srt").read_text()  # captions were asked for
    assert video_id in client["list"]
    assert client["delete"] == {"status": 200, "body": {"code": 100, "data": None,
                                                        "message": "Success"}}  # fmt: skip
    assert video_id not in client["list_after_delete"]


@pytest.mark.slow
def test_heygen_mcp_sbroenne_fills_in_a_template_and_gets_its_video(results):
    from avatar.dub.probe import probe_video

    found, folder = results
    client = found["sbroenne"]
    assert {"product-ad-vertical", "company-announcement"} <= set(client["templates"])
    assert client["template_variables"]["headline"] == "text"
    assert client["template_variables"]["presenter"] == "character"
    assert client["template_generate"]["error"] is None
    assert client["template_status"]["status"] == "completed", client["template_status"]
    video = probe_video(folder / "template.mp4", max_seconds=120)
    assert (video.width, video.height) == (1280, 720) and video.duration_s > 4


@pytest.mark.slow
def test_videogen_mcp_lists_generates_a_vertical_video_and_downloads_it(results):
    from avatar.dub.probe import probe_video

    found, folder = results
    client = found["videogen"]
    print(json.dumps({k: v for k, v in client.items() if k not in ("avatars", "voices")}))
    assert "grace" in {a["avatar_id"] for a in client["avatars"]["avatars"]}
    assert client["voices"]["voices"] and all(
        v["language"] == "English" for v in client["voices"]["voices"]
    )
    assert client["generate"]["job_id"] and client["status"]["status"] == "completed"
    video = probe_video(folder / "videogen.mp4", max_seconds=120)
    assert (video.width, video.height) == (1080, 1920)  # its 9:16 is HeyGen's 1080x1920
    listed = {t["template_id"]: t for t in client["templates"]["templates"]}
    assert listed["training-lesson"]["variable_count"] == 10  # it reads each one's variables
