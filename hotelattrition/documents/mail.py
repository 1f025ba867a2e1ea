"""A reminder's words: subject, plain text and HTML, in the reader's language, from plain data.

The templates are templates/mail/: the same catalogues and figures as the PDFs
(documents.templates), so a reminder in Spanish reads "penalizaciones" and "1.234,50 €".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from .templates import environment, language_of

DATE_KINDS = ("review", "cutoff")


@dataclass(frozen=True)
class ReminderFigures:
    """What a reminder says about one contract before one of its dates."""

    language: str  # "en" or "es": the reader's
    locale: str  # the figures' locale (the property's when it speaks the reader's language)
    contract_code: str
    contract_name: str
    account_name: str
    property_name: str
    arrival: date
    departure: date
    date_kind: str  # "review" or "cutoff"
    date_on: date
    days_left: int
    max_reduction_pct: Decimal | None  # a review date's limit
    block_room_nights: int
    picked_up: int
    minimum: Decimal
    still_needed: Decimal
    damages: Decimal  # projected: owed if pickup stayed where it is
    currency: str
    # The planner's page (issue 19, "The planner's page"): None until that link exists; when
    # set, the reminder shows it under "Follow your group's pickup".
    planner_url: str | None = None


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def figures_locale(language: str, property_locale: str) -> str:
    """The property's locale when it speaks the reader's language, else the language alone."""
    return property_locale if language_of(property_locale) == language else language


def render_reminder(figures: ReminderFigures) -> RenderedMail:
    """The reminder's subject, text and HTML in its reader's language."""
    env = environment(figures.locale)  # figures_locale: it speaks the reader's language
    values = asdict(figures)
    # Rendered once, as plain text; the HTML gets it as a value, which it escapes.
    subject = " ".join(env.get_template("mail/reminder_subject.txt").render(values).split())
    return RenderedMail(
        subject=subject,
        text=env.get_template("mail/reminder.txt").render(values),
        html=env.get_template("mail/reminder.html").render(values, subject=subject),
    )


OWNER_EVENTS = ("dispute", "comment")


@dataclass(frozen=True)
class OwnerNotice:
    """What the planner did through the link, told to the contract's owner."""

    language: str  # "en" or "es": the owner's
    locale: str
    event: str  # "dispute": a damages invoice disputed; "comment": the final pickup commented
    contract_code: str
    contract_name: str
    account_name: str
    property_name: str
    invoice_number: str  # the disputed invoice ("" for a comment)
    nights: tuple[date, ...]  # the nights disputed or commented
    message: str  # the planner's words opening the dispute ("" for a comment)
    url: str  # the hotel's page: the dispute, or the contract
    comments: tuple[tuple[date, str], ...] = ()  # each commented night and its words


def render_owner_notice(notice: OwnerNotice) -> RenderedMail:
    """The notice's subject, text and HTML in the owner's language."""
    env = environment(notice.locale)
    values = asdict(notice)
    subject = " ".join(env.get_template("mail/owner_notice_subject.txt").render(values).split())
    return RenderedMail(
        subject=subject,
        text=env.get_template("mail/owner_notice.txt").render(values),
        html=env.get_template("mail/owner_notice.html").render(values, subject=subject),
    )
