from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from avatar.errors import AvatarError
from avatar.pipeline import TalkingVideoRequest, render_talking_video

# avatar's field names -> this command's options
OPTION_FOR_FIELD = {"presenter": "avatar"}


def _option(exc: AvatarError) -> str:
    return "--" + OPTION_FOR_FIELD.get(exc.field or "", exc.field or "script")


class Command(BaseCommand):
    help = "Render a talking-presenter MP4 from a script (or, later, a product URL)."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--script", help="what the presenter says")
        source.add_argument("--url", help="a product page to turn into a video")
        parser.add_argument("--out", required=True, type=Path, help="the MP4 to write")
        parser.add_argument("--voice", default="piper:en_US-joe-medium")
        parser.add_argument("--avatar", default="grace", help="stock presenter id or image path")
        parser.add_argument("--aspect", default="16:9", choices=["16:9", "9:16", "1:1"])
        parser.add_argument("--resolution", default="720p", choices=["720p", "1080p"])

    def handle(self, *args, **opts):
        if opts["url"]:
            raise CommandError(
                "--url: URL-to-video is not available yet (it arrives with the product "
                "scraper). Use --script for now."
            )
        request = self._request(opts)
        try:
            result = render_talking_video(request, out_path=opts["out"])
        except AvatarError as exc:
            raise CommandError(f"{_option(exc)}: {exc.message}") from exc
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in result.stage_seconds.items())
        self.stdout.write(
            f"wrote {result.path} ({result.width}x{result.height}, "
            f"{result.duration_s:.2f} s; {stages})"
        )

    def _request(self, opts) -> TalkingVideoRequest:
        try:
            return TalkingVideoRequest(
                script=opts["script"],
                voice=opts["voice"],
                presenter=opts["avatar"],
                aspect=opts["aspect"],
                resolution=opts["resolution"],
            )
        except AvatarError as exc:
            raise CommandError(f"{_option(exc)}: {exc.message}") from exc
