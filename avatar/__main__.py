"""Command line for the avatar library.

    python -m avatar voices [--json]
    python -m avatar say --voice ID --text TEXT --out out.wav [--timings out.json]
    python -m avatar prepare --image PHOTO [--out DIR] [--json]
    python -m avatar talk (--image PHOTO | --avatar ID) --voice ID --text TEXT --out out.mp4
                          [--size 720]
    python -m avatar render SPEC.json --out out.mp4   (also writes out.jpg, out.srt, out.vtt)

On a user-fixable error it prints ``error: <field>: <message>`` to stderr and
exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from avatar.errors import AvatarError, InvalidInput
from avatar.voices import DEFAULT_VOICE_ID


def build_parser() -> argparse.ArgumentParser:
    """The ``avatar`` argument parser."""
    parser = argparse.ArgumentParser(prog="python -m avatar", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    voices = commands.add_parser("voices", help="list the voices")
    voices.add_argument("--json", action="store_true", help="print JSON")
    _add_say(commands.add_parser("say", help="speak TEXT into a WAV, with timings"))
    _add_talk(commands.add_parser("talk", help="render a presenter speaking TEXT to an MP4"))
    _add_render(commands.add_parser("render", help="render a RenderSpec to MP4, poster, captions"))
    _add_prepare(commands.add_parser("prepare", help="check a photo and prepare it as an avatar"))
    return parser


def _add_say(say: argparse.ArgumentParser) -> None:
    say.add_argument("--voice", default=DEFAULT_VOICE_ID)
    say.add_argument("--text", required=True)
    say.add_argument("--out", required=True, type=Path, help="output .wav path")
    say.add_argument("--timings", type=Path, help="write word and phoneme timings (JSON) here")
    say.add_argument("--rate", type=float, default=1.0, help="speed, 0.5 to 2.0")
    say.add_argument("--pitch", type=float, default=0.0, help="semitones, -12 to 12")
    say.add_argument("--glossary", type=Path, help='JSON {"written": "spoken"} for brand names')
    say.add_argument("--cache", type=Path, default=os.environ.get("AVATAR_SPEECH_CACHE"))


def _add_talk(talk: argparse.ArgumentParser) -> None:
    talk.add_argument("--text", required=True, help="the script to speak")
    talk.add_argument("--out", required=True, type=Path, help="output .mp4 path")
    talk.add_argument("--voice", default=DEFAULT_VOICE_ID)
    who = talk.add_mutually_exclusive_group()
    who.add_argument("--presenter", help="stock id or JPEG/PNG/WebP path")
    who.add_argument("--image", type=Path, help="a photo (checked by the quality gate first)")
    who.add_argument("--avatar", help="a stock avatar id, or a folder written by `prepare --out`")
    talk.add_argument("--aspect", default="16:9", help="16:9, 9:16 or 1:1")
    talk.add_argument("--resolution", default="720p", help="720p or 1080p")
    talk.add_argument("--size", type=int, choices=(720, 1080), help="same as --resolution 720p")
    talk.add_argument("--fps", default=25, type=int)
    talk.add_argument("--workdir", type=Path, help="keep intermediate files here")


def _add_prepare(prepare: argparse.ArgumentParser) -> None:
    prepare.add_argument("--image", required=True, type=Path, help="JPEG, PNG or WebP photo")
    prepare.add_argument("--out", type=Path, help="save the prepared avatar in this folder")
    prepare.add_argument("--json", action="store_true", help="print the report as JSON")


def voices(args: argparse.Namespace) -> dict | str:
    """The catalogue, as JSON-ready data or an aligned table."""
    from avatar.voices import catalogue

    rows = [{**asdict(v), "timings": v.timings} for v in catalogue()]
    if args.json:
        return {"voices": rows}
    lines = [f"{'id':32} {'language':15} {'gender':7} {'quality':9} {'rate':>6} timings"]
    for v in rows:
        lines.append(
            f"{v['id']:32} {v['language']:15} {v['gender']:7} {v['quality']:9} "
            f"{v['sample_rate']:>6} {'yes' if v['timings'] else 'aligned'}"
        )
    return "\n".join(lines)


def _glossary(path: Path | None) -> dict[str, str] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InvalidInput("glossary", f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InvalidInput("glossary", 'must be a JSON object {"written": "spoken"}')
    return data


def say(args: argparse.Namespace) -> dict:
    """Run ``say``: write the WAV (and timings) and return a summary."""
    from avatar.voices import SpeechCache, synthesize

    result = synthesize(
        args.text,
        args.voice,
        args.out,
        rate=args.rate,
        pitch=args.pitch,
        glossary=_glossary(args.glossary),
        cache=SpeechCache(args.cache) if args.cache else None,
    )
    timings = timings_json(result)
    if args.timings:
        args.timings.write_text(json.dumps(timings, indent=1, ensure_ascii=False))
    return {
        "path": str(result.wav),
        "duration_s": round(result.duration_s, 3),
        "sample_rate": result.sample_rate,
        "words": len(timings["words"]),
        "timing_source": result.timing_source,
    }


def timings_json(result) -> dict:
    """The timings file: ``words``, ``phonemes`` and ``tokens`` lists, in seconds."""

    def spans(items, key):
        return [{key: t.text, "start": t.start, "end": t.end} for t in items]

    return {
        "words": spans(result.words, "text"),
        "phonemes": spans(result.phonemes, "phoneme"),
        "tokens": spans(result.tokens, "text"),
        "duration": round(result.duration_s, 4),
        "source": result.timing_source,
    }


def talk(args: argparse.Namespace) -> dict:
    """Run the ``talk`` command and return its JSON-ready summary."""
    from avatar.pipeline import TalkingVideoRequest, render_talking_video

    request = TalkingVideoRequest(
        script=args.text,
        voice=args.voice,
        presenter=_talk_presenter(args),
        aspect=args.aspect,
        resolution=f"{args.size}p" if args.size else args.resolution,
        fps=args.fps,
    )
    result = render_talking_video(request, out_path=args.out, workdir=args.workdir)
    return {
        "path": str(result.path),
        "duration_s": round(result.duration_s, 3),
        "width": result.width,
        "height": result.height,
        "stage_seconds": {name: round(s, 3) for name, s in result.stage_seconds.items()},
    }


def _talk_presenter(args: argparse.Namespace) -> str:
    """The presenter reference for ``talk``: a gated photo, a stock id or a prepared folder."""
    if args.image is not None:
        from avatar.lipsync import check_photo

        check_photo(args.image)
        return str(args.image)
    if args.avatar is not None:
        folder = Path(args.avatar)
        if (folder / "avatar.json").is_file():
            return str(folder / "image.png")
        return args.avatar
    from avatar.presenters import DEFAULT_PRESENTER

    return args.presenter or DEFAULT_PRESENTER


def prepare(args: argparse.Namespace) -> dict | str:
    """Run the quality gate on a photo; save the prepared avatar with ``--out``.

    Raises:
        InvalidInput: ``field="image"`` when the photo is refused (after printing the report).
    """
    from avatar.lipsync import assess_photo
    from avatar.lipsync.prepare import build_avatar

    report, image, points = assess_photo(args.image)
    text = json.dumps(report.to_dict(), ensure_ascii=False) if args.json else _report_text(report)
    if not report.ok:
        print(text)
        report.raise_first()
    if args.out is not None:
        build_avatar(image, points, report).save(args.out)
        text += "" if args.json else f"\nsaved: {args.out}"
    return text


def _report_text(report) -> str:
    lines = ["accepted" if report.ok else "rejected"]
    lines += [f"error {issue.code}: {issue.message}" for issue in report.errors]
    lines += [f"warning {issue.code}: {issue.message}" for issue in report.warnings]
    if report.face_box:
        lines.append("face box (x, y, w, h): " + ", ".join(map(str, report.face_box)))
    lines += [f"{name}: {value:g}" for name, value in report.measurements.items()]
    return "\n".join(lines)


def _add_render(render: argparse.ArgumentParser) -> None:
    render.add_argument("spec", type=Path, help="RenderSpec JSON (docs/render-spec.md)")
    render.add_argument("--out", required=True, type=Path, help="output .mp4 path")
    render.add_argument("--workdir", type=Path, help="keep intermediate files here")
    render.add_argument("--cache", type=Path, default=os.environ.get("AVATAR_SPEECH_CACHE"))
    render.add_argument("--preset", default="veryfast", help="libx264 preset")


def render(args: argparse.Namespace) -> dict:
    """Run ``render``: the MP4 and, beside it, a poster JPEG and .srt/.vtt captions."""
    from avatar.render import RenderOptions
    from avatar.render import render as render_spec
    from avatar.spec import RenderSpec
    from avatar.voices import SpeechCache

    try:
        spec = RenderSpec.from_json(args.spec.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput("spec", f"cannot read {args.spec}: {exc}") from exc
    options = RenderOptions(
        workdir=args.workdir,
        base_dir=args.spec.resolve().parent,
        speech_cache=SpeechCache(args.cache) if args.cache else None,
        preset=args.preset,
    )
    result = render_spec(spec, args.out, options)
    files = [result.video, result.poster, result.srt, result.vtt]
    return {
        "files": [str(path) for path in files if path is not None],
        "duration_s": round(result.duration_s, 3),
        "width": result.width,
        "height": result.height,
        "loudness_lufs": result.loudness_lufs,
        "stage_seconds": {name: round(s, 3) for name, s in result.stage_seconds.items()},
    }


COMMANDS = {"voices": voices, "say": say, "talk": talk, "prepare": prepare, "render": render}


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        output = COMMANDS[args.command](args)
    except AvatarError as exc:
        print(f"error: {exc.field or exc.code}: {exc.message}", file=sys.stderr)
        return 2
    print(output if isinstance(output, str) else json.dumps(output, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
