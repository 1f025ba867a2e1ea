"""NPS per property and per account by period, counted in SQL, worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from hotelattrition.reports.surveys import account_answers, nps_by_period
from hotelattrition.services.surveys import SurveyData, answer_survey, create_survey_link

DEPARTED = date(2027, 3, 12)


def answered(create_contract: Any, code: str, score: int, on: date, **doc: Any) -> None:
    contract = create_contract(code=code, **doc)
    link, _token = create_survey_link("sales@example.com", contract, DEPARTED)
    moment = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
    answer_survey(link, SurveyData(score, 4, 4, 4, f"about {code}"), moment)


def test_nps_per_property_and_account_by_year_and_month(
    database: Any, create_contract: Any
) -> None:
    # MAD, Acme Pharma: 10 and 9 (promoters), 8 (passive), 5 (detractor) in 2027;
    #   March: 10, 5 -> (1 - 1) / 2 = 0; April: 9, 8 -> (1 - 0) / 2 = 50.
    #   The year: (2 - 1) / 4 = 25.
    # MAD, Bravo Travel: 3 in April 2027 -> -100.
    #   MAD's year over both accounts: (2 - 2) / 5 = 0.
    # BCN, Acme Pharma: 10 in January 2028 -> 100.
    for code, score, on in (
        ("A-1", 10, date(2027, 3, 20)),
        ("A-2", 5, date(2027, 3, 25)),
        ("A-3", 9, date(2027, 4, 2)),
        ("A-4", 8, date(2027, 4, 30)),
    ):
        answered(create_contract, code, score, on)
    answered(create_contract, "B-1", 3, date(2027, 4, 5), account="Bravo Travel")
    answered(create_contract, "C-1", 10, date(2028, 1, 9), property="BCN")

    by_property = {(r.name, r.year): r.count for r in nps_by_period("property", "year")}
    assert by_property[("MAD", 2027)].nps == Decimal("0.0")
    assert by_property[("MAD", 2027)].answers == 5
    assert by_property[("BCN", 2028)].nps == Decimal("100.0")

    by_account = {(r.name, r.year): r.count.nps for r in nps_by_period("account", "year")}
    assert by_account == {
        ("Acme Pharma", 2027): Decimal("25.0"),
        ("Acme Pharma", 2028): Decimal("100.0"),
        ("Bravo Travel", 2027): Decimal("-100.0"),
    }
    acme = database.scalar(text("select id from accounts where name = 'Acme Pharma'"))
    months = nps_by_period("account", "month", account_ids=[acme], as_of=date(2027, 12, 31))
    assert [(r.year, r.month, r.count.nps) for r in months] == [
        (2027, 3, Decimal("0.0")),
        (2027, 4, Decimal("50.0")),
    ]
    # As of a past day: what was answered by then, here only March's two.
    early = nps_by_period("property", "year", as_of=date(2027, 3, 31))
    assert [(r.name, r.count.answers, r.count.nps) for r in early] == [("MAD", 2, Decimal("0.0"))]

    mad = database.scalar(text("select id from properties where code = 'MAD'"))
    rows = account_answers(acme, [mad])  # the BCN answer is at a hotel not listed
    assert [(r.code, r.recommend, r.category) for r in rows] == [
        ("A-4", 8, "passive"), ("A-3", 9, "promoter"), ("A-2", 5, "detractor"),
        ("A-1", 10, "promoter"),
    ]  # fmt: skip


def test_the_retention_report_gives_nps_per_property_by_period(
    database: Any, create_contract: Any, create_user: Any
) -> None:
    from hotelattrition.reports.retention_report import retention_csv, retention_report

    # 2027 at MAD: 10, 9 (promoters), 8 (passive), 5 (detractor): (2 - 1) / 4 = 25.0; at BCN
    # in 2028 (another year: not in 2027's report).
    for code, score, on in (
        ("A-1", 10, date(2027, 3, 20)),
        ("A-2", 5, date(2027, 3, 25)),
        ("A-3", 9, date(2027, 4, 2)),
        ("A-4", 8, date(2027, 4, 30)),
    ):
        answered(create_contract, code, score, on)
    answered(create_contract, "C-1", 10, date(2028, 1, 9), property="BCN")
    admin = create_user("boss@example.com", "admin", ())

    report = retention_report(admin, None, "year", 2027, date(2027, 12, 31))
    assert [(n.name, n.year, n.count.answers, n.count.nps) for n in report.nps] == [
        ("MAD", 2027, 4, Decimal("25.0"))
    ]
    lines = retention_csv(report).splitlines()
    assert {"nps,2027,MAD:answers,,4", "nps,2027,MAD:nps,,25"} <= set(lines)
    # By month, as of 31 March: March's two answers only, (1 - 1) / 2 = 0.
    march = retention_report(admin, None, "month", 2027, date(2027, 3, 31))
    assert [(n.month, n.count.answers, n.count.nps) for n in march.nps] == [(3, 2, Decimal("0.0"))]
