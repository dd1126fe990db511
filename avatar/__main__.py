"""Command line: ``python -m avatar talk --text TEXT --out out.mp4``.

Prints a JSON summary on success. On a user-fixable error it prints
``error: <field>: <message>`` to stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from avatar.errors import AvatarError
from avatar.pipeline import TalkingVideoRequest, render_talking_video
from avatar.voices import DEFAULT_VOICE_ID


def build_parser() -> argparse.ArgumentParser:
    """The ``avatar`` argument parser."""
    parser = argparse.ArgumentParser(prog="python -m avatar", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    talk = commands.add_parser("talk", help="render a presenter speaking TEXT to an MP4")
    talk.add_argument("--text", required=True, help="the script to speak")
    talk.add_argument("--out", required=True, type=Path, help="output .mp4 path")
    talk.add_argument("--voice", default=DEFAULT_VOICE_ID)
    talk.add_argument("--presenter", default="grace", help="stock id or JPEG/PNG/WebP path")
    talk.add_argument("--aspect", default="16:9", help="16:9, 9:16 or 1:1")
    talk.add_argument("--resolution", default="720p", help="720p or 1080p")
    talk.add_argument("--fps", default=25, type=int)
    talk.add_argument("--workdir", type=Path, help="keep intermediate files here")
    return parser


def talk(args: argparse.Namespace) -> dict:
    """Run the ``talk`` command and return its JSON-ready summary."""
    request = TalkingVideoRequest(
        script=args.text,
        voice=args.voice,
        presenter=args.presenter,
        aspect=args.aspect,
        resolution=args.resolution,
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


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        summary = talk(args)
    except AvatarError as exc:
        print(f"error: {exc.field or exc.code}: {exc.message}", file=sys.stderr)
        return 2
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
