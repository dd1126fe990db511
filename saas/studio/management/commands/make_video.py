import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from avatar.errors import AvatarError
from avatar.presenters import DEFAULT_PRESENTER

# avatar's field names -> this command's options
OPTION_FOR_FIELD = {"presenter": "avatar"}


def _option(exc: AvatarError) -> str:
    field = (exc.field or "script").split(".")[-1].split("[")[0]
    return "--" + OPTION_FOR_FIELD.get(field, field)


class Command(BaseCommand):
    help = "Render a talking-presenter MP4 from a script, or a product ad from a product URL."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--script", help="what the presenter says")
        source.add_argument("--url", help="a product page to turn into a video")
        parser.add_argument("--out", required=True, type=Path, help="the MP4 to write")
        parser.add_argument("--voice", default=None, help="voice id (default: by language)")
        parser.add_argument(
            "--avatar", default=DEFAULT_PRESENTER, help="stock presenter id or image path"
        )
        parser.add_argument("--aspect", default=None, choices=["16:9", "9:16", "1:1"])
        parser.add_argument("--resolution", default="720p", choices=["720p", "1080p"])
        parser.add_argument("--length", type=int, default=30, choices=[15, 30, 60])
        parser.add_argument("--tone", default="energetic")

    def handle(self, *args, **opts):
        try:
            result = self._from_url(opts) if opts["url"] else self._from_script(opts)
        except AvatarError as exc:
            raise CommandError(f"{_option(exc)}: {exc.message}") from exc
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in result.stage_seconds.items())
        self.stdout.write(
            f"wrote {result.path} ({result.width}x{result.height}, "
            f"{result.duration_s:.2f} s; {stages})"
        )

    def _from_script(self, opts):
        from avatar.pipeline import TalkingVideoRequest, render_talking_video

        request = TalkingVideoRequest(
            script=opts["script"],
            voice=opts["voice"] or "piper:en_US-joe-medium",
            presenter=opts["avatar"],
            aspect=opts["aspect"] or "16:9",
            resolution=opts["resolution"],
        )
        return render_talking_video(request, out_path=opts["out"])

    def _from_url(self, opts):
        from scraper.errors import ScrapeError

        with tempfile.TemporaryDirectory(prefix="make-video-") as tmp:
            try:
                return _render_url(opts, Path(tmp), self.stdout)
            except ScrapeError as exc:
                raise CommandError(f"--url: {exc.message} ({exc.code})") from exc


def _render_url(opts, tmp: Path, stdout):
    """Scrape, script and render in this process (no database, no queue)."""
    from avatar.pipeline import RenderResult
    from avatar.render import RenderOptions, render
    from avatar.spec import RenderSpec
    from saas.studio import specs, storyboard

    aspect = opts["aspect"] or "9:16"
    result = storyboard.scrape(opts["url"], tmp / "images")
    product = result.product
    stdout.write(f"product: {product.title} ({storyboard.price_text(product) or 'no price'})")
    voice = storyboard.voice_for(product.language, opts["voice"])
    urls = [info.url for info in result.images]
    script = storyboard.write(
        product, length=opts["length"], tone=opts["tone"], aspect=aspect, voice=voice, images=urls
    )
    paths = [str(info.path) for info in result.images]
    request = {"aspect": aspect, "resolution": opts["resolution"], "music": "upbeat"}
    request["scenes"] = storyboard.scenes_for(script, product, paths, opts["avatar"], voice)
    spec = specs.build_spec(request, watermark=False, ref=lambda value: value)
    rendered = render(RenderSpec.from_dict(spec), opts["out"], RenderOptions(workdir=tmp / "w"))
    stages = {k: v for k, v in rendered.stage_seconds.items()} if rendered.stage_seconds else {}
    return RenderResult(opts["out"], rendered.duration_s, rendered.width, rendered.height, stages)
