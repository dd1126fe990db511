"""The README's verification recipe verifies what we send, and refuses what it should."""

import time

from saas.webhooks.signing import signed_headers

from ..conftest import REPO

SECRET = "whsec_docs"
BODY = b'{"data":{"id":"vid_1"},"id":"evt_1","type":"video.completed"}'


def readme_recipe():
    text = (REPO / "README.md").read_text()
    start = text.index("# webhook-verify-recipe")
    code = text[start : text.index("```", start)]
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 (our README's recipe)
    return namespace["verify_signature"]


def test_the_readme_recipe_verifies_our_signatures():
    verify = readme_recipe()
    assert verify(SECRET, signed_headers([SECRET], "evt_1", BODY), BODY)
    assert verify(SECRET, signed_headers(["whsec_new", SECRET], "evt_1", BODY), BODY)
    assert not verify("whsec_other", signed_headers([SECRET], "evt_1", BODY), BODY)
    assert not verify(SECRET, signed_headers([SECRET], "evt_1", BODY), BODY + b" ")
    old = signed_headers([SECRET], "evt_1", BODY, timestamp=int(time.time()) - 600)
    assert not verify(SECRET, old, BODY)
