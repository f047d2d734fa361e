"""The letters with voting codes (PDF, one a page) and the list for a mailing house (CSV).

Both are made from the plain codes right after they are generated, in the
same request or command: nothing of them is kept on the server. An address
list, when given, is read here, used for the letters and the CSV, and then
forgotten; the database never links an address to a code.

Letters are in Dutch, the language of the municipality's residents. Each has
the municipality's name and colour (``MUNICIPALITY_NAME``,
``THEME_BRAND_COLOR``), the code, a QR code of the process address with the
code (``<PUBLIC_URL>/processen/<slug>/stemcode?code=…``), and the day the
voting closes.
"""

import csv
import io
from dataclasses import dataclass
from dataclasses import field
from importlib import resources

import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf import FPDF

from participatie.core.accounts.register import parse_address
from participatie.core.areas.models import Area
from participatie.core.areas.queries import descendant_ids
from participatie.extensions import db

FONT = "DejaVu"
MAX_ADDRESSES = 100_000


@dataclass
class Address:
    postcode: str
    house_number: int
    addition: str = ""
    buurt_code: str = ""

    def line(self) -> str:
        number = f"{self.house_number}{('-' + self.addition) if self.addition else ''}"
        return f"{self.postcode[:4]} {self.postcode[4:]} · {number}"


@dataclass
class AddressList:
    addresses: list[Address] = field(default_factory=list)
    problems: list = field(default_factory=list)  # (line number, message)


def read_addresses(text: str, process) -> AddressList:
    """The addresses of a CSV (``postcode;huisnummer;toevoeging;buurtcode``, header row).

    Every wrong row is reported; a list with any problem is not used at all.
    """
    result = AddressList()
    lines = text.splitlines()
    if not lines:
        result.problems.append((0, _l("The file has no addresses.")))
        return result
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error as error:
        result.problems.append((0, _l("The file is not valid CSV: %(error)s", error=str(error))))
        return result
    header = [cell.strip().lower() for cell in rows[0]]
    if header[:2] != ["postcode", "huisnummer"]:
        result.problems.append(
            (1, _l("The first row must be: postcode;huisnummer;toevoeging;buurtcode."))
        )
        return result
    allowed = set(
        db.session.scalars(
            sa.select(Area.code).where(
                Area.level == "buurt", Area.id.in_(descendant_ids(process.area))
            )
        )
    )
    seen = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            result.problems.append(
                (line, _l("A row needs at least a postcode and a house number."))
            )
            continue
        parsed = parse_address(row[0], row[1], row[2] if len(row) > 2 else "")
        if not isinstance(parsed, tuple):
            result.problems.append((line, parsed))
            continue
        buurt = row[3].strip() if len(row) > 3 else ""
        if buurt and buurt not in allowed:
            result.problems.append(
                (line, _l("Buurt code %(code)s is not a buurt of this process's area.", code=buurt))
            )
            continue
        if parsed in seen:
            result.problems.append((line, _l("This address is in the file twice.")))
            continue
        seen.add(parsed)
        result.addresses.append(Address(*parsed, buurt_code=buurt))
    if not result.addresses and not result.problems:
        result.problems.append((0, _l("The file has no addresses.")))
    if len(result.addresses) > MAX_ADDRESSES:
        result.problems.append((0, _l("At most 100,000 addresses at a time.")))
    return result


def code_url(process, code: str) -> str:
    """The address in the QR code: the process's code page with the code filled in."""
    base = current_app.config["PUBLIC_URL"]
    return f"{base}/processen/{process.slug}/stemcode?code={code}"


def closing(process):
    """When taking part with a code ends: the end of the last phase a code rule covers."""
    from participatie.core.accounts.verification import rule_for

    ends = [
        phase.ends_at
        for phase in process.phases
        if any("code" in rule_for(process, action).who for action in phase.actions)
    ]
    return max(ends) if ends else None


def mailing_csv(codes: list[str], addresses: list[Address] | None) -> bytes:
    """UTF-8, ``;``, a header row, the code as printed in the first column."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if addresses:
        writer.writerow(["stemcode", "postcode", "huisnummer", "toevoeging", "buurtcode"])
        for code, address in zip(codes, addresses, strict=True):
            writer.writerow(
                [code, address.postcode, address.house_number, address.addition, address.buurt_code]
            )
    else:
        writer.writerow(["stemcode"])
        for code in codes:
            writer.writerow([code])
    return out.getvalue().encode("utf-8")


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    try:
        return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return (21, 66, 115)


def qr_png(payload: str) -> io.BytesIO:
    out = io.BytesIO()
    segno.make_qr(payload, error="m").save(out, kind="png", scale=8, border=4)
    out.seek(0)
    return out


def letters_pdf(process, codes: list[str], addresses: list[Address] | None = None) -> bytes:
    """One letter a page, in Dutch."""
    config = current_app.config
    gemeente = config.get("MUNICIPALITY_NAME") or _municipality_name(process)
    colour = _rgb(config.get("THEME_BRAND_COLOR") or "#154273")
    contrast = _rgb(config.get("THEME_BRAND_CONTRAST") or "#ffffff")
    with force_locale("nl"):
        ends = closing(process)
        closes = format_datetime(ends, "EEEE d MMMM y 'om' HH:mm") if ends else None
        pdf = FPDF(format="A4")
        fonts = resources.files("participatie") / "data" / "fonts"
        with resources.as_file(fonts / "DejaVuSans.ttf") as regular:
            pdf.add_font(FONT, "", str(regular))
        with resources.as_file(fonts / "DejaVuSans-Bold.ttf") as bold:
            pdf.add_font(FONT, "B", str(bold))
        pdf.set_auto_page_break(False)
        pdf.set_margins(20, 20, 20)
        pdf.set_title(_("Your voting code: %(title)s", title=process.title))
        pdf.set_author(gemeente)
        pdf.set_creator("Participatie")
        for index, code in enumerate(codes):
            address = addresses[index] if addresses else None
            _letter(pdf, process, code, address, gemeente, colour, contrast, closes)
    return bytes(pdf.output())


def _municipality_name(process) -> str:
    area = process.area
    while area is not None and area.level != "gemeente":
        area = area.parent
    return area.name if area is not None else process.area.name


def _letter(pdf, process, code, address, gemeente, colour, contrast, closes) -> None:
    pdf.add_page()
    pdf.set_fill_color(*colour)
    pdf.rect(0, 0, 210, 28, style="F")
    pdf.set_text_color(*contrast)
    pdf.set_font(FONT, "B", 18)
    pdf.set_xy(20, 9)
    pdf.cell(0, 10, _("Municipality of %(name)s", name=gemeente))
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(20, 40)
    pdf.set_font(FONT, "", 11)
    if address is not None:
        pdf.multi_cell(90, 6, _("To the residents of") + "\n" + address.line())
    pdf.set_xy(20, 70)
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(170, 8, _("Have your say: %(title)s", title=process.title), align="L")
    pdf.ln(3)
    pdf.set_font(FONT, "", 11)
    area = process.area.display_name
    pdf.multi_cell(
        170,
        6,
        _(
            "Every address in %(area)s gets this letter. With the voting code below you can take part, once, with or without an account.",
            area=area,
        ),
    )
    pdf.ln(2)
    pdf.multi_cell(
        170,
        6,
        _("Scan the QR code with your phone, or go to the web address below and type the code."),
    )
    if closes:
        pdf.ln(2)
        pdf.multi_cell(170, 6, _("You can take part until %(date)s.", date=closes))
    pdf.ln(6)
    top = pdf.get_y()
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, 6, _("Your voting code"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 24)
    pdf.set_fill_color(240, 240, 240)
    pdf.cell(95, 16, code, border=1, align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.image(qr_png(code_url(process, code)), x=135, y=top, w=50, h=50)
    pdf.set_y(top + 56)
    pdf.set_font(FONT, "", 10)
    base = current_app.config["PUBLIC_URL"]
    pdf.multi_cell(170, 5.5, f"{base}/processen/{process.slug}/stemcode")
    pdf.ln(4)
    pdf.multi_cell(
        170,
        5.5,
        _(
            "Keep the code to yourself: it can be used once. We do not know which address got which code, and we do not keep the address with your vote."
        ),
    )
