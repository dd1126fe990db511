"""deploy/.env.example documents every setting, and it is the only example file."""

import ast
import re

from tests.conftest import REPO

EXAMPLE = REPO / "deploy" / ".env.example"
READERS = {"env", "envbool", "envint", "envlist"}


def names_read(path, functions) -> set[str]:
    """The NAME of every call function("NAME", ...) in PATH."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in functions
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return names


def documented() -> dict[str, str]:
    """NAME -> value for each `NAME=value` line, or `# NAME=value` for optional ones."""
    pairs = re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$", EXAMPLE.read_text(), re.M)
    return dict(pairs)


def test_every_setting_read_in_settings_is_documented():
    read = names_read(REPO / "saas" / "settings.py", READERS)
    assert len(read) > 60  # the scan finds the settings (a vacuous pass is a failure)
    missing = sorted(read - set(documented()))
    assert missing == [], f"add these to deploy/.env.example: {missing}"


def test_every_gunicorn_setting_is_documented():
    read = names_read(REPO / "deploy" / "gunicorn.conf.py", {"_int", "get"})
    read = {name for name in read if name.startswith("GUNICORN_")}
    assert "GUNICORN_WORKERS" in read
    assert sorted(read - set(documented())) == []


def test_there_is_one_example_file():
    assert EXAMPLE.exists()
    assert not (REPO / "deploy" / "env.example").exists()
    assert "deploy/.env.example" in (REPO / "README.md").read_text()
    assert "deploy/env.example" not in (REPO / "README.md").read_text()


def test_numbers_are_never_set_to_nothing():
    """`NAME=` is read as an empty string; envint would refuse to start."""
    integers = names_read(REPO / "saas" / "settings.py", {"envint"})
    uncommented = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", EXAMPLE.read_text(), re.M))
    empty = sorted(n for n in integers if n in uncommented and not uncommented[n].strip())
    assert empty == []


def test_copying_the_example_keeps_the_self_hosting_defaults():
    """Without STRIPE_SECRET_KEY the API, webhooks and unlimited seats are on by default;
    an example that sets them to false left a self-hosted install (which copies this
    file) on the Free plan's limits with no way to upgrade: API 403, no invitations."""
    uncommented = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", EXAMPLE.read_text(), re.M))
    assert "STRIPE_SECRET_KEY" in documented() and not uncommented.get("STRIPE_SECRET_KEY")
    for name in ("BILLING_API_FOR_ALL_PLANS", "BILLING_UNLIMITED_SEATS"):
        assert uncommented.get(name, "").strip().lower() not in ("false", "0", "no", "off"), name
