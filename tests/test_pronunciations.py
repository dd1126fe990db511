"""The per-workspace pronunciation glossary that the speech stage applies."""

import pytest

from saas.errors import ServiceError
from saas.studio.rendering import glossary_for
from saas.studio.services import set_pronunciation

from .conftest import api_client_for


def test_an_entry_is_added_and_replaced_case_insensitively(personas):
    creator = personas.membership(personas.creator)
    set_pronunciation(creator, "Xiaomi", "shao me")
    set_pronunciation(creator, "XIAOMI", "shau mee")
    assert glossary_for(personas.workspace_a) == {"XIAOMI": "shau mee"}
    assert glossary_for(personas.workspace_b) == {}


@pytest.mark.parametrize(
    "written,spoken,field",
    [("", "x", "written"), ("ASUS", "  ", "spoken"), ("ASUS", "[pause 1s]", "spoken")],
)
def test_bad_entries_name_the_field(personas, written, spoken, field):
    with pytest.raises(ServiceError) as error:
        set_pronunciation(personas.membership(personas.owner), written, spoken)
    assert error.value.field == field


def test_the_api_lists_adds_and_deletes(personas):
    client = api_client_for(personas.creator, personas.workspace_a)
    created = client.post("/api/v1/pronunciations", {"written": "ASUS", "spoken": "ay soos"})
    assert created.status_code == 201
    listed = client.get("/api/v1/pronunciations").json()["results"]
    assert [(e["written"], e["spoken"]) for e in listed] == [("ASUS", "ay soos")]
    assert client.delete(f"/api/v1/pronunciations/{created.json()['id']}").status_code == 204
    assert glossary_for(personas.workspace_a) == {}
