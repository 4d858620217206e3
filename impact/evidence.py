"""The evidence pack: a PDF a worker can attach to a NASpI application or hand to a union adviser.

It holds her comune, both offices, the straight-line and road distances with their sources
and uncertainty, the INPS 80-minute average with every journey it averages and the
timetable's sources, the shift's journeys and the last run home, the rule (INPS message
369/2018) and the rulings, and the date, app version and parameters version. Every figure
is one `evaluate()` row; the journeys come from the same router the row was computed with.
No name or address of the worker is ever printed: only her comune.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from impact import i18n
from impact.routing.evidence import inps_journey_table
from impact.params import Parameters
from impact.clock import hhmm
from impact.places import Place, Site
from impact.routing.transit import TransitRouter
from impact.routing.typical import typical_legs
from impact.version import stamp

RULINGS_PARAMETER = "rights.inps_transfer.resignation_for_just_cause_covered"


def line_sources(router: TransitRouter, names: set[str]) -> list[dict]:
    """Source of each named line of the embedded model, and whether its minutes are partly assumed."""
    lines = router.network.lines.set_index("name")
    services = router.network.services
    rows = []
    for name in sorted(names):
        if name not in lines.index:
            continue
        line = lines.loc[name]
        assumed = bool((services.loc[services["line_id"] == line["line_id"], "assumption"].astype(str) == "1").any())
        rows.append({"line": name, "title": str(line["source_title"]), "url": str(line["source_url"]),
                     "assumed": assumed})
    return rows


def stamp_line(on: dt.date, lang: str) -> str:
    """The export stamp in words: date, app version, parameters version."""
    s = stamp(on)
    return i18n.t("package.stamp", lang, date=i18n.date(on, lang), app=s["app_version"], version=s["parameters_version"])


def evidence_pdf(result: dict, home: Place, old: Site, new: Site, shift_start_min: float, shift_end_min: float,
                 router: TransitRouter, params: Parameters, on: dt.date, lang: str = "it") -> bytes:
    """The evidence pack for one worker (module docstring); `result` is her `evaluate()` row as a dict."""
    t = lambda key, **values: i18n.t(f"package.evidence.{key}", lang, **values)  # noqa: E731
    km = lambda value: i18n.km(value, lang)  # noqa: E731
    number = lambda value: i18n.number(value, lang, 0)  # noqa: E731
    from impact.pdf_font import Page   # fpdf (19 MB) is loaded when a PDF is made, not with the page
    page = Page()
    page.text_line(t("title"), size=15, bold=True, height=8)
    page.text_line(t("subtitle", town=home.label, istat=home.istat, old=old.name, old_address=old.address,
                     new=new.name, new_address=new.address), size=9)
    page.ln(2)

    page.text_line(t("distances"), size=11.5, bold=True, height=7)
    estimated = result["car_source_new"] == "estimate"
    road_new = km(result["car_km_new"]) + (f" ({i18n.number(result['car_km_low_new'], lang, 1)}–"
                                           f"{km(result['car_km_high_new'])})" if estimated else "")
    minutes_new = number(result["car_min_new"]) + (f" ({number(result['car_min_low_new'])}–"
                                                   f"{number(result['car_min_high_new'])})" if estimated else "")
    page.grid([[t("col_what"), t("col_old"), t("col_new")],
               [t("row_straight"), km(result["straight_km_old"]), km(result["straight_km_new"])],
               [t("row_road"), km(result["car_km_old"]), road_new],
               [t("row_car_minutes"), number(result["car_min_old"]), minutes_new]], [60, 55, 67], size=9)
    page.text_line(t("straight_note", accuracy=i18n.km(new.position_accuracy_m / 1000, lang)), size=8)
    page.text_line(t("road_estimate", low=km(result["car_km_low_new"]), high=km(result["car_km_high_new"]))
                   if estimated else t("road_ors"), size=8)
    page.ln(2)

    page.text_line(t("inps"), size=11.5, bold=True, height=7)
    threshold = params.value("rights.inps_transfer.max_public_transport_minutes", on)
    journeys = inps_journey_table(router, home.lat, home.lon, new.id)
    start, end = router.rules.inps_window
    minutes = result["inps_minutes"]
    verdict = t("inps_over") if result["inps_over_80min"] else t("inps_under")
    # inps_journey_table answers a walk straight to the office with its one "walk" row (a journey's legs
    # start with a time), so the figure need not be asked for again.
    walking = len(journeys) == 1 and journeys["legs"].iat[0] == "walk"
    if walking:
        journeys = journeys.iloc[0:0]   # the table then holds the one walk, said in words
    if minutes != minutes:
        page.text_line(t("inps_none"), size=9.5)
    elif walking:
        page.text_line(t("inps_walk", minutes=number(minutes)), size=9.5)
    else:
        page.text_line(t("inps_text", minutes=i18n.number(minutes, lang, 1), count=len(journeys), start=hhmm(start),
                         end=hhmm(end), threshold=number(threshold), verdict=verdict), size=9.5)
        if result["inps_lower_bound"]:
            page.text_line(t("inps_lower_bound"), size=8.5)
        rows = [[t("col_leave"), t("col_board"), t("col_station"), t("col_arrive"), t("col_minutes"),
                 t("col_changes"), t("col_lines")]]
        rows += [[hhmm(j.leave_home), hhmm(j.depart), j.station, hhmm(j.arrive), number(j.minutes), str(j.changes),
                  j.lines] for j in journeys.itertuples()]
        page.grid(rows, [17, 14, 28, 18, 14, 12, 79], size=7.5)
    page.ln(1)

    page.text_line(t("timetable"), size=11.5, bold=True, height=7)
    legs = typical_legs(router, home.lat, home.lon, new.id, shift_start_min, shift_end_min)
    if result["transit_source_new"] == "gtfs":
        page.text_line(t("timetable_gtfs", source=result["transit_source_new"], date=i18n.date(on, lang)), size=8.5)
    else:
        page.text_line(t("timetable_text", date=i18n.date(on, lang)), size=8.5)
    if len(journeys):
        starts = [d for d in journeys["valid_from"] if d]
        ends = [d for d in journeys["valid_to"] if d]
        when = lambda day: i18n.date(dt.date.fromisoformat(day), lang)  # noqa: E731
        page.text_line(t("validity", start=t("valid_from", date=when(max(starts))) if starts else t("no_start"),
                         end=t("valid_to", date=when(min(ends))) if ends else t("no_end")), size=8.5)
    used = set(journeys["lines"].str.split("; ").explode().dropna()) if len(journeys) else set()
    used |= set(legs.loc[legs["kind"] == "ride", "line"]) if len(legs) else set()
    for source in line_sources(router, used):
        page.text_line("– " + t("line_source", line=source["line"], title=source["title"], url=source["url"])
                       + (t("line_assumed") if source["assumed"] else ""), size=7.5)
    page.ln(2)

    page.text_line(t("shift"), size=11.5, bold=True, height=7)
    if result["transit_feasible_new"]:
        page.text_line(t("shift_text", start=hhmm(shift_start_min), end=hhmm(shift_end_min),
                         out=number(result["transit_out_min_new"]), back=number(result["transit_back_min_new"]),
                         last=hhmm(result["transit_last_leave_new"])), size=9.5)
        rows = [[t("col_direction"), t("col_board"), t("col_station"), t("col_arrive"), t("col_lines")]]
        for leg in legs.to_dict("records"):
            if leg["kind"] == "ride":
                rows.append([t(leg["direction"]), hhmm(leg["depart"]), leg["from_name"],
                             f"{hhmm(leg['arrive'])} {leg['to_name']}", leg["line"]])
        page.grid(rows, [20, 16, 40, 50, 56], size=7.5)
    else:
        page.text_line(t("shift_none"), size=9.5)
        if not np.isnan(result["transit_last_leave_new"]):
            page.text_line(t("shift_text", start=hhmm(shift_start_min), end=hhmm(shift_end_min), out="—", back="—",
                             last=hhmm(result["transit_last_leave_new"])), size=8.5)
    page.ln(2)

    page.text_line(t("rule"), size=11.5, bold=True, height=7)
    page.text_line(t("rule_text", km=number(params.value("rights.inps_transfer.max_distance_km", on)),
                     minutes=number(threshold)), size=9)
    rule_source = params.get("rights.inps_transfer.max_distance_km").at(on).source
    page.text_line(f"– {rule_source.title} — {rule_source.url}", size=7.5)
    page.text_line(t("rulings"), size=9)
    for value in params.get(RULINGS_PARAMETER).values:
        page.text_line(f"– {value.source.title} — {value.source.url}", size=7.5)
    page.ln(3)
    page.text_line(stamp_line(on, lang), size=8.5, bold=True)
    page.text_line(i18n.t("package.not_advice", lang), size=8.5, bold=True)
    return bytes(page.output())
