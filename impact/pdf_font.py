"""The one A4 page every PDF of the app is written on, with a font that has the euro sign.

fpdf2's core fonts are Latin-1 only (no €): DejaVu Sans, committed in data/fonts with its
licence (data/SOURCES.md), is embedded. The one-page PDFs (impact/report.py), the evidence
pack and the notice sheet all use `Page`; only their margins and line height differ.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from impact.params import DATA_DIR

FONT_DIR = DATA_DIR / "fonts"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}


class Page(FPDF):
    """A4 portrait page; `text_line`, `table_row` and `plain` write Unicode text with the best font there is."""

    def __init__(self, orientation: str = "P", margins: tuple[float, float, float] = (14, 12, 14),
                 bottom: float = 14, line_height: float | None = None) -> None:
        """`margins` (left, top, right) and `bottom` [mm]; `line_height` [mm] of a text line, or half
        the font size when None."""
        super().__init__(orientation=orientation, unit="mm", format="A4")
        for style, path in FONT_FILES.items():
            self.add_font("DejaVu", style, str(path))
        self.family_name = "DejaVu"
        self.line_height = line_height
        self.set_margins(*margins)
        # A page break rather than text cut off at the bottom, should a long list of sources need one.
        self.set_auto_page_break(auto=True, margin=bottom)
        self.add_page()

    @staticmethod
    def plain(text) -> str:
        """The text as written (the embedded font has every character the app writes)."""
        return str(text)

    def style(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)

    def text_line(self, text: str, size: float = 10, bold: bool = False, height: float | None = None) -> None:
        self.style(size, bold)
        self.multi_cell(0, height or self.line_height or size * 0.5, self.plain(text), align="L", new_x="LMARGIN",
                        new_y="NEXT")

    def row(self, cells: list[str], widths: list[float], bold: bool = False, size: float = 9,
            height: float = 6) -> None:
        """One row of bordered cells of fixed `height` [mm] (short text: a figure, a label)."""
        self.style(size, bold)
        for text, width in zip(cells, widths):
            self.cell(width, height, self.plain(text), border=1)
        self.ln(height)

    def grid(self, rows: list[list[str]], widths: list[float], size: float = 8.5, header: bool = True) -> None:
        """A bordered table, the first row in bold when `header`; long text wraps inside its cell."""
        self.style(size)
        with self.table(col_widths=widths, width=sum(widths), text_align="LEFT", first_row_as_headings=header,
                        line_height=size * 0.5, align="LEFT",
                        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235))) as table:
            for cells in rows:
                row = table.row()
                for cell in cells:
                    row.cell(self.plain(cell))
        self.ln(1.5)
