"""One owner per contract (services.owners): its creator, else who made its links, else the
property's manager; reminders, the owner's notices and a detractor's follow-up all ask it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import FollowUp
from hotelattrition.services.contract_editing import ContractDetails
from hotelattrition.services.contract_editing import create_contract as create_from_form
from hotelattrition.services.owners import contract_owner
from hotelattrition.services.planner import create_planner_link
from hotelattrition.services.reminders import recipients
from hotelattrition.services.surveys import SurveyData, answer_survey, create_survey_link
from tests.conftest import KNOWN_ON, sample_document
from tests.invoicing import stay_document


@pytest.fixture
def staff(create_property: Any, create_user: Any) -> dict[str, Any]:
    """MAD's people: ana (sales, makes contracts), luis (sales, makes links), marta (manager),
    and some who never own a MAD contract: BCN's manager, MAD's accountant, an admin."""
    create_property("MAD")
    bcn = create_property("BCN")
    create_user("admin@example.com", "admin")  # sees every hotel, manages none
    create_user("bcn@example.com", "manager", ("BCN",))
    create_user("books@example.com", "accounting", ("MAD",))
    return {
        "ana": create_user("ana@example.com", "sales", ("MAD",)),
        "luis": create_user("luis@example.com", "sales", ("MAD",)),
        "marta": create_user("marta@example.com", "manager", ("MAD",)),
        "bcn": bcn,
    }


def made_by(user: Any, code: str = "G-100") -> Any:
    document = {"as_of": KNOWN_ON} | sample_document(code=code)
    return create_from_form(document, ContractDetails(None, ()), user)


def test_the_creator_owns_the_contract_over_a_link_maker_and_the_manager(
    database: Any, staff: dict[str, Any]
) -> None:
    contract = made_by(staff["ana"])
    link, _token = create_planner_link("luis@example.com", contract)
    assert contract_owner(contract) == contract_owner(contract, link) == staff["ana"]


@pytest.mark.parametrize("gone", ["inactive", "moved", "viewer"])
def test_a_creator_who_can_no_longer_act_gives_way_to_the_link_maker(
    database: Any, staff: dict[str, Any], gone: str
) -> None:
    contract = made_by(staff["ana"])
    ana = staff["ana"]
    if gone == "inactive":
        ana.active = False
    elif gone == "moved":  # to Barcelona: no mail about Madrid's figures
        ana.properties = [staff["bcn"]]
    else:
        ana.role = "viewer"
    database.flush()
    link, _token = create_planner_link("luis@example.com", contract)
    assert contract_owner(contract, link) == staff["luis"]


def test_without_a_link_named_the_newest_link_maker_who_can_act(
    database: Any, create_user: Any, staff: dict[str, Any], create_contract: Any
) -> None:
    contract = create_contract()  # imported: no creator
    create_user("old@example.com", "sales", ("MAD",))
    create_planner_link("old@example.com", contract)
    create_planner_link("luis@example.com", contract)  # newer, and it revokes the first
    create_planner_link("cli", contract)  # a command: no user
    assert contract_owner(contract) == staff["luis"]


def test_with_no_creator_nor_link_maker_the_propertys_manager(
    database: Any, create_user: Any, staff: dict[str, Any], create_contract: Any
) -> None:
    contract = create_contract()  # imported; MAD's accountant and BCN's manager never own it
    assert contract_owner(contract) == staff["marta"]
    create_user("view@example.com", "viewer", ("MAD",))
    link, _token = create_planner_link("view@example.com", contract)  # a viewer cannot act
    assert contract_owner(contract, link) == staff["marta"]
    staff["marta"].active = False
    database.flush()
    assert contract_owner(contract, link) is None


def test_nobody_at_the_hotel_to_act_means_no_owner(
    database: Any, create_contract: Any, create_property: Any, create_user: Any
) -> None:
    contract = create_contract()
    create_property("BCN")
    create_user("admin@example.com", "admin")
    create_user("bcn@example.com", "manager", ("BCN",))
    create_user("view@example.com", "viewer", ("MAD",))
    create_planner_link("view@example.com", contract)
    assert contract_owner(contract) is None
    assert recipients(contract) == []  # the sample account has no contact address either


def test_reminders_and_the_detractor_follow_up_reach_the_same_owner(
    database: Any, staff: dict[str, Any], create_contract: Any
) -> None:
    imported = create_contract(**stay_document("H-200"))
    # An imported contract nobody made: the manager hears its reminders.
    assert [r.address for r in recipients(imported)] == ["marta@example.com"]
    contract = made_by(staff["ana"], "G-100")
    link, _token = create_survey_link("luis@example.com", contract, date(2027, 3, 12))
    answer_survey(link, SurveyData(3, 2, 2, 2, "Cold rooms."))
    followup = database.scalars(select(FollowUp)).one()
    # The creator owns it, as she hears the reminders, not the one who sent the survey.
    assert followup.owner_id == staff["ana"].id
    assert [r.address for r in recipients(contract)] == ["ana@example.com"]
