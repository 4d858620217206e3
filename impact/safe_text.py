"""Text from users and files shown as text: one helper per medium (Markdown, terminal, JSON).

A roster's header or a typed town can hold Markdown (``![t](http://host/p.gif)`` becomes an
image request, a tracking pixel), terminal escapes (``ESC]0;title`` sets the window title,
``ESC[2J`` erases what was printed) or, in numbers, NaN and infinity that JSON has no word for.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# Characters Markdown (CommonMark and Streamlit's extensions: :colour[...], :emoji:, $math$) gives a
# meaning to anywhere in a line; '-', '+', '=', '.' only mean something at its start (lists, headings).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~:$^&])")
_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))")
# ANSI/VT escape sequences (CSI, OSC up to BEL or ST, two-character escapes), then any other control.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def markdown(text: Any) -> str:
    """`text` with every Markdown character escaped, so st.markdown/caption/write show it as typed."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", terminal(str(text)))
    return _LINE_START.sub(lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), escaped)


def terminal(text: Any) -> str:
    """`text` without terminal escapes or control characters (tabs and newlines become spaces)."""
    plain = _ESCAPES.sub("", str(text))
    return _CONTROLS.sub("", plain.replace("\t", " ").replace("\r", " ").replace("\n", " "))


def finite(value: Any, notes: list[str] | None = None, where: str = "") -> Any:
    """`value` with every NaN or infinite float replaced by None (JSON's null), noted in `notes`."""
    if isinstance(value, float) and not math.isfinite(value):
        if notes is not None:
            notes.append(f"{where or 'a value'} is not a finite number ({value}): written as null")
        return None
    if isinstance(value, dict):
        return {k: finite(v, notes, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v, notes, f"{where}[{i}]") for i, v in enumerate(value)]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):   # numpy scalars
        return finite(value.item(), notes, where)
    return value


def json_text(answer: dict) -> str:
    """`answer` as strict JSON: NaN and infinity become null, each with a line in answer["notes"]."""
    notes: list[str] = []
    clean = finite(answer, notes)
    if notes:
        clean["notes"] = list(clean.get("notes") or []) + notes
    return json.dumps(clean, ensure_ascii=False, allow_nan=False, default=str)
