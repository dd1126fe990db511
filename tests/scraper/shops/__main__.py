"""Write every generated page to OUTDIR/<split>/<name>/{page.html,expected.json}.

Usage: python -m tests.scraper.shops OUTDIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import SPLITS, pages


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    for split in SPLITS:
        for name, html, _url, expected in pages(split):
            folder = out / split / name
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "page.html").write_text(html, encoding="utf-8")
            text = json.dumps(expected, ensure_ascii=False, indent=2)
            (folder / "expected.json").write_text(text + "\n", encoding="utf-8")
        print(f"{split}: {len(pages(split))} pages in {out / split}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
