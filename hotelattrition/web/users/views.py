"""Users: the administrator's list of who may sign in, with what role, at which properties."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ...extensions import db
from ...models import Property, User
from ...models.users import ROLES
from ...services import AlreadyExists, ServiceError
from ...services.users import invite_user, reset_password, set_access, set_active
from ..access import requires
from ..problems import show_problems
from ..transactions import refusal
from .forms import AccessForm, NewUserForm, UserActionForm

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.route("/")
@requires("admin")
def index() -> str:
    users = db.session.scalars(
        select(User).options(selectinload(User.properties)).order_by(User.email)
    ).all()
    return render_template("users/index.html", users=users, action=UserActionForm())


@bp.route("/new", methods=["GET", "POST"])
@requires("admin")
def new() -> tuple[str, int]:
    """Add a user; the temporary password is shown once, on this answer only."""
    form = _choices(NewUserForm())
    if form.validate_on_submit():
        with refusal() as refused:
            user, password = invite_user(
                current_user, form.email.data, form.name.data or "", form.role.data,
                form.properties.data or [],
            )  # fmt: skip
        if not refused:
            return render_template("users/password.html", user=user, password=password), 200
        _show(refused.error, form)
    return render_template("users/form.html", form=form, user=None), 400 if form.errors else 200


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@requires("admin")
def edit(user_id: int) -> tuple[str, int] | Response:
    user = db.session.get(User, user_id) or abort(404)
    data = None
    if request.method != "POST":
        codes = [p.code for p in user.properties]
        data = {"name": user.name, "role": user.role, "properties": codes}
    form = _choices(AccessForm(data=data))
    if form.validate_on_submit():
        with refusal() as refused:
            set_access(
                current_user, user, form.name.data or "", form.role.data,
                form.properties.data or [],
            )  # fmt: skip
        if not refused:
            flash(_("%(email)s is saved.", email=user.email))
            return redirect(url_for("users.index"))
        _show(refused.error, form)
    page = render_template("users/form.html", form=form, user=user, action=UserActionForm())
    return page, 400 if form.errors else 200


@bp.route("/<int:user_id>/active", methods=["POST"])
@requires("admin")
def active(user_id: int) -> Response:
    """Deactivate or reactivate (the button says which); never oneself."""
    user = db.session.get(User, user_id) or abort(404)
    if not UserActionForm().validate_on_submit():
        abort(400)
    turn_on = request.form.get("active") == "1"
    with refusal() as refused:
        set_active(current_user, user, turn_on)
    if refused:
        flash(_("You cannot deactivate yourself."))
    elif turn_on:
        flash(_("%(email)s may sign in again.", email=user.email))
    else:
        flash(
            _("%(email)s is deactivated: their sessions and API tokens stopped.", email=user.email)
        )
    return redirect(url_for("users.index"))


@bp.route("/<int:user_id>/reset", methods=["POST"])
@requires("admin")
def reset(user_id: int) -> str:
    """A temporary password, shown once; the user sets their own at next sign-in."""
    user = db.session.get(User, user_id) or abort(404)
    if not UserActionForm().validate_on_submit():
        abort(400)
    password = reset_password(current_user, user)
    return render_template("users/password.html", user=user, password=password, reset=True)


def _choices(form: AccessForm) -> AccessForm:
    form.role.choices = [(role, _(role)) for role in ROLES]
    codes = db.session.scalars(select(Property.code).order_by(Property.code)).all()
    form.properties.choices = [(code, code) for code in codes]
    return form


def _show(error: ServiceError, form: AccessForm) -> None:
    if isinstance(error, AlreadyExists) and isinstance(form, NewUserForm):
        form.email.errors = [_("Another user has this email.")]
        return
    fields = form._fields | {"property": form.properties}
    loose = show_problems(error.problems, fields, _)
    form.name.errors = [*form.name.errors, *loose]
