"""An account's event series: the same event year after year, told apart from its other events.

An account with a congress, a kick-off and an advisory board holds three series; the next
block of each is read from that series' editions only. Editions belong together when
- their event names match once years, ordinals ("XII", "12th", "3er") and edition words are
  taken out: rapidfuzz's token_set_ratio of the folded names, at least NAME_SCORE of 100
  (word order, a typo or an added word keep a series; "Cardiología" against "Neumología" of
  the same society scores 86 and does not);
- their stays are about as long (a night apart, or a quarter of the longer stay);
- they fall in the same season: arrivals within SEASON_DAYS of the same day of the year.
Each edition, oldest first, joins the series whose latest edition it matches best (so a
series may drift a little in name and date over the years), or starts one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from .folding import fold

NAME_SCORE = 90  # token_set_ratio of the normalised names, 0-100
SEASON_DAYS = 42  # about six weeks either side of the same day of the year
YEAR_DAYS = 365

_YEARS = r"(?:19|20)\d\d(?:\s*[/-]\s*(?:(?:19|20)?\d\d))?"  # 2026, 2025/26, 2025-2026
_ORDINALS = (
    r"\d{1,3}(?:st|nd|rd|th|er|ra|do|da|ro|to|ta|mo|ma|vo|va|no|na)"  # 12th, 3er, 5to
    r"|\d{1,3}\s*\.?\s*[ªº]"  # 12ª, 12.º
)
_EDITION_WORDS = r"editions?|edici[oó]n(?:es)?|ed\."
_WORDS = re.compile(rf"(?<!\w)(?:{_YEARS}|{_ORDINALS}|{_EDITION_WORDS})(?!\w)", re.IGNORECASE)
# Roman numerals in capitals: two letters or more (II to LXXXIX), or one at the very start
# ("X Congreso"); a single letter elsewhere is as likely a word ("Foro I+D").
_ROMAN = re.compile(r"(?<!\w)(?:[IVXL]{2,}|^[IVX](?=\s))(?!\w)")
_PUNCTUATION = re.compile(r"[^\w]+")
_EMPTY = re.compile(r"\(\s*\)|\[\s*\]")  # "(2025)" once its year is out
_DASHES = "-\u2013\u2014:,/\u00b7|"  # hyphen, en and em dash, colon, comma, slash, dot, bar
_TIDY = re.compile(rf"\s*[{_DASHES}]\s*$|^\s*[{_DASHES}]\s*")


def series_title(name: str) -> str:
    """The event's name without its year, ordinal or edition word: what a series is called."""
    text = _EMPTY.sub(" ", _ROMAN.sub(" ", _WORDS.sub(" ", name)))
    text = " ".join(text.split())
    text = _TIDY.sub("", text).strip()
    return text or name.strip()


def event_key(name: str) -> str:
    """The folded title with punctuation as spaces: "XII Congreso de Cardiología 2026" ->
    "congreso de cardiologia"."""
    return " ".join(_PUNCTUATION.sub(" ", fold(series_title(name))).split())


def name_score(a: str, b: str) -> float:
    """How alike two event names are, 0-100, once normalised."""
    return float(fuzz.token_set_ratio(event_key(a), event_key(b)))


def same_season(a: date, b: date, days: int = SEASON_DAYS) -> bool:
    """Whether two arrivals fall within `days` of the same day of the year (across New Year)."""
    return _days_apart(a.timetuple().tm_yday, b.timetuple().tm_yday) <= days


def _days_apart(a: int, b: int) -> int:
    """Days between two days of the year, the shorter way round."""
    apart = abs(a - b)
    return min(apart, YEAR_DAYS - apart)


def similar_stay(a: int, b: int) -> bool:
    """Whether two stays are about as long: a night apart, or a quarter of the longer one."""
    return abs(a - b) <= max(1, max(a, b) // 4)


@dataclass(frozen=True)
class EventEdition:
    """What grouping reads of an edition."""

    code: str
    name: str
    arrival: date
    nights: int


@dataclass(frozen=True)
class Series:
    title: str  # the latest edition's name without its year or ordinal
    codes: tuple[str, ...]  # most recent first


Keyed = tuple[EventEdition, str, int]  # an edition, its name's key, its day of the year


def group_series(editions: Sequence[EventEdition]) -> list[Series]:
    """The editions grouped into series, the series with the latest edition first."""
    groups: list[list[Keyed]] = []
    for edition in sorted(editions, key=lambda e: (e.arrival, e.code)):
        key, day = event_key(edition.name), edition.arrival.timetuple().tm_yday
        best: tuple[float, date] | None = None
        home: list[Keyed] | None = None
        for group in groups:
            latest, latest_key, latest_day = group[-1]
            if not (
                _days_apart(day, latest_day) <= SEASON_DAYS
                and similar_stay(edition.nights, latest.nights)
            ):
                continue
            score = fuzz.token_set_ratio(key, latest_key, score_cutoff=NAME_SCORE)
            if score and (best is None or (score, latest.arrival) > best):
                best, home = (score, latest.arrival), group
        if home is None:
            groups.append([(edition, key, day)])
        else:
            home.append((edition, key, day))
    groups.sort(key=lambda g: (g[-1][0].arrival, g[-1][0].code), reverse=True)
    return [
        Series(series_title(g[-1][0].name), tuple(e.code for e, *_ in reversed(g))) for g in groups
    ]
