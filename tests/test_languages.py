"""No English on the Italian faces, no Italian on the English ones (finding 8).

Each page is rendered with AppTest in each language, for towns that reach every branch (a
train home, none for the shift, over 50 km, a gain), and both PDFs are read back. The text
shown, less the proper names it quotes (comuni, offices, stations, lines, the titles of the
sources as published, web addresses), must hold no word that belongs only to the other language.
"""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from impact.model import Scenario, evaluate
from impact.params import default_parameters
from impact.places import default_gazetteer, load_sites
from impact.report import workforce_pdf, worker_pdf, worker_pdf_inputs
from impact.scenarios import by_comune, summarise
from tests.pages import open_folds

ROOT = Path(__file__).resolve().parent.parent
ON = dt.date(2026, 6, 1)
# Words that occur in one language only (checked on the other's faces).
ONLY = {
    "en": {"the", "and", "with", "of", "your", "you", "month", "months", "more", "less", "car", "train", "from",
           "for", "is", "are", "not", "which", "when", "office", "pay", "hours", "day", "days", "cost", "costs",
           "minutes", "journey", "journeys", "public", "transport", "today", "after", "road", "shift", "home",
           "moving", "rent", "rule", "about", "this", "that", "what", "how", "source", "sources", "used", "upper",
           "bound", "summary", "terminus", "average", "upload", "drag", "drop", "here", "limit"},
    "it": {"il", "lo", "gli", "della", "delle", "dello", "del", "dei", "degli", "con", "mese", "più", "meno", "che",
           "sono", "auto", "treno", "sede", "stipendio", "ore", "giorni", "costo", "costa", "oggi", "dopo", "turno",
           "casa", "affitto", "regola", "circa", "questo", "calcolato", "fonte", "fonti", "di", "al",
           "alla", "nel", "nella", "ogni", "anche", "mezzi", "pubblici", "lavoratori", "lavoratrice"},
}
PROPER_NAMES = ("TLC", "INPS", "NASpI", "ISTAT", "CCNL", "GTT", "SFM", "ACI", "IRPEF", "TUIR", "openrouteservice")


def _names() -> list[str]:
    """Proper names and quoted titles a page may show in any language, longest first."""
    names = [p.name for p in default_gazetteer().places] + [p.label for p in default_gazetteer().places]
    for site in load_sites().values():
        names += [site.name, getattr(site, "address", "") or ""]
    for file, column in (("stations.csv", "name"), ("lines.csv", "name")):
        path = ROOT / "data" / "transit" / file
        if path.exists():
            with path.open(encoding="utf-8") as f:
                names += [row[column] for row in csv.DictReader(f) if row.get(column)]
    for parameter in default_parameters():
        names += [v.source.title for v in parameter.values]
        names.append(parameter.path)   # a parameter's identifier, shown where a figure rests on it
    names += ["Strada del Drosso", "Porta Nuova", "Porta Susa", *PROPER_NAMES]
    return sorted({" ".join(n.split()) for n in names if n and len(n) > 2}, key=len, reverse=True)


NAMES = _names()


def foreign_words(text: str, lang: str) -> set[str]:
    """Words of the other language left in `text` once names, titles and addresses are taken out."""
    # a web address a PDF wrapped mid-word: its next line goes on with the address's own punctuation
    text = re.sub(r"(https?://\S+)\n(\S*[./=?&_-]\S*)", r"\1\2", text)
    # links, and any word with a slash (a web address wrapped over two lines of a PDF)
    text = " ".join(re.sub(r"https?://\S+|\[[^\]]*\]\([^)]*\)|\S*/\S*", " ", text).split())
    for name in NAMES:
        if name in text:
            text = text.replace(name, " ")
    words = set(re.findall(r"[a-zàèéìòù]+", text.lower()))
    other = "en" if lang == "it" else "it"
    return words & ONLY[other]


def page_text(at: AppTest) -> str:
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "warning", "info", "success", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [e.label for e in at.expander]
    parts += [w.label for w in [*at.button, *at.text_input, *at.number_input, *at.selectbox, *at.radio,
                                *at.checkbox, *at.time_input]]
    for table in [*at.table, *at.dataframe]:
        frame = table.value
        parts += [" ".join(map(str, frame.columns)), " ".join(map(str, frame.index))]
        parts += [" ".join(map(str, row)) for row in frame.astype(str).itertuples(index=False)]
    return "\n".join(parts)


WORKER_CASES = [("Strambino (TO)", "ivrea", 4), ("Pont-Saint-Martin (AO)", "ivrea", 6),
                ("Nizza Monferrato (AT)", "asti", 8), ("Torino (TO)", "ivrea", 6)]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_worker_page_speaks_one_language(lang):
    at = open_folds(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90))   # the folded text too
    at.session_state["lang"] = lang   # chosen before the first run, as a returning visitor's would be
    at.run()
    found = {}
    for town, site, hours in WORKER_CASES:
        at.radio(key="site").set_value(site)
        at.segmented_control(key="hours").set_value(hours)
        at.selectbox(key="town").set_value(town).run()
        assert not at.exception, at.exception
        shown = page_text(at)
        assert {"it": "Come è calcolato", "en": "How it is computed"}[lang] in shown   # the whole answer is there
        words = foreign_words(shown, lang)
        if words:
            found[town] = sorted(words)
    assert found == {}


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_union_page_speaks_one_language(lang):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang   # chosen before the first run, as a returning visitor's would be
    at.run()
    at.switch_page("ui/union_page.py").run()
    at.radio(key="union_source").set_value("model").run()
    assert not at.exception, at.exception
    shown = page_text(at)
    assert {"it": "Lavoratori", "en": "Workers"}[lang] in shown and len(shown) > 2000
    assert foreign_words(shown, lang) == set()


@pytest.mark.parametrize("lang", ["it", "en"])
def test_both_pdfs_speak_one_language(lang):
    params, places, sites = default_parameters(), default_gazetteer(), load_sites()
    found = {}
    for town, site, hours in WORKER_CASES:
        place = places.resolve(town)
        worker = pd.DataFrame([{"home_istat": place.istat, "site": site, "hours_per_day": hours, "days_per_week": 5}])
        row = evaluate(worker, Scenario(), params, ON, places, sites).iloc[0]
        data = worker_pdf(row.to_dict(), worker_pdf_inputs(place.label, sites[site].name, hours, 5, None, None, lang),
                          params, ON, lang)
        words = foreign_words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages), lang)
        if words:
            found[town] = sorted(words)
    workers = pd.DataFrame({"home_istat": [places.resolve(t).istat for t, _, _ in WORKER_CASES],
                            "site": [s for _, s, _ in WORKER_CASES], "hours_per_day": [h for _, _, h in WORKER_CASES],
                            "days_per_week": 5})
    results = evaluate(workers, Scenario(), params, ON, places, sites)
    table = by_comune(results, workers, {p.istat: p.name for p in places.places})
    union = workforce_pdf({"A": summarise(results, Scenario())}, results, table, params, ON, lang)
    words = foreign_words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(union)).pages), lang)
    if words:
        found["union"] = sorted(words)
    assert found == {}
