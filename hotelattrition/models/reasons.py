"""Reasons from lists a hotel group configures: why a waiver, why business was lost, why an
account left, which department a complaint is about. Each is labelled in English and Spanish
by whoever adds it."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model, db

# The lists there are; a reason belongs to one.
REASON_KINDS = ("waiver", "lost_business", "account_lost", "department")


class Reason(Model):
    __tablename__ = "reasons"
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    label_en: Mapped[str] = mapped_column(String(120))
    label_es: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    # A retired reason stays on the records that cite it but is no longer offered.
    active: Mapped[bool] = mapped_column(default=True)

    def label(self, locale: str) -> str:
        return self.label_es if str(locale).startswith("es") else self.label_en


def reasons_of(kind: str, *, include_retired: bool = False) -> list[Reason]:
    """A list's reasons in the order it was set."""
    query = select(Reason).where(Reason.kind == kind).order_by(Reason.position, Reason.id)
    if not include_retired:
        query = query.where(Reason.active.is_(True))
    return list(db.session.scalars(query))
