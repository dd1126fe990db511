"""Shared personas and helpers.

Workspace A ("Acme") has an owner, an admin, a creator and a viewer. The
outsider owns workspace B ("Globex"); every permission test has someone to
refuse.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@dataclass
class Personas:
    owner: object
    admin: object
    creator: object
    viewer: object
    outsider: object
    workspace_a: object
    workspace_b: object

    def membership(self, user, workspace=None):
        from saas.workspaces.models import Membership

        workspace = workspace or (self.workspace_b if user == self.outsider else self.workspace_a)
        return Membership.objects.get(user=user, workspace=workspace)


def make_user(email, password="correct horse battery staple", *, confirmed=True):
    """A user who signed up (and, CONFIRMED, opened the e-mail's confirmation link)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from saas.workspaces.services import create_personal_workspace

    user = get_user_model().objects.create_user(email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=confirmed)
    create_personal_workspace(user)
    return user


@pytest.fixture
def personas(db):
    from saas.workspaces.models import Membership, Role
    from saas.workspaces.services import create_workspace

    owner = make_user("owner@acme.test")
    outsider = make_user("outsider@globex.test")
    workspace_a = create_workspace(owner, "Acme")
    workspace_b = create_workspace(outsider, "Globex")
    people = {}
    for role in (Role.ADMIN, Role.CREATOR, Role.VIEWER):
        people[role] = make_user(f"{role}@acme.test")
        Membership.objects.create(workspace=workspace_a, user=people[role], role=role)
    return Personas(
        owner=owner,
        admin=people[Role.ADMIN],
        creator=people[Role.CREATOR],
        viewer=people[Role.VIEWER],
        outsider=outsider,
        workspace_a=workspace_a,
        workspace_b=workspace_b,
    )


def web_client(user, workspace):
    """A logged-in Django test client working in WORKSPACE."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.session
    session["workspace_id"] = str(workspace.pk)
    session.save()
    return client


def api_client_for(user, workspace, role=None):
    """An API client authenticated with a fresh key of USER's role in WORKSPACE."""
    from rest_framework.test import APIClient

    from saas.workspaces.models import ApiKey, Membership
    from saas.workspaces.services import sha256

    membership = Membership.objects.get(user=user, workspace=workspace)
    secret = f"tak_test_{user.pk}_{workspace.pk}"
    ApiKey.objects.create(
        workspace=workspace,
        name="test",
        prefix=secret[:12],
        key_hash=sha256(secret),
        role=role or membership.role,
        created_by=user,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def wait_for_port(port: int, process: subprocess.Popen, name: str, timeout: float = 20) -> None:
    """Wait until PROCESS (NAME, for the message) listens on 127.0.0.1:PORT; kill it if not."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"{name} did not start on port {port}")
            time.sleep(0.05)


def wait_for_http(url, process, timeout=90, log: Path | None = None):
    """(status, body) of URL once PROCESS answers there; fail if it exits or stays
    silent (showing the end of LOG, when given)."""
    import urllib.request

    tail = lambda: f":\n{log.read_text(errors='replace')[-3000:]}" if log else ""  # noqa: E731
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the process serving {url} exited early{tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read()
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {timeout} s{tail()}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """REDIS_URL from the environment (CI), else a throwaway redis-server on loopback."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        pytest.fail("redis-server is not installed; run `make setup`.")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    args = [server, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    process = subprocess.Popen([*args, "--appendonly", "no", "--dir", str(workdir)])
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@contextlib.contextmanager
def actors_on(broker):
    """Move every actor of the app onto BROKER (and make it the global one) for a while."""
    import importlib

    import dramatiq

    # Declare every app's actors, as a worker does (rundramatiq imports each tasks module):
    # the code that sends messages names actors without importing them.
    for path in sorted(REPO.glob("saas/*/tasks.py")):
        importlib.import_module(f"saas.{path.parent.name}.tasks")
    from saas.studio.tasks import STAGE_ACTORS

    previous = STAGE_ACTORS["render"].broker  # the broker the app's actors are declared on
    global_broker = dramatiq.get_broker()
    actors = [previous.get_actor(name) for name in previous.get_declared_actors()]
    for actor in actors:
        broker.declare_actor(actor)
        actor.broker = broker
    dramatiq.set_broker(broker)
    try:
        yield broker
    finally:
        for actor in actors:
            actor.broker = previous
        dramatiq.set_broker(global_broker)


@pytest.fixture
def redis_broker(redis_url):
    """Send this process's actors through a real Redis for one test."""
    from dramatiq.brokers.redis import RedisBroker

    broker = RedisBroker(url=redis_url)
    broker.flush_all()
    with actors_on(broker):
        yield broker
    broker.flush_all()
    broker.close()


PRODUCT_ENV_DROPS = (
    "DATABASE_URL",
    "BROKER_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "S3_BUCKET",
)


@contextlib.contextmanager
def running_product(data: Path, **env):
    """The product as `make run` starts it (web, worker, scheduler, private Redis, SQLite
    under DATA/data), on a free port; yields (base URL, log path, process, environment)."""
    import signal

    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCT_ENV_DROPS}
    environment.update(PORT=str(port), DATA_DIR=str(data / "data"), PYTHONUNBUFFERED="1", **env)
    log = data / "app.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(REPO / ".venv/bin/python"), "-m", "saas.devserver"],
            cwd=REPO, env=environment, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/accounts/login/", process, timeout=120, log=log)
        yield base, log, process, environment
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
