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
        table = [
            [_cell(value) for value in row]
            # max_col: a sheet's declared dimension (A1:XFD1048576) would pad every row
            for row in sheet.iter_rows(
                max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True
            )
        ]
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
        {name: str(cell).strip() for name, cell in zip(header, row, strict=False) if name}
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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
