"""The codec's problem messages are listed for translation, as the forms show them."""

from __future__ import annotations

from datetime import date
from typing import Any

from hotelattrition.domain.codec import DUPLICATE_KEY, NOT_MONEY, STAY_TOO_LONG
from hotelattrition.domain.limits import (
    ACCOUNT_NAME_MAX,
    CODE_MAX,
    ROOM_TYPE_MAX,
    date_problem,
    length_problem,
)
from hotelattrition.web.messages import DOCUMENT_PROBLEMS


def test_the_bounds_messages_are_extracted_for_translation(app: Any) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        listed = {str(message) for message in DOCUMENT_PROBLEMS}
    wanted = {DUPLICATE_KEY, NOT_MONEY, STAY_TOO_LONG, date_problem(date(1999, 12, 31))}
    wanted |= {
        length_problem("x" * (n + 1), n) for n in (ROOM_TYPE_MAX, CODE_MAX, ACCOUNT_NAME_MAX)
    }
    assert wanted <= listed
