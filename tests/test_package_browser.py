"""Issue 16 in a real browser: the saved case round trip, the evidence pack, the link's version, the union blocks."""

import json

import pytest
from pypdf import PdfReader

from impact.version import parameters_version
from tests.conftest import ARTIFACTS
from tests.test_browser import idle, open_page

playwright_api = pytest.importorskip("playwright.sync_api")
LINK = "/?comune=001269&sede=ivrea&ore=4"


def block_shot(page, text: str, name: str) -> None:
    """A screenshot of the page around the block that holds `text`."""
    target = page.get_by_text(text).first
    target.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.mark.parametrize("width, height, name", [(1280, 800, "desktop"), (390, 844, "phone")])
def test_saved_case_round_trip_and_evidence(server, browser, width, height, name, tmp_path):
    expect = playwright_api.expect
    page = open_page(browser, f"{server}{LINK}&v={parameters_version()}", width, height)
    idle(page)
    expect(page.get_by_text("Il tuo caso")).to_be_visible()
    assert page.get_by_text("versione dei parametri").count() == 0   # made under today's version
    with page.expect_download() as saved:
        page.get_by_role("button", name="Salva il mio caso (JSON)").click()
    case = json.loads(open(saved.value.path(), encoding="utf-8").read())
    assert case["home_istat"] == "001269" and case["site"] == "ivrea" and case["hours_per_day"] == 4
    assert "net_monthly_eur" not in case and case["shift_start"] == "09:00"   # pay not typed: not saved
    assert not {"name", "nome", "address", "indirizzo"} & set(case)
    block_shot(page, "Il tuo caso", f"package-case-it-{name}")
    with page.expect_download() as evidence:
        page.get_by_role("button", name="Prova per la NASpI (PDF)").click()
    text = " ".join(p.extract_text() for p in PdfReader(evidence.value.path()).pages)
    assert "Prova del tragitto" in text and "Strambino" in text and parameters_version() in text
    page.close()

    # A fresh page: open the saved case and get the same inputs back.
    path = tmp_path / "caso.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    page = open_page(browser, server, width, height)
    idle(page)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    idle(page)
    expect(page.get_by_text("Caso riaperto: Strambino (TO)")).to_be_visible()
    expect(page.get_by_text("Strambino (TO)").first).to_be_visible()
    block_shot(page, "Caso riaperto", f"package-case-loaded-it-{name}")
    page.close()


def test_a_link_from_another_version_says_so(server, browser):
    page = open_page(browser, f"{server}{LINK}&v=0123456789ab", 390, 844)
    idle(page)
    playwright_api.expect(page.get_by_text("versione dei parametri che questa app non conosce")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "package-link-version-it-phone.png"))
    page.close()


@pytest.mark.parametrize("width, height, name", [(1280, 800, "desktop"), (390, 844, "phone")])
def test_union_cases_horizon_and_notice_sheet(server, browser, width, height, name, tmp_path):
    expect = playwright_api.expect
    files = []
    for i, (istat, site, hours) in enumerate((("001269", "ivrea", 4), ("005080", "asti", 6), ("001125", "ivrea", 6))):
        path = tmp_path / f"caso{i}.json"
        path.write_text(json.dumps({"format": "konecta-commute-case", "format_version": 1, "home_istat": istat,
                                    "site": site, "hours_per_day": hours, "days_per_week": 5, "has_car": True,
                                    "uses_motorway": True, "second_car": False}), encoding="utf-8")
        files.append(str(path))
    bad = tmp_path / "altro.json"
    bad.write_text("{}", encoding="utf-8")
    page = open_page(browser, f"{server}/scenari", width, height)
    idle(page)
    page.get_by_test_id("stRadioGroup").get_by_text("File dei casi dei lavoratori").click()
    idle(page)
    # The cases' uploader takes JSON: waiting for it, not for any uploader, avoids racing the rerun.
    page.locator("[data-testid=stFileUploaderDropzoneInput][accept*='json']").set_input_files([*files, str(bad)])
    idle(page)
    expect(page.get_by_text("altro.json").first).to_be_visible()
    expect(page.get_by_text("Il pacchetto nel tempo").first).to_be_visible()
    page.locator("[data-testid=stVegaLiteChart]").first.wait_for()
    block_shot(page, "Il pacchetto nel tempo", f"package-horizon-it-{name}")
    with page.expect_download() as sheet:
        page.get_by_role("button", name="Foglio per la bacheca (PDF)").click()
    reader = PdfReader(sheet.value.path())
    assert "sede di Ivrea" in reader.pages[0].extract_text()
    page.close()


def test_union_horizon_in_english(server, browser):
    page = open_page(browser, f"{server}/scenari", 1280, 800)
    idle(page)
    page.get_by_text("English").first.click()
    idle(page)
    page.get_by_test_id("stRadioGroup").get_by_text("Modelled workforce").click()
    idle(page)
    playwright_api.expect(page.get_by_text("The package over time").first).to_be_visible()
    page.locator("[data-testid=stVegaLiteChart]").first.wait_for()
    block_shot(page, "The package over time", "package-horizon-en-desktop")
    page.close()


def test_the_union_workbook_holds_the_figures_the_page_shows(server, browser):
    """The workbook and the PDF are built on click from the page's own rows (the workbook keyed on every
    row of the workers, their results and the rejected rows): their figures are the page's. Before this
    test the workbook's horizon sheet failed on the write-only workbook and no workbook was ever sent."""
    import io

    from openpyxl import load_workbook

    page = open_page(browser, f"{server}/scenari", 1280, 800)
    idle(page)
    page.get_by_test_id("stRadioGroup").get_by_text("Forza lavoro modellata").click()
    idle(page)
    shown = page.get_by_test_id("stTable").first.inner_text()
    with page.expect_download() as saved:
        page.get_by_role("button", name="Scarica la cartella Excel").click()
    book = load_workbook(io.BytesIO(open(saved.value.path(), "rb").read()), read_only=True)
    summary = {row[0]: row[1:] for row in book["Riepilogo"].iter_rows(values_only=True)}
    assert summary["Lavoratori"][0] == 1112 and "1.112" in shown
    assert f"{summary['Che ci rimettono'][0]:,}".replace(",", ".") in shown
    assert len(list(book["Lavoratori"].iter_rows(values_only=True))) == 1 + 1112
    # The table's PDF, built on click too, carries the package over time.
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Scarica il quadro in PDF").click()
    text = " ".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
    assert "1.112" in text and "Il pacchetto nel tempo" in text
    # Every chart's and the map's data, made on click: each is a table with a header and rows.
    buttons = page.get_by_role("button", name="dati (CSV)")
    playwright_api.expect(buttons).to_have_count(3)   # the distribution, the thresholds, the map
    for i in range(3):
        with page.expect_download() as data:
            buttons.nth(i).click()
        lines = open(data.value.path(), encoding="utf-8-sig").read().splitlines()
        assert len(lines) >= 2 and ";" in lines[0], data.value.suggested_filename
    page.close()


def test_the_english_worker_page_sends_english_files(server, browser):
    """Every file of the worker's answer is made on click in the view's language: the charts' data with
    English headers and the summary PDF in English."""
    from tests.test_browser import pick_town

    page = open_page(browser, server, 1280, 800)
    idle(page)
    page.get_by_text("English", exact=True).click()
    idle(page)
    pick_town(page, "Strambino", "Strambino (TO)", label="Your town (name or postcode)")
    buttons = page.get_by_role("button", name="data (CSV)")
    playwright_api.expect(buttons).to_have_count(3)   # the day, the money and the share of pay
    for i in range(3):
        with page.expect_download() as data:
            buttons.nth(i).click()
        lines = open(data.value.path(), encoding="utf-8-sig").read().splitlines()
        assert len(lines) >= 2, data.value.suggested_filename
        assert lines[0].split(",")[0] in ("way and period", "way"), lines[0]   # "modo e periodo" in Italian
    with page.expect_download() as summary:
        page.get_by_role("button", name="Download the summary as PDF").click()
    text = " ".join(p.extract_text() for p in PdfReader(summary.value.path()).pages)
    assert "Strambino" in text and "Scarica" not in text and "stipendio" not in text
    page.close()
