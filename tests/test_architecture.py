"""The model never depends on the user interface; the pages stay thin."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_impact_never_imports_streamlit_or_ui():
    files = list((ROOT / "impact").rglob("*.py"))
    assert files
    for path in files:
        assert not imported_modules(path) & {"streamlit", "ui"}, path


# --------------------------------------------------------------------------- thin pages (issue 15)

PIPELINE_STEPS = {"apply_site_levers", "transfer_allowance", "summarise"}
# Session stores that are not widgets: what a box or a lever last held while not drawn, a link read
# once per session, a callback's message (a callback cannot draw).
SESSION_STORES = {"kept_numbers", "kept_levers", "link_restored", "case_message"}


def _key_text(node: ast.AST) -> str:
    return node.value if isinstance(node, ast.Constant) else ast.unparse(node)


def test_the_faces_run_a_scenario_through_the_one_pipeline():
    """The union page and `roster --scenario` call `impact.scenario_run.run_scenario`, not its steps."""
    faces = [*sorted((ROOT / "ui").glob("*.py")), ROOT / "impact" / "roster_cli.py"]
    for path in faces:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and node.module == "impact.scenarios" for alias in node.names}
        assert not imported & PIPELINE_STEPS, (path.name, imported & PIPELINE_STEPS)
    for path in (ROOT / "ui" / "union_page.py", ROOT / "impact" / "roster_cli.py"):
        assert "run_scenario(" in path.read_text(encoding="utf-8"), path.name


def test_no_session_state_carries_a_result_between_blocks():
    """A page block returns what it computed; session_state holds widgets' values and the stores above.

    Checked: every `st.session_state[<text or f-string>] = ...` in ui/ names a widget's key (set before
    the widget is drawn) or one of SESSION_STORES. A key held in a variable is a widget key passed in.
    """
    widget_keys, written = set(), {}
    for path in sorted((ROOT / "ui").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                widget_keys.update(_key_text(k.value) for k in node.keywords if k.arg == "key")
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if (isinstance(target, ast.Subscript) and ast.unparse(target.value) == "st.session_state"
                            and not isinstance(target.slice, ast.Name)):
                        written.setdefault(_key_text(target.slice), path.name)
    assert written, "the check sees the pages' writes"
    assert {key: name for key, name in written.items() if key not in widget_keys | SESSION_STORES} == {}
