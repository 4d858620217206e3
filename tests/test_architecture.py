"""The model never depends on the user interface."""

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
