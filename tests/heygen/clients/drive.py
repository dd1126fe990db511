"""Drive two HeyGen clients written by other people against our server, unchanged.

Run with the clients' own environment (``make compat-clients`` builds
``.venv-clients`` from ``tests/heygen/clients/requirements.lock``):

    .venv-clients/bin/python tests/heygen/clients/drive.py BASE_URL API_KEY PHOTO.png OUT_DIR

- ``heygen-mcp-sbroenne`` 0.3.1 (``heygen_mcp.client.HeyGenApiClient``): its
  ``BASE_URL`` is pointed at us; its upload URL is hard-coded to
  ``upload.heygen.com``, so its HTTP client is given a transport that sends that
  host to us (the only change, as a proxy would).
- ``videogen-mcp`` 1.0.0 (``videogen_mcp.clients.heygen.HeyGenClient``): its
  ``base_url`` is pointed at us.

Nothing in either package is patched. Prints one JSON object with what each call
returned, for the test to check; downloads land in OUT_DIR.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import httpx

SCRIPT = "Hello from an unchanged HeyGen client. This video was made on our own server."
VOICE = "piper:en_US-joe-medium"
DEADLINE_S = 600


class UploadHostToUs(httpx.AsyncBaseTransport):
    """Requests for upload.heygen.com go to BASE instead (scheme, host and port)."""

    def __init__(self, base: str):
        self.base = httpx.URL(base)
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "upload.heygen.com":
            request.url = request.url.copy_with(
                scheme=self.base.scheme, host=self.base.host, port=self.base.port
            )
            request.headers["Host"] = self.base.netloc.decode()
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def download(url: str, out: Path) -> int:
    async with httpx.AsyncClient(timeout=60) as plain:
        response = await plain.get(url)
        response.raise_for_status()
        out.write_bytes(response.content)
        return len(response.content)


async def sbroenne(base: str, key: str, photo: Path, out: Path) -> dict:
    from heygen_mcp.client import HeyGenApiClient
    from heygen_mcp.models import (
        Background,
        Character,
        Dimension,
        VideoGenerateRequest,
        VideoInput,
        Voice,
    )

    client = HeyGenApiClient(key, max_retries=1)
    client.BASE_URL = f"{base}/v2"
    client._client = httpx.AsyncClient(timeout=60, transport=UploadHostToUs(base))
    found: dict = {}
    voices = await client.get_voices()
    found["voices"] = {"error": voices.error, "ids": [v.voice_id for v in voices.voices or []]}
    avatars = await client.list_avatars()
    found["avatars"] = {"error": avatars.error, "raw": avatars.model_dump(mode="json")}
    credits = await client.get_remaining_credits()
    found["credits"] = credits.model_dump(mode="json")
    uploaded = await client.upload_asset(str(photo))
    found["upload"] = uploaded.model_dump(mode="json")
    request = VideoGenerateRequest(
        title="sbroenne client",
        caption=True,
        dimension=Dimension(width=1280, height=720),
        video_inputs=[VideoInput(
            character=Character(avatar_id="grace"),
            voice=Voice(input_text=SCRIPT, voice_id=VOICE),
            background=Background(type="image", image_asset_id=uploaded.asset_id),
        )],
    )  # fmt: skip
    generated = await client.generate_avatar_video(request)
    found["generate"] = generated.model_dump(mode="json")
    status = await poll(lambda: client.get_video_status(generated.video_id), lambda s: s.status)
    found["status"] = status.model_dump(mode="json")
    if status.status == "completed":
        # The MCP wrapper keeps no caption URL; the same call, through the client, has it.
        raw = await client._make_request(f"../v1/video_status.get?video_id={generated.video_id}")
        found["caption_url"] = raw["data"]["caption_url"]
        found["mp4_bytes"] = await download(status.video_url, out / "sbroenne.mp4")
        found["srt_bytes"] = await download(raw["data"]["caption_url"], out / "sbroenne.srt")
    listed = await client.list_videos()
    found["list"] = [v.video_id for v in listed.videos or []]
    async with httpx.AsyncClient(timeout=60) as plain:  # neither client deletes videos
        gone = await plain.delete(f"{base}/v1/video.delete",
                                  params={"video_id": generated.video_id},
                                  headers=client._get_headers())  # fmt: skip
        found["delete"] = {"status": gone.status_code, "body": gone.json()}
    again = await client.list_videos()
    found["list_after_delete"] = [v.video_id for v in again.videos or []]
    found.update(await sbroenne_templates(client, out))
    await client.close()
    return found


async def sbroenne_templates(client, out: Path) -> dict:
    """List templates, read one's variables (its /v3 call), fill them in, render, download."""
    found = {}
    listed = await client.list_templates()
    found["templates"] = [t.template_id for t in listed.templates or []]
    details = await client.get_template_details("company-announcement")
    found["template_variables"] = {v.name: v.type for v in details.template.variables or []}
    values = {"company": "Northwind", "headline": "We open in Lisbon",
              "details": "Twenty new jobs, starting in March."}  # fmt: skip
    variables = {name: {"name": name, "type": "text", "properties": {"content": value}}
                 for name, value in values.items()}  # fmt: skip
    variables["voice"] = {"name": "voice", "type": "voice", "properties": {"voice_id": VOICE}}
    made = await client.generate_video_from_template(
        "company-announcement", variables=variables, title="From a template"
    )
    found["template_generate"] = made.model_dump(mode="json")
    status = await poll(lambda: client.get_video_status(made.video_id), lambda s: s.status)
    found["template_status"] = status.model_dump(mode="json")
    if status.status == "completed":
        found["template_mp4_bytes"] = await download(status.video_url, out / "template.mp4")
    return found


async def videogen(base: str, key: str, out: Path) -> dict:
    from videogen_mcp.clients.heygen import HeyGenClient

    client = HeyGenClient(api_key=key)
    client.base_url = base
    found: dict = {}
    found["avatars"] = await client.list_avatars()
    found["voices"] = await client.list_voices(filter_language="en")
    job = await client.create_avatar_video(
        SCRIPT, "grace", VOICE, background={"type": "color", "value": "#1E3A8A"},
        aspect_ratio="9:16",
    )  # fmt: skip
    found["generate"] = job
    status = await poll(lambda: client.get_video_status(job["job_id"]), lambda s: s["status"])
    found["status"] = status
    if status["status"] == "completed":
        found["mp4_bytes"] = await download(status["video_url"], out / "videogen.mp4")
    try:
        found["templates"] = await client.list_templates()
    except httpx.HTTPStatusError as error:
        found["templates"] = {"http_status": error.response.status_code,
                              "body": error.response.json()}  # fmt: skip
    return found


async def poll(call, status_of):
    deadline = time.monotonic() + DEADLINE_S
    while True:
        answer = await call()
        if status_of(answer) in ("completed", "failed") or time.monotonic() > deadline:
            return answer
        await asyncio.sleep(1)


async def main(base: str, key: str, photo: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    results = {
        "sbroenne": await sbroenne(base, key, photo, out),
        "videogen": await videogen(base, key, out),
    }
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])))
