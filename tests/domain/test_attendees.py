"""Attendees matched to in-house stays: worked examples of each rule."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hotelattrition.domain.attendees import (
    NAME_THRESHOLD,
    Attendee,
    Guest,
    email_digest,
    match_attendees,
    name_score,
    name_words,
    nights_apart,
    outside_block,
    rooms_per_night,
)

ARRIVAL, DEPARTURE = date(2027, 3, 10), date(2027, 3, 12)
KEY = b"test key"


def attendee(name: str, arrival: date = ARRIVAL, departure: date = DEPARTURE, line: int = 2,
             email: str | None = None) -> Attendee:  # fmt: skip
    return Attendee(line, name, arrival, departure, email_digest(email, KEY) if email else None)


def guest(name: str, arrival: date = ARRIVAL, departure: date = DEPARTURE, line: int = 2,
          block: str = "", room_type: str = "DBL", rooms: int = 1,
          email: str | None = None) -> Guest:  # fmt: skip
    digest = email_digest(email, KEY) if email else None
    return Guest(line, name, arrival, departure, room_type, rooms, block, digest)


def only(attendees: list[Attendee], guests: list[Guest]) -> tuple[str, str, int]:
    [match] = match_attendees(attendees, guests)
    return match.attendee.name, match.guest.name, match.score


def test_the_same_name_scores_100() -> None:
    found = only([attendee("Ana García")], [guest("Ana García")])
    assert found == ("Ana García", "Ana García", 100)


def test_accents_and_case_are_ignored() -> None:
    assert name_score("JOSÉ MUÑOZ", "jose munoz") == 100


def test_last_comma_first_reads_as_first_last() -> None:
    assert name_words("García López, Ana") == ["ana", "garcia", "lopez"]
    assert name_score("García, Ana", "Ana García") == 100


def test_a_typo_scores_above_the_threshold() -> None:
    score = name_score("Ana Garcia", "Ana Garcya")
    assert NAME_THRESHOLD <= score < 100
    assert score == 90


def test_a_dropped_middle_name_or_second_surname_scores_95() -> None:
    assert name_score("Ana García", "GARCIA LOPEZ, ANA MARIA") == 95
    assert name_score("John A. Smith", "John Smith") == 95


def test_an_initial_stands_for_a_given_name() -> None:
    assert name_score("J. Smith", "John Smith") == 100
    assert name_score("J. Smith", "Mary Smith") < NAME_THRESHOLD


def test_an_initial_is_read_only_beside_the_other_words_in_full() -> None:
    # An initial and a typo together say too little (fixes19: this is what lets the matching
    # look only at guests holding the name's other words).
    assert name_score("J. García", "Juan García López") == 95
    assert name_score("J. Garcya", "Juan García") < NAME_THRESHOLD
    assert name_score("Juan García", "J. Garcya") < NAME_THRESHOLD


def test_only_the_guests_a_rule_can_reach_are_scored_one_by_one() -> None:
    # The pairs token_sort_ratio decides are left to rapidfuzz's loop: a name with an initial
    # is not compared with every guest, nor a family name with everyone sharing it.
    from hotelattrition.domain.attendees import _Name, _Pool

    names = ["Juan García", "José López", "Luis García López", "A. García", "Ana María Ruiz"]
    names += [f"Pedro Sánchez {n}" for n in range(200)]
    pool = _Pool([guest(n, line=i) for i, n in enumerate(names)], ARRIVAL)

    def scored(name: str) -> set[str]:
        return {names[i] for i in pool.to_score(_Name.of(name))}

    assert scored("J. García") == {"Juan García"}
    assert scored("Ana García López") == {"A. García"}  # its initial may read as Ana
    assert scored("María Ruiz") == {"Ana María Ruiz"}  # within it: 95
    assert scored("Pedro Gómez") == set()


def test_other_people_of_the_same_family_do_not_match() -> None:
    assert name_score("Ana López", "Eva López") == 78
    assert match_attendees([attendee("Ana López")], [guest("Eva López")]) == []


def test_one_name_alone_is_not_found_inside_a_longer_one() -> None:
    assert name_score("Ana", "Ana María García López") < NAME_THRESHOLD


def test_dates_may_each_differ_by_one_night() -> None:
    shifted = guest("Ana García", date(2027, 3, 9), date(2027, 3, 13))
    [match] = match_attendees([attendee("Ana García")], [shifted])
    assert match.nights_apart == 2
    two_nights = guest("Ana García", date(2027, 3, 8))
    assert match_attendees([attendee("Ana García")], [two_nights]) == []


def test_of_two_candidates_the_better_is_taken() -> None:
    candidates = [guest("Ana Garcya", line=2), guest("Ana García", line=3)]
    assert only([attendee("Ana García")], candidates) == ("Ana García", "Ana García", 100)
    # The same name twice: the one whose dates are closer.
    candidates = [guest("Ana García", ARRIVAL.replace(day=11), line=2), guest("Ana García", line=3)]
    [match] = match_attendees([attendee("Ana García")], candidates)
    assert match.guest.line == 3


def test_each_guest_is_taken_once() -> None:
    attendees = [attendee("Ana García", line=2), attendee("Ana Garcia", line=3)]
    matches = match_attendees(attendees, [guest("Ana García")])
    assert [(m.attendee.line, m.score) for m in matches] == [(2, 100)]


def test_equal_emails_match_whatever_the_names() -> None:
    mine = attendee("Bob Jones", email="Bob@Example.com ")
    theirs = guest("Robert Jones-Smith", email="bob@example.com")
    [match] = match_attendees([mine], [theirs])
    assert (match.by_email, match.score) == (True, 100)
    assert mine.email is not None and "@" not in mine.email  # a digest, never the address
    assert email_digest("bob@example.com", b"another key") != mine.email


def test_no_match() -> None:
    assert match_attendees([attendee("Ana García")], [guest("Pedro Sánchez")]) == []


def test_outside_the_block_and_rooms_per_night() -> None:
    guests = [
        guest("Ana García", line=2, block="G-100"),
        guest("Luis Pérez", line=3, block="", room_type="STE"),
        guest("Eva Ruiz", date(2027, 3, 9), line=4, block="OTHER"),
    ]
    attendees = [attendee("Ana García"), attendee("Luis Perez", line=3),
                 attendee("Eva Ruiz", line=4)]  # fmt: skip
    outside = outside_block(match_attendees(attendees, guests), "g-100")
    assert [m.guest.name for m in outside] == ["Luis Pérez", "Eva Ruiz"]
    assert rooms_per_night(outside) == {
        (date(2027, 3, 9), "DBL"): 1,
        (date(2027, 3, 10), "DBL"): 1,
        (date(2027, 3, 10), "STE"): 1,
        (date(2027, 3, 11), "DBL"): 1,
        (date(2027, 3, 11), "STE"): 1,
    }


def test_the_fast_matching_finds_what_scoring_every_pair_finds() -> None:
    # Names with shared words, initials, typos and e-mails, dates spread over a week: the
    # matches equal those of scoring each pair with name_score and taking the best first.
    rng = random.Random(19)
    given = ["Ana", "Juan", "María", "José", "J.", "M.", "Luis", "Lucía", "Ann", "Jose Luis"]
    family = ["García", "Garcia", "Garcya", "López", "Lopez Ruiz", "Smith", "Smyth", "Pérez"]

    def name() -> str:
        first, last = rng.choice(given), rng.choice(family)
        return f"{last}, {first}" if rng.random() < 0.3 else f"{first} {last}"

    def day() -> date:
        return date(2027, 3, rng.randint(7, 12))

    def email() -> str | None:
        return f"p{rng.randint(1, 30)}@example.com" if rng.random() < 0.2 else None

    attendees = [attendee(name(), a, a + timedelta(days=2), line, email())
                 for line, a in ((n, day()) for n in range(2, 120))]  # fmt: skip
    guests = [guest(name(), a, a + timedelta(days=rng.randint(1, 3)), line, email=email())
              for line, a in ((n, day()) for n in range(2, 200))]  # fmt: skip
    pairs = []
    for a in attendees:
        for g in guests:
            if (apart := nights_apart(a, g)) is None:
                continue
            by_email = a.email is not None and a.email == g.email
            score = 100 if by_email else name_score(a.name, g.name)
            if by_email or score >= NAME_THRESHOLD:
                pairs.append((-score, apart, a.line, g.line))
    expected, seen_a, seen_g = set(), set(), set()
    for _score, _apart, a_line, g_line in sorted(pairs):
        if a_line not in seen_a and g_line not in seen_g:
            seen_a.add(a_line)
            seen_g.add(g_line)
            expected.add((a_line, g_line, -_score))
    found = {(m.attendee.line, m.guest.line, m.score) for m in match_attendees(attendees, guests)}
    assert len(expected) > 20
    assert found == expected
