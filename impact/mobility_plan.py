"""What a mobility manager needs for the home-work travel plan (PSCL, DM 179/2021), from the roster.

Firms with over 100 staff in a provincial capital or a municipality over 50,000 people must
adopt a yearly Piano degli spostamenti casa-lavoro. From the evaluated workforce this
gives four tables: workers by comune and arrival/departure time band, by way of travel,
candidate shuttle corridors (those who would drive and live nearer their old office than
Torino, by closing office and arrival band),
and whom a company pass scheme would cover. Counts only: no worker can be read back.

`mobility_tables(frame)` takes one frame holding the roster's columns (home_istat, site,
shift_start_min, shift_end_min, hours_per_day) and the `evaluate()` columns beside them
(best_mode, transit_feasible_new, transit_eur_new), as the union page's workbook does.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from impact import i18n
from impact.model import default_shift_start_min
from impact.params import default_parameters

SEATS_PER_BUS = 50
MIN_CORRIDOR_WORKERS = 10   # an arrival band with fewer drivers is not a shuttle run
STOPS_LISTED = 4


def time_band(minutes: np.ndarray) -> np.ndarray:
    """Hour bands "07:00-08:00" from minutes after midnight."""
    hour = (np.asarray(minutes, dtype=float) // 60).astype(int) % 24
    return np.array([f"{h:02d}:00-{(h + 1) % 24:02d}:00" for h in hour], dtype=object)


def _shift(frame: pd.DataFrame, default_start_min: float) -> tuple[np.ndarray, np.ndarray]:
    start = pd.to_numeric(frame.get("shift_start_min"), errors="coerce") if "shift_start_min" in frame else None
    start = (start.fillna(default_start_min).to_numpy() if start is not None
             else np.full(len(frame), float(default_start_min)))
    end = pd.to_numeric(frame["shift_end_min"], errors="coerce").to_numpy() if "shift_end_min" in frame else \
        np.full(len(frame), np.nan)
    end = np.where(np.isnan(end), start + 60 * frame["hours_per_day"].to_numpy(dtype=float), end)
    return start, end


def mobility_tables(frame: pd.DataFrame, names: dict[str, str], site_names: dict[str, str],
                    default_start_min: float | None = None) -> dict[str, pd.DataFrame]:
    """{"by_band", "by_mode", "corridors", "passes"} with codes in the cells (see `add_mobility_sheet`).

    A row without a shift starts at `default_start_min` [minutes after midnight]; None: the
    model's default (``work.shift.default_start_min`` today).
    """
    if default_start_min is None:
        default_start_min = default_shift_start_min(default_parameters(), dt.date.today())
    start, end = _shift(frame, default_start_min)
    feasible = frame["transit_feasible_new"].to_numpy(dtype=bool)
    mode = np.where(frame["best_mode"].to_numpy() == "transit", "transit", np.where(feasible, "car", "none"))
    data = pd.DataFrame({"comune": frame["home_istat"].astype(str).map(names).to_numpy(),
                         "site": frame["site"].map(site_names).to_numpy(), "arrival": time_band(start),
                         "departure": time_band(end), "mode": mode,
                         "pass_eur": np.nan_to_num(frame["transit_eur_new"].to_numpy(dtype=float))})
    by_band = (data.groupby(["comune", "site", "arrival", "departure"], as_index=False).size()
               .rename(columns={"size": "workers"}).sort_values(["workers", "comune"], ascending=[False, True]))
    by_mode = data.groupby(["site", "mode"], as_index=False).size().rename(columns={"size": "workers"})
    # A shuttle from the closing office serves those who live on its side, not those nearer Torino.
    old_side = (frame["straight_km_old"].to_numpy() <= frame["straight_km_new"].to_numpy()
                if "straight_km_old" in frame else np.ones(len(frame), dtype=bool))
    drivers = data[(data["mode"] != "transit") & old_side]
    corridors = []
    for (site, arrival), group in drivers.groupby(["site", "arrival"]):
        if len(group) < MIN_CORRIDOR_WORKERS:
            continue
        stops = group["comune"].value_counts().index[:STOPS_LISTED]
        corridors.append({"site": site, "arrival": arrival, "workers": len(group), "stops": ", ".join(stops),
                          "buses": int(np.ceil(len(group) / SEATS_PER_BUS))})
    corridors = pd.DataFrame(corridors, columns=["site", "arrival", "workers", "stops", "buses"])
    group = np.where(data["mode"] == "transit", "transit", np.where(data["mode"] == "car", "could", "none"))
    passes = (data.assign(group=group).groupby(["site", "group"], as_index=False)
              .agg(workers=("pass_eur", "size"), pass_eur=("pass_eur", "sum")))
    passes.loc[passes["group"] == "none", "pass_eur"] = np.nan
    return {"by_band": by_band.reset_index(drop=True), "by_mode": by_mode, "corridors": corridors, "passes": passes}


def add_mobility_sheet(book, frame: pd.DataFrame, lang: str = "it") -> None:
    """Append the mobility-plan sheet to an openpyxl workbook: the four tables one under the other."""
    from impact.places import default_gazetteer, load_sites

    t = lambda key, **values: i18n.t(f"package.mobility.{key}", lang, **values)  # noqa: E731
    gazetteer = default_gazetteer()
    names = {code: gazetteer.by_istat(code).name for code in pd.unique(frame["home_istat"].astype(str))}
    site_names = {site.id: site.name for site in load_sites().values()}
    tables = mobility_tables(frame, names, site_names)
    sheet = book.create_sheet(t("sheet"))
    sheet.append([t("title")])
    sheet.append([t("note")])

    def block(title: str, header: list[str], rows) -> None:
        sheet.append([])
        sheet.append([title])
        sheet.append(header)
        for row in rows:
            sheet.append([None if isinstance(v, float) and np.isnan(v) else v for v in row])

    block(t("by_band"), [t("col_comune"), t("col_site"), t("col_arrival"), t("col_departure"), t("col_workers")],
          tables["by_band"].itertuples(index=False))
    block(t("by_mode"), [t("col_site"), t("col_mode"), t("col_workers")],
          ((r.site, t(f"mode_{r.mode}"), r.workers) for r in tables["by_mode"].itertuples()))
    block(t("corridors"), [t("col_corridor"), t("col_arrival"), t("col_workers"), t("col_stops"), t("col_buses")],
          ((t("corridor", site=r.site), r.arrival, r.workers, r.stops, r.buses)
           for r in tables["corridors"].itertuples()))
    block(t("passes"), [t("col_site"), t("col_group"), t("col_workers"), t("col_pass_eur")],
          ((r.site, t(f"group_{r.group}"), r.workers, round(float(r.pass_eur), 2) if r.pass_eur == r.pass_eur else None)
           for r in tables["passes"].itertuples()))
    for column, width in zip("ABCDE", (34, 24, 22, 40, 16)):
        sheet.column_dimensions[column].width = width
