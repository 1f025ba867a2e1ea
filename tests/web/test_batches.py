"""Batch pages: issue all due from the invoices page, follow the batch, the pack, the rules."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from hotelattrition import ROOT, jobs
from hotelattrition.models import Batch, BatchItem, Invoice
from tests.conftest import csrf_token, log_in
from tests.invoicing import cancelled_document, madrid_today, stay_document


def token(client: Any, page: str, prefix: str) -> str:
    html = client.get(page).get_data(as_text=True)
    match = re.search(rf'name="{prefix}-csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no {prefix} form on {page}"
    return match.group(1)


def finish_queued(database: Any) -> None:
    """On PostgreSQL no worker runs in the suite: run the queued items here, as one would."""
    if jobs.uses_queue():
        jobs.run_here(list(database.scalars(sa.select(BatchItem.id).order_by(BatchItem.id))))


def issue_all(client: Any, **fields: str) -> Any:
    data = {"due-csrf_token": token(client, "/invoices/", "due")} | {
        f"due-{k}": v for k, v in fields.items()
    }
    return client.post("/batches/issue-due", data=data)


def test_accounting_issues_all_due_and_follows_the_batch(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract(**stay_document("G-100"))
    create_contract(**cancelled_document("C-300"))
    create_contract(**cancelled_document("B-200", property="BCN"))  # not the user's property
    create_user("accounting@example.com", "accounting", ("MAD",))
    log_in(client, "accounting@example.com")
    assert "Issue all due" in client.get("/invoices/").get_data(as_text=True)
    started = issue_all(client, property="")
    assert started.status_code == 302
    batch = database.scalar(sa.select(Batch))
    assert started.location.endswith(f"/batches/{batch.id}")
    assert sorted(i.key for i in batch.items) == ["C-300", "G-100"]
    assert batch.requested_by == "accounting@example.com"
    finish_queued(database)
    state = client.get(f"/batches/{batch.id}/progress.json").get_json()
    assert state == {"total": 2, "done": 2, "failed": 0, "left": 0, "finished": True}
    page = client.get(f"/batches/{batch.id}").get_data(as_text=True)
    numbers = database.scalars(sa.select(Invoice.number)).all()
    assert len(numbers) == 2 and all(n in page for n in numbers)
    assert 'data-finished="true"' in page and "batch-progress.js" in page
    assert "<script>" not in page and "style=" not in page  # the CSP stays strict


def test_the_page_shows_progress_and_failures_before_the_end(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract(**stay_document("G-100"))
    create_user("accounting@example.com", "accounting", ("MAD",))
    log_in(client, "accounting@example.com")
    from hotelattrition.services.batches import create_batch

    batch = create_batch("issue_due", {"properties": ["MAD"]}, "accounting@example.com",
                         ["G-100", "NOPE", "LATER"])  # fmt: skip
    database.commit()
    jobs.run_here([batch.items[0].id, batch.items[1].id])
    state = client.get(f"/batches/{batch.id}/progress.json").get_json()
    assert state == {"total": 3, "done": 1, "failed": 1, "left": 1, "finished": False}
    page = client.get(f"/batches/{batch.id}").get_data(as_text=True)
    assert 'data-finished="false"' in page and 'value="2"' in page
    assert "NOPE" in page and "contract NOPE not found" in page


def test_only_accounting_issues_and_only_the_requester_sees_a_batch(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract(**stay_document("G-100"))
    create_user("accounting@example.com", "accounting", ("MAD",))
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    assert "Issue all due" not in client.get("/invoices/").get_data(as_text=True)
    refused = client.post(
        "/batches/issue-due", data={"due-csrf_token": csrf_token(client, "/invoices/")}
    )
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/invoices/")})
    log_in(client, "accounting@example.com")
    issue_all(client)
    batch = database.scalar(sa.select(Batch))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/invoices/")})
    log_in(client, "sales@example.com")
    assert client.get(f"/batches/{batch.id}").status_code == 404
    assert client.get(f"/batches/{batch.id}/progress.json").status_code == 404


def test_the_report_pack_downloads_as_a_zip(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract(**stay_document("G-100"))
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    month = f"{madrid_today():%Y-%m}"
    started = client.post(
        "/batches/report-pack",
        data={"pack-csrf_token": token(client, "/batches/", "pack"), "pack-month": month},
    )
    assert started.status_code == 302
    finish_queued(database)
    page = client.get(started.location).get_data(as_text=True)
    assert "/pack.zip" in page
    archive = client.get(started.location + "/pack.zip")
    assert archive.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert sorted(names) == [f"MAD-{month}.csv", f"MAD-{month}.pdf"]


def test_a_bad_month_is_refused_with_a_message(
    client: Any, database: Any, create_property: Any, create_user: Any
) -> None:
    create_property("MAD")
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    refused = client.post(
        "/batches/report-pack",
        data={"pack-csrf_token": token(client, "/batches/", "pack"), "pack-month": "1999-13"},
        follow_redirects=True,
    )
    assert database.scalar(sa.select(sa.func.count()).select_from(Batch)) == 0
    assert "Month" in refused.get_data(as_text=True)


def test_the_progress_script_is_a_static_file() -> None:
    script = Path(ROOT / "hotelattrition" / "static" / "batch-progress.js").read_text()
    assert "progress.json" not in script  # the URL comes from the page's data-url
    assert "data-url" in script and "setTimeout" in script
