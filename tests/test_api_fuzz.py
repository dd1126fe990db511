"""Fuzz every API operation from its OpenAPI schema: no input may cause a 500.

Operations that fetch URLs (product pages) or synthesise speech are left out:
random URLs would mean DNS lookups, and their inputs are covered by their own
tests. Example counts are kept small so CI stays fast; raise FUZZ_EXAMPLES
locally for a deeper run.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from saas.wsgi import application

from .conftest import api_client_for

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
