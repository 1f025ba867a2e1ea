"""The monthly pickup report: rows, totals, chart data and files agree with the stored data."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.reports.charts import nice_scale, night_chart, pace_chart
from hotelattrition.reports.monthly import month_ends, monthly_report
from hotelattrition.reports.monthly_formats import monthly_csv, monthly_document
from hotelattrition.services.pickup_import import import_pickup
from tests.reports.reporting import march_groups, stay_document, stored_total

MARCH, APRIL, TODAY = date(2027, 3, 1), date(2027, 4, 1), date(2027, 2, 15)
NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)  # the as-of dates these imports carry are past then


@pytest.fixture
def mad(database: Any, create_property: Any) -> Any:
    return march_groups(create_property)


def test_rows_cover_every_group_with_nights_in_the_month(mad: Any) -> None:
    report = monthly_report(mad, MARCH, TODAY)
    assert report.previous_as_of == date(2027, 1, 31)
    got = {
        r.code: (r.block, r.picked_up, r.previous, r.change, r.arrives, r.status)
        for r in report.rows
    }
    assert got == {
        "M-3": (20, 12, 12, 0, False, "definite"),  # arrived in February: one night in March
        "M-1": (60, 48, 40, 8, True, "definite"),
        "M-4": (80, 0, 0, 0, True, "cancelled"),
        "M-2": (20, 20, 20, 0, True, "definite"),  # its third night is in April
    }
    assert [r.code for r in report.rows] == ["M-3", "M-1", "M-4", "M-2"]  # by arrival
    m1 = next(r for r in report.rows if r.code == "M-1")
    assert (m1.minimum, m1.shortfall, m1.pickup_pct) == (48, 0, Decimal("80.00"))
    assert (m1.fnb_minimum, m1.fnb_actual) == (Decimal("9000.00"), Decimal("7000.00"))
    assert not m1.owed  # projected: the stay is ahead
    m3 = next(r for r in report.rows if r.code == "M-3")
    assert (m3.damages, m3.minimum, m3.settlement_status) == (None, None, None)
    m4 = next(r for r in report.rows if r.code == "M-4")
    assert (m4.settlement_status, m4.owed) == ("cancelled", True)
    assert m4.damages > 0


def test_totals_equal_the_stored_settlements_to_the_cent(mad: Any) -> None:
    report = monthly_report(mad, MARCH, TODAY)
    [totals] = report.totals
    assert totals.currency == "EUR"
    assert (totals.groups, totals.block, totals.picked_up, totals.previous) == (4, 180, 80, 72)
    assert totals.damages == stored_total(mad, MARCH, APRIL)
    assert totals.damages == sum(r.damages for r in report.rows if r.arrives)
    assert totals.fnb_minimum == Decimal("27000.00")  # M-1, M-2, M-4: 9,000 each
    # Owed: M-4's cancellation fee; projected: M-1 and M-2, whose stays are ahead.
    m4 = next(r for r in report.rows if r.code == "M-4")
    assert (totals.owed_damages, totals.tentative) == (m4.damages, 0)
    assert totals.owed_damages + totals.projected_damages == totals.damages


def test_tentative_groups_are_left_out_of_the_totals_unless_asked(mad: Any, database: Any) -> None:
    from hotelattrition.models import Contract

    m1 = database.scalar(select(Contract).where(Contract.code == "M-1"))
    m1.status = "tentative"
    database.flush()
    counted = monthly_report(mad, MARCH, TODAY)
    every = monthly_report(mad, MARCH, TODAY, with_tentative=True)
    assert [r.code for r in counted.rows] == [r.code for r in every.rows]  # still listed
    [left_out], [with_it] = counted.totals, every.totals
    row = next(r for r in every.rows if r.code == "M-1")
    assert (left_out.groups, left_out.tentative, with_it.groups) == (3, 1, 4)
    assert left_out.block == with_it.block - row.block
    assert left_out.projected_damages == with_it.projected_damages - row.damages
    assert with_it.damages == stored_total(mad, MARCH, APRIL)
    lines = list(csv.DictReader(io.StringIO(monthly_csv(counted))))
    assert Decimal(lines[-1]["damages"]) == left_out.damages
    assert Decimal(lines[-1]["owed_damages"]) == left_out.owed_damages


def test_nights_and_pace_leave_cancelled_groups_out(mad: Any) -> None:
    report = monthly_report(mad, MARCH, TODAY)
    nights = {n.night.day: (n.block, n.picked_up) for n in report.nights if n.block}
    assert nights == {1: (20, 12), 10: (30, 24), 11: (30, 24), 30: (10, 10), 31: (10, 10)}
    assert len(report.nights) == 31
    assert report.pace_block == 100
    pace = {p.at: p.picked_up for p in report.pace}
    assert pace[date(2026, 12, 31)] == 0
    assert pace[date(2027, 1, 31)] == 72
    assert report.pace[-1].latest and report.pace[-1].picked_up == 80
    assert report.pace[-1].at == TODAY


def test_an_import_moves_pickup_and_the_previous_month_stays(mad: Any) -> None:
    import_pickup(
        b"contract_code,night,room_type,rooms\nM-2,2027-03-30,DBL,4\n", date(2027, 2, 14), now=NOW
    )
    report = monthly_report(mad, MARCH, TODAY)
    m2 = next(r for r in report.rows if r.code == "M-2")
    assert (m2.picked_up, m2.previous, m2.change) == (14, 20, -6)
    assert report.totals[0].damages == stored_total(mad, MARCH, APRIL)


def test_shoulder_nights_in_the_month_are_shown_apart_from_the_block(mad: Any, app: Any) -> None:
    from hotelattrition.services.contracts import import_contract

    import_contract(stay_document("A-1", date(2027, 4, 5), 2, 30, 20, as_of="2027-01-10"))
    import_pickup(
        b"contract_code,night,room_type,rooms\n"
        b"M-1,2027-03-09,DBL,3\n"  # the night before M-1's arrival
        b"A-1,2027-03-31,DBL,2\n",  # an April group's early arrivals: in March's report
        date(2027, 2, 14),
        now=NOW,
    )
    report = monthly_report(mad, MARCH, TODAY)
    got = {r.code: (r.block, r.picked_up, r.shoulder) for r in report.rows}
    assert got["M-1"] == (60, 48, 3)  # the stay's figures as before
    assert got["A-1"] == (0, 0, 2)
    assert got["M-2"] == (20, 20, 0)
    [totals] = report.totals
    assert (totals.groups, totals.block, totals.picked_up, totals.shoulder) == (5, 180, 80, 5)
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(monthly_csv(report)))}
    shoulder = [rows[code]["shoulder_room_nights"] for code in ("M-1", "A-1", "total")]
    assert shoulder == ["3", "2", "5"]
    with app.test_request_context():
        html = monthly_document(report)
    assert "+3 shoulder nights" in html and "+5 shoulder nights" in html
    assert "+2 shoulder nights" in html and "Arrives April 2027" in html
    april = {r.code: r.shoulder for r in monthly_report(mad, APRIL, TODAY).rows}
    assert april["A-1"] == 0  # its shoulder night is March's


def test_an_empty_month(mad: Any) -> None:
    report = monthly_report(mad, date(2027, 6, 1), TODAY)
    assert (report.rows, report.totals) == ([], [])
    assert night_chart(report.nights).empty
    assert monthly_csv(report).splitlines() == [monthly_csv(report).splitlines()[0]]


def test_csv_has_plain_numbers_a_totals_row_and_no_formulas(
    database: Any, create_property: Any
) -> None:
    prop = create_property("MAD")
    from hotelattrition.services.contracts import import_contract

    doc = stay_document("X-1", date(2027, 3, 10), 2, 30, 20, as_of="2027-01-10")
    import_contract(doc | {"name": '=HYPERLINK("http://evil.example","x")', "account": "@SUM(1)"})
    import_pickup(
        b"contract_code,night,room_type,rooms\nX-1,2027-03-10,DBL,15\n", date(2027, 2, 5), now=NOW
    )
    report = monthly_report(prop, MARCH, TODAY)
    rows = list(csv.DictReader(io.StringIO(monthly_csv(report))))
    assert len(rows) == 2
    group, total = rows
    assert group["group"] == '\'=HYPERLINK("http://evil.example","x")'
    assert group["account"] == "'@SUM(1)"
    assert (group["block_room_nights"], group["picked_up"], group["change"]) == ("60", "35", "-5")
    assert group["pickup_pct"] == "58.33"
    assert group["damages"] == format(report.rows[0].damages.quantize(Decimal("0.01")), "f")
    assert (total["code"], total["currency"], total["change"]) == ("total", "EUR", "-5")
    assert Decimal(total["damages"]) == stored_total(prop, MARCH, APRIL)
    assert "," not in total["damages"]


def test_the_document_shows_the_table_charts_and_totals(app: Any, mad: Any) -> None:
    report = monthly_report(mad, MARCH, TODAY)
    with app.test_request_context():
        html = monthly_document(report)
    assert html.count("<svg") == 2
    assert "style=" not in html.replace("<style>", "")
    assert "M-4" in html and "cancellation fee" in html
    assert "B-1" not in html and "A-1" not in html
    totals = report.totals[0]
    assert f"€{totals.owed_damages:,.2f}" in html and f"€{totals.projected_damages:,.2f}" in html


def test_chart_geometry() -> None:
    assert [nice_scale(v) for v in (0, 7, 37, 218, 252, 1000)] == [
        (4, 1), (8, 2), (40, 10), (250, 50), (300, 50), (1000, 200),
    ]  # fmt: skip
    assert month_ends(MARCH, TODAY, 3) == [date(2027, 1, 31)]
    report_nights = [type("N", (), {"night": MARCH, "block": 10, "picked_up": 5})()]
    chart = night_chart(report_nights)  # type: ignore[arg-type]
    bar = chart.bars[0]
    assert bar.block_height == 2 * bar.pickup_height
    assert pace_chart([], 0).empty


def test_the_document_renders_without_a_request_in_the_readers_language(mad: Any) -> None:
    # A document (documents/), like the invoice: the same HTML from a command, a worker or a
    # page, in the words and figures of the locale it is asked for.
    report = monthly_report(mad, MARCH, TODAY)
    english, spanish = monthly_document(report), monthly_document(report, "es_ES")
    assert '<html lang="en">' in english and "Monthly pickup" in english
    assert '<html lang="es">' in spanish and "Ocupación mensual · marzo 2027" in spanish
    damages = report.totals[0].owed_damages
    assert f"{damages:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in spanish


def test_a_lost_group_leaves_the_month(mad: Any) -> None:
    from hotelattrition.services.contracts import import_contract
    from hotelattrition.services.lost_business import record_lost_business

    doc = stay_document("M-9", date(2027, 3, 10), 2, 10, 0)
    doc.pop("signed_on", None)
    lost = import_contract(doc | {"status": "tentative"}).contract
    assert "M-9" in {r.code for r in monthly_report(mad, MARCH, TODAY).rows}
    record_lost_business(lost, "dates_unavailable", "", "cli")
    assert "M-9" not in {r.code for r in monthly_report(mad, MARCH, TODAY).rows}
