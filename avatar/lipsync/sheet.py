"""Close-up contact sheets of the rendered mouth: ``python -m avatar.lipsync.sheet OUT.png``.

For each presenter: twelve frames of one spoken sentence, picked by the mouth shape
the speech asks for (widest vowels, spread "ee", rounded "oo", lips pressed for
m/b/p, tongue for "th", "l", the photo's own mouth), each cropped to the lower face
at the photo's native resolution. This is what a viewer of a 1080p training video
sees up close; judge teeth, lips and the inside of the mouth on it.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

SENTENCE = (
    "Oh, we all agree: my father bought the big blue boat, and three thin leaves fell "
    "while we smiled at you."
)
KINDS = (("open", 4), ("spread", 2), ("round", 2), ("press", 2), ("tongue", 1), ("rest", 1))


def pick_frames(params: np.ndarray, gap: int = 3) -> list[tuple[str, int]]:
    """Twelve (kind, frame) pairs from a viseme track's (F, 5) parameters, at least GAP
    frames apart: the most open, spread, rounded, pressed and tongue-raised frames."""
    open_, width, _tuck, tongue, press = params.T
    scores = {
        "open": open_,
        "spread": np.where(open_ > 0.15, width, -9),
        "round": np.where(open_ > 0.1, -width, -9),
        "press": press,
        "tongue": tongue,
        "rest": -np.abs(open_) - np.abs(width),
    }
    taken: list[tuple[str, int]] = []
    for kind, wanted in KINDS:
        for index in np.argsort(-scores[kind], kind="stable"):
            if len([k for k, _ in taken if k == kind]) == wanted:
                break
            if all(abs(int(index) - other) >= gap for _, other in taken):
                taken.append((kind, int(index)))
    return taken


def mouth_crop_box(points: np.ndarray, shape) -> tuple[int, int, int, int]:
    """The lower face around the mouth: from the nose tip to below the chin."""
    from avatar.lipsync import landmarks as lm

    width = lm.face_width(points)
    centre = points[list(lm.OUTER_UPPER) + list(lm.OUTER_LOWER), :2].mean(0)
    half = width * 0.42
    x0, y0 = int(centre[0] - half), int(centre[1] - half * 0.85)
    x1, y1 = int(centre[0] + half), int(centre[1] + half * 1.15)  # square
    return max(0, x0), max(0, y0), min(shape[1], x1), min(shape[0], y1)


def presenter_sheet(presenter: str, voice: str | None = None, tile: int = 240) -> Image.Image:
    """One row of twelve close-ups (plus the photo's own mouth) for PRESENTER."""
    from avatar import lipsync, voices
    from avatar.presenters import load_presenter_image, resolve_presenter, stock_avatars

    stock = {s.id: s for s in stock_avatars()}
    image = (
        stock[presenter].image()
        if presenter in stock
        else load_presenter_image(resolve_presenter(presenter).image_path)
    )
    avatar, report = lipsync.prepare_image(image)
    if avatar is None:
        raise SystemExit(f"{presenter}: the photo was refused ({report.errors})")
    with tempfile.TemporaryDirectory() as folder:
        speech = voices.synthesize(
            SENTENCE, voice or voices.DEFAULT_VOICE_ID, Path(folder) / "s.wav"
        )
        track = lipsync.animate(avatar, speech, 25, device="cpu")
        frames = list(track)
    params = lipsync.viseme_track(speech, len(frames), 25).params
    box = mouth_crop_box(avatar.points, avatar.image.shape)
    picks = [("photo", -1), *sorted(pick_frames(params), key=lambda p: p[1])]
    row = Image.new("RGB", (tile * len(picks), tile + 18), "white")
    draw = ImageDraw.Draw(row)
    for column, (kind, index) in enumerate(picks):
        frame = avatar.image if index < 0 else frames[index]
        crop = Image.fromarray(np.ascontiguousarray(frame[box[1] : box[3], box[0] : box[2]]))
        row.paste(crop.resize((tile, tile), Image.Resampling.NEAREST), (column * tile, 18))
        label = kind if index < 0 else f"{kind} #{index}"
        draw.text((column * tile + 4, 3), label, fill="black")
    return row


def main(argv: list[str] | None = None) -> None:
    from avatar.presenters import STOCK

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--presenter", action="append", help=f"default: {', '.join(STOCK)}")
    parser.add_argument("--tile", type=int, default=240)
    args = parser.parse_args(argv)
    rows = [presenter_sheet(p, tile=args.tile) for p in args.presenter or list(STOCK)]
    sheet = Image.new("RGB", (max(r.width for r in rows), sum(r.height for r in rows)), "white")
    y = 0
    for row in rows:
        sheet.paste(row, (0, y))
        y += row.height
    sheet.save(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
