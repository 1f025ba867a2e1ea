"""The planner's link actions on the contract page: each is one button (with its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class CreateLinkForm(FlaskForm):
    """Create the planner's link, or regenerate it (the old one stops working)."""


class RevokeLinkForm(FlaskForm):
    """Revoke the planner's live link."""
