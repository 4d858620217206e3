"""``python -m impact roster FILE``: read a roster, cost the move for each valid row, summarise.

Hooked into the command line by ``impact/__main__.py``::

    from impact.roster_cli import add_roster_parser
    add_roster_parser(commands)          # in build_parser(), after the other sub-commands

Exit codes: 0 at least one worker was costed; 1 the file (or --scenario, --out) cannot be
used; 2 the file was read but no row could be used (every rejection is still printed).
The summary never contains a worker's data: counts, the rejected lines with their
reasons, and figures over the whole workforce. ``--out`` writes one row per worker
(line in the file, home comune, inputs, results) where the user asks for it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd
import yaml

from impact import i18n
from impact.exports import pay_gap_notes, worker_table, write_csv
from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.report import workforce_xlsx
from impact.roster import RosterError, modelled_workforce, read_roster
from impact.routing.car import default_router
from impact.scenarios import SUMMARY_ROWS, empty_results, format_summary, summarise, summary_label

EXIT_OK, EXIT_ERROR, EXIT_NOTHING_VALID = 0, 1, 2
OUT_SUFFIXES = (".csv", ".xlsx")

def add_roster_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``roster`` sub-command to `subparsers` (from ``parser.add_subparsers()``)."""
    roster = subparsers.add_parser("roster", help="read a roster (CSV or XLSX) and cost the move for everyone")
    roster.add_argument("file", nargs="?", type=Path, help="the roster, CSV (',' or ';') or XLSX")
    roster.add_argument("--modelled", action="store_true",
                        help="no roster: use the modelled workforce (a gravity model, not data)")
    roster.add_argument("--seed", type=int, default=0, help="seed of the modelled workforce (default 0)")
    roster.add_argument("--site", choices=["ivrea", "asti"], help="office of every row, for a file without one")
    roster.add_argument("--scenario", type=Path, help="YAML with Scenario fields, e.g. smart_working_days_per_week: 1")
    roster.add_argument("--out", type=Path, help="write one row per worker to FILE.csv (and FILE.rejected.csv) "
                                                 "or FILE.xlsx, the union page's workbook")
    roster.add_argument("--lang", choices=["it", "en"], default="it", help="language of the output (default it)")
    roster.add_argument("--json", action="store_true", help="print JSON")
    roster.set_defaults(run=cmd_roster)
    return roster


class CommandError(RosterError):
    """A command-line input that cannot be used: --scenario, --out, the file's path."""

    def __init__(self, text: str) -> None:
        Exception.__init__(self, text)
        self.key, self.values, self._text = "command", {}, text

    def text(self, lang: str = "it") -> str:
        return self._text


def load_scenario(path: Path | None) -> Scenario:
    """The Scenario in a YAML (or JSON) mapping of its field names; the default when `path` is None."""
    if path is None:
        return Scenario()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CommandError(f"cannot read the scenario {path.name}: {exc}") from None
    known = {f.name for f in dataclasses.fields(Scenario)}
    if not isinstance(raw, dict) or set(raw) - known:
        unknown = sorted(map(str, set(raw) - known)) if isinstance(raw, dict) else [type(raw).__name__]
        raise CommandError(f"{path.name}: unknown scenario field(s) {', '.join(unknown)}; "
                           f"known: {', '.join(sorted(known))}")
    for name, value in raw.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise CommandError(f"{path.name}: {name} must be a number, not {value!r}")
    return Scenario(**raw)


def write_out(path: Path, table: pd.DataFrame, rejected: pd.DataFrame, summary: dict, lang: str) -> None:
    """The page's exports: the CSV of registry identifiers (and its rejected rows), or the workbook."""
    if path.suffix.lower() == ".csv":
        write_csv(path, table, rejected)
        return
    path.write_bytes(workforce_xlsx(table, {i18n.t("union.scenario_a", lang): summary}, default_parameters(),
                                    dt.date.today(), rejected, lang))


def _print_text(answer: dict, name: str, lang: str) -> None:
    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    if answer.get("modelled"):
        print(t("cli.modelled"))
    else:
        d = answer["detected"]
        how = f"{d.get('format')}, {d.get('encoding', d.get('sheet', ''))}"
        if "delimiter" in d:
            how += f", {t('cli.separator')} {d['delimiter']!r}"
        print(t("cli.read", name=name, read=answer["rows_read"], valid=answer["rows_valid"],
                rejected=answer["rows_rejected"], empty=answer["rows_empty"], how=how, decimal=repr(d["decimal"])))
        if answer["ignored_columns"]:
            print("  " + t("cli.ignored", columns=", ".join(answer["ignored_columns"])))
        for row in answer["rejected"]:
            print("  " + t("cli.rejected", line=row["line"], reason=row["reason"]))
        for row in answer["warnings"]:
            print("  " + t("cli.warning", line=row["line"], reason=row["reason"]))
    s = answer["summary"]
    if s["workers"]:
        for key, _fmt in SUMMARY_ROWS:
            print(f"  {summary_label(key, lang)}: {format_summary(key, s[key], lang)}")


def cmd_roster(args: argparse.Namespace) -> int:
    """Run ``roster``: read, evaluate with the scenario, print the summary, write --out."""
    try:
        return _run(args)
    except RosterError as exc:
        if args.json:
            print(json.dumps({"error": exc.key, "message": exc.text(args.lang)}, ensure_ascii=False))
        else:
            print(f"error: {exc.text(args.lang)}", file=sys.stderr)
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    if args.out is not None and args.out.suffix.lower() not in OUT_SUFFIXES:
        raise CommandError(f"--out must end in {' or '.join(OUT_SUFFIXES)}, not '{args.out.name}'")
    if (args.file is None) == (not args.modelled):
        raise CommandError("give a roster FILE or --modelled (not both)")
    scenario = load_scenario(args.scenario)
    on, params, gazetteer, sites = dt.date.today(), default_parameters(), default_gazetteer(), load_sites()
    if args.modelled:
        report, workers = None, modelled_workforce(sites, gazetteer, params, on, seed=args.seed)
        answer: dict = {"modelled": True, "note": i18n.t("cli.modelled", args.lang), "seed": args.seed}
        name = i18n.t("cli.modelled_name", args.lang)
    else:
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {args.file}: {exc.strerror}") from None
        report = read_roster(data, args.file.name, gazetteer=gazetteer, sites=sites, default_site=args.site)
        workers = report.workers
        answer, name = report.summary(args.lang), args.file.name
    results = (evaluate(workers, scenario, params, on, gazetteer, sites, default_router())
               if len(workers) else empty_results())
    table = worker_table(workers, results, gazetteer)
    answer["scenario"] = dataclasses.asdict(scenario)
    # The one workforce summary: the figures the union page, its PDF and its workbook show.
    answer["summary"] = summarise(results, scenario, modelled=args.modelled)
    if len(workers):
        answer.setdefault("warnings", []).extend(pay_gap_notes(table, args.lang))
    if args.out is not None:
        rejected = report.rejected_table(args.lang) if report is not None else pd.DataFrame(columns=["line", "reason"])
        write_out(args.out, table, rejected, answer["summary"], args.lang)
        answer["out"] = str(args.out)
    if args.json:
        print(json.dumps(answer, ensure_ascii=False))
    else:
        _print_text(answer, name, args.lang)
    return EXIT_OK if len(workers) else EXIT_NOTHING_VALID


def main(argv: list[str] | None = None) -> int:
    """``python -m impact.roster_cli FILE ...``: the same command before it is hooked into ``impact``."""
    parser = argparse.ArgumentParser(prog="python -m impact.roster_cli")
    add_roster_parser(parser.add_subparsers(dest="command", required=True))
    return cmd_roster(parser.parse_args(["roster", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    sys.exit(main())
