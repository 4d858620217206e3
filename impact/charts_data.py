"""What the charts draw, as tables: pure functions over `evaluate()`'s results and the router's legs.

Nothing here computes a journey, a fare or a cost: each function only rearranges figures that
`evaluate()` (or `TransitRouter.journey_legs`) already returned, so a chart, its "dati" CSV and
the PDF image show the same numbers as the page. Codes, not words: the faces label them.

Times are minutes after midnight; money is EUR a month; shares are fractions of take-home pay.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

# The union's marks for "a large share of pay" (as in impact.scenarios.summarise).
PAY_SHARE_MARKS = (0.10, 0.20)
PERIODS = ("old", "new")
MODES = ("car", "transit")
DAY_COLUMNS = ["mode", "period", "segment", "start_min", "end_min", "line"]


def _leg_segment(leg: Mapping) -> str:
    """A leg's kind as the day chart colours it: walk, bike, car, train or bus (tram and bus alike)."""
    if leg["kind"] != "ride":
        line = str(leg["line"])
        return "car" if line == "car" else "bike" if line.startswith("bike") else "walk"
    line = str(leg["line"])
    return "bus" if line.startswith("GTT") or " bus " in f" {line.lower()} " or "tram" in line.lower() else "train"


def _transit_day(legs: pd.DataFrame, period: str, shift_start: float, shift_end: float) -> list[dict]:
    """Segments of one public-transport day: legs, waits between them, the wait at the office, the shift."""
    rows: list[dict] = []
    records = legs.to_dict("records")   # a dozen legs: plain Python, not pandas masks, on every new input
    for direction in ("out", "back"):
        part = sorted((leg for leg in records if leg["direction"] == direction), key=lambda leg: leg["depart"])
        if not part:
            return []
        previous = shift_end if direction == "back" else None
        for leg in part:
            if previous is not None and leg["depart"] > previous:
                wait = "wait_office" if direction == "back" and previous == shift_end else "wait"
                rows.append({"segment": wait, "start_min": previous, "end_min": leg["depart"], "line": ""})
            rows.append({"segment": _leg_segment(leg), "start_min": float(leg["depart"]),
                         "end_min": float(leg["arrive"]), "line": "" if leg["kind"] != "ride" else str(leg["line"])})
            previous = float(leg["arrive"])
        if direction == "out":
            if shift_start > previous:
                rows.append({"segment": "wait_office", "start_min": previous, "end_min": shift_start, "line": ""})
            rows.append({"segment": "shift", "start_min": shift_start, "end_min": shift_end, "line": ""})
    return [dict(r, mode="transit", period=period) for r in rows]


def _car_day(minutes: float, period: str, shift_start: float, shift_end: float) -> list[dict]:
    """Drive there, the shift, drive back: the car has no timetable, so no wait."""
    if not np.isfinite(minutes):
        return []
    return [dict(mode="car", period=period, segment=s, start_min=a, end_min=b, line="")
            for s, a, b in (("drive", shift_start - minutes, shift_start), ("shift", shift_start, shift_end),
                            ("drive", shift_end, shift_end + minutes))]


def day_segments(result: Mapping, legs: Mapping[str, pd.DataFrame | None], shift_start_min: float,
                 shift_end_min: float) -> pd.DataFrame:
    """One row per stretch of the worker's day, per way of travel (car, transit) and period (old, new).

    result: one row of `evaluate()`; legs: {"old": legs to today's office, "new": legs to Torino} as
    returned by `TransitRouter.journey_legs` (None or empty when no journey fits the shift).
    Columns: mode, period, segment (drive, walk, bike, car, train, bus, wait, wait_office, shift),
    start_min, end_min [minutes after midnight], line (the ride's line name, "" otherwise).
    A way that is not available (no car, no journey for the shift) has no rows.
    """
    rows: list[dict] = []
    if bool(result.get("has_car", True)):
        for period in PERIODS:
            rows += _car_day(float(result[f"car_min_{period}"]), period, shift_start_min, shift_end_min)
    for period in PERIODS:
        frame = legs.get(period)
        if frame is not None and len(frame) and bool(result[f"transit_feasible_{period}"]):
            rows += _transit_day(frame, period, shift_start_min, shift_end_min)
    return pd.DataFrame(rows, columns=DAY_COLUMNS)


def day_summary(segments: pd.DataFrame, mode: str) -> dict:
    """How much earlier she leaves and how much later she is home by one way [minutes; > 0 worse].

    Keys: mode, leave_old, leave_new, home_old, home_new [minutes after midnight], earlier_min,
    later_min; empty when the way has no day before or after.
    """
    ends: dict[str, tuple[float, float]] = {}
    for x in segments.to_dict("records"):
        if x["mode"] == mode:
            start, end = ends.get(x["period"], (x["start_min"], x["end_min"]))
            ends[x["period"]] = (min(start, x["start_min"]), max(end, x["end_min"]))
    if set(ends) != set(PERIODS):
        return {}
    (leave_old, home_old), (leave_new, home_new) = ends["old"], ends["new"]
    return {"mode": mode, "leave_old": leave_old, "leave_new": leave_new, "home_old": home_old,
            "home_new": home_new, "earlier_min": leave_old - leave_new, "later_min": home_new - home_old}


# The result's fields that money_parts and pay_shares read (a face caches their tables on these only).
MONEY_FIELDS = ("has_car", "share_car_cash", "extra_car_cash_eur_month", "share_transit", "extra_transit_eur_month") + tuple(
    name.format(p=period) for period in PERIODS
    for name in ("car_tolls_{p}_eur_day", "days_{p}", "car_cash_{p}", "car_full_{p}", "transit_feasible_{p}",
                 "transit_rail_eur_{p}", "transit_bus_eur_{p}", "transit_gtt_eur_{p}"))


def money_parts(result: Mapping) -> pd.DataFrame:
    """What each way costs a month, today and after, split into its parts [EUR/month].

    Car: fuel (with a second car's fixed costs when she must keep one), tolls, wear (the ACI
    per-km cost beyond fuel: a real cost but not cash this month). Transit: the rail ticket or
    pass, regional buses, GTT. The parts add up to `car_cash_*` (+ wear: `car_full_*`) and
    `transit_eur_*`. Columns: mode, period, part, eur. Parking is not in the model, so not here.
    """
    rows = []
    for period in PERIODS:
        if bool(result.get("has_car", True)):
            tolls = float(result[f"car_tolls_{period}_eur_day"]) * float(result[f"days_{period}"])
            cash, full = float(result[f"car_cash_{period}"]), float(result[f"car_full_{period}"])
            rows += [("car", period, "fuel", cash - tolls), ("car", period, "tolls", tolls),
                     ("car", period, "wear", full - cash)]
        if bool(result[f"transit_feasible_{period}"]):
            rows += [("transit", period, part, float(result[f"transit_{part}_eur_{period}"]))
                     for part in ("rail", "bus", "gtt")]
    frame = pd.DataFrame(rows, columns=["mode", "period", "part", "eur"])
    return frame[frame["eur"].round(2) != 0].reset_index(drop=True)


def pay_shares(result: Mapping) -> pd.DataFrame:
    """The extra cost of each available way as a share of take-home pay. Columns: mode, share, extra_eur."""
    rows = []
    if bool(result.get("has_car", True)):
        rows.append(("car", float(result["share_car_cash"]), float(result["extra_car_cash_eur_month"])))
    if bool(result["transit_feasible_new"]):
        rows.append(("transit", float(result["share_transit"]), float(result["extra_transit_eur_month"])))
    return pd.DataFrame(rows, columns=["mode", "share", "extra_eur"])


def histogram(values, step: float, low: float, high: float) -> pd.DataFrame:
    """Counts in bins of `step` from `low` to `high`, with an underflow and an overflow bin.

    Values below `low` or from `high` up are counted in their own labelled bins (kind "under"
    / "over") whose edges are the data's own minimum and maximum, never piled on an edge bin.
    Columns: start, end, count, kind ("under", "bin", "over"). NaN values are left out.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    edges = np.arange(low, high + step / 2, step)
    counts, _ = np.histogram(x[(x >= low) & (x < high)], bins=edges)
    frame = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts, "kind": "bin"})
    below, above = x[x < low], x[x >= high]
    under = [{"start": float(below.min()), "end": low, "count": below.size, "kind": "under"}] if below.size else []
    over = [{"start": high, "end": float(above.max()), "count": above.size, "kind": "over"}] if above.size else []
    frame = pd.concat([pd.DataFrame(under), frame, pd.DataFrame(over)], ignore_index=True)
    frame["count"] = frame["count"].astype(int)
    return frame


def thresholds_by_office(results: pd.DataFrame, workers: pd.DataFrame) -> pd.DataFrame:
    """Workers over each threshold, per current office. Columns: site, threshold, workers, of.

    threshold codes: over_50km (INPS distance), over_80min (INPS time), no_transit (no way for the
    shift), over_10pct / over_20pct (extra cost over that share of take-home pay); `of` is the
    office's head count. Counted from the same result columns as `impact.scenarios.summarise`.
    """
    share = results["share_best"].to_numpy(dtype=float)
    flags = {"over_50km": results["rights_over_50km"].to_numpy(dtype=bool),
             "over_80min": results["rights_over_80min"].to_numpy(dtype=bool),
             "no_transit": ~results["transit_feasible_new"].to_numpy(dtype=bool),
             "over_10pct": share > PAY_SHARE_MARKS[0], "over_20pct": share > PAY_SHARE_MARKS[1]}
    site = workers["site"].to_numpy()
    rows = []
    for office in pd.unique(site):
        mine = site == office
        rows += [{"site": office, "threshold": code, "workers": int(flag[mine].sum()), "of": int(mine.sum())}
                 for code, flag in flags.items()]
    return pd.DataFrame(rows, columns=["site", "threshold", "workers", "of"])


def by_comune_istat(results: pd.DataFrame, workers: pd.DataFrame) -> pd.DataFrame:
    """Per home comune (ISTAT code): workers, median extra cost [EUR/month], and the share of them
    over the INPS 50 km or 80 minute rule. Columns: istat, workers, median_extra_eur_month, share_inps."""
    inps = results["rights_over_50km"].to_numpy(dtype=bool) | results["rights_over_80min"].to_numpy(dtype=bool)
    frame = pd.DataFrame({"istat": workers["home_istat"].astype(str).to_numpy(),
                          "extra": results["extra_best_eur_month"].to_numpy(dtype=float), "inps": inps})
    table = frame.groupby("istat", as_index=False).agg(workers=("extra", "size"),
                                                       median_extra_eur_month=("extra", "median"),
                                                       share_inps=("inps", "mean"))
    return table.sort_values("workers", ascending=False).reset_index(drop=True)


# The figures of `impact.scenarios.summarise` that count workers over a threshold, by chart code.
SUMMARY_THRESHOLDS = {"over_50km": "over_50km", "over_80min": "over_80min", "no_transit": "no_transit_for_shift",
                      "over_10pct": "over_10pct_pay", "over_20pct": "over_20pct_pay"}


def scenario_thresholds(summaries: Mapping[str, Mapping]) -> pd.DataFrame:
    """Workers over each threshold in each scenario, from the one workforce summary.
    Columns as `thresholds_by_office`, with the scenario's name in `site`."""
    return pd.DataFrame([{"site": name, "threshold": code, "workers": int(summary[key]), "of": int(summary["workers"])}
                         for name, summary in summaries.items() for code, key in SUMMARY_THRESHOLDS.items()],
                        columns=["site", "threshold", "workers", "of"])
