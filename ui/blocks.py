"""Page blocks written once per answer and drawn again on every rerun.

Streamlit runs the whole page script on every rerun (a click, a fold, the share link), but the
worker page's answer only changes when an input does: its sentences, tables and charts depend on
the answer and the language alone. A `Blocks` takes a block's Streamlit calls the first time an
answer is shown (``out.subheader(...)``, ``out.table(...)``, with every number already written
the user's way and every table already in Arrow) and `draw` makes the same calls again on each
rerun, without formatting anything again. What must run on each rerun (a fragment, a fold that
builds its content only when opened) is kept as a call: `live` and `fold`.
"""

from __future__ import annotations

import threading
from typing import Callable

import pandas as pd
import pyarrow as pa
import streamlit as st

_COLUMNS, _LIVE = object(), object()


class Blocks:
    """Streamlit element calls kept in order: ``out.markdown(text)`` keeps ``st.markdown(text)``."""

    def __init__(self) -> None:
        self._calls: list[tuple] = []

    def __getattr__(self, element: str) -> Callable[..., None]:
        if element.startswith("_"):
            raise AttributeError(element)

        def keep(*args, **kwargs) -> None:
            self._calls.append((element, args, kwargs))
        return keep

    def columns(self, count: int, **kwargs) -> list[Blocks]:
        """`count` columns side by side, each a `Blocks` of its own."""
        children = [Blocks() for _ in range(count)]
        self._calls.append((_COLUMNS, (count, children), kwargs))
        return children

    def table(self, frame: pd.DataFrame) -> None:
        """``st.table`` of `frame` and its row labels, turned into Arrow here once instead of on every draw
        (the index shown, as Streamlit shows a frame's own index)."""
        self._calls.append(("table", (pa.Table.from_pandas(frame, preserve_index=True),), {"hide_index": False}))

    def live(self, function: Callable[..., None], *args) -> None:
        """`function(*args)` called on every draw (a fragment, a widget whose value is read)."""
        self._calls.append((_LIVE, (function, args), {}))

    def fold(self, label: str, key: str, content: Callable[[], Blocks]) -> None:
        """A folded block whose content is built (once) and drawn only while it is open."""
        self.live(_Fold(label, key, content))

    def draw(self, target=st) -> None:
        """Make the kept calls on `target` (the page, a column or a container)."""
        for element, args, kwargs in self._calls:
            if element is _COLUMNS:
                count, children = args
                for column, child in zip(target.columns(count, **kwargs), children):
                    child.draw(column)
            elif element is _LIVE:
                function, function_args = args
                if target is st:
                    function(*function_args)
                else:
                    with target:
                        function(*function_args)
            else:
                getattr(target, element)(*args, **kwargs)


class _Fold:
    """An expander that tells the server when it opens (Streamlit's stateful expander): while it is
    closed nothing inside it is built or sent; opened, its content is built once and kept."""

    def __init__(self, label: str, key: str, content: Callable[[], Blocks]) -> None:
        self.label, self.key, self._content = label, key, content
        self._built: Blocks | None = None
        self._lock = threading.Lock()

    def __call__(self) -> None:
        expander = st.expander(self.label, key=self.key, on_change="rerun")
        if not expander.open:
            return
        with self._lock:   # sessions share the answer: build its content once
            if self._built is None:
                self._built = self._content()
        self._built.draw(expander)
