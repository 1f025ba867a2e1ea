"""Early warning: who is behind the pace to the minimum, sorted by money at risk."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from hotelattrition.models import ReviewDate
from hotelattrition.reports.early_warning import early_warning, early_warning_csv, pace_expected
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.settlements import store_settlement
from tests.conftest import sample_document
from tests.reports.reporting import stay_document

TODAY = date(2027, 1, 1)  # signed 2026-09-01 (the sample document): 122 days ago


def add(code: str, arrival: date, nights: int, rooms: int, picked: int, **extra: Any) -> Any:
    return import_contract(
        stay_document(code, arrival, nights, rooms, picked, as_of="2026-12-20") | extra
    ).contract


def test_groups_behind_pace_come_by_money_at_risk(database: Any, create_property: Any) -> None:
    prop = create_property("MAD")
    w1 = add("W-1", date(2027, 3, 1), 2, 50, 0)
    add("W-2", date(2027, 2, 1), 2, 20, 5)
    add("W-3", date(2027, 6, 1), 2, 20, 10)  # 20 of 32, pace 14.3: on pace
    add("W-4", date(2027, 3, 1), 2, 20, 18)  # 36 of 32: at its minimum
    cancelled = sample_document()["cancellation"] | {"cancelled_on": "2026-12-01"}
    add("W-5", date(2027, 3, 1), 2, 90, 0, cancellation=cancelled)
    add("W-6", date(2026, 12, 20), 2, 90, 0)  # arrived
    add("W-7", date(2027, 4, 1), 3, 60, 0, status="tentative")
    w1.cutoff_on = date(2027, 1, 31)
    w1.review_dates.append(ReviewDate(review_on=date(2027, 1, 15), max_reduction_pct=Decimal(10)))
    w1.review_dates.append(ReviewDate(review_on=date(2026, 12, 1), max_reduction_pct=Decimal(10)))
    store_settlement(w1)
    database.flush()

    report = early_warning(prop, TODAY)
    assert [r.code for r in report.rows] == ["W-7", "W-1", "W-2"]
    damages = [r.damages for r in report.rows]
    assert damages == sorted(damages, reverse=True)
    assert report.on_pace == 1
    w7, w1_row, w2 = report.rows
    # Tentative groups are listed but left out of the money at risk unless asked.
    assert report.tentative == 1
    assert report.at_risk == {"EUR": w1_row.damages + w2.damages}
    assert early_warning(prop, TODAY, with_tentative=True).at_risk == {"EUR": sum(damages)}
    assert w7.status == "tentative"
    # W-1: minimum 80; cut-off 31 January: 122 of 152 days gone, so 64.2 expected by today.
    assert (w1_row.minimum, w1_row.picked_up, w1_row.still_needed) == (80, 0, 80)
    assert (w1_row.expected, w1_row.behind_pace) == (Decimal("64.2"), Decimal("64.2"))
    assert (w1_row.cutoff, w1_row.days_to_cutoff) == (date(2027, 1, 31), 30)
    assert (w1_row.next_review, w1_row.days_to_review) == (date(2027, 1, 15), 14)
    # W-2: no cut-off set: the arrival is; no review date.
    assert (w2.cutoff, w2.days_to_cutoff, w2.next_review) == (date(2027, 2, 1), 31, None)
    assert (w2.picked_up, w2.expected) == (10, Decimal("25.5"))  # 32 x 122 / 153


def test_csv_lists_the_rows_with_plain_numbers(database: Any, create_property: Any) -> None:
    prop = create_property("MAD")
    add("W-1", date(2027, 3, 1), 2, 50, 0, name="+cmd|' /C calc'!A0")
    rows = list(csv.DictReader(io.StringIO(early_warning_csv(early_warning(prop, TODAY)))))
    assert len(rows) == 1
    assert rows[0]["group"] == "'+cmd|' /C calc'!A0"
    assert (rows[0]["minimum"], rows[0]["expected_by_today"], rows[0]["still_needed"]) == (
        "80",
        "53.9",
        "80",
    )
    assert Decimal(rows[0]["projected_damages"]) > 0


def test_pace_runs_straight_from_signing_to_cutoff() -> None:
    minimum = Decimal(90)
    assert pace_expected(minimum, date(2027, 1, 1), date(2027, 1, 31), date(2027, 1, 11)) == 30
    assert pace_expected(minimum, date(2027, 1, 1), date(2027, 1, 31), date(2026, 12, 1)) == 0
    assert pace_expected(minimum, date(2027, 1, 1), date(2027, 1, 31), date(2027, 2, 1)) == 90
    assert pace_expected(minimum, date(2027, 1, 1), date(2027, 1, 1), date(2027, 1, 1)) == 90
