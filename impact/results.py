"""The result registry: every column `evaluate()` returns, with its unit, display format and sources.

One `Column` per result column, in the order `evaluate()` returns them. Labels in Italian and
English live in the locale catalogue under ``results.<identifier>``; `describe` here is the
one-line meaning used by the README and the workbook's notes. Faces render a value with
`format_value`, so a figure reads the same on the page, in the PDF, the workbook and the CLI.

`parameters` names the dated parameters a column is computed from (a path ending in ``.*``
stands for every parameter under it): the "how it was computed" panel lists exactly those
of the figures it sits under (`trace_parameters`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from impact import i18n
from impact.clock import hhmm

# Display formats: how a value of the column is written.
MONEY, MINUTES, KM, SHARE, COUNT, CODE, HOURS, DAYS, FLAG, CLOCK, MONTHS = (
    "money", "minutes", "km", "share", "count", "code", "hours", "days", "flag", "clock", "months")
FORMATS = (MONEY, MINUTES, KM, SHARE, COUNT, CODE, HOURS, DAYS, FLAG, CLOCK, MONTHS)

_CAR = ("car.fuel.petrol_eur_per_l", "car.running_costs.consumption_real_l_per_100km",
        "car.tolls.a5_torino_ivrea_eur", "routing.car_speed.long_trip_kmh", "work.leave.*")
_CAR_FULL = _CAR + ("car.running_costs.aci_cost_per_km_small_hybrid_eur",)
_TRANSIT = ("transit.rail_piemonte.monthly_2nd.*", "transit.rail_piemonte.average_increase_pct",
            "transit.gtt.monthly_pass_eur", "work.leave.*")
_PAY = ("work.pay_defaults.part_time_net_monthly_eur", "work.pay_defaults.full_time_net_monthly_eur")
_TAX = ("tax.irpef.*", "tax.social.*", "tax.cuneo.*", "tax.tlc.*", "tax.regional.*", "tax.municipal.*")
_RIGHTS = ("rights.inps_transfer.max_distance_km", "rights.inps_transfer.max_public_transport_minutes")
_MOVE = ("housing.lease.agency_fee_tenant_months", "housing.lease.deposit_max_months",
         "housing.lease.lease_term_months", "housing.moving.intercity_move_eur")


@dataclass(frozen=True)
class Column:
    """One result column: identifier, unit, display format, meaning and the parameters behind it."""

    id: str
    unit: str
    format: str
    describe: str
    parameters: tuple[str, ...] = ()
    pay: bool = False  # filled only when evaluate(pay=True); NaN otherwise

    def label(self, lang: str) -> str:
        """The column's name in `lang`, from the catalogue."""
        return i18n.t(f"results.{self.id}", lang)


def _c(id: str, unit: str, fmt: str, describe: str, parameters: tuple[str, ...] = (), pay: bool = False) -> Column:
    return Column(id, unit, fmt, describe, parameters, pay)


COLUMNS: tuple[Column, ...] = (
    _c("straight_km_old", "km", KM, "straight line home to the current office"),
    _c("straight_km_new", "km", KM, "straight line home to the new office", _RIGHTS),
    _c("car_km_old", "km", KM, "road length to the current office, one way", ("routing.car_speed.long_trip_kmh",)),
    _c("car_km_new", "km", KM, "road length to the new office, one way", ("routing.car_speed.long_trip_kmh",)),
    _c("car_min_old", "minutes", MINUTES, "driving time to the current office, one way", ("routing.car_speed.long_trip_kmh",)),
    _c("car_min_new", "minutes", MINUTES, "driving time to the new office, one way", ("routing.car_speed.long_trip_kmh",)),
    _c("car_km_low_new", "km", KM, "low end of the estimated road length"),
    _c("car_km_high_new", "km", KM, "high end of the estimated road length"),
    _c("car_min_low_new", "minutes", MINUTES, "low end of the estimated driving time"),
    _c("car_min_high_new", "minutes", MINUTES, "high end of the estimated driving time"),
    _c("car_source_old", "", CODE, "openrouteservice or estimate"),
    _c("car_source_new", "", CODE, "openrouteservice or estimate"),
    _c("office_position_old", "", CODE, "sourced, or moved: the current office is not where its sources put it"),
    _c("office_position_new", "", CODE, "sourced, or moved: the new office is not where its sources put it"),
    _c("routing_note", "", CODE, "why the estimate was used although a router was set (empty otherwise)"),
    _c("days_old", "days/month", DAYS, "commuting days a month today", ("work.leave.*",)),
    _c("days_new", "days/month", DAYS, "commuting days a month after the move, less smart working", ("work.leave.*",)),
    _c("car_tolls_old_eur_day", "EUR/day", MONEY, "tolls of today's round trip", ("car.tolls.*",)),
    _c("car_tolls_new_eur_day", "EUR/day", MONEY, "tolls of the new round trip", ("car.tolls.*",)),
    _c("car_cash_old", "EUR/month", MONEY, "fuel and tolls today", _CAR),
    _c("car_full_old", "EUR/month", MONEY, "fuel, tolls and wear (ACI) today", _CAR_FULL),
    _c("car_cash_new", "EUR/month", MONEY, "fuel and tolls after the move (and a second car's fixed costs)", _CAR),
    _c("car_full_new", "EUR/month", MONEY, "fuel, tolls and wear (ACI) after the move", _CAR_FULL),
    _c("allowance_net_eur_month", "EUR/month", MONEY, "the scenario's allowances as they reach her, net"),
    _c("extra_car_cash_eur_month", "EUR/month", MONEY, "new less old fuel and tolls, less any allowance", _CAR),
    _c("extra_car_full_eur_month", "EUR/month", MONEY, "the same with wear", _CAR_FULL),
    _c("extra_car_hours_month", "h/month", HOURS, "extra hours driving a month", ("routing.car_speed.long_trip_kmh", "work.leave.*")),
    _c("net_monthly_eur", "EUR/month", MONEY, "take-home pay used (typed, from gross, or the default)", _PAY),
    _c("net_pay_is_default", "", FLAG, "no pay was given: the default take-home is used", _PAY),
    _c("net_pay_basis", "", CODE, "typed (net), gross (the net of the typed gross) or default", _PAY),
    _c("net_gross_gap_eur_month", "EUR/month", MONEY, "typed net less the net of the typed gross (both given)", _TAX),
    _c("share_car_cash", "share", SHARE, "extra car cost as a share of take-home pay", _CAR + _PAY),
    _c("transit_min_old", "minutes", MINUTES,
       "public transport door to door today, the shift's typical run, mean of the two ways"),
    _c("transit_min_new", "minutes", MINUTES,
       "public transport door to door after the move, the shift's typical run, mean of the two ways",
       ("transit.access.walk_speed_kmh",)),
    _c("transit_out_min_new", "minutes", MINUTES, "leaving home to the shift's start", ("transit.access.walk_speed_kmh",)),
    _c("transit_back_min_new", "minutes", MINUTES, "the shift's end to home", ("transit.access.walk_speed_kmh",)),
    _c("transit_feasible_old", "", FLAG, "a journey fits today's shift both ways"),
    _c("transit_feasible_new", "", FLAG, "a journey fits the shift at the new office both ways"),
    _c("transit_changes_new", "", COUNT, "changes on the way to work"),
    _c("transit_last_leave_new", "minutes after midnight", CLOCK, "last departure from the new office that gets home"),
    _c("transit_source_old", "", CODE, "timetable-model or gtfs"),
    _c("transit_source_new", "", CODE, "timetable-model or gtfs"),
    _c("transit_eur_old", "EUR/month", MONEY, "cheapest tickets or passes for a month today", _TRANSIT),
    _c("transit_eur_new", "EUR/month", MONEY, "cheapest tickets or passes for a month after, GTT included", _TRANSIT),
    _c("transit_rail_eur_old", "EUR/month", MONEY, "rail part of transit_eur_old", _TRANSIT),
    _c("transit_rail_eur_new", "EUR/month", MONEY, "rail part of transit_eur_new", _TRANSIT),
    _c("transit_bus_eur_old", "EUR/month", MONEY, "regional bus part of transit_eur_old", _TRANSIT),
    _c("transit_bus_eur_new", "EUR/month", MONEY, "regional bus part of transit_eur_new", _TRANSIT),
    _c("transit_gtt_eur_old", "EUR/month", MONEY, "GTT (Torino) part of transit_eur_old", _TRANSIT),
    _c("transit_gtt_eur_new", "EUR/month", MONEY, "GTT (Torino) part of transit_eur_new", _TRANSIT),
    _c("transit_product_new", "", CODE, "the rail product chosen (monthly, annual, tickets)"),
    _c("transit_fare_basis_new", "", CODE, "official or indexed-estimate price"),
    _c("fare_rail_km_new", "km", KM, "rail distance the fare is priced on"),
    _c("fare_bus_km_new", "km", KM, "bus distance the fare is priced on"),
    _c("uses_gtt_new", "", FLAG, "the journey uses Torino's GTT network"),
    _c("extra_transit_eur_month", "EUR/month", MONEY, "new less old fares, less the company's share and allowances",
       _TRANSIT),
    _c("extra_transit_hours_month", "h/month", HOURS, "extra hours on public transport a month", ("work.leave.*",)),
    _c("share_transit", "share", SHARE, "extra fares as a share of take-home pay", _TRANSIT + _PAY),
    _c("inps_minutes", "minutes", MINUTES, "the INPS 80-minute figure: mean public-transport time", _RIGHTS),
    _c("inps_basis", "", CODE, "what the INPS minutes are the mean of"),
    _c("inps_journeys", "", COUNT, "how many weekday journeys the INPS minutes are the mean of"),
    _c("inps_over_80min", "", FLAG, "the INPS minutes reach the threshold", _RIGHTS),
    _c("inps_lower_bound", "", FLAG, "the INPS minutes are a lower bound"),
    _c("best_mode", "", CODE, "car or transit: the stated way, else the cheaper feasible one"),
    _c("extra_best_eur_month", "EUR/month", MONEY, "the answer: extra cost a month of that way"),
    _c("extra_best_hours_month", "h/month", HOURS, "the answer: extra hours a month of that way"),
    _c("share_best", "share", SHARE, "the answer: extra cost as a share of take-home pay"),
    _c("value_of_time_eur_month", "EUR/month", MONEY, "extra hours valued at the worker's own net hourly pay", _PAY),
    _c("care_eur_month", "EUR/month", MONEY, "paid childcare for the extra time away", ("care.childcare.*",)),
    _c("move_rent_new_eur_month", "EUR/month", MONEY, "rent of a flat near the new office", _MOVE),
    _c("move_rent_new_basis", "", CODE, "comune, province_average or region_average"),
    _c("move_housing_now_eur_month", "EUR/month", MONEY, "housing cost now", _MOVE),
    _c("move_housing_now_basis", "", CODE, "typed, comune, province_average or region_average"),
    _c("move_one_off_eur", "EUR", MONEY, "agency, registration tax and removal", _MOVE),
    _c("move_deposit_eur", "EUR", MONEY, "deposit (returned)", _MOVE),
    _c("move_extra_eur_month", "EUR/month", MONEY, "rent difference plus one-off costs over the lease", _MOVE),
    _c("move_advantage_eur_month", "EUR/month", MONEY, "the answer's extra cost less moving's: > 0 when moving is cheaper",
       _MOVE),
    _c("move_break_even_month", "months", MONTHS, "month from which moving has paid for itself (inf: never)", _MOVE),
    _c("gross_annual_eur", "EUR/year", MONEY, "gross pay that gives the take-home pay", _TAX, pay=True),
    _c("raise_gross_per_payment_eur", "EUR/payslip", MONEY, "taxable raise on each payslip that covers the extra cost",
       _TAX, pay=True),
    _c("raise_company_cost_annual_eur", "EUR/year", MONEY, "that raise's cost to the company", _TAX, pay=True),
    _c("fringe_company_cost_annual_eur", "EUR/year", MONEY, "tax-free fringe benefits plus a raise, company cost",
       _TAX + ("tax.benefits.*",), pay=True),
    _c("pass_company_cost_annual_eur", "EUR/year", MONEY, "a company-paid pass plus a raise, company cost",
       _TAX + ("tax.benefits.*",), pay=True),
    _c("transfer_allowance_first_year_eur", "EUR", MONEY, "first-year transfer allowance that covers the cost",
       _TAX + ("tax.benefits.*",), pay=True),
    _c("allowance_company_cost_eur_month", "EUR/month", MONEY, "what the scenario's allowances cost the company",
       _TAX, pay=True),
    _c("rights_over_50km", "", FLAG, "over 50 km (INPS transfer rule)", _RIGHTS, pay=True),
    _c("rights_distance_status", "", CODE, "yes, borderline or no on the 50 km test", _RIGHTS, pay=True),
    _c("rights_over_80min", "", FLAG, "80 minutes or more by public transport", _RIGHTS, pay=True),
    _c("rights_transit_status", "", CODE, "yes, borderline or no on the 80-minute test", _RIGHTS, pay=True),
    _c("rights_status", "", CODE, "yes, borderline or no on the INPS rule as a whole", _RIGHTS, pay=True),
    _c("naspi_monthly_eur", "EUR/month", MONEY, "NASpI if the job ends", ("rights.naspi.*",), pay=True),
    _c("naspi_duration_months", "months", MONTHS, "months of NASpI", ("rights.naspi.*",), pay=True),
)

BY_ID: dict[str, Column] = {c.id: c for c in COLUMNS}
IDENTIFIERS: tuple[str, ...] = tuple(BY_ID)
PAY_COLUMNS: tuple[str, ...] = tuple(c.id for c in COLUMNS if c.pay)

_DECIMALS = {MONEY: 0, MINUTES: 0, KM: 1, SHARE: 0, COUNT: 0, HOURS: 0, DAYS: 1, MONTHS: 0}
# Number formats for a spreadsheet cell of each display format.
EXCEL_FORMATS = {MONEY: "#,##0.00", MINUTES: "0", KM: "0.0", SHARE: "0.0%", COUNT: "0", HOURS: "0.0",
                 DAYS: "0.0", MONTHS: "0", CLOCK: "hh:mm"}


def column(identifier: str) -> Column:
    """The registry entry of `identifier`; KeyError names it when it is not a result column."""
    try:
        return BY_ID[identifier]
    except KeyError:
        raise KeyError(f"'{identifier}' is not a result column; see impact.results.COLUMNS") from None


def format_value(identifier: str, value, lang: str, decimals: int | None = None) -> str:
    """`value` of result column `identifier` written for `lang`: 1.234 €, 45,9 km, 15 %, 53 ore.

    NaN is a dash; a code is looked up as ``codes.<column>.<code>`` when the catalogue has it.
    """
    c = column(identifier)
    if c.format == CODE:
        return code_text(identifier, value, lang)
    if c.format == FLAG:
        return i18n.t("results_fmt.yes" if bool(value) else "results_fmt.no", lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if c.format == CLOCK:
        return hhmm(value)
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    places = _DECIMALS[c.format] if decimals is None else decimals
    if c.format == MONEY:
        return i18n.eur(value, lang, places)
    if c.format == SHARE:
        return f"{i18n.number(100 * value, lang, places)}\u00a0%"
    if c.format == KM:
        return f"{i18n.number(value, lang, places)}\u00a0km"
    if c.format == MINUTES:
        return i18n.t("results_fmt.minutes", lang, minutes=i18n.number(value, lang, places))
    if c.format == HOURS:
        return i18n.t("results_fmt.hours", lang, hours=i18n.number(value, lang, places))
    return i18n.number(value, lang, places)


def code_text(identifier: str, code, lang: str) -> str:
    """A code column's value in words (``codes.<column>.<code>``), or the code itself when it has none."""
    key = f"codes.{identifier}.{str(code).replace('-', '_')}"
    return i18n.strings(lang).get(key, str(code))


def answer_columns(best_mode: str) -> tuple[str, ...]:
    """The columns the headline of an answer by `best_mode` ("car" or "transit") is made of."""
    if best_mode == "car":
        return ("extra_car_cash_eur_month", "extra_car_hours_month", "share_car_cash", "net_monthly_eur")
    return ("extra_transit_eur_month", "extra_transit_hours_month", "share_transit", "net_monthly_eur")


def trace_parameters(columns, params, fare_rail_km: float | None = None) -> list[str]:
    """Parameter paths behind `columns`, in registry order, ``.*`` expanded against `params`.

    A rail fare band (``transit.rail_piemonte.monthly_2nd.km_051_060``) is kept only when it is
    the band of `fare_rail_km`, the distance the worker's fare was priced on.
    """
    wanted: list[str] = []
    for identifier in columns:
        for pattern in column(identifier).parameters:
            if pattern not in wanted:
                wanted.append(pattern)
    paths = [p.path for p in params]
    chosen: list[str] = []
    for pattern in wanted:
        if pattern.endswith(".*"):
            prefix = pattern[:-1]
            matches = [p for p in paths if p.startswith(prefix)]
        else:
            matches = [pattern] if pattern in paths else []
        for path in matches:
            if path.startswith("transit.rail_piemonte.monthly_2nd.km_") and not _in_band(path, fare_rail_km):
                continue
            if path.startswith(("tax.regional.", "tax.municipal.")):
                continue  # the surcharges of every comune: shown by the method page, not one by one
            if path not in chosen:
                chosen.append(path)
    return chosen


def _in_band(path: str, km: float | None) -> bool:
    if km is None or km != km:
        return False
    low, high = (int(x) for x in path.rsplit("km_", 1)[1].split("_"))
    return low <= math.ceil(km) <= high


# --------------------------------------------------------------------------- the worker's answer

@dataclass(frozen=True)
class Answer:
    """What the move costs one worker, by her way to the new office: the one every face leads with.

    mode             "car" or "transit": the way she stated, where possible, else the cheaper feasible one
    extra_eur_month  extra cost a month of that way [EUR/month] (< 0: a saving)
    hours_month      extra hours a month [h/month] (< 0: fewer)
    share            extra cost / take-home pay
    net_monthly_eur  take-home pay used [EUR/month]; pay_is_default when she typed none
    """

    mode: str
    extra_eur_month: float
    hours_month: float
    share: float
    net_monthly_eur: float
    pay_is_default: bool

    @property
    def year_eur(self) -> float:
        """The same extra cost over twelve months [EUR/year], from the unrounded month."""
        return 12 * self.extra_eur_month


def answer(row) -> Answer:
    """The worker's answer from one `evaluate()` row (a Series or a dict)."""
    return Answer(str(row["best_mode"]), float(row["extra_best_eur_month"]), float(row["extra_best_hours_month"]),
                  float(row["share_best"]), float(row["net_monthly_eur"]), bool(row["net_pay_is_default"]))


def headline_figures(row, lang: str) -> dict[str, str]:
    """The answer's figures as every face writes them: money, year, hours, share, pay, and their words.

    A gain is written as a positive amount with words that say "less" (never a minus sign).
    """
    a = answer(row)
    gain = a.extra_eur_month < 0
    fewer = a.hours_month < 0
    return {
        "way": i18n.t(f"answer.way_{a.mode}", lang),
        "money": format_value("extra_best_eur_month", abs(a.extra_eur_month), lang),
        "year": format_value("extra_best_eur_month", abs(a.year_eur), lang),
        "hours": i18n.number(abs(a.hours_month), lang, 0),
        "share": format_value("share_best", abs(a.share), lang),
        "pay": format_value("net_monthly_eur", a.net_monthly_eur, lang),
        "money_label": i18n.t("answer.less_money" if gain else "answer.extra_money", lang),
        "hours_label": i18n.t("answer.fewer_hours" if fewer else "answer.extra_hours", lang),
        "share_label": i18n.t("answer.share_saved" if gain else "answer.share_pay", lang),
        "more_or_less": i18n.t("answer.less" if gain else "answer.more", lang),
        "hours_more_or_less": i18n.t("answer.fewer" if fewer else "answer.more_hours", lang),
    }


def headline_text(row, lang: str) -> str:
    """The answer in one sentence, for the PDF and the command line."""
    f = headline_figures(row, lang)
    return i18n.t("answer.sentence", lang, **f)


def _worded(text: str, patterns, catalogue: str, field: str, lang: str) -> str:
    """`text` as the model states it, in `lang`'s words: the first matching pattern's sentence
    ``<catalogue>.<code>`` with its group as `field`; the text itself when none matches."""
    for pattern, code in patterns:
        match = pattern.match(str(text))
        if match:
            return i18n.t(f"{catalogue}.{code}", lang, **{field: match.group(1) if match.groups() else ""})
    return str(text)


def inps_basis_text(basis: str, lang: str) -> str:
    """The INPS minutes' basis (`inps_basis`, a code of the transit model) in `lang`'s words."""
    return code_text("inps_basis", basis, lang)


def shift_notes(hours_per_day: float, shift_start_min: float | None, shift_end_min: float | None,
                lang: str) -> list[str]:
    """A sentence when the shift typed and the hours a day disagree (8 h with a 16:00-22:00 shift).

    The hours set pay and the default pay; the shift sets the journeys: both are kept as typed,
    and the worker is told that they do not match.
    """
    if shift_start_min is None or shift_end_min is None or shift_start_min != shift_start_min:
        return []
    length_h = ((shift_end_min - shift_start_min) % 1440) / 60
    if abs(length_h - hours_per_day) < 0.25:
        return []
    return [i18n.t("answer.shift_mismatch", lang, start=hhmm(shift_start_min), end=hhmm(shift_end_min),
                   length=i18n.number(length_h, lang, 0 if float(length_h).is_integer() else 1),
                   hours=i18n.number(hours_per_day, lang, 0 if float(hours_per_day).is_integer() else 1))]


# The car router's notes (`routing_note`) as the routing package words them, and their codes.
_ROUTING_NOTES = ((re.compile(r"^no openrouteservice key"), "no_key"),
                  (re.compile(r"^openrouteservice answered without a (route|matrix)"), "no_answer"),
                  (re.compile(r"^openrouteservice answered a matrix of the wrong size"), "no_answer"),
                  (re.compile(r"^openrouteservice took too long"), "timeout"),
                  (re.compile(r"^openrouteservice did not answer in time"), "timeout"),
                  (re.compile(r"^openrouteservice quota exceeded"), "quota"),
                  (re.compile(r"^openrouteservice refused the key \((\d+)\)"), "refused"),
                  (re.compile(r"^openrouteservice server error \((\d+)\)"), "server_error"),
                  (re.compile(r"^openrouteservice error \((\w+)\)"), "error"),
                  (re.compile(r"^openrouteservice unreachable"), "unreachable"),
                  (re.compile(r"^openrouteservice found no road for some trips"), "no_road"))


def routing_note_text(note: str, lang: str) -> str:
    """Why the offline estimate answered (`routing_note`) in `lang`'s words; the note itself if unknown."""
    return _worded(note, _ROUTING_NOTES, "codes.routing_note", "status", lang)
