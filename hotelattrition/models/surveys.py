"""Survey answers: the planner's one answer to a contract's post-event survey."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.surveys import COMMENT_MAX
from ..extensions import Model
from .contracts import utcnow

if TYPE_CHECKING:
    from .contracts import Contract
    from .guest_links import GuestLink

CATEGORIES = ("promoter", "passive", "detractor")


class SurveyAnswer(Model):
    """One contract's survey answer: a contract is answered once, whatever link asked.

    `category` is kept beside the score (domain.surveys.category) so NPS is counted in SQL;
    `answered_on` is the hotel's day of the answer, the period reports group by.
    """

    __tablename__ = "survey_answers"
    __table_args__ = (
        CheckConstraint("recommend BETWEEN 0 AND 10", name="recommend"),
        CheckConstraint("sales BETWEEN 1 AND 5", name="sales"),
        CheckConstraint("operations BETWEEN 1 AND 5", name="operations"),
        CheckConstraint("billing BETWEEN 1 AND 5", name="billing"),
        CheckConstraint("category IN ('promoter', 'passive', 'detractor')", name="category"),
        Index("ix_survey_answers_property_id_answered_on", "property_id", "answered_on"),
        Index("ix_survey_answers_account_id_answered_on", "account_id", "answered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), unique=True
    )
    # Copied from the contract when answered: the reports group by them without a join.
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("guest_links.id", ondelete="SET NULL"))
    recommend: Mapped[int] = mapped_column(SmallInteger)
    category: Mapped[str] = mapped_column(String(10))
    sales: Mapped[int] = mapped_column(SmallInteger)
    operations: Mapped[int] = mapped_column(SmallInteger)
    billing: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(String(COMMENT_MAX), default="", server_default="")
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_on: Mapped[date]

    contract: Mapped[Contract] = relationship()
    link: Mapped[GuestLink | None] = relationship()
