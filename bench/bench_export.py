"""Peak memory and time of the union workbook (or CSV) for a large roster: read, evaluate, export.

Run: .venv/bin/python bench/bench_export.py [ROWS=200000] [xlsx|csv]
Prints the process's peak memory (ru_maxrss) after each stage; issue 14 measured 200,000 rows:
the workbook 6,177 MB before streaming, 691 MB after.
"""
import resource, sys, time, datetime as dt
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import numpy as np, pandas as pd
from impact.roster import read_roster
from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.report import workforce_xlsx
from impact.scenarios import summarise, side_by_side
rng = np.random.default_rng(0)
g = default_gazetteer()
towns = [p.label for p in g.places[::5]]
n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
kind = sys.argv[2] if len(sys.argv) > 2 else "xlsx"
lines = ["Comune;Sede;Ore al giorno;Giorni a settimana;Netto mensile"] + [f"{towns[i % len(towns)]};{'Ivrea' if i % 3 else 'Asti'};{4 + i % 5};5;{800 + i % 400}" for i in range(n)]
data = "\n".join(lines).encode()
print(f"CSV {len(data)/1e6:.1f} MB")
mark = lambda s: print(f"{s}: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024:.0f} MB, {time.perf_counter()-t0:.1f} s", flush=True)
t0 = time.perf_counter()
r = read_roster(data, "r.csv", gazetteer=g); mark("read")
res = evaluate(r.workers, Scenario(), default_parameters(), dt.date.today(), g, load_sites()); mark("evaluate")
table = pd.concat([r.workers.reset_index(drop=True), res.reset_index(drop=True)], axis=1)
s = {"A": summarise(res, Scenario(), False)}
t0 = time.perf_counter()
if kind == "xlsx":
    out = workforce_xlsx(table, side_by_side(s).to_dict(), default_parameters(), dt.date.today(), r.rejected_table("it"))
else:
    from impact.exports import csv_bytes; out = csv_bytes(table)
mark(f"export {kind} {len(out)/1e6:.0f} MB")
