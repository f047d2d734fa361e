"""CSV text as people's spreadsheets save it, read without surprises.

Excel's "CSV (Macintosh)" ends lines with a lone carriage return, which
Python's csv module reads as a line break inside a field and then refuses; a
field longer than the csv module's limit raises too. ``dict_reader`` reads
every kind of line ending, and ``rows`` turns a broken file into a
``CsvBroken`` that names the line, for the importers' row reports.
"""

import csv
import io

#: The longest field an import takes (the csv module's own limit is 131,072).
FIELD_LIMIT = 100_000


class CsvBroken(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def lines(text: str) -> io.StringIO:
    """``text`` with every line ending (CR LF, LF, or a lone CR) as a newline."""
    return io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"), newline="")


def dict_reader(source) -> csv.DictReader:
    """A DictReader over ``source`` (text, or an iterable of lines) that ``rows`` can read."""
    if isinstance(source, str):
        source = lines(source)
    return csv.DictReader(source)


def rows(reader: csv.DictReader):
    """The rows of ``reader``; a malformed file or a field past ``FIELD_LIMIT`` raises CsvBroken."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvBroken(reader.line_num, f"not valid CSV: {error}") from error
        for value in row.values():
            if isinstance(value, str) and len(value) > FIELD_LIMIT:
                raise CsvBroken(reader.line_num, f"a field is longer than {FIELD_LIMIT} characters")
        yield row
