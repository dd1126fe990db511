"""Rows of variables from a CSV or XLSX upload, or a JSON list: header row = variable names.

Python's csv module reads CSV (comma, semicolon or tab, as Excel and Google
Sheets export it, with or without a byte-order mark); openpyxl reads XLSX
(the first sheet, values rather than formulas). Both give a list of
{column: text} rows; empty rows are dropped, and cells are text as shown.

The content decides which, never the name: a ZIP is a workbook and text is a
CSV, and a name that says otherwise (a workbook named .csv) is refused, as is
anything else (a web page, a PDF, an old .xls). A workbook's ZIP directory is
checked before openpyxl opens it (saas/file_checks.py: entries, unpacked size,
compression ratio, macros and external links).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time

from saas import file_checks as checks
from saas.errors import ServiceError

MAX_ROWS = 500
MAX_BYTES = checks.MAX_SHEET_BYTES
MAX_COLUMNS = checks.MAX_SHEET_COLUMNS
# Rows of a workbook read at most, blank ones included (a sheet of a million formatted
# blank rows must not keep a web process busy; the file's size is capped too).
MAX_SHEET_ROWS = 100_000
XLSX_MAGIC = b"PK\x03\x04"


def read_upload(upload) -> tuple[str, list[dict]]:
    """(source kind "csv" | "xlsx", rows) from an uploaded file."""
    if upload.size > MAX_BYTES:
        raise ServiceError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.", field="file"
        )
    kind = checks.sniff(checks.read_head(upload))
    if kind == "zip":
        if checks.claimed_kind(upload.name) not in (None, "zip"):
            checks.refuse_mismatch(upload.name, kind, "file")
        checks.check_xlsx_zip(upload, field="file")
        return "xlsx", _xlsx(upload.read())
    if kind in ("text", "empty"):
        if checks.suffix_of(upload.name) in (".xlsx", ".xlsm"):
            checks.refuse_mismatch(upload.name, kind, "file")
        return "csv", _csv(upload.read())
    raise ServiceError(
        f"This file is {checks.label(kind)}, not a CSV or Excel (.xlsx) file. Save the sheet "
        "as CSV or .xlsx and upload that.",
        field="file",
        code="not_a_sheet",
    )


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError("The CSV file is not UTF-8 text.", field="file")


def _csv(data: bytes) -> list[dict]:
    text = _decode(data)
    if "\x00" in text:
        raise ServiceError("This is not a CSV file (it has binary data).", field="file")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        table = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ServiceError(f"The CSV file cannot be read: {exc}.", field="file") from None
    return _rows(table)


def _xlsx(data: bytes) -> list[dict]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ServiceError("This is not an Excel (.xlsx) workbook.", field="file") from None
    try:
        sheet = book.worksheets[0]
        table = []
        # max_col: a sheet's declared dimension (A1:XFD1048576) would pad every row.
        # Blank rows do not count (a cap by position dropped the rows below them,
        # silently); the header and one row too many are enough to refuse the file.
        rows = sheet.iter_rows(max_row=MAX_SHEET_ROWS, max_col=MAX_COLUMNS + 1, values_only=True)
        for row in rows:
            cells = [_cell(value) for value in row]
            if any(cell.strip() for cell in cells):
                table.append(cells)
                if len(table) > MAX_ROWS + 1:
                    break
    finally:
        book.close()
    return _rows(table)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):  # a date cell: what the sheet shows, without midnight
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _rows(table: list[list[str]]) -> list[dict]:
    table = [row for row in table if any(str(cell).strip() for cell in row)]
    if not table:
        raise ServiceError("The file is empty.", field="file")
    header = [str(cell).strip() for cell in table[0]]
    if len(header) > MAX_COLUMNS and any(header[MAX_COLUMNS:]):
        raise ServiceError(f"A batch has at most {MAX_COLUMNS} columns.", field="file")
    if not any(header):
        raise ServiceError("The first row must name the variables.", field="file")
    seen = set()
    for name in header:
        if name and name in seen:
            raise ServiceError(f"The column {name!r} appears twice.", field="file")
        seen.add(name)
    body = table[1:]
    if not body:
        raise ServiceError("The file has a header row but no rows.", field="file")
    if len(body) > MAX_ROWS:
        raise ServiceError(f"A batch has at most {MAX_ROWS} rows.", field="file")
    return [
        {name: _active(str(cell).strip()) for name, cell in zip(header, row, strict=False) if name}
        for row in body
    ]


def json_rows(rows) -> list[dict]:
    """Rows given as JSON: a list of {variable: value} objects."""
    if not isinstance(rows, list) or not rows:
        raise ServiceError("rows must be a non-empty list of objects.", field="rows")
    if len(rows) > MAX_ROWS:
        raise ServiceError(f"A batch has at most {MAX_ROWS} rows.", field="rows")
    clean = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ServiceError(f"row {number} must be an object.", field=f"rows.{number}")
        clean.append({str(k): "" if v is None else str(v) for k, v in row.items()})
    return clean


def to_csv(header: list[str], rows: list[list]) -> str:
    """CSV that a spreadsheet opens as text: a cell that would start a formula (= + - @,
    or a tab or carriage return first) gets a leading ' (OWASP's CSV injection advice),
    since row values, titles and column names come from customers and scraped pages."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_inert(cell) for cell in header])
    writer.writerows([_inert(cell) for cell in row] for row in rows)
    return out.getvalue()


def _inert(cell):
    return "'" + cell if isinstance(cell, str) and _starts_formula(cell) else cell


def _active(cell: str) -> str:
    """A cell as to_csv wrote it, back (a sample CSV filled in and uploaded again)."""
    return cell[1:] if cell[:1] == "'" and _starts_formula(cell[1:]) else cell


def _starts_formula(text: str) -> bool:
    """Would a spreadsheet read TEXT as a formula (= + - @, or a tab or CR first)?"""
    return bool(text) and (text[0] in "\t\r" or text.lstrip()[:1] in FORMULA)


FORMULA = ("=", "+", "-", "@")
