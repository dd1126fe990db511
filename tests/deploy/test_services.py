"""The compose file, the systemd units and the Dockerfiles: parsed and cross-checked,
since Docker cannot run here. Every queue the app declares has a worker."""

import configparser
import re
import shlex
import shutil
import subprocess

import dramatiq
import pytest
import yaml

from tests.conftest import REPO

DEPLOY = REPO / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def app_queues() -> set[str]:
    """The queue of every actor in every app's tasks module (imported here, so the
    answer does not depend on which tests ran before)."""
    import importlib

    queues = set()
    for path in sorted(REPO.glob("saas/*/tasks.py")):
        module = importlib.import_module(f"saas.{path.parent.name}.tasks")
        for value in vars(module).values():
            actors = value.values() if isinstance(value, dict) else [value]  # STAGE_ACTORS
            queues |= {a.queue_name for a in actors if isinstance(a, dramatiq.Actor)}
    return queues


def queues_of(command: str) -> set[str] | None:
    """The --queues of a rundramatiq command line (None: not a worker)."""
    words = shlex.split(command)
    if "rundramatiq" not in words:
        return None
    start = words.index("--queues") + 1
    queues = set()
    for word in words[start:]:
        if word.startswith("-"):
            break
        queues.add(word)
    return queues


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_has_the_production_topology(compose):
    services = compose["services"]
    for name in ("web", "worker-cpu", "worker-gpu", "scheduler", "postgres", "redis", "minio"):
        assert name in services, name
    assert "gunicorn -c deploy/gunicorn.conf.py saas.wsgi" in services["web"]["command"]
    assert services["scheduler"]["command"] == "python manage.py run_scheduler"
    assert services["postgres"]["image"].startswith("postgres:15")
    for name in ("web", "worker-cpu", "worker-gpu", "scheduler"):
        env = services[name]["environment"]
        assert (
            env["DATABASE_URL"].startswith("postgres://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["BROKER_URL"] == "redis://redis:6379/0"
        assert (
            env["S3_ENDPOINT_URL"].endswith("minio:9000}")
            and env["S3_ADDRESSING_STYLE"].endswith(":-path}")  # MinIO's, unless .env says
        )
        assert (
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )


def test_the_gpu_worker_reserves_an_nvidia_gpu_and_uses_the_gpu_image(compose):
    gpu = compose["services"]["worker-gpu"]
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}]
    assert gpu["build"]["dockerfile"] == "deploy/Dockerfile.gpu"
    assert queues_of(gpu["command"]) == {"gpu"}


def test_every_queue_has_a_worker_in_compose(compose):
    consumed = set()
    for service in compose["services"].values():
        consumed |= queues_of(str(service.get("command", ""))) or set()
    assert app_queues() >= {"default", "tts", "gpu"}
    assert app_queues() - consumed == set()


def read_unit(path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read_string(path.read_text())
    return unit


def test_every_queue_has_a_systemd_worker():
    consumed = set()
    for path in UNITS:
        consumed |= queues_of(read_unit(path)["Service"]["ExecStart"]) or set()
    assert app_queues() - consumed == set()


def test_the_units_run_the_right_programs():
    starts = {p.stem: read_unit(p)["Service"]["ExecStart"] for p in UNITS}
    assert starts["talkingads-web"].endswith("gunicorn -c deploy/gunicorn.conf.py saas.wsgi")
    assert starts["talkingads-scheduler"].endswith("manage.py run_scheduler")
    assert queues_of(starts["talkingads-worker-gpu"]) == {"gpu"}
    assert {"default", "tts"} <= queues_of(starts["talkingads-worker-cpu"])
    for path in UNITS:
        service = read_unit(path)["Service"]
        assert service["EnvironmentFile"] == "/etc/talkingads/env"
        assert service["KillMode"] == "mixed"  # SIGTERM to the main process: graceful stops
        timeout = re.search(r"--worker-shutdown-timeout (\d+)", service["ExecStart"])
        if timeout:  # systemd must wait longer than dramatiq drains
            assert int(service["TimeoutStopSec"]) * 1000 > int(timeout.group(1))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_analyze_verifies_the_units(tmp_path):
    """Verify copies whose paths point at this checkout (the real ones need /srv)."""
    venv = REPO / ".venv"
    for path in [*UNITS, DEPLOY / "systemd" / "talkingads.target"]:
        text = path.read_text().replace("/srv/talkingads/.venv", str(venv))
        text = text.replace("/srv/talkingads", str(REPO)).replace(
            "/etc/talkingads/env", "/dev/null"
        )
        text = re.sub(r"^(User|Group)=.*$", r"\1=root", text, flags=re.M)
        (tmp_path / path.name).write_text(text)
    units = sorted(str(p) for p in tmp_path.iterdir())
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "talkingads" in line and "Failed to" not in line.split(":")[0]
    ]
    assert result.returncode == 0 and problems == [], result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "Dockerfile.gpu"])
def test_dockerfiles_copy_what_exists_and_pin_torch(dockerfile):
    text = (DEPLOY / dockerfile).read_text()
    text = text.replace("\\\n", " ")
    copies = re.findall(r"^COPY\s+(?!--from)(.+)$", text, re.M)
    assert copies
    for line in copies:
        *sources, _target = line.split()
        for source in sources:
            assert (REPO / source).exists(), f"{dockerfile}: COPY {source} does not exist"
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", text, re.M)
    ignored = (DEPLOY / f"{dockerfile}.dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored
    assert not any(source in ignored for line in copies for source in line.split()[:-1])
    code = re.sub(r"#.*", "", text)
    assert "pip install -r requirements.lock" in code  # torch==2.13.0, pinned exactly
    if dockerfile == "Dockerfile":  # the CPU build for web and CPU workers, installed first
        assert '"torch==2.13.0+cpu"' in code and "download.pytorch.org/whl/cpu" in code
    else:  # from PyPI, torch==2.13.0 on linux x86_64 is the CUDA build
        assert "+cpu" not in code and "--index-url" not in code


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "Dockerfile.gpu"])
def test_the_images_give_numba_a_cache_folder_the_app_user_can_write(dockerfile):
    """The code is root's and read-only to the app user, and its home is not its own, so
    numba would have nowhere to keep compiled kernels (they would be compiled again in
    every process): NUMBA_CACHE_DIR is a folder under one made for that user."""
    text = re.sub(r"#.*", "", (DEPLOY / dockerfile).read_text()).replace("\\\n", " ")
    folder = re.search(r"\bNUMBA_CACHE_DIR=(\S+)", text)
    assert folder, f"{dockerfile} sets no NUMBA_CACHE_DIR"
    made = re.findall(r"install -d -o talkingads -g talkingads ([^&\n]+)", text)
    owned = [path for line in made for path in line.split()]
    assert any(folder.group(1) == p or folder.group(1).startswith(p.rstrip("/") + "/")
               for p in owned), (folder.group(1), owned)  # fmt: skip
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert user == ["talkingads"]


def test_the_app_user_owns_the_static_files_web_collects_again_at_start():
    """compose's web runs collectstatic as talkingads into a volume that Docker fills
    from the image's STATIC_ROOT, owner included: root-owned, it cannot rewrite the
    manifest, collectstatic fails and web never starts."""
    text = re.sub(r"#.*", "", (DEPLOY / "Dockerfile").read_text()).replace("\\\n", " ")
    static_root = re.search(r"\bSTATIC_ROOT=(\S+)", text).group(1)
    collect = text.index("collectstatic")
    owned = re.search(r'chown -R talkingads:talkingads "?(\$STATIC_ROOT|[^\s"]+)', text[collect:])
    assert owned and owned.group(1) in ("$STATIC_ROOT", static_root), "chown after collectstatic"
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert "collectstatic" in compose["services"]["web"]["command"]
    assert f"static:{static_root}" in compose["services"]["web"]["volumes"]


def test_a_hosted_s3_can_set_its_region_and_addressing_in_the_env_file(compose):
    """compose's environment: overrides env_file, so a value written there could not be
    changed from .env (a bucket outside us-east-1 failed every signature)."""
    env = compose["services"]["web"]["environment"]
    for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_ADDRESSING_STYLE"):
        assert str(env[name]).startswith("${" + name), (name, env[name])


def test_nginx_follows_web_when_compose_restarts_it(compose):
    """nginx shares web's network namespace: restarted or recreated alone, web takes
    the ports with it and nginx keeps answering from a namespace that is gone."""
    nginx = compose["services"]["nginx"]
    assert nginx["network_mode"] == "service:web"
    assert nginx["depends_on"]["web"]["restart"] is True
