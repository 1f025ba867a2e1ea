"""Batch forms: issue all due invoices, the monthly report pack, recompute settlements."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired, Optional

from ..months import MonthField


class IssueDueForm(FlaskForm):
    """Every property the user invoices, or one; every month, or stays ending in one."""

    property = SelectField(_l("Property"), choices=[], default="")
    month = MonthField(_l("Stays ending in"), validators=[Optional()])


class ReportPackForm(FlaskForm):
    property = SelectField(_l("Property"), choices=[], default="")
    month = MonthField(_l("Month"), validators=[DataRequired()])


class RecomputeForm(FlaskForm):
    property = SelectField(_l("Property"), choices=[], default="")
