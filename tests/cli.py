"""The command line run in-process through `main(argv)`, as a subprocess would see it.

A subprocess costs 1.5-2 s of imports per call; in-process the data are loaded once per test
session. `tests/test_journey.py::test_smoke_as_a_command` keeps one real ``python -m impact``
run, so the entry point itself stays tested.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Variables that change what the command does: unset unless a test gives them, as in a clean shell.
ISOLATED = ("ORS_API_KEY", "ORS_BASE_URL", "IMPACT_CACHE_DIR", "IMPACT_APP_URL")


@dataclass(frozen=True)
class Completed:
    """What `subprocess.run(..., capture_output=True, text=True)` would have returned."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(env: dict[str, str] | None):
    saved = {name: os.environ.get(name) for name in {*ISOLATED, *(env or {})}}
    try:
        for name in ISOLATED:
            os.environ.pop(name, None)
        os.environ.update(env or {})
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_cli(*args: str, env: dict[str, str] | None = None, main: Callable[[list[str]], int] | None = None) -> Completed:
    """``python -m impact ARGS`` in this process (from the repository's folder): exit code, stdout, stderr.

    `main` is another entry point taking argv (e.g. `impact.roster_cli.main`); argparse's own
    exits (a bad option: 2) are returned as codes, as a process would exit.
    """
    if main is None:
        from impact.__main__ import main
    out, err = io.StringIO(), io.StringIO()
    with _environment(env), contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            if isinstance(exc.code, str):
                err.write(exc.code + "\n")
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Completed(int(code), out.getvalue(), err.getvalue())
