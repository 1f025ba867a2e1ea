"""Invoices section: the whole issue path against WeasyPrint rendering the same finished HTML.

Figures (targets from the brief), medians per invoice over distinct contracts, measured in the
same run and interleaved so machine load falls on every variant alike:
* the issue path: query the contract, settle, snapshot, lock the series and number, commit,
  render the PDF from the snapshot, store it with its SHA-256, commit (SQLite file database);
* WeasyPrint alone on that invoice's finished HTML, HTML(string=html).write_pdf() with its
  defaults: path / that <= 1.1x (the path over our own render_pdf alone is printed beside it);
* our render_pdf(html) against that default render: <= 0.75x;
* what each choice buys: our render with one choice undone, as a ratio to the default render
  of the same HTML (base.css for WeasyPrint's HTML5 stylesheet, the document's stylesheet parsed
  once, the reused font configuration, the CSS's fixed table layout and separate borders, the
  font, HarfBuzz against fontTools subsetting).

HarfBuzz subsetting needs Debian's libharfbuzz-subset0 (`make debian-packages`); without it
WeasyPrint falls back to fontTools and every render takes four times as long, so the section
says so first.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

from . import Figure, Paired, show

SECTION = "invoices"
CONTRACTS = 24  # distinct invoices issued in the timed path
ROUNDS = 12  # interleaved rounds for the option figures
TARGET_PATH = 1.1
TARGET_RENDER = 0.75


def _app(folder: Path) -> Any:
    from flask_migrate import upgrade

    from hotelattrition import create_app
    from hotelattrition.config import Config

    config = type(
        "BenchConfig",
        (Config,),
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}", "SECRET_KEY": "b"},
    )
    app = create_app(config)
    with app.app_context():
        upgrade()
    return app


def _contracts(count: int) -> list[str]:
    """A property and `count` cancelled contracts (fee owed now), committed; their codes."""
    from datetime import date, timedelta

    from hotelattrition.extensions import db
    from hotelattrition.services.contracts import import_contract
    from hotelattrition.services.invoices import set_invoice_settings
    from hotelattrition.services.properties import PropertyData, create_property

    create_property(
        PropertyData(
            code="MAD",
            name="Hotel Gran Vía Madrid",
            currency="EUR",
            locale="es_ES",
            country="ES",
            timezone="Europe/Madrid",
            legal_name="Gran Vía Hoteles S.L.",
            address="Gran Vía 42\n28013 Madrid\nEspaña",
            tax_id="B12345678",
            rates={"fnb_tax_pct": "10"},
        )
    )
    set_invoice_settings("MAD", payment_instructions="IBAN ES91 2100 0418 4502 0005 1332")
    arrival = date.today() + timedelta(days=120)
    nights = [(arrival + timedelta(days=i)).isoformat() for i in range(3)]
    codes = []
    for i in range(count):
        code = f"B-{i:03d}"
        import_contract(
            {
                "code": code,
                "property": "MAD",
                "account": f"Account {i} S.A.",
                "name": f"Congress {i}",
                "status": "cancelled",
                "lost_reason": "event_cancelled",
                "currency": "EUR",
                "arrival": nights[0],
                "departure": (arrival + timedelta(days=3)).isoformat(),
                "block": [
                    {"night": n, "room_type": t, "rooms": 20 + i % 7, "rate": r}
                    for n in nights
                    for t, r in (("DBL", "150.00"), ("STE", "290.00"))
                ],
                "fnb": {"minimum": "9000.00", "actual": "0.00", "tax_pct": "10"},
                "cancellation": {
                    "cancelled_on": (date.today() - timedelta(days=1)).isoformat(),
                    "schedule": [{"min_days": 90, "pct": "50"}, {"min_days": 0, "pct": "100"}],
                    "tax_pct": "10",
                },
            }
        )
        codes.append(code)
    db.session.commit()
    return codes


def _issue_path(code: str) -> str:
    """What the edges do: issue (short transaction, commit), render and store, commit."""
    from hotelattrition.extensions import db
    from hotelattrition.services.invoices import issue_invoice, store_pdf

    invoice = issue_invoice(code)
    db.session.commit()
    if store_pdf(invoice) is None:
        raise AssertionError(f"{invoice.number}: the PDF did not render")
    db.session.commit()
    return invoice.number


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _variants() -> dict[str, Callable[[str], bytes]]:
    """Ways to render one finished HTML, named by the choice they isolate."""
    from weasyprint import HTML
    from weasyprint.pdf import fonts as pdf_fonts
    from weasyprint.text.fonts import FontConfiguration

    from hotelattrition.documents import render

    base = render.STATIC.as_uri() + "/"

    def undone(change: Callable[[], Any]) -> Callable[[str], bytes]:
        """render_pdf with one of its choices undone by `change()`, a patch made per call."""

        def run(text: str) -> bytes:
            with change():
                return render.render_pdf(text)

        return run

    return {
        "default": lambda t: HTML(string=t, base_url=base).write_pdf(),
        "ours": render.render_pdf,
        "not base.css: WeasyPrint's HTML5 UA stylesheet": undone(
            lambda: patch.object(render, "_Document", HTML)
        ),
        "not parsed once: the <style> parsed per render": undone(
            lambda: patch.object(render, "_take_inline_styles", lambda root: [])
        ),
        "not reused: a font configuration per render": undone(
            lambda: patch.object(render._kit(), "fonts", FontConfiguration())
        ),
        "CSS: automatic table layout": lambda t: render.render_pdf(
            t.replace("table-layout: fixed", "table-layout: auto")
        ),
        "CSS: collapsing table borders": lambda t: render.render_pdf(
            t.replace("border-collapse: separate; border-spacing: 0", "border-collapse: collapse")
        ),
        "font: DejaVu Sans (fontconfig's sans-serif)": lambda t: render.render_pdf(
            t.replace('"Liberation Sans"', '"DejaVu Sans"')
        ),
        # WeasyPrint falls back to fontTools, as before v61.
        "subsetting by fontTools, not HarfBuzz": undone(
            lambda: patch.object(pdf_fonts, "harfbuzz_subset", None)
        ),
    }


def run(count: int = CONTRACTS, rounds: int = ROUNDS) -> list[Figure]:
    """Measure and print the invoice figures; return them for the summary."""
    import logging

    import weasyprint
    from weasyprint.text.ffi import harfbuzz_subset

    from hotelattrition.documents.invoices import invoice_html
    from hotelattrition.services.invoices import get_invoice

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # fontTools fallback warns
    subsetter = "HarfBuzz"
    if harfbuzz_subset is None:
        subsetter = "fontTools: libharfbuzz-subset0 is missing (`make debian-packages`): 4x slower"
    print(f"  WeasyPrint {weasyprint.__version__}; font subsetting by {subsetter}", flush=True)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-invoices-") as tmp:
        app = _app(Path(tmp))
        with app.app_context():
            codes = _contracts(count + 2)
            for code in codes[:2]:  # warm up: imports, font loading, first layout
                _issue_path(code)
            path_times, render_times, default_times, htmls = [], [], [], []
            variants = _variants()
            ours_render, default_render = variants["ours"], variants["default"]
            for code in codes[2:]:
                number = ""

                def issue(code: str = code) -> None:
                    nonlocal number
                    number = _issue_path(code)

                path_times.append(_timed(issue))
                html = invoice_html(get_invoice(number).snapshot)
                htmls.append(html)
                render_times.append(_timed(lambda html=html: ours_render(html)))
                default_times.append(_timed(lambda html=html: default_render(html)))
            size = len(get_invoice(number).pdf.content)
            lines = len(get_invoice(number).snapshot["lines"])
        path, ours, default = (
            statistics.median(t) * 1000 for t in (path_times, render_times, default_times)
        )
        # The three ran in turns per invoice: each ratio is the median of the pairs' ratios.
        to_default = Paired(path_times, default_times).time_ratio
        to_ours = Paired(path_times, render_times).time_ratio
        ours_to_default = Paired(render_times, default_times).time_ratio
        print(
            f"  {count} cancelled contracts, {lines} lines each, es_ES, one page; "
            f"SQLite file database; PDF {size / 1024:.0f} KiB",
            flush=True,
        )
        # "WeasyPrint rendering the same finished HTML alone": a plain HTML(...).write_pdf().
        figures.append(
            show(
                Figure(
                    SECTION,
                    "issue path per invoice (median)",
                    path,
                    "ms",
                    f"<= {TARGET_PATH}x plain",
                    to_default <= TARGET_PATH,
                ),
                f"{to_default:.2f}x a plain WeasyPrint render ({default:.1f} ms); "
                f"{to_ours:.2f}x our render alone (+{path - ours:.1f} ms for the rest)",
            )
        )
        show(Figure(SECTION, "render_pdf(finished HTML) alone", ours, "ms"))
        figures.append(
            show(
                Figure(
                    SECTION,
                    "render_pdf vs WeasyPrint defaults",
                    ours_to_default,
                    "x",
                    f"<= {TARGET_RENDER}x",
                    ours_to_default <= TARGET_RENDER,
                ),
                f"defaults: {default:.1f} ms; ours {ours:.1f} ms",
            )
        )
        print(
            f"  what each choice buys ({rounds} interleaved rounds; the median of the rounds' "
            "ratios to defaults):",
            flush=True,
        )
        timings: dict[str, list[float]] = {name: [] for name in variants}
        for r in range(rounds):
            html = htmls[r % len(htmls)]
            for name, variant in variants.items():
                timings[name].append(_timed(lambda variant=variant, html=html: variant(html)))
        for name, times in timings.items():
            value = statistics.median(times) * 1000
            show(
                Figure(SECTION, name, value, "ms"),
                f"{Paired(times, timings['default']).time_ratio:.3f}x defaults",
            )
    return figures
