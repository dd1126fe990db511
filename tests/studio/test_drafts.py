"""Drafts: saved as they are, checked in full when rendered, kept to one workspace."""

import uuid

import pytest

from saas.studio import drafts
from saas.studio.models import Asset, Draft, Video

from ..conftest import api_client_for, web_client

SCENE = {"script": "Welcome to the team.", "voice": "espeak:en-us", "avatar": "grace"}


@pytest.fixture
def creator_api(funded):
    return api_client_for(funded.creator, funded.workspace_a)


def test_a_half_written_draft_is_saved_as_it_is(creator_api):
    body = {"title": "Onboarding", "request": {"aspect": "16:9", "scenes": [{"script": ""}]}}
    response = creator_api.post("/api/v1/drafts", body, format="json")
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["title"] == "Onboarding"
    assert draft["request"]["scenes"] == [{"script": ""}]

    body["request"]["scenes"][0]["script"] = "Hello there."
    response = creator_api.put(f"/api/v1/drafts/{draft['id']}", body, format="json")
    assert response.status_code == 200
    assert creator_api.get(f"/api/v1/drafts/{draft['id']}").json()["request"]["scenes"] == [
        {"script": "Hello there."}
    ]
    listed = creator_api.get("/api/v1/drafts").json()["results"]
    assert [d["id"] for d in listed] == [draft["id"]]


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ("just text", "request"),
        ({"scenes": "nope"}, "scenes"),
        ({"scenes": [{"script": "x"}] * 31}, "scenes"),
        ({"scenes": [1]}, "scenes"),
        ({"title": 5}, "title"),
        ({"link": "x"}, "link"),
        ({"link": {"images": "x"}}, "link"),
    ],
)
def test_a_malformed_draft_is_refused_naming_the_field(creator_api, request_body, field):
    response = creator_api.post("/api/v1/drafts", {"request": request_body}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


@pytest.mark.parametrize("path", ["/api/v1/drafts", "/api/v1/videos", "/api/v1/estimate"])
def test_a_nul_character_is_a_clear_400_not_a_database_error(creator_api, funded, path):
    """PostgreSQL cannot store NUL in text or JSON; every JSON body is refused with one."""
    scene = {"script": "Hi", "overlays": [{"type": "title", "text": "a\x00b"}]}
    body = {"request": {"scenes": [scene]}} if path.endswith("drafts") else {"scenes": [scene]}
    response = creator_api.post(path, body, format="json")
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]["message"]
    with pytest.raises(drafts.ServiceError) as error:  # and the service refuses it too
        drafts.create_draft(funded.membership(funded.creator), {"title": "x\x00"})
    assert error.value.field == "request"
    assert not Video.objects.exists() and not Draft.objects.exists()


def test_rendering_checks_the_draft_in_full_and_names_the_scene(creator_api, funded):
    draft = drafts.create_draft(
        funded.membership(funded.creator), {"scenes": [SCENE, {"script": "", "voice": "x"}]}
    )
    response = creator_api.post(f"/api/v1/drafts/{draft.pk}/render", {}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"].startswith("scenes.1.")
    assert not Video.objects.exists()
    draft.request["scenes"][1] = {"script": " "}
    draft.save()
    response = creator_api.post(f"/api/v1/drafts/{draft.pk}/render", {}, format="json")
    assert response.json()["error"] == {
        "code": "blank", "field": "scenes.1.script",
        "message": "Write what the presenter says in this scene.",
    }  # fmt: skip


def test_rendering_a_draft_queues_a_video_and_keeps_the_draft(creator_api, funded):
    request = {"title": "Welcome", "aspect": "16:9", "scenes": [SCENE], "link": {"tone": "x"}}
    draft = drafts.create_draft(funded.membership(funded.creator), request)
    response = creator_api.post(f"/api/v1/drafts/{draft.pk}/render", {}, format="json")
    assert response.status_code == 201, response.content
    video = Video.objects.get(pk=response.json()["id"])
    assert video.status == "queued" and video.credits_reserved > 0
    assert video.request["scenes"][0]["script"] == SCENE["script"]
    assert "link" not in video.request
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_viewers_read_drafts_but_change_nothing(funded):
    draft = drafts.create_draft(funded.membership(funded.creator), {"scenes": [SCENE]})
    viewer = api_client_for(funded.viewer, funded.workspace_a)
    assert viewer.get(f"/api/v1/drafts/{draft.pk}").status_code == 200
    body = {"request": {"scenes": []}}
    assert viewer.put(f"/api/v1/drafts/{draft.pk}", body, format="json").status_code == 403
    assert viewer.post(f"/api/v1/drafts/{draft.pk}/render", {}, format="json").status_code == 403
    assert viewer.post("/api/v1/drafts", body, format="json").status_code == 403
    assert Draft.objects.get(pk=draft.pk).request == {"scenes": [SCENE]}


def test_duplicating_a_video_makes_an_editable_draft(funded):
    creator = funded.membership(funded.creator)
    request = {"aspect": "9:16", "scenes": [SCENE], "callback_url": "https://x.test/hook"}
    video = Video.objects.create(
        workspace=funded.workspace_a, title="Spring ad", stage="speech", request=request
    )
    draft = drafts.duplicate_video(creator, video.pk)
    assert draft.title == "Spring ad (copy)"
    assert draft.request["scenes"] == [SCENE] and draft.request["aspect"] == "9:16"
    assert "callback_url" not in draft.request


# Link drafts -------------------------------------------------------------------


def read_link_draft(client, body, worker) -> dict:
    """POST a saved link draft: it is made at once, `reading`; the worker reads the page
    and the draft is `ready` (asserted) when fetched again."""
    response = client.post("/api/v1/drafts/from-url", body, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["status"], made["product"], made["error"]) == ("reading", None, None)
    worker.drain()
    draft = client.get(f"/api/v1/drafts/{made['id']}").json()
    assert draft["status"] == "ready", draft["error"]
    return draft


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_saved_link_draft_keeps_the_images_and_rewrites_with_fewer(funded, shop, stub_worker):
    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"url": f"{shop.base}/product", "length": 15, "save": True}
    draft = read_link_draft(client, body, stub_worker)
    assert draft["product"]["title"] == "Northwind Trail Mug"
    images = [i["asset"] for i in draft["images"]]
    assert images and all(i["selected"] and i["url"] for i in draft["images"])
    assert set(images) == {str(a.pk) for a in Asset.objects.filter(kind="image")}
    shown = {m for s in draft["request"]["scenes"] for m in s.get("media", [])}
    assert shown and shown <= set(images)

    keep = images[:1]
    body = {"tone": "professional", "length": 30, "images": keep, "seed": 3}
    response = client.post(f"/api/v1/drafts/{draft['id']}/script", body, format="json")
    assert response.status_code == 200, response.content
    rewritten = response.json()
    assert rewritten["request"]["link"] == {"tone": "professional", "length": 30, "seed": 3,
                                            "images": keep}  # fmt: skip
    shown = {m for s in rewritten["request"]["scenes"] for m in s.get("media", [])}
    assert shown == set(keep)
    assert rewritten["request"]["scenes"] != draft["request"]["scenes"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_price_in_doubt_must_be_confirmed_before_the_draft_renders(funded, shop, stub_worker):
    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"url": f"{shop.base}/unit-price", "length": 15, "save": True}
    draft = read_link_draft(client, body, stub_worker)
    assert draft["product"]["price"] is None
    assert "per unit" in draft["product"]["uncertain"]["price"]
    words = " ".join(s["script"] for s in draft["request"]["scenes"])
    assert "19.96" not in words and "24" not in words  # no doubtful number in the script

    refused = client.post(f"/api/v1/drafts/{draft['id']}/render", {}, format="json")
    assert refused.status_code == 400, refused.content
    assert (refused.json()["error"]["field"], refused.json()["error"]["code"]) == (
        "price", "price_unconfirmed")  # fmt: skip
    assert not Video.objects.exists()

    script = f"/api/v1/drafts/{draft['id']}/script"
    bad = client.post(script, {"price": "cheap", "length": 15}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "price"
    elsewhere = {"price": "18.50", "length": 15, "images": [str(uuid.uuid4())]}
    refused = client.post(script, elsewhere, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "images"
    assert Draft.objects.get(pk=draft["id"]).product["uncertain"]  # the refusal kept nothing
    confirmed = client.post(script, {"price": "$18.50", "length": 15}, format="json").json()
    assert (confirmed["product"]["price"], confirmed["product"]["currency"]) == ("18.50", "USD")
    assert confirmed["product"]["uncertain"] == {} and confirmed["product"]["price_confirmed"]
    overlays = [o for s in confirmed["request"]["scenes"] for o in s.get("overlays", [])]
    assert any("18.50" in o.get("price", "") for o in overlays), overlays
    made = client.post(f"/api/v1/drafts/{draft['id']}/render", {}, format="json")
    assert made.status_code == 201, made.content


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_portuguese_page_declared_as_english_gets_a_portuguese_draft(funded, shop, stub_worker):
    from avatar.voices import get_voice

    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"url": f"{shop.base}/pt-product", "length": 30, "save": True}
    draft = read_link_draft(client, body, stub_worker)
    assert draft["product"]["language"] == "pt"
    assert not draft["product"].get("language_note")
    scenes = draft["request"]["scenes"]
    words = " ".join(s["script"] for s in scenes)
    assert "R$ 249,90" in words and " the " not in f" {words.lower()} ", words
    assert {get_voice(s["voice"]).primary_language for s in scenes} == {"pt"}
    prices = [o["price"] for s in scenes for o in s.get("overlays", []) if o["type"] == "price"]
    assert prices == ["R$ 249,90"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_page_in_a_language_without_a_writer_says_so_and_is_wholly_english(
    funded, shop, stub_worker
):
    from avatar.voices import get_voice

    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"url": f"{shop.base}/it-product", "length": 15, "save": True}
    draft = read_link_draft(client, body, stub_worker)
    product = draft["product"]
    assert product["language"] == "it"
    note = product["language_note"]
    assert "Italian" in note and "English, German, French, Spanish and Portuguese" in note
    scenes = draft["request"]["scenes"]
    words = " ".join(s["script"] for s in scenes).lower()
    assert "moka" in words and not {"il", "che", "manico"} & set(words.split()), words
    assert {get_voice(s["voice"]).primary_language for s in scenes} == {"en"}
    preview = client.post("/api/v1/drafts/from-url", {**body, "save": False}, format="json")
    assert preview.json()["product"]["language_note"] == note


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_web_request_reads_no_page_a_worker_does(funded, shop, stub_worker, monkeypatch):
    """Web processes run no browser: the request that makes a link draft scrapes nothing;
    the page is read by the worker's thread. While reading, the draft cannot be edited or
    rendered."""
    import threading

    from saas.studio import storyboard

    scraped_on = []
    original = storyboard.scrape

    def recording(url, image_dir=None):
        scraped_on.append(threading.current_thread().name)
        return original(url, image_dir)

    monkeypatch.setattr(storyboard, "scrape", recording)
    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"url": f"{shop.base}/product", "length": 15, "save": True}
    made = client.post("/api/v1/drafts/from-url", body, format="json").json()
    assert scraped_on == []  # the answer came back before the page was read
    assert made["status"] == "reading" and made["source_url"] == body["url"]
    patch = {"request": {"scenes": [SCENE]}}
    early = client.put(f"/api/v1/drafts/{made['id']}", patch, format="json")
    assert early.status_code == 400 and early.json()["error"]["code"] == "reading"
    render = client.post(f"/api/v1/drafts/{made['id']}/render", {}, format="json")
    assert render.status_code == 400 and render.json()["error"]["code"] == "reading"
    stub_worker.drain()
    assert len(scraped_on) == 1 and scraped_on[0] != threading.current_thread().name
    draft = client.get(f"/api/v1/drafts/{made['id']}").json()
    assert draft["status"] == "ready" and draft["product"]["title"] == "Northwind Trail Mug"
    assert "reading" not in draft["request"] and draft["request"]["scenes"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_page_that_cannot_be_read_fails_the_draft_in_words(funded, shop, stub_worker):
    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"url": f"{shop.base}/missing", "length": 15, "save": True}
    made = client.post("/api/v1/drafts/from-url", body, format="json").json()
    stub_worker.drain()
    draft = client.get(f"/api/v1/drafts/{made['id']}").json()
    assert draft["status"] == "failed" and draft["error"]["field"] == "url"
    assert "404" in draft["error"]["message"] or "not found" in draft["error"]["message"].lower()
    render = client.post(f"/api/v1/drafts/{made['id']}/render", {}, format="json")
    assert render.status_code == 400 and render.json()["error"]["field"] == "url"
    preview = client.post("/api/v1/drafts/from-url", {**body, "save": False}, format="json")
    assert preview.status_code == 400 and preview.json()["error"]["field"] == "url"
    assert list(Draft.objects.values_list("pk", flat=True)) == [uuid.UUID(made["id"])]


def test_a_refused_or_unknown_host_is_refused_before_a_draft_exists(funded):
    client = api_client_for(funded.creator, funded.workspace_a)
    for url, code in [("http://10.0.0.7/p", "refused_url"), ("https://no-such-shop.invalid/p",
                      "network")]:  # fmt: skip
        response = client.post("/api/v1/drafts/from-url", {"url": url, "save": True},
                               format="json")  # fmt: skip
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert (error["field"], error["code"]) == ("url", code), error
    assert not Draft.objects.exists()


def test_a_draft_left_reading_fails_after_the_timeout(funded):
    """Its message was lost (a broker down when it was sent) or its worker died on every
    try: the draft says so instead of reading forever."""
    from datetime import timedelta

    from django.utils import timezone

    creator = funded.membership(funded.creator)
    draft = Draft.objects.create(workspace=funded.workspace_a, status=Draft.Status.READING,
                                 request={"reading": {"url": "https://shop.test/p"}})  # fmt: skip
    assert drafts.reading_state(draft).status == "reading"
    old = timezone.now() - timedelta(seconds=drafts.READ_TIMEOUT_S + 1)
    Draft.objects.filter(pk=draft.pk).update(updated_at=old)
    client = api_client_for(funded.creator, funded.workspace_a)
    answer = client.get(f"/api/v1/drafts/{draft.pk}").json()
    assert answer["status"] == "failed" and answer["error"]["code"] == "timeout"
    with pytest.raises(drafts.ServiceError):
        drafts.update_draft(creator, draft.pk, {"scenes": [SCENE]})


def test_rewriting_refuses_another_workspaces_image(funded):
    creator = funded.membership(funded.creator)
    draft = drafts.create_draft(creator, {"scenes": [SCENE]}, product={"title": "Mug"})
    theirs = Asset.objects.create(
        workspace=funded.workspace_b, kind="image", file="x.png", original_name="x.png",
        content_type="image/png", size=1, sha256="0" * 64,
    )  # fmt: skip
    with pytest.raises(drafts.ServiceError) as error:
        drafts.rewrite_script(creator, draft.pk, {"images": [str(theirs.pk)]})
    assert error.value.field == "images"


# Pages -------------------------------------------------------------------------


def test_templates_start_drafts_and_open_the_editor(funded):
    client = web_client(funded.creator, funded.workspace_a)
    response = client.post("/create/", {"template": "training"})
    draft = Draft.objects.get(workspace=funded.workspace_a)
    assert response.status_code == 302 and response["Location"] == f"/drafts/{draft.pk}/"
    assert len(draft.request["scenes"]) == 3
    page = client.get(f"/drafts/{draft.pk}/")
    assert page.status_code == 200
    assert b'id="editor-data"' in page.content and b"piper:en_US-joe-medium" in page.content
    assert draft.title.encode() in client.get("/create/").content


def test_the_link_page_names_a_bad_url(funded):
    client = web_client(funded.creator, funded.workspace_a)
    response = client.post("/create/link/", {"url": "not a link", "aspect": "9:16"})
    assert response.status_code == 400
    assert b"Paste the full address" in response.content
    response = client.post("/create/link/", {"url": "http://169.254.169.254/latest/"})
    assert response.status_code == 400
    assert b'aria-invalid="true"' in response.content
    assert not Draft.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_link_flow_opens_a_reading_page_then_the_editor(funded, shop, stub_worker):
    client = web_client(funded.creator, funded.workspace_a)
    response = client.post("/create/link/", {"url": f"{shop.base}/product", "length": "15"})
    draft = Draft.objects.get(workspace=funded.workspace_a)
    assert response.status_code == 302 and response["Location"] == f"/drafts/{draft.pk}/"
    reading = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "Reading the page…" in reading
    assert f'data-poll-url="/api/v1/drafts/{draft.pk}"' in reading
    assert 'id="editor-data"' not in reading and "studio/reading.js" in reading
    stub_worker.drain()
    editor = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'id="editor-data"' in editor and "Northwind Trail Mug" in editor

    response = client.post("/create/link/", {"url": f"{shop.base}/missing", "tone": "friendly"})
    failed = Draft.objects.exclude(pk=draft.pk).get()
    stub_worker.drain()
    page = client.get(f"/drafts/{failed.pk}/").content.decode()
    assert "The page could not be read" in page and 'role="alert"' in page
    assert f'name="retry" value="{failed.pk}"' in page and f'value="{shop.base}/missing"' in page
    assert '<option value="friendly" selected>' in page  # the form keeps what was chosen
    again = client.post("/create/link/", {"url": f"{shop.base}/product", "retry": str(failed.pk)})
    assert again.status_code == 302
    assert not Draft.objects.filter(pk=failed.pk).exists()  # replaced by the new one
    assert Draft.objects.count() == 2


def test_a_link_pasted_without_https_gets_it_added():
    from saas.studio.pages.editor import with_scheme

    assert with_scheme("shop.example/products/mug") == "https://shop.example/products/mug"
    assert with_scheme("www.shop.example") == "https://www.shop.example"
    assert with_scheme("//cdn.shop.example/p") == "https://cdn.shop.example/p"
    assert with_scheme("http://shop.example/") == "http://shop.example/"
    assert with_scheme("not a link") == "not a link"  # still refused, by name


def test_the_link_page_reads_a_link_without_its_scheme(funded):
    client = web_client(funded.creator, funded.workspace_a)
    response = client.post("/create/link/", {"url": "169.254.169.254/latest/", "aspect": "9:16"})
    assert response.status_code == 400  # refused for where it points, not for its form
    assert b"Paste the full address" not in response.content
    assert b'value="https://169.254.169.254/latest/"' in response.content


def test_another_workspace_cannot_open_or_delete_a_draft(funded):
    draft = drafts.create_draft(funded.membership(funded.creator), {"scenes": [SCENE]})
    outsider = web_client(funded.outsider, funded.workspace_b)
    assert outsider.get(f"/drafts/{draft.pk}/").status_code == 404
    assert outsider.post(f"/drafts/{draft.pk}/delete").status_code == 404
    api = api_client_for(funded.outsider, funded.workspace_b)
    for method, path in [
        ("get", f"/api/v1/drafts/{draft.pk}"),
        ("put", f"/api/v1/drafts/{draft.pk}"),
        ("delete", f"/api/v1/drafts/{draft.pk}"),
        ("post", f"/api/v1/drafts/{draft.pk}/render"),
        ("post", f"/api/v1/drafts/{draft.pk}/script"),
    ]:
        response = getattr(api, method)(path, {"request": {}}, format="json")
        assert response.status_code == 404, (method, path, response.status_code)
    assert api.get("/api/v1/drafts").json()["results"] == []
    assert Draft.objects.filter(pk=draft.pk).exists()
