"""The municipality's address register (from its BAG extract), and checking residents' addresses.

The administrator imports a CSV (``postcode;huisnummer;toevoeging;buurtcode``,
a header row, ``;`` or ``,``), streamed line by line: every wrong row is
reported and nothing changes unless all rows are right; then the register is
replaced as a whole, in one transaction. A resident who states a postcode and
house number on their account is checked against it, and at most
``max_per_address`` accounts may have the same checked address: the register's
row is locked while counting (``FOR UPDATE`` on PostgreSQL; SQLite takes its
write lock at ``BEGIN``), so parallel requests cannot pass the limit.
"""

import codecs
import csv
import re
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.areas.models import Area
from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow

POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
ADDITION = re.compile(r"^[A-Za-z0-9]{0,8}$")
CHUNK = 2000
MAX_PROBLEMS = 200


class RegisterAddress(db.Model):
    __tablename__ = "register_address"
    __table_args__ = (sa.UniqueConstraint("postcode", "house_number", "addition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    postcode: Mapped[str] = mapped_column(sa.String(6))
    house_number: Mapped[int]
    addition: Mapped[str] = mapped_column(sa.String(8), default="")
    buurt_code: Mapped[str] = mapped_column(sa.String(16), index=True)


class RegisterSettings(db.Model):
    """One row: when the register was imported, how big it is, and the limit per address."""

    __tablename__ = "register_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    addresses: Mapped[int] = mapped_column(default=0)
    max_per_address: Mapped[int | None]


def settings() -> RegisterSettings:
    found = db.session.get(RegisterSettings, 1)
    if found is None:
        found = RegisterSettings(id=1, addresses=0)
        db.session.add(found)
    return found


def imported() -> bool:
    found = db.session.get(RegisterSettings, 1)
    return found is not None and found.imported_at is not None


def normal_postcode(text: str) -> str | None:
    match = POSTCODE.match((text or "").strip())
    return f"{match.group(1)}{match.group(2).upper()}" if match else None


def parse_address(postcode: str, number: str, addition: str = ""):
    """(postcode, house number, addition) normalised, or a message saying what is wrong."""
    code = normal_postcode(postcode)
    if code is None:
        return _l("The postcode is not four digits and two letters.")
    number = (number or "").strip()
    if not number.isascii() or not number.isdigit() or not 0 < int(number) < 100000:
        return _l("The house number is not a whole number.")
    addition = (addition or "").strip().upper()
    if not ADDITION.match(addition):
        return _l("The addition has at most 8 letters and digits.")
    return code, int(number), addition


# --- Import --------------------------------------------------------------------


@dataclass
class ImportResult:
    addresses: int = 0
    problems: list = field(default_factory=list)  # (line number, message)


def _rows(stream):
    """The CSV rows of a binary stream, decoded as UTF-8 line by line."""
    text = codecs.getreader("utf-8-sig")(stream, errors="strict")
    first = text.readline()
    dialect = ";" if first.count(";") >= first.count(",") else ","
    header = [cell.strip().lower() for cell in next(csv.reader([first], delimiter=dialect), [])]
    yield header
    yield from csv.reader(text, delimiter=dialect)


def import_csv(stream) -> ImportResult:
    """Replace the register with the addresses of ``stream``, all or nothing; the caller commits.

    Rows are written in chunks as they are read; on any problem the caller
    rolls back, so the old register stays.
    """
    result = ImportResult()
    buurten = set(db.session.scalars(sa.select(Area.code).where(Area.level == "buurt")))
    seen: set[tuple] = set()
    chunk: list[dict] = []
    db.session.execute(sa.delete(RegisterAddress))
    try:
        rows = _rows(stream)
        header = next(rows)
        if header[:2] != ["postcode", "huisnummer"] or len(header) < 4:
            result.problems.append(
                (1, _l("The first row must be: postcode;huisnummer;toevoeging;buurtcode."))
            )
            return result
        for line, row in enumerate(rows, start=2):
            problem = _row_problem(row, buurten, seen)
            if isinstance(problem, dict):
                if not result.problems:
                    chunk.append(problem)
                result.addresses += 1
            else:
                result.problems.append((line, problem))
                if len(result.problems) >= MAX_PROBLEMS:
                    break
            if len(chunk) >= CHUNK:
                db.session.execute(sa.insert(RegisterAddress.__table__), chunk)
                chunk = []
    except UnicodeDecodeError:
        result.problems.append((0, _l("The file is not UTF-8 text.")))
        return result
    except csv.Error as error:
        result.problems.append((0, _l("The file is not valid CSV: %(error)s", error=str(error))))
        return result
    if chunk and not result.problems:
        db.session.execute(sa.insert(RegisterAddress.__table__), chunk)
    if not result.problems and result.addresses == 0:
        result.problems.append((0, _l("The file has no addresses.")))
    if not result.problems:
        current = settings()
        current.imported_at = utcnow()
        current.addresses = result.addresses
    return result


def _row_problem(row, buurten, seen):
    if len(row) < 4:
        return _l("A row needs four fields: postcode, huisnummer, toevoeging, buurtcode.")
    parsed = parse_address(row[0], row[1], row[2])
    if not isinstance(parsed, tuple):
        return parsed
    buurt = row[3].strip()
    if buurt not in buurten:
        return _l("Buurt code %(code)s is not a buurt of this municipality.", code=buurt or "-")
    if parsed in seen:
        return _l("This address is in the file twice.")
    seen.add(parsed)
    postcode, number, addition = parsed
    return {"postcode": postcode, "house_number": number, "addition": addition, "buurt_code": buurt}


# --- Checking a resident's address ---------------------------------------------------


def find(postcode: str, number: int, addition: str = "") -> RegisterAddress | None:
    return db.session.scalar(
        sa.select(RegisterAddress).where(
            RegisterAddress.postcode == postcode,
            RegisterAddress.house_number == number,
            RegisterAddress.addition == addition,
        )
    )


class AddressRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check_address(user_id: int, postcode: str, number: int, addition: str, use_buurt: bool):
    """Check and keep the stated address of ``user_id``; return the register's row.

    Raises ``AddressRefused`` when the register has no such address or when it
    has its maximum of accounts already. The caller commits.
    """
    address = db.session.scalar(
        sa.select(RegisterAddress)
        .where(
            RegisterAddress.postcode == postcode,
            RegisterAddress.house_number == number,
            RegisterAddress.addition == addition,
        )
        .with_for_update()
    )
    if address is None:
        raise AddressRefused(
            _l(
                "This address is not in the municipality's address register. Check the postcode, house number and addition."
            )
        )
    maximum = settings().max_per_address
    if maximum is not None:
        others = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ParticipantProfile)
            .where(
                ParticipantProfile.postcode == postcode,
                ParticipantProfile.house_number == number,
                ParticipantProfile.addition == addition,
                ParticipantProfile.address_checked_at.is_not(None),
                ParticipantProfile.user_id != user_id,
            )
        )
        if others >= maximum:
            raise AddressRefused(
                _l(
                    "The most accounts that may take part from one address (%(n)d) have stated this address already.",
                    n=maximum,
                )
            )
    profile = db.session.get(ParticipantProfile, user_id)
    if profile is None:
        profile = ParticipantProfile(user_id=user_id)
        db.session.add(profile)
    profile.postcode, profile.house_number, profile.addition = postcode, number, addition
    profile.address_checked_at = utcnow()
    if use_buurt:
        buurt = db.session.scalar(sa.select(Area).where(Area.code == address.buurt_code))
        if buurt is not None:
            profile.buurt_id = buurt.id
    return address


def forget_address(user_id: int) -> None:
    profile = db.session.get(ParticipantProfile, user_id)
    if profile is not None:
        profile.postcode, profile.house_number, profile.addition = None, None, ""
        profile.address_checked_at = None


def buurt_codes_of(postcode: str | None, number, addition: str | None = None) -> set[str]:
    """The buurt codes the register gives an address (every addition when ``addition`` is None)."""
    if not postcode or number is None:
        return set()
    try:
        number = int(number)
    except (TypeError, ValueError):
        return set()
    query = sa.select(RegisterAddress.buurt_code).where(
        RegisterAddress.postcode == postcode.replace(" ", "").upper(),
        RegisterAddress.house_number == number,
    )
    if addition is not None:
        query = query.where(RegisterAddress.addition == addition)
    return set(db.session.scalars(query))


def covers(area) -> bool:
    """Whether the imported register has addresses in ``area`` (in one of its buurten)."""
    from participatie.core.areas.queries import descendant_ids

    if not imported():
        return False
    codes = sa.select(Area.code).where(Area.id.in_(descendant_ids(area)))
    query = sa.select(RegisterAddress.id).where(RegisterAddress.buurt_code.in_(codes)).limit(1)
    return db.session.scalar(query) is not None
