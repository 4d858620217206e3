"""Download the official GTFS feeds that replace the timetable model's lines (needs a network).

    python scripts/download_feeds.py [gtt] [piemonte --url URL] [--dir DIR]

Feeds go to $IMPACT_GTFS_DIR (default ~/.cache/impact/gtfs) as <key>.zip with a
<key>.licence.json beside it (origin, licence, date). The pages and the CLI use every
feed found there from then on (`impact.routing.gtfs.available_feeds`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from impact.routing.gtfs import FEEDS, RoutingError, download_feed, feed_licence  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feeds", nargs="*", default=["gtt"], help=f"feed keys ({', '.join(FEEDS)})")
    parser.add_argument("--url", help="address of the feed (needed for piemonte)")
    parser.add_argument("--dir", type=Path, help="where to keep the feeds")
    args = parser.parse_args(argv)
    failed = 0
    for key in args.feeds:
        try:
            path = download_feed(key, args.url, args.dir)
        except RoutingError as exc:
            print(f"{key}: {exc}", file=sys.stderr)
            failed += 1
            continue
        licence = feed_licence(path)
        print(f"{key}: {path} ({licence.get('licence', 'licence not recorded')})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
