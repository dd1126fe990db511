"""Pages the flows do not reach run under the Content-Security-Policy too: the `page`
fixture fails a test on any violation (tests/browser/conftest.py)."""

import re

import pytest

from .conftest import sign_up

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_every_page_runs_under_the_policy_and_a_violation_is_caught(page, app, browser):
    sign_up(page, app, "policy@shop.test")
    pages = ["/create/", "/templates/", "/templates/product-ad-vertical/", "/batches/",
             "/translations/", "/workspace/members/", "/accounts/password/change/"]  # fmt: skip
    for path in pages:
        page.goto(f"{app.base}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{app.base}/create/")
    page.get_by_role("button", name="Start blank").click()
    page.wait_for_url(re.compile(r"/drafts/[0-9a-f-]+/"))
    page.get_by_label("Script for scene 1").fill("Hello from a page with a strict policy.")
    page.once("dialog", lambda dialog: dialog.dismiss())  # data-confirm asks first
    page.get_by_role("button", name="Delete draft").click()
    assert re.search(r"/drafts/[0-9a-f-]+/", page.url)
    page.goto(f"{app.base}/api/v1/docs")  # Swagger UI, started from a script file
    page.locator(".swagger-ui .info").wait_for()
    assert not browser.csp_violations, browser.csp_violations

    # The check is not blind: an inline script is blocked and reported.
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="window.inline = true")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in v for v in browser.csp_violations)
    browser.csp_violations.clear()  # expected; the fixture checks for the unexpected
