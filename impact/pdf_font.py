"""A PDF page with a font that has the euro sign, for the evidence pack and the notice sheet.

fpdf2's core fonts are Latin-1 only (no €): DejaVu Sans, committed in data/fonts with its
licence (data/SOURCES.md), is embedded, as in the one-page PDFs of impact/report.py.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from impact.params import DATA_DIR

FONT_DIR = DATA_DIR / "fonts"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}


class Page(FPDF):
    """A4 portrait page; `text_line`, `table_row` and `plain` write Unicode text with the best font there is."""

    def __init__(self, orientation: str = "P") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        for style, path in FONT_FILES.items():
            self.add_font("DejaVu", style, str(path))
        self.family_name = "DejaVu"
        self.set_margins(14, 12, 14)
        self.set_auto_page_break(auto=True, margin=14)
        self.add_page()

    @staticmethod
    def plain(text) -> str:
        """The text as written (the embedded font has every character the app writes)."""
        return str(text)

    def style(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)

    def text_line(self, text: str, size: float = 10, bold: bool = False, height: float | None = None) -> None:
        self.style(size, bold)
        self.multi_cell(0, height or size * 0.5, self.plain(text), align="L", new_x="LMARGIN", new_y="NEXT")

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
