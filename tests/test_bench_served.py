"""The bench's server helper: gunicorn serves the app and the baseline page over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import pages, served_app
from bench.served import Served

PASSWORD = "bench-password-2027"


def test_gunicorn_serves_the_app_and_the_plain_page_to_a_signed_in_user(tmp_path: Path) -> None:
    from flask_migrate import upgrade

    from hotelattrition.extensions import db
    from hotelattrition.services.properties import PropertyData, create_property
    from hotelattrition.services.users import create_user

    url = f"sqlite:///{tmp_path / 'served.sqlite'}"
    app = served_app.bench_app(url)
    with app.app_context():
        upgrade()
        create_property(PropertyData(code="H01", name="Hotel 1", currency="EUR", locale="es_ES",
                                     country="ES", timezone="Europe/Madrid"))  # fmt: skip
        create_user("sales@bench.test", "sales", PASSWORD, ("H01",), "Sales")
        db.session.commit()
        db.engine.dispose()
    with Served(url) as server:
        session = server.session("sales@bench.test", PASSWORD)
        assert session.rows("/bench/plain") == served_app.PLAIN_ROWS == 50
        assert "No contracts yet" in session.get("/contracts/").decode()
        paired = pages.compare(session, "/contracts/", "/bench/plain", seconds=0)
        assert len(paired.a) == len(paired.b) >= 5 and paired.rate_ratio > 0
        with pytest.raises(RuntimeError, match="sign-in"):
            server.session("sales@bench.test", "wrong password")
        process = server.process
    assert process is not None and process.poll() is not None  # stopped on leaving
