"""Run the published journeys (tests/data/published_journeys.csv) through the timetable model.

    python scripts/validate_timetable.py [--all]

Prints, for leaving at the published time and for running time, the median and 90th
percentile of the absolute error [minutes] and the share within 10 minutes, over all
journeys and over those that were not an input of the model; --all lists every row.
"""

from __future__ import annotations

import argparse
import sys
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from impact.routing.transit import TransitRouter  # noqa: E402
from impact.routing.validation import compare, read_journeys, summary  # noqa: E402


@lru_cache(maxsize=8)
def router_for(on):
    return TransitRouter.from_model(on)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every journey")
    args = parser.parse_args()
    compared = compare(read_journeys(), router_for)
    for label, part in (("all", compared), ("not an input", compared[compared["used_in_model"] == "0"])):
        for way, figures in summary(part).items():
            print(f"{label:13s} {way:24s} n={figures['journeys']:3d}  median {figures['median_abs_min']:5.1f} min  "
                  f"p90 {figures['p90_abs_min']:5.1f} min  within 10 min {100 * figures['share_within']:5.1f} %")
    if args.all:
        print(compared[["origin", "depart", "destination", "arrive", "model_arrive", "arrive_error",
                        "run_error", "used_in_model"]].to_string())


if __name__ == "__main__":
    main()
