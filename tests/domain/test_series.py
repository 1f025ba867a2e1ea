"""An account's event series worked by hand: names, seasons and stays that belong together."""

from __future__ import annotations

from datetime import date

from rapidfuzz import fuzz

from hotelattrition.domain.series import (
    NAME_SCORE,
    EventEdition,
    Series,
    event_key,
    group_series,
    name_score,
    same_season,
    series_title,
    similar_stay,
)


def test_years_ordinals_and_edition_words_leave_the_event_name() -> None:
    assert series_title("Novalia Oncology Congress 2026") == "Novalia Oncology Congress"
    assert series_title("XII Novalia Oncology Congress") == "Novalia Oncology Congress"
    assert (
        series_title("12th Novalia Oncology Congress \N{EN DASH} 2026")
        == "Novalia Oncology Congress"
    )
    assert series_title("Novalia Oncology Congress (2025)") == "Novalia Oncology Congress"
    assert series_title("Sales Kick-off 2025/26") == "Sales Kick-off"
    assert (
        series_title("3er Congreso Nacional de Cardiología") == "Congreso Nacional de Cardiología"
    )
    assert series_title("Congreso de Cardiología, 12.ª edición") == "Congreso de Cardiología"
    assert series_title("X Congreso SEC") == "Congreso SEC"  # a numeral opening the name
    assert series_title("Foro I+D 2025") == "Foro I+D"  # one capital letter inside: a word
    assert series_title("2026") == "2026"  # nothing left: the name as it was
    assert event_key("XII Congreso de Cardiología 2026") == "congreso de cardiologia"
    assert event_key("Northwind President's Club 2028") == "northwind president s club"


def test_the_name_threshold_keeps_a_series_and_parts_two_events() -> None:
    same = [
        ("Novalia Oncology Congress 2024", "XII Novalia Oncology Congress", 100),
        ("Oncology Congress Novalia", "Novalia Oncology Congress", 100),  # word order
        ("Novalia Oncology Congress", "Novalia Oncology & Haematology Congress", 100),  # a word
        ("Novalia Oncolgy Congress", "Novalia Oncology Congress", 98),  # a typo
        ("Sales Kickoff 2026", "Sales Kick-off 2025", 96),
    ]
    different = [
        ("Congreso Nacional de Cardiología", "Congreso Nacional de Neumología", 86),
        ("Meseta Tours Spring Series", "Meseta Tours Autumn Series", 84),
        ("European Sales Meeting", "Iberian Sales Meeting", 84),
        ("Novalia Oncology Congress", "Novalia Advisory Board", 51),
        ("Novalia Oncology Congress", "Novalia Sales Kick-off", 51),
    ]
    for a, b, score in same + different:
        assert round(name_score(a, b)) == score, (a, b)
        assert round(fuzz.token_set_ratio(event_key(a), event_key(b))) == score
    assert min(score for *_, score in same) >= NAME_SCORE > max(s for *_, s in different)


def test_the_season_is_six_weeks_either_side_across_the_new_year() -> None:
    assert same_season(date(2025, 3, 10), date(2026, 4, 21))  # 42 days later in the year
    assert not same_season(date(2025, 3, 10), date(2026, 4, 22))  # 43
    assert same_season(date(2025, 12, 28), date(2027, 1, 20))  # 28 days across New Year
    assert not same_season(date(2025, 3, 10), date(2025, 10, 1))


def test_stays_about_as_long() -> None:
    assert similar_stay(3, 4) and similar_stay(2, 1) and similar_stay(8, 6)  # 8 // 4 = 2
    assert not similar_stay(2, 4) and not similar_stay(8, 5)


def edition(code: str, name: str, arrival: date, nights: int = 3) -> EventEdition:
    return EventEdition(code, name, arrival, nights)


def test_novalia_holds_a_congress_series_and_a_kick_off_series() -> None:
    editions = [
        edition("C-24", "Novalia Oncology Congress 2024", date(2024, 3, 12)),
        edition("K-25", "Novalia Sales Kick-off 2025", date(2025, 1, 20), 2),
        edition("C-25", "XI Novalia Oncology Congress", date(2025, 3, 11)),
        edition("A-25", "Novalia Advisory Board", date(2025, 5, 6), 1),
        edition("K-26", "Sales Kickoff Novalia 2026", date(2026, 1, 19), 2),
        edition("C-26", "Novalia Oncology Congress 2026", date(2026, 3, 10), 4),  # a night more
        edition("K-27", "Novalia Sales Kick-off 2027", date(2027, 1, 18), 2),  # upcoming
    ]
    assert group_series(editions) == [
        Series("Novalia Sales Kick-off", ("K-27", "K-26", "K-25")),
        Series("Novalia Oncology Congress", ("C-26", "C-25", "C-24")),
        Series("Novalia Advisory Board", ("A-25",)),
    ]


def test_the_same_name_in_another_season_or_length_is_another_series() -> None:
    editions = [
        edition("S-25", "Meseta Tours Series 2025", date(2025, 4, 7), 4),
        edition("A-25", "Meseta Tours Series 2025", date(2025, 10, 6), 4),  # autumn
        edition("S-26", "Meseta Tours Series 2026", date(2026, 4, 13), 4),
        edition("L-26", "Meseta Tours Series 2026", date(2026, 4, 20), 9),  # a long tour
        edition("C-26", "Congreso Nacional de Neumología", date(2026, 4, 14), 4),
    ]
    assert [s.codes for s in group_series(editions)] == [
        ("L-26",),
        ("C-26",),
        ("S-26", "S-25"),
        ("A-25",),
    ]


def test_a_series_follows_its_latest_edition_as_it_drifts() -> None:
    # Five weeks later each year: 2027 is ten weeks after 2025 (beyond six), five after 2026.
    editions = [
        edition("F-25", "Forum 2025", date(2025, 3, 1)),
        edition("F-26", "Forum 2026", date(2026, 4, 5)),
        edition("F-27", "Forum 2027", date(2027, 5, 10)),
    ]
    assert group_series(editions) == [Series("Forum", ("F-27", "F-26", "F-25"))]
    assert group_series([]) == []
