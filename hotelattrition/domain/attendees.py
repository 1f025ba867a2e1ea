"""Attendees matched to hotel guests: the planner's registration list against the in-house list.

Names are compared folded (accents and case ignored), "Last, First" read as "First Last",
punctuation dropped. Two names score with rapidfuzz's token_sort_ratio, 0 to 100: it sorts
the words before comparing, so the order of given and family names does not matter, and it
compares whole strings, so a short name is never a perfect match inside a long one (WRatio
takes the best of several partial comparisons, and scores "Ana" against "Ana María García
López" 90). Where both names have two words or more, one name's words found within the
other's (a middle name or a second family name left out) score 95: above any typo, below the
same name written in full, so the full name wins between two candidates. An initial ("J.")
stands for a word of the other name starting with that letter, when the name's other words
are all in the other name ("J. García" is read as "Juan García" against it; "J. Garcya" is
not: an initial and a typo together say too little). A pair matches at
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
from itertools import chain, combinations
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
        first, second = a.words, b.words
        if a.initial and _long(a.set) <= b.set:
            first, second = _initials_read(first, second)
        if b.initial and _long(b.set) <= a.set:
            second, first = _initials_read(second, first)
        a = _Name(first, " ".join(first), frozenset(first), False)
        b = _Name(second, " ".join(second), frozenset(second), False)
    if len(a.words) >= 2 and len(b.words) >= 2 and (a.set <= b.set or b.set <= a.set):
        return 100 if a.set == b.set else PART_SCORE
    return _whole(fuzz.token_sort_ratio(a.text, b.text, processor=None))


def _long(words: frozenset[str]) -> frozenset[str]:
    """The words that are not initials."""
    return frozenset(w for w in words if len(w) > 1)


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


SUBSET_WORDS = 8  # names of up to this many words are indexed by their words' subsets


def _subsets(words: frozenset[str], least: int) -> Iterator[frozenset[str]]:
    """Every subset of the words with at least `least` of them."""
    ordered = sorted(words)
    for size in range(least, len(ordered) + 1):
        for chosen in combinations(ordered, size):
            yield frozenset(chosen)


class _Pool:
    """The guests arriving within a night of a date, with their names read once and indexed
    by the sets of words they hold, so that the few a rule besides token_sort_ratio may
    reach are found by looking up, not by comparing each name with every guest."""

    def __init__(self, guests: Sequence[Guest], day: date):
        near = {day + timedelta(days=offset) for offset in range(-NIGHTS_APART, NIGHTS_APART + 1)}
        self.guests = [g for g in guests if g.arrival in near]
        self.names = [_Name.of(g.name) for g in self.guests]
        self.texts = [name.text for name in self.names]
        self.letters = [frozenset(w for w in name.set if len(w) == 1) for name in self.names]
        self.starts = [frozenset(w[0] for w in name.set if len(w) > 1) for name in self.names]
        self.holding: dict[frozenset[str], list[int]] = defaultdict(list)  # guests holding a set
        self.exact: dict[frozenset[str], list[int]] = defaultdict(list)  # guests with that set
        self.by_long: dict[frozenset[str], list[int]] = defaultdict(list)  # with initials
        self.wide: list[int] = []  # names too long to index: always looked at
        self.emails: dict[str, list[int]] = defaultdict(list)
        for index, (guest, name) in enumerate(zip(self.guests, self.names, strict=True)):
            if len(name.set) > SUBSET_WORDS:
                self.wide.append(index)
            else:
                for subset in _subsets(name.set, 1):
                    self.holding[subset].append(index)
            self.exact[name.set].append(index)
            if name.initial:
                self.by_long[_long(name.set)].append(index)
            if guest.email:
                self.emails[guest.email].append(index)

    def to_score(self, name: _Name) -> Iterable[int]:
        """The guests whose score with `name` may differ from token_sort_ratio's.

        Only those another rule can reach: one name's words all within the other's; or an
        initial read (the name with it has its other words all in the other name, which has
        a longer word starting with its letter). Any other pair scores token_sort_ratio,
        which process.extract has computed. A name of more than SUBSET_WORDS words is
        compared with every guest.
        """
        if len(name.set) > SUBSET_WORDS:
            return range(len(self.guests))
        found = set(self.wide)
        # One name's words within the other's: the guests holding mine, or held by mine.
        found.update(self.holding.get(name.set, ()))
        for subset in _subsets(name.set, 1):
            found.update(self.exact.get(subset, ()))
        my_long = _long(name.set)
        if my_letters := name.set - my_long:  # mine read: the guest holds my longer words
            holders = self.holding.get(my_long, ()) if my_long else range(len(self.guests))
            found.update(i for i in holders if my_letters & self.starts[i])
        # The guest's read: its longer words all mine, and a word of mine for its letter.
        my_starts = {w[0] for w in my_long}
        for subset in chain((frozenset(),), _subsets(my_long, 1)):
            found.update(i for i in self.by_long.get(subset, ()) if self.letters[i] & my_starts)
        return found


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
