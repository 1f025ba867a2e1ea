"""A workbook is measured before python-calamine reads it (calamine allocates a sheet's whole
rectangle; an allocation failure aborts the process, which no except can catch)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from hotelattrition.services.pickup_lines import Problems
from hotelattrition.services.pickup_sources import read_pickup
from hotelattrition.services.pickup_sources.tables import Unreadable, check_workbook, open_table
from tests.pickup_sources.xlsx import xlsx


def _with_sheet(sheet_xml: str) -> bytes:
    """A workbook of xlsx()'s parts with its sheet's XML replaced."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["a"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for part in source.infolist():
            text = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                text = sheet_xml.encode()
            book.writestr(part.filename, text)
    return out.getvalue()


def _sheet(body: str, dimension: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension}<sheetData>{body}</sheetData></worksheet>"
    )


FAR_CELL = _sheet(
    '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    '<row r="200000"><c r="ZZ200000"><v>1</v></c></row>'
)


def test_a_small_workbook_reaching_far_is_refused_before_calamine_reads_it() -> None:
    data = _with_sheet(FAR_CELL)
    assert len(data) < 2048  # a 1.5 KB file that asked calamine for 140 million cells
    out = read_pickup(data)
    assert [str(p.message) for p in out.problems.kept] == [
        "sheet1 reaches row 200000 and column 702: at most 201000 rows and 200 columns; "
        "delete the cells beyond or save the sheet as CSV"
    ]


def test_the_dimension_and_cells_without_a_place_are_measured_too() -> None:
    claimed = _sheet('<row r="1"><c r="A1"><v>1</v></c></row>', '<dimension ref="A1:ZZ9"/>')
    with pytest.raises(Unreadable, match="column 702"):
        check_workbook(_with_sheet(claimed), 1000)
    unplaced = _sheet("<row>" + "<c><v>1</v></c>" * 250 + "</row>")
    with pytest.raises(Unreadable, match="column 250"):
        check_workbook(_with_sheet(unplaced), 1000)
    many_rows = _sheet("<row/>" * 1200)
    with pytest.raises(Unreadable, match="row 1200"):
        check_workbook(_with_sheet(many_rows), 1000)


def test_a_reader_bounds_the_rows_and_an_ordinary_workbook_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hotelattrition.services.pickup_sources import tables

    monkeypatch.setattr(tables, "ROW_MARGIN", 5)
    rows = [["name", "arrival"]] + [["Ana", date(2027, 3, 10)]] * 30
    with pytest.raises(Unreadable, match="row 31 and column 2: at most 15 rows"):
        open_table(xlsx(rows), Problems(), max_rows=10)
    table = open_table(xlsx(rows), Problems(), max_rows=10_000)
    assert len(list(table.rows)) == 31


def test_a_workbook_unpacking_to_too_much_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from hotelattrition.services.pickup_sources import tables

    monkeypatch.setattr(tables, "UNZIPPED_MAX", 1000)
    with pytest.raises(Unreadable, match="unpacks to more than"):
        check_workbook(xlsx([["a"]]), 1000)
