"""``python -m impact roster FILE``: read a roster, cost the move for each valid row, summarise.

Hooked into the command line by ``impact/__main__.py``::

    from impact.roster_cli import add_roster_parser
    add_roster_parser(commands)          # in build_parser(), after the other sub-commands

Exit codes: 0 at least one worker was costed; 1 the file (or --scenario, --out) cannot be
used: missing, not a regular file, over the limits, unreadable, a scenario value out of range,
an --out path that cannot be written; 2 the file was read but no row could be used (every
rejection is still printed). JSON output is strict JSON (NaN and infinity written as null, with a
note); text output shows the file's text with terminal escapes and control characters removed.
The summary never contains a worker's data: counts, the rejected lines with their
reasons, and figures over the whole workforce. ``--out`` writes one row per worker
(line in the file, home comune, inputs, results) where the user asks for it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path

import pandas as pd
import yaml

from impact import i18n, limits
from impact.errors import CommandError, InputError
from impact.exports import pay_gap_notes, worker_table, write_csv
from impact.model import Scenario
from impact.notice_sheet import DEFAULT_APP_URL, notice_pdf
from impact.params import default_parameters
from impact.places import closing_site_ids, default_gazetteer, load_sites
from impact.horizon import Package, PackageError, evaluate_package, parse_package
from impact.report import workforce_xlsx
from impact.roster import RosterError, modelled_workforce, read_roster
from impact.routing.car import default_router
from impact.safe_text import json_text, terminal
from impact.scenario_run import run_scenario
from impact.scenarios import SUMMARY_ROWS, SiteLevers, format_summary, summary_label
from impact.version import parameters_version, stamp

EXIT_OK, EXIT_ERROR, EXIT_NOTHING_VALID = 0, 1, 2
OUT_SUFFIXES = (".csv", ".xlsx")

def add_roster_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``roster`` sub-command to `subparsers` (from ``parser.add_subparsers()``)."""
    roster = subparsers.add_parser("roster", help="read a roster (CSV or XLSX) and cost the move for everyone")
    roster.add_argument("file", nargs="?", type=Path, help="the roster, CSV (',' or ';') or XLSX")
    roster.add_argument("--modelled", action="store_true",
                        help="no roster: use the modelled workforce (a gravity model, not data)")
    roster.add_argument("--seed", type=int, default=0, help="seed of the modelled workforce (default 0)")
    roster.add_argument("--site", choices=closing_site_ids(), help="office of every row, for a file without one")
    roster.add_argument("--scenario", type=Path, help="YAML with Scenario fields, e.g. smart_working_days_per_week: 1")
    roster.add_argument("--out", type=Path, help="write one row per worker to FILE.csv (and FILE.rejected.csv) "
                                                 "or FILE.xlsx, the union page's workbook")
    roster.add_argument("--notice-sheet", type=Path, metavar="FILE.pdf",
                        help="write the notice-board sheets per office and common shift, with QR codes, to FILE.pdf")
    roster.add_argument("--app-url", default=os.environ.get("IMPACT_APP_URL", DEFAULT_APP_URL),
                        help=f"address of the app that the QR codes open (default $IMPACT_APP_URL or {DEFAULT_APP_URL})")
    roster.add_argument("--lang", choices=["it", "en"], default="it", help="language of the output (default it)")
    roster.add_argument("--json", action="store_true", help="print JSON")
    roster.set_defaults(run=cmd_roster)
    return roster


def load_scenario(path: Path | None) -> Scenario:
    """The Scenario in a YAML (or JSON) mapping of its field names; the default when `path` is None."""
    return load_package(path)[0]


def load_package(path: Path | None) -> tuple[Scenario, SiteLevers, Package]:
    """The scenario file's levers and their timing (`impact.horizon.parse_package`); defaults when None."""
    if path is None:
        return Scenario(), SiteLevers(), Package()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CommandError(f"cannot read the scenario {path.name}: {exc}") from None
    try:
        return parse_package(raw, path.name)
    except PackageError as exc:
        raise CommandError(str(exc)) from None
    except InputError as exc:
        raise CommandError(f"{path.name}: {exc.field + ': ' if exc.field else ''}{exc}") from None


def write_out(path: Path, table: pd.DataFrame, rejected: pd.DataFrame, summary: dict, lang: str) -> None:
    """The page's exports: the CSV of registry identifiers (and its rejected rows), or the workbook."""
    if path.suffix.lower() == ".csv":
        stamped = table.copy()
        stamped.insert(0, "parameters_version", parameters_version())
        write_csv(path, stamped, rejected)
        return
    path.write_bytes(workforce_xlsx(table, {i18n.t("union.scenario_a", lang): summary}, default_parameters(),
                                    dt.date.today(), rejected, lang))


def read_file(path: Path) -> bytes:
    """The roster's bytes: a regular file within the size limit (never /dev/zero or a folder read whole)."""
    try:
        if not path.is_file():
            raise CommandError(f"cannot read {path}: " + ("no such file" if not path.exists() else
                                                          "not a regular file"))
        with path.open("rb") as handle:
            data = handle.read(limits.MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limits.MAX_FILE_BYTES:
        raise RosterError("file_too_large", size=f"> {limits.megabytes(limits.MAX_FILE_BYTES)}",
                          limit=limits.megabytes(limits.MAX_FILE_BYTES))
    return data


def _print_text(answer: dict, name: str, lang: str) -> None:
    t = lambda key, **values: i18n.t(key, lang, **values)  # noqa: E731
    if answer.get("modelled"):
        print(t("cli.modelled"))
    else:
        d = answer["detected"]
        how = f"{d.get('format')}, {d.get('encoding', d.get('sheet', ''))}"
        if "delimiter" in d:
            how += f", {t('cli.separator')} {d['delimiter']!r}"
        print(terminal(t("cli.read", name=name, read=answer["rows_read"], valid=answer["rows_valid"],
                         rejected=answer["rows_rejected"], empty=answer["rows_empty"], how=how,
                         decimal=repr(d["decimal"]))))
        if answer["ignored_columns"]:
            print("  " + t("cli.ignored", columns=terminal(", ".join(answer["ignored_columns"]))))
        for row in answer["rejected"]:
            print("  " + t("cli.rejected", line=row["line"], reason=terminal(row["reason"])))
        for row in answer["warnings"]:
            print("  " + t("cli.warning", line=row["line"], reason=terminal(row["reason"])))
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
            print(json_text({"error": exc.key, "message": exc.text(args.lang)}))
        else:
            print(f"error: {terminal(exc.text(args.lang))}", file=sys.stderr)
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    if args.out is not None and args.out.suffix.lower() not in OUT_SUFFIXES:
        raise CommandError(f"--out must end in {' or '.join(OUT_SUFFIXES)}, not '{args.out.name}'")
    if args.out is not None and (args.out.is_dir() or not args.out.parent.is_dir()):
        raise CommandError(f"--out {args.out}: " + ("is a folder; give a file name" if args.out.is_dir()
                                                     else f"the folder {args.out.parent} does not exist"))
    if (args.file is None) == (not args.modelled):
        raise CommandError("give a roster FILE or --modelled (not both)")
    scenario, site_levers, package = load_package(args.scenario)
    on, params, gazetteer, sites = dt.date.today(), default_parameters(), default_gazetteer(), load_sites()
    if args.modelled:
        report, workers = None, modelled_workforce(sites, gazetteer, params, on, seed=args.seed)
        answer: dict = {"modelled": True, "note": i18n.t("cli.modelled", args.lang), "seed": args.seed}
        name = i18n.t("cli.modelled_name", args.lang)
    else:
        data = read_file(args.file)
        report = read_roster(data, args.file.name, gazetteer=gazetteer, sites=sites, default_site=args.site)
        workers = report.workers
        answer, name = report.summary(args.lang), args.file.name
    # The one scenario pipeline and workforce summary: the figures the union page, its PDF and its workbook show.
    run = run_scenario(workers, scenario, params, on, gazetteer, sites, default_router(), levers=site_levers,
                       modelled=args.modelled)
    table = worker_table(workers, run.results, gazetteer)
    answer["scenario"] = dataclasses.asdict(scenario)
    answer.update(stamp(on))
    answer["summary"] = run.summary
    if len(workers):  # the package over its horizon, from the same rows
        answer.setdefault("warnings", []).extend(pay_gap_notes(table, args.lang))
        answer.update(evaluate_package(workers, scenario, site_levers, package, params, on, gazetteer, sites,
                                       default_router(), results=run.evaluated))
    if args.notice_sheet is not None and len(workers):
        sheet = notice_pdf(workers, params, on, gazetteer, sites, args.app_url, args.lang, modelled=args.modelled,
                           router=default_router())
        try:
            args.notice_sheet.write_bytes(sheet)
        except OSError as exc:
            raise CommandError(f"cannot write {args.notice_sheet}: {exc.strerror}") from None
        answer["notice_sheet"] = str(args.notice_sheet)
    if args.out is not None:
        rejected = report.rejected_table(args.lang) if report is not None else pd.DataFrame(columns=["line", "reason"])
        try:
            write_out(args.out, table, rejected, answer["summary"], args.lang)
        except OSError as exc:
            raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        answer["out"] = str(args.out)
    if args.json:
        print(json_text(answer))
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
