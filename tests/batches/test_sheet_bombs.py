"""A batch upload that is a ZIP bomb, a workbook that runs code, or a file that is not
what its name says is refused before openpyxl reads it, naming the file field and
the reason, and no batch is kept."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saas import file_checks
from saas.batches.models import Batch

from ..conftest import web_client

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b"</Types>"
)
WORKBOOK = (
    b'<?xml version="1.0"?><workbook><sheets><sheet name="Rows" sheetId="1"/></sheets></workbook>'
)


def workbook_zip(extra: dict[str, bytes] | None = None, sheet: bytes = b"<worksheet/>") -> bytes:
    """The parts of an XLSX (enough for the checks that run before openpyxl)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zero_filled_sheet(megabytes: int) -> bytes:
    """An XLSX whose one sheet unpacks to MEGABYTES of zeros (written a megabyte at a
    time, so the test never holds it unpacked)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(megabytes):
                sheet.write(b"0" * file_checks.MB)
    return buffer.getvalue()


def real_workbook(header=("product_name", "price"), row=("Mug", 3)) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(header))
    book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str):
    body = {"template": "product-ad-vertical", "file": SimpleUploadedFile(name, data)}
    return client.post("/api/v1/batches", body, format="multipart")


@pytest.fixture
def no_openpyxl(monkeypatch):
    """openpyxl must never be asked to open these files."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the checks should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def refused(response, code, *words):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["field"], error["code"]) == ("file", code), error
    for word in words:
        assert word in error["message"], error["message"]
    assert not Batch.objects.exists()


def test_a_zip_of_a_huge_zero_filled_sheet_is_refused_from_its_directory(creator_api, no_openpyxl):
    bomb = zero_filled_sheet(60)
    assert len(bomb) < file_checks.MAX_SHEET_BYTES // 20  # tiny on the wire
    refused(upload(creator_api, bomb, "catalogue.xlsx"), "file_too_large",
            "unpacks to 60 MB", "at most 50 MB")  # fmt: skip


def test_a_sheet_that_unpacks_a_thousand_times_its_size_is_refused(creator_api, no_openpyxl):
    bomb = zero_filled_sheet(5)  # within the unpacked total, but no sheet compresses so well
    refused(upload(creator_api, bomb, "catalogue.xlsx"), "unsafe_file",
            "xl/worksheets/sheet1.xml unpacks", "ZIP bomb")  # fmt: skip


def test_a_zip_of_thousands_of_entries_is_refused(creator_api, no_openpyxl):
    many = workbook_zip({f"xl/media/pad{n}.xml": b"<a/>" for n in range(600)})
    refused(upload(creator_api, many, "catalogue.xlsx"), "file_too_large", "603 files")


@pytest.mark.parametrize(
    "extra, words",
    [
        ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"}, "macros"),
        ({"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}, "links to other workbooks"),
        ({"xl/activeX/activeX1.xml": b"<ax/>"}, "ActiveX controls"),
    ],
    ids=["macros", "external-links", "activex"],
)
def test_a_workbook_that_runs_code_or_reaches_out_is_refused(
    creator_api, no_openpyxl, extra, words
):
    refused(upload(creator_api, workbook_zip(extra), "catalogue.xlsx"), "unsafe_file", words)


def test_a_workbook_declaring_xml_entities_is_refused(creator_api, no_openpyxl):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<worksheet><sheetData><row><c><v>&lol2;</v></c></row></sheetData></worksheet>"
    )
    refused(upload(creator_api, workbook_zip(sheet=laughs), "catalogue.xlsx"), "unsafe_file",
            "XML entity declarations")  # fmt: skip


def test_a_zip_that_is_not_a_workbook_is_refused(creator_api, no_openpyxl):
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("word/document.xml", b"<document/>")
    refused(upload(creator_api, other.getvalue(), "catalogue.xlsx"), "invalid",
            "This is not an Excel (.xlsx) workbook.")  # fmt: skip


@pytest.mark.parametrize(
    "data, name, code, words",
    [
        (real_workbook(), "catalogue.csv", "type_mismatch", "named .csv but is a ZIP archive"),
        (b"product_name,price\nMug,3\n", "catalogue.xlsx", "type_mismatch",
         "named .xlsx but is text"),
        (b"<!DOCTYPE html><html><body>Sign in to Google Sheets</body></html>", "rows.csv",
         "not_a_sheet", "a web page (HTML), not a CSV or Excel"),
        (b"%PDF-1.4 a printed sheet", "rows.csv", "not_a_sheet", "a PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "rows.xls", "not_a_sheet",
         "an old-style Office document"),
    ],
    ids=["xlsx-as-csv", "csv-as-xlsx", "html-as-csv", "pdf-as-csv", "old-xls"],
)  # fmt: skip
def test_a_file_that_is_not_what_its_name_says_is_refused(creator_api, data, name, code, words):
    refused(upload(creator_api, data, name), code, words)


def test_a_sheet_wider_than_the_column_limit_is_refused(creator_api):
    header = [f"column_{n}" for n in range(file_checks.MAX_SHEET_COLUMNS + 5)]
    data = real_workbook(header=header, row=["x"] * len(header))
    refused(upload(creator_api, data, "wide.xlsx"), "invalid", "at most 100 columns")


def test_real_workbooks_and_utf16_text_still_read(creator_api):
    response = upload(creator_api, real_workbook(), "catalogue.xlsx")
    assert response.status_code == 201, response.content
    assert response.json()["rows"][0]["values"]["product_name"] == "Mug"
    unicode_text = "product_name\tprice\nMüsli\t4\n".encode("utf-16")  # Excel's "Unicode text"
    response = upload(creator_api, unicode_text, "catalogue.txt")
    assert response.status_code == 201, response.content
    assert response.json()["rows"][0]["values"]["product_name"] == "Müsli"


def test_the_batch_page_shows_the_refusal(funded):
    client = web_client(funded.creator, funded.workspace_a)
    form = {"source": "file", "template": "product-ad-vertical",
            "file": SimpleUploadedFile("catalogue.xlsx", zero_filled_sheet(60))}  # fmt: skip
    response = client.post(reverse("batch_create"), form)
    assert response.status_code == 400
    assert "This workbook unpacks to 60 MB" in response.content.decode()
    assert not Batch.objects.exists()
