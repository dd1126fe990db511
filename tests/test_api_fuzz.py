"""Fuzz every API operation from its OpenAPI schema: no input may cause a 500.

Operations that fetch URLs (product pages, webhook tests and replays) or
synthesise speech are fuzzed on their own: every URL the fuzzer writes is
pointed at the local shop (so a page really is read, under the same SSRF
guard, and nothing depends on DNS), with fewer examples since each one may
start a browser page or a voice. Example counts are kept small so CI stays
fast; raise FUZZ_EXAMPLES locally for a deeper run.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from saas.wsgi import application

from .conftest import api_client_for
from .studio import conftest as studio_conftest

shop = studio_conftest.shop  # the local shop, with 127.0.0.1 allowed for scraping
stub_worker = studio_conftest.stub_worker  # link drafts are read by a worker
schema = schemathesis.openapi.from_wsgi("/api/v1/schema", application)
SKIP = r"(from-url|/preview|/test$|/replay$)"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the test's database connection at the
    end of each request (as Django's own test client avoids, so do we)."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def bearer(personas, keep_test_connection):
    client = api_client_for(personas.owner, personas.workspace_a)
    return client._credentials["HTTP_AUTHORIZATION"]


@pytest.mark.slow
@schema.exclude(path_regex=SKIP).parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_causes_a_server_error(case, bearer):
    response = case.call(headers={"Authorization": bearer})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])


def _local(value, shop_base: str):
    """VALUE with every string that looks like a URL pointed at the local shop."""
    from urllib.parse import quote

    if isinstance(value, dict):
        return {key: _local(item, shop_base) for key, item in value.items()}
    if isinstance(value, list):
        return [_local(item, shop_base) for item in value]
    if isinstance(value, str) and (value.startswith(("http:", "https:")) or "url" in value):
        return f"{shop_base}/{quote(value[:40], safe='')}"
    return value


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # the worker's thread reads what the request wrote
@schema.include(path_regex=SKIP).parametrize()
@settings(
    max_examples=max(2, EXAMPLES // 4),  # each example may read a page or speak
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_to_an_operation_that_fetches_urls_causes_a_server_error(
    case, bearer, shop, stub_worker
):
    if isinstance(case.body, dict):
        case.body = _local(case.body, shop.base)
        for key in ("url", "source_url", "product_url"):
            if key in case.body and not isinstance(case.body[key], str):
                continue
            if key in case.body:
                case.body[key] = shop.base + "/product"
    response = case.call(headers={"Authorization": bearer})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
