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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from rapidfuzz import fuzz, process

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
    candidates = sorted(
        _candidates(attendees, guests),
        key=lambda m: (-m.score, m.nights_apart, m.attendee.line, m.guest.line),
    )
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


def _candidates(attendees: Sequence[Attendee], guests: Sequence[Guest]) -> Iterator[Match]:
    """Every attendee-guest pair that matches, scored as name_score scores it.

    The guests arriving within a night of an attendee are scored in rapidfuzz's own loop
    (process.extract); only the pairs the other rules may raise (an initial, two words or
    more in common) and equal e-mail digests are scored one by one.
    """
    pools: dict[date, _Pool] = {}
    for attendee in attendees:
        if (pool := pools.get(attendee.arrival)) is None:
            pool = pools[attendee.arrival] = _Pool(guests, attendee.arrival)
        mine = _Name.of(attendee.name)
        scores = {
            index: _whole(score)
            for _text, score, index in process.extract(
                mine.text,
                pool.texts,
                scorer=fuzz.token_sort_ratio,
                processor=None,
                score_cutoff=NAME_THRESHOLD - 0.5,  # what rounds to the threshold
                limit=None,
            )
        }
        for index in pool.to_score(mine):
            scores[index] = _score(mine, pool.names[index])
        by_email = set(pool.emails.get(attendee.email, ())) if attendee.email else set()
        for index in scores.keys() | by_email:
            guest = pool.guests[index]
            if (apart := nights_apart(attendee, guest)) is None:
                continue
            if index in by_email:
                yield Match(attendee, guest, EMAIL_SCORE, True, apart)
            elif scores[index] >= NAME_THRESHOLD:
                yield Match(attendee, guest, scores[index], False, apart)


class _Pool:
    """The guests arriving within a night of a date, with their names read once."""

    def __init__(self, guests: Sequence[Guest], day: date):
        near = {day + timedelta(days=offset) for offset in range(-NIGHTS_APART, NIGHTS_APART + 1)}
        self.guests = [g for g in guests if g.arrival in near]
        self.names = [_Name.of(g.name) for g in self.guests]
        self.texts = [name.text for name in self.names]
        self.initials = [i for i, name in enumerate(self.names) if name.initial]
        self.words: dict[str, list[int]] = defaultdict(list)
        self.emails: dict[str, list[int]] = defaultdict(list)
        for index, (guest, name) in enumerate(zip(self.guests, self.names, strict=True)):
            for word in name.set:
                self.words[word].append(index)
            if guest.email:
                self.emails[guest.email].append(index)

    def to_score(self, name: _Name) -> Iterable[int]:
        """The guests whose score with `name` may differ from token_sort_ratio's."""
        if name.initial:
            return range(len(self.guests))
        shared: dict[int, int] = defaultdict(int)
        for word in name.set:
            for index in self.words.get(word, ()):
                shared[index] += 1
        return {*self.initials, *(index for index, count in shared.items() if count >= 2)}


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
