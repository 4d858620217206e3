"""Odd input on the pages (issue 14, findings 3, 5, 7, 8): no traceback, text shown as text, links that behave."""

from pathlib import Path

import pytest
import streamlit.elements.lib.policies as policies
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MESSY = ROOT / "tests" / "data" / "rosters" / "messy_it.csv"
HOSTILE_HEADER = "Note ![t](http://host/p.gif) [Scarica il modello](http://host/x) **X**"


def union_page(**link) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("ui/union_page.py")
    for key, value in link.items():
        at.query_params[key] = value
    at.run()
    at.radio(key="union_source").set_value("model").run()
    return at


@pytest.mark.parametrize("value", ["abc", "0x10", "nan", "1e400", "99"])
def test_a_hand_edited_share_link_never_shows_a_traceback(value):
    at = union_page(a_smart=value, b_pass=value)
    assert not at.exception, at.exception
    # Left out, not guessed into range: the levers start as today (shown the Italian way).
    assert at.text_input(key="a_smart").value == "0,0" and at.text_input(key="b_pass").value == "0,00"
    captions = "\n".join(c.value for c in at.caption)
    assert "è stato tralasciato" in captions
    assert at.table, "the figures are shown"


def test_a_good_share_link_still_sets_the_levers():
    at = union_page(a_smart="1.5", b_pass="0.5")
    assert not at.exception
    assert at.text_input(key="a_smart").value == "1,5" and at.text_input(key="b_pass").value == "0,50"


def test_a_roster_header_is_shown_as_text_not_markdown():
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("ui/union_page.py").run()
    data = (f"Comune;Sede;Ore al giorno;Giorni a settimana;{HOSTILE_HEADER}\nIvrea;Ivrea;6;5;x\n").encode()
    at.file_uploader(key="roster_file").set_value(("r.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    caption = next(c.value for c in at.caption if "Note" in c.value)
    # Every Markdown character is escaped: no image, no link, no bold survives into the rendering.
    assert "![t](" not in caption and "](http" not in caption and "**X**" not in caption
    assert r"\!\[t\]\(http" in caption


def worker_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


@pytest.mark.parametrize("text", [HOSTILE_HEADER, "**Ivr** [x](http://host/x)", "<img src=x onerror=alert(1)>",
                                  "`code` _it_ ~~s~~ # h", "a\\*b\\* <b>x</b>", "1. list\n- item | t |"])
def test_escaped_text_renders_as_the_same_text(text):
    """The escaping helper, through a CommonMark renderer: no image, link, emphasis or HTML survives.

    (The worker page's town box takes free text, which AppTest cannot type into a selectbox:
    its warning uses this same helper.)
    """
    from markdown_it import MarkdownIt

    from impact.safe_text import markdown

    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(markdown(text))
    for tag in ("<img", "<a ", "<strong>", "<em>", "<code>", "<h1>", "<ol>", "<ul>", "<del>", "<b>", "<table"):
        assert tag not in html, (text, html)


@pytest.mark.parametrize("pay", [0.0, 1.0])
def test_a_pay_of_0_or_1_is_refused_in_words(pay):
    at = worker_page()
    at.selectbox(key="town").set_value("Strambino (TO)").run()
    at.text_input(key="net_pay").input(f"{pay:g}").run()
    assert not at.exception
    assert any("tra 150 e 5.000" in e.value for e in at.error)
    # No "∞ %" nor "11.400 %": the refused figure is not used (the page says the default pay stands).
    assert not [m for m in at.metric if "∞" in m.value or "11.400" in m.value]


def test_a_link_made_later_does_not_undo_the_next_change_of_office():
    at = worker_page()
    at.selectbox(key="town").set_value("Strambino (TO)").run()
    share = next(b for b in at.button if "link" in b.label.lower())
    share.click().run()
    assert at.query_params["sede"] == ["ivrea"] or at.query_params["sede"] == "ivrea"
    at.radio(key="site").set_value("asti").run()
    assert at.radio(key="site").value == "asti"


def test_a_link_with_hours_sets_them_without_a_session_state_warning(monkeypatch):
    warned = []
    original = policies.check_session_state_rules

    def spy(default_value, key, writes_allowed=True):
        from streamlit.runtime.state import get_session_state
        if key == "hours" and default_value is not None and get_session_state().is_new_state_value(key):
            warned.append(default_value)
        return original(default_value, key, writes_allowed)

    monkeypatch.setattr(policies, "check_session_state_rules", spy)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"comune": "001269", "sede": "asti", "ore": "4"})
    at.run()
    assert not at.exception
    assert at.segmented_control(key="hours").value == 4 and at.radio(key="site").value == "asti"
    assert warned == []
