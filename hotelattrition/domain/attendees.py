"""Attendees matched to hotel guests: the planner's registration list against the in-house list.

Names are compared folded (accents and case ignored), "Last, First" read as "First Last",
punctuation dropped. Two names score with rapidfuzz's token_sort_ratio, 0 to 100: it sorts
the words before comparing, so the order of given and family names does not matter, and it
compares whole strings, so a short name is never a perfect match inside a long one (WRatio
takes the best of several partial comparisons, and scores "Ana" against "Ana María García
López" 90). Where both names have two words or more, one name's words found within the
other's (a middle name or a second family name left out) score 95: above any typo, below the
same name written in full, so the full name wins between two candidates. An initial ("J.")
stands for a word of the other name starting with that letter. A pair matches at
NAME_THRESHOLD (85: one wrong letter in a name of eight or more scores above it; "Ana López"
against "Eva López" scores 78) and when arrival and departure are each within one night.
Equal e-mail digests (HMAC-SHA256 with the app's key, never the address) with dates within a
night match whatever the names (score 100).

Each attendee takes at most one guest and each guest one attendee: the candidate pairs are
taken best first (score, then the nights apart, then the lines), so of two candidates for an
attendee the better is kept. Pure: no I/O; rapidfuzz computes and reads nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from rapidfuzz import fuzz

from .folding import fold

NAME_THRESHOLD = 85  # token_sort_ratio, 0-100
PART_SCORE = 95  # one name's words all within the other's
EMAIL_SCORE = 100
NIGHTS_APART = 1  # arrival and departure may each differ by one night
_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script


@dataclass(frozen=True)
class Attendee:
    """One row of the planner's registration list (line: where read)."""

    line: int
    name: str
    arrival: date
    departure: date
    email: str | None = None  # the address's digest (email_digest), never the address


@dataclass(frozen=True)
class Guest:
    """One stay of the hotel's in-house list."""

    line: int
    name: str
    arrival: date
    departure: date
    room_type: str
    rooms: int  # 0 for a sharer of a room counted on another line
    block_code: str  # "" when the stay is in no block
    email: str | None = None


@dataclass(frozen=True)
class Match:
    """An attendee and the guest taken for them, with the score and how they matched."""

    attendee: Attendee
    guest: Guest
    score: int  # 0-100
    by_email: bool
    nights_apart: int  # arrival and departure differences added


def email_digest(email: str, key: bytes) -> str:
    """The address's HMAC-SHA256 with the app's key, hex: comparable, never readable."""
    normalised = email.strip().casefold().encode("utf-8")
    return hmac.new(key, normalised, hashlib.sha256).hexdigest()


def name_words(name: str) -> list[str]:
    """The words of a name folded, given names first: "García López, Ana" -> ana garcia lopez."""
    family, comma, given = name.partition(",")
    ordered = f"{given} {family}" if comma else name
    return _WORD.findall(fold(ordered))


def name_score(first: str, second: str) -> int:
    """How alike two names are, 0 to 100 (see the module's rules)."""
    return _score(_Name.of(first), _Name.of(second))


class _Name(NamedTuple):
    """A name's words, read once: a list is compared with many names."""

    words: list[str]
    text: str  # the words joined by a space
    set: frozenset[str]
    initial: bool  # has a one-letter word

    @classmethod
    def of(cls, name: str) -> _Name:
        words = name_words(name)
        return cls(words, " ".join(words), frozenset(words), any(len(w) == 1 for w in words))


def _score(a: _Name, b: _Name) -> int:
    if a.initial or b.initial:
        first, second = _initials_read(a.words, b.words)
        second, first = _initials_read(second, first)
        a = _Name(first, " ".join(first), frozenset(first), False)
        b = _Name(second, " ".join(second), frozenset(second), False)
    if len(a.words) >= 2 and len(b.words) >= 2 and (a.set <= b.set or b.set <= a.set):
        return 100 if a.set == b.set else PART_SCORE
    return _whole(fuzz.token_sort_ratio(a.text, b.text, processor=None))


def _initials_read(words: list[str], other: list[str]) -> tuple[list[str], list[str]]:
    """`words` with each one-letter word replaced by a word of `other` it is the initial of."""
    free = [w for w in other if len(w) > 1 and w not in words]
    read = []
    for word in words:
        found = next((w for w in free if len(word) == 1 and w[0] == word), None)
        if found is not None:
            free.remove(found)
        read.append(found or word)
    return read, other


def _whole(score: float) -> int:
    return int(Decimal(str(score)).quantize(Decimal(1), ROUND_HALF_UP))


def nights_apart(attendee: Attendee, guest: Guest) -> int | None:
    """Arrival and departure differences added; None when either is over one night."""
    arrival = abs((attendee.arrival - guest.arrival).days)
    departure = abs((attendee.departure - guest.departure).days)
    if arrival > NIGHTS_APART or departure > NIGHTS_APART:
        return None
    return arrival + departure


def match_attendees(attendees: Sequence[Attendee], guests: Sequence[Guest]) -> list[Match]:
    """The attendees matched one to one to guests, best candidates first, in attendee order."""
    by_arrival: dict[date, list[Guest]] = defaultdict(list)
    for guest in guests:
        by_arrival[guest.arrival].append(guest)
    names = {g.line: _Name.of(g.name) for g in guests}
    candidates = []
    for attendee in attendees:
        mine = _Name.of(attendee.name)
        for guest in _arriving_near(attendee.arrival, by_arrival):
            if (apart := nights_apart(attendee, guest)) is None:
                continue
            by_email = attendee.email is not None and attendee.email == guest.email
            score = EMAIL_SCORE if by_email else _score(mine, names[guest.line])
            if by_email or score >= NAME_THRESHOLD:
                candidates.append(Match(attendee, guest, score, by_email, apart))
    candidates.sort(key=lambda m: (-m.score, m.nights_apart, m.attendee.line, m.guest.line))
    taken_attendees: set[int] = set()
    taken_guests: set[int] = set()
    matches = []
    for match in candidates:
        if match.attendee.line in taken_attendees or match.guest.line in taken_guests:
            continue
        taken_attendees.add(match.attendee.line)
        taken_guests.add(match.guest.line)
        matches.append(match)
    return sorted(matches, key=lambda m: m.attendee.line)


def _arriving_near(day: date, by_arrival: dict[date, list[Guest]]) -> Iterable[Guest]:
    for offset in range(-NIGHTS_APART, NIGHTS_APART + 1):
        yield from by_arrival.get(day + timedelta(days=offset), ())


def outside_block(matches: Iterable[Match], code: str) -> list[Match]:
    """The matches whose guest stayed outside the group's block (another block or none)."""
    return [m for m in matches if m.guest.block_code.casefold() != code.casefold()]


def rooms_per_night(matches: Iterable[Match]) -> dict[tuple[date, str], int]:
    """Rooms per night and room type of the matched guests' stays (departure not a night)."""
    rooms: dict[tuple[date, str], int] = defaultdict(int)
    for match in matches:
        guest = match.guest
        for offset in range((guest.departure - guest.arrival).days):
            rooms[guest.arrival + timedelta(days=offset), guest.room_type] += guest.rooms
    return dict(sorted(rooms.items()))
