"""Users: the administrator's list of who may sign in, with what role, at which properties."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import User
from ..access import requires

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.route("/")
@requires("admin")
def index() -> str:
    users = db.session.scalars(
        select(User).options(selectinload(User.properties)).order_by(User.email)
    ).all()
    return render_template("users/index.html", users=users)
