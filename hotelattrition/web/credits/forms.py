"""The credit actions on the contract page: each is one button (with its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ConvertForm(FlaskForm):
    """Convert the contract's damages under its rebooking clause."""


class ApplyForm(FlaskForm):
    """Use the account's eligible credits on this contract."""


class GrantForm(FlaskForm):
    """Grant a standing waiver's amount as an account credit (source "waiver")."""
