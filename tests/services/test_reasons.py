"""The configurable reason lists: seeded by the migration, labelled per language, retirable."""

from __future__ import annotations

from typing import Any

import pytest

from hotelattrition.services import NotFound, ServiceError
from hotelattrition.services.reasons import (
    add_reason,
    reason_choices,
    reason_label,
    reason_labels,
    retire_reason,
)
from tests.listing import reading, statements


def test_each_list_is_seeded_in_both_languages(database: Any) -> None:
    assert reason_choices("waiver", "en")[0] == ("relationship", "Relationship")
    assert ("price", "Precio") in reason_choices("account_lost", "es_MX")
    assert reason_label("lost_business", "rate_too_high", "es") == "Tarifa demasiado alta"


def test_a_reason_is_added_at_the_end_and_retired_without_losing_its_label(database: Any) -> None:
    add_reason("waiver", "goodwill", "Goodwill", "Buena voluntad")
    assert reason_choices("waiver", "en")[-1] == ("goodwill", "Goodwill")
    retire_reason("waiver", "goodwill")
    assert "goodwill" not in dict(reason_choices("waiver", "en"))
    assert reason_label("waiver", "goodwill", "es") == "Buena voluntad"
    assert reason_label("waiver", "never_listed", "en") == "never_listed"


def test_a_lists_labels_are_read_in_one_statement(database: Any) -> None:
    """A report's page labels a reason per row: one statement for all of them."""
    add_reason("lost_business", "gone", "Gone", "Ido")
    retire_reason("lost_business", "gone")
    with statements() as sent:
        labels = reason_labels("lost_business", "es")
    assert (labels["rate_too_high"], labels["gone"]) == ("Tarifa demasiado alta", "Ido")
    assert len(reading("reasons", sent)) == 1


def test_a_bad_reason_is_refused_field_by_field(database: Any) -> None:
    with pytest.raises(ServiceError) as refused:
        add_reason("mood", "Bad Code", "", "x" * 121)
    assert [field for field, _ in refused.value.problems] == [
        "kind",
        "code",
        "label_en",
        "label_es",
    ]
    with pytest.raises(NotFound):
        retire_reason("waiver", "nothing")
