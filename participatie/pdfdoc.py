"""The PDF documents' shared look: A4, DejaVu Sans (with Dutch characters), a page footer,
headings, paragraphs and tables with a bold header row (fpdf2).

Used by the summary's PDF and the councillor's area-progress PDF, so both look alike.
"""

from importlib import resources

from fpdf import FPDF
from fpdf.fonts import FontFace

FONT = "DejaVu"


class Document(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self.footer_text = footer_text
        fonts = resources.files("participatie") / "data" / "fonts"
        with resources.as_file(fonts / "DejaVuSans.ttf") as regular:
            self.add_font(FONT, "", str(regular))
        with resources.as_file(fonts / "DejaVuSans-Bold.ttf") as bold:
            self.add_font(FONT, "B", str(bold))
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 18, 18)

    def footer(self):
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str, size: int = 13):
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)

    def paragraph(self, text: str):
        self.set_font(FONT, "", 10)
        self.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def grid(self, header: list[str], rows: list[list], widths=None):
        """A table with a bold header row; numbers right-aligned."""
        self.set_font(FONT, "", 9)
        align = ["LEFT"] + ["RIGHT"] * (len(header) - 1)
        with self.table(
            col_widths=widths,
            text_align=align,
            headings_style=FontFace(emphasis="BOLD"),
            line_height=5.5,
            first_row_as_headings=True,
        ) as table:
            for cells in [header, *rows]:
                row = table.row()
                for cell in cells:
                    row.cell("–" if cell is None else str(cell))
        self.ln(2)
