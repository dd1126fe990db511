"""deploy/smoke.py's /metrics step against a proxy that hides /metrics (as nginx does)."""

from __future__ import annotations

import importlib.util
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import REPO


def load_smoke():
    spec = importlib.util.spec_from_file_location("smoke", REPO / "deploy" / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Hidden(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hidden)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_hidden_metrics_page_says_where_to_look_instead(proxy):
    smoke = load_smoke()
    parser_args = ["--base-url", proxy, "--key", "k", "--metrics-token", "t"]
    checker = smoke.Smoke(smoke.arguments(parser_args))
    with pytest.raises(smoke.SmokeFailure, match="--metrics-url"):
        checker.metrics()
    pointed = smoke.Smoke(smoke.arguments([*parser_args, "--metrics-url", proxy + "/internal/"]))
    assert pointed.metrics_url == proxy + "/internal"
