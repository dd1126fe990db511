import pytest

from ..studio.conftest import funded, shop, stub_worker  # noqa: F401  (shared fixtures)


@pytest.fixture
def creator_api(funded):  # noqa: F811
    from ..conftest import api_client_for

    return api_client_for(funded.creator, funded.workspace_a)
