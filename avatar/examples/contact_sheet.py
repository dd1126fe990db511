"""A contact sheet of a video: evenly spaced frames in a grid, with their times.

    python -m avatar.examples.contact_sheet VIDEO.mp4 SHEET.png [--frames 12]

For looking at a render as a customer would, without playing it.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from avatar.compose import text as textmod


def frame_at(video: Path, seconds: float) -> Image.Image:
    """One decoded frame (RGB) at ``seconds``."""
    from avatar.encode import ffmpeg_exe

    command = [ffmpeg_exe(), "-v", "error", "-ss", f"{seconds:.3f}", "-i", str(video),
               "-frames:v", "1", "-f", "image2pipe", "-vcodec", "png", "-"]  # fmt: skip
    data = subprocess.run(command, capture_output=True, check=True).stdout
    from io import BytesIO

    return Image.open(BytesIO(data)).convert("RGB")


def contact_sheet(video: Path, out: Path, frames: int = 12, columns: int = 4, width: int = 300):
    """Write a grid of ``frames`` thumbnails ``width`` px wide to ``out``."""
    import imageio_ffmpeg

    _, duration = imageio_ffmpeg.count_frames_and_secs(str(video))
    times = np.linspace(0.3, max(0.3, duration - 0.3), frames)
    thumbs = []
    for t in times:
        image = frame_at(video, float(t))
        image.thumbnail((width, width * 2))
        thumbs.append((t, image))
    tw, th = thumbs[0][1].size
    rows = -(-frames // columns)
    sheet = Image.new("RGB", (columns * (tw + 8) + 8, rows * (th + 30) + 8), (32, 32, 36))
    draw = ImageDraw.Draw(sheet)
    font = textmod.font_for("0", 16, "regular")
    for i, (t, image) in enumerate(thumbs):
        x, y = 8 + (i % columns) * (tw + 8), 8 + (i // columns) * (th + 30)
        sheet.paste(image, (x, y))
        draw.text((x, y + th + 4), f"{t:5.1f} s", font=font, fill=(220, 220, 220))
    sheet.save(out)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("video", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--frames", type=int, default=12)
    args = parser.parse_args()
    contact_sheet(args.video, args.out, args.frames)
