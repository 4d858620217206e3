"""The worker page's rerun against a bare Streamlit page with the same widgets, side by side with AppTest.

Run: .venv/bin/python bench/bench_page.py [--json]   (target: ratio at most 1.5)

Both pages run in the same process, the same AppTest and the same way: one app with the
language switch and the page navigation, a home town chosen (Strambino, 6 h), warmed up, then
timed reruns, alternating between the two pages so that the machine's load falls on both alike.
Two kinds of rerun are timed, each the median of its repeats:

    same inputs   a rerun in which nothing the answer depends on changed (a button, a fold,
                  the share link): what the page costs when it only has to draw itself again
    new input     the fuel price typed anew each time (a value never seen before): a fresh
                  evaluate(), fresh charts

Wall time is the figure; the process's CPU time (both pages run in this one process) is printed
beside it, as it is less moved by other work on a shared machine.

The bare page draws the worker page's widgets (the same kinds, options, keys and defaults: the
inputs, the wear switch, the share button, the seven download buttons drawn with an answer and
the answer's five stateful folds, closed) and nothing else: it is the floor that Streamlit itself
costs for those widgets.

AppTest makes a new script cache for every run, so on its own it compiles each page's source
again at every rerun (4 ms for the worker page); a server compiles a page once and keeps the
bytecode. Both pages here share one script cache, as they would on a server.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test  # noqa: E402

_SCRIPT_CACHE = ScriptCache()
app_test.ScriptCache = lambda: _SCRIPT_CACHE   # one per server, as the runtime keeps it

BARE_PAGE = '''
import datetime as dt
import streamlit as st
from ui.common import sites, town_labels

st.title("Quanto ti costa il trasferimento")
st.selectbox("Comune", town_labels(), index=None, key="town", accept_new_options=True)
closing = [s.id for s in sites().values() if not s.is_destination]
st.radio("Sede", closing, horizontal=True, key="site", format_func=lambda s: sites()[s].name)
st.segmented_control("Ore", [4, 5, 6, 7, 8], default=6, key="hours", required=True)
with st.expander("Altro"):
    st.number_input("Giorni", min_value=1, max_value=6, value=5, step=1, key="days")
    left, right = st.columns(2)
    left.time_input("Inizio", value=dt.time(9, 0), step=900, key="shift_start")
    right.time_input("Fine", value=dt.time(15, 0), step=900, key="shift_end_6")
    st.text_input("Netto", key="net_pay", value="")
    st.radio("Modo", ["best", "car", "transit"], horizontal=True, key="mode")
    st.checkbox("Auto", value=True, key="has_car")
    st.text_input("Benzina", key="fuel", value="1,802")
    st.text_input("Consumo", key="l100", value="7,5")
    st.checkbox("Autostrada", value=True, key="motorway")
    st.text_input("Pedaggi", key="tolls", value="")
    st.checkbox("Seconda auto", value=False, key="second_car")
    st.number_input("Famiglia", min_value=1, max_value=8, value=2, step=1, key="household")
    st.text_input("Casa", key="housing_now", value="")
    st.number_input("Figli", min_value=0, max_value=6, value=0, step=1, key="children")
st.download_button("dati", b"", file_name="giornata.csv", key="data-giornata", on_click="ignore")
st.toggle("Usura", value=False, key="chart_wear")
st.download_button("dati", b"", file_name="costi.csv", key="data-costi", on_click="ignore")
st.download_button("dati", b"", file_name="parte.csv", key="data-parte-della-paga", on_click="ignore")
for fold in ("rides", "assumed", "shift", "inps", "trace"):   # the answer's folds: stateful expanders
    st.expander(fold, key=f"fold-{fold}", on_change="rerun")
st.button("Link")
st.download_button("PDF", b"", file_name="x.pdf", on_click="ignore")
st.download_button("Prova", b"", file_name="y.pdf", on_click="ignore")
st.download_button("dati", b"", file_name="mappa.csv", key="data-mappa", on_click="ignore")
st.download_button("Salva", b"", file_name="caso.json", key="save-case", on_click="ignore")
st.file_uploader("Caso", type=["json"], key="case_file")
'''

BARE_APP = '''
import streamlit as st
from ui import common
common.language_picker()
st.navigation([st.Page("bare_page.py", title="Tragitto", url_path="tragitto", default=True)], position="top").run()
'''


def _timed(at: AppTest, change=None) -> tuple[float, float]:
    """Seconds of wall time and of the process's CPU time (all threads) that one run takes."""
    if change is not None:
        change(at)
    start, cpu = time.perf_counter(), time.process_time()
    at.run()
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    assert not at.exception, at.exception
    return elapsed


def _fuel(at: AppTest, counter: list[int]) -> None:
    counter[0] += 1
    at.text_input(key="fuel").input(f"1,{600 + counter[0]}")


def main() -> None:
    as_json = "--json" in sys.argv
    os.chdir(ROOT)   # the app's .streamlit/config.toml applies to both pages
    repeats = 15
    with tempfile.TemporaryDirectory() as folder:
        bare_dir = Path(folder)
        (bare_dir / "bare_page.py").write_text(BARE_PAGE, encoding="utf-8")
        (bare_dir / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
        pages = {"worker": AppTest.from_file(str(ROOT / "app.py"), default_timeout=120),
                 "bare": AppTest.from_file(str(bare_dir / "bare_app.py"), default_timeout=120)}
        counters = {name: [0] for name in pages}
        for name, at in pages.items():
            at.run()
            at.selectbox(key="town").set_value("Strambino (TO)").run()
            for _ in range(3):   # warm-up: imports, the tables, Streamlit's own caches
                _timed(at, lambda a, n=name: _fuel(a, counters[n]))
                _timed(at)
        times = {(name, kind): [] for name in pages for kind in ("same", "new")}
        for _ in range(repeats):
            for name, at in pages.items():
                times[(name, "same")].append(_timed(at))
                times[(name, "new")].append(_timed(at, lambda a, n=name: _fuel(a, counters[n])))
    figures = {}
    for clock, suffix in ((0, "ms"), (1, "cpu_ms")):
        median = {key: statistics.median(v[clock] for v in values) * 1e3 for key, values in times.items()}
        for name, kind in (("worker", "same"), ("bare", "same"), ("worker", "new"), ("bare", "new")):
            figures[f"{name}_{kind}_{suffix}"] = median[(name, kind)]
    for clock in ("", "_cpu"):
        for kind in ("same", "new"):
            figures[f"ratio_{kind}{clock}"] = (figures[f"worker_{kind}{clock or ''}_ms"]
                                               / figures[f"bare_{kind}{clock or ''}_ms"])
    if as_json:
        print(json.dumps({k: round(v, 2) for k, v in figures.items()}))
        return
    print(f"worker page rerun against a bare page with the same widgets (AppTest, median of {repeats}):")
    print(f"  same inputs: worker {figures['worker_same_ms']:6.1f} ms, bare {figures['bare_same_ms']:6.1f} ms, "
          f"ratio {figures['ratio_same']:4.2f}x (target 1.5x)")
    print(f"  new input  : worker {figures['worker_new_ms']:6.1f} ms, bare {figures['bare_new_ms']:6.1f} ms, "
          f"ratio {figures['ratio_new']:4.2f}x")
    print(f"  CPU time   : same inputs {figures['ratio_same_cpu']:4.2f}x "
          f"({figures['worker_same_cpu_ms']:.1f} vs {figures['bare_same_cpu_ms']:.1f} ms), new input "
          f"{figures['ratio_new_cpu']:4.2f}x (steadier than wall time on a shared machine)")


if __name__ == "__main__":
    main()
