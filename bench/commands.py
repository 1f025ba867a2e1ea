"""Commands section: two `hotelattrition` commands as whole processes against their floors.

Figures (targets from issue 13), each a whole process (start-up, imports, work, exit) run as a
subprocess, A and B interleaved (A B A B ...), the median of the per-pair ratios A/B:
* `hotelattrition invoice issue CODE` (a cancelled contract each time, SQLite file database)
  against a script that imports WeasyPrint and renders that invoice's finished HTML with its
  defaults, `HTML(string=...).write_pdf(FILE)`: <= 1.3x;
* `hotelattrition settle FILE` on one document against `python -c pass`: <= 2.5x.

Beside the wall times, the CPU seconds of each side (the process and every process it waited
for: `invoice issue`'s renderer among them): a figure a busy machine hardly moves. With cores to
spare, `invoice issue`'s wall is less than its CPU, its two processes working at once.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from . import Figure, show
from .settlement import _environment, command, make_document

SECTION = "commands"
PAIRS = 11
TARGET_ISSUE = 1.3
TARGET_SETTLE = 2.5
# The floor for `invoice issue`: Python, WeasyPrint imported, the same HTML rendered to a file.
RENDER = (
    "import sys\n"
    "from weasyprint import HTML\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    HTML(string=f.read(), base_url=sys.argv[2]).write_pdf(sys.argv[3])\n"
)


def _wall(
    argv: list[str], env: dict[str, str], cpu: list[float] | None = None
) -> tuple[float, str]:
    """Wall time of one whole process, and its standard output; its CPU time added to `cpu`."""
    before = _cpu_of_children()
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if cpu is not None:
        cpu.append(_cpu_of_children() - before)
    if done.returncode:
        raise AssertionError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-500:]}")
    return elapsed, done.stdout


def _cpu_of_children() -> float:
    """User and system seconds of the processes this one waited for, and of theirs."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def interleaved(
    a: Callable[[int], float], b: Callable[[int], float], pairs: int
) -> tuple[float, float, float]:
    """Run A, B, A, B... after one warm-up pair; medians of A, of B and of the ratios A/B."""
    a(-1), b(-1)
    times = [(a(i), b(i)) for i in range(pairs)]
    ratios = [x / y for x, y in times]
    return (
        statistics.median(x for x, _ in times),
        statistics.median(y for _, y in times),
        statistics.median(ratios),
    )


class Measured(NamedTuple):
    """Medians of A's and B's wall seconds, of the pairs' ratios, and of A's and B's CPU seconds."""

    a: float
    b: float
    ratio: float
    cpu_a: float
    cpu_b: float


def _measured(
    a: Callable[[int], float], b: Callable[[int], float], pairs: int, cpu: dict[str, list[float]]
) -> Measured:
    """`interleaved`, with the CPU seconds `a` and `b` noted in cpu["a"] and cpu["b"]."""
    walls = interleaved(a, b, pairs)
    return Measured(*walls, *(statistics.median(cpu[side][1:]) for side in "ab"))  # no warm-up


def issue_against_render(pairs: int = PAIRS) -> Measured:
    """`hotelattrition invoice issue` against WeasyPrint rendering the same HTML, per pair."""
    from hotelattrition.documents.invoices import invoice_html
    from hotelattrition.documents.render import STATIC
    from hotelattrition.extensions import db
    from hotelattrition.services.invoices import get_invoice

    from .invoices import _app, _contracts

    with tempfile.TemporaryDirectory(prefix="bench-commands-") as tmp:
        folder = Path(tmp)
        app = _app(folder)
        with app.app_context():
            codes = iter(_contracts(pairs + 1))
        env = {
            **_environment(),
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "bench",
        }
        html, pdf = folder / "invoice.html", folder / "plain.pdf"
        render = [sys.executable, "-c", RENDER, str(html), STATIC.as_uri() + "/", str(pdf)]
        cpu: dict[str, list[float]] = {"a": [], "b": []}

        def issue(_: int) -> float:
            elapsed, out = _wall([*command(), "invoice", "issue", next(codes)], env, cpu["a"])
            with app.app_context():  # the same finished HTML for B's render
                html.write_text(invoice_html(get_invoice(out.strip()).snapshot), "utf-8")
                db.session.remove()
            return elapsed

        def plain(_: int) -> float:
            return _wall(render, env, cpu["b"])[0]

        return _measured(issue, plain, pairs, cpu)


def settle_against_python(pairs: int = 2 * PAIRS - 1) -> Measured:
    """`hotelattrition settle FILE` on one document against `python -c pass`, per pair."""
    env = _environment()
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as tmp:
        path = Path(tmp, "document.json")
        path.write_text(json.dumps(make_document()), encoding="utf-8")
        settle = [*command(), "settle", str(path)]
        first = json.loads(_wall(settle, env)[1])
        if first["status"] != "attrition":
            raise AssertionError("settle FILE did not settle the document to attrition")
        cpu: dict[str, list[float]] = {"a": [], "b": []}
        return _measured(
            lambda _: _wall(settle, env, cpu["a"])[0],
            lambda _: _wall([sys.executable, "-c", "pass"], env, cpu["b"])[0],
            pairs,
            cpu,
        )


def _figure(name: str, target: float, measured: Measured, floor: str) -> Figure:
    m = measured
    return show(
        Figure(SECTION, name, m.ratio, "x", f"<= {target}x", m.ratio <= target, how="process"),
        f"{m.a * 1000:.0f} ms against {m.b * 1000:.0f} ms for {floor} (medians); CPU "
        f"{m.cpu_a * 1000:.0f} ms against {m.cpu_b * 1000:.0f} ms ({m.cpu_a / m.cpu_b:.2f}x)",
    )


def bytecode_state() -> str:
    """Whether the package's modules load from bytecode, as after `make install`, or compile."""
    import importlib.util

    import hotelattrition

    sources = list(Path(hotelattrition.__file__).parent.rglob("*.py"))
    stale = [
        f for f in sources if not Path(importlib.util.cache_from_source(str(f))).exists()
        or Path(importlib.util.cache_from_source(str(f))).stat().st_mtime < f.stat().st_mtime
    ]  # fmt: skip
    if not stale:
        return "the package's bytecode compiled (make install), as a pip install leaves it"
    return f"{len(stale)} of {len(sources)} modules without bytecode: `make install` compiles them"


def run(pairs: int = PAIRS) -> list[Figure]:
    """Measure and print the two command figures; return them for the summary."""
    print(
        f"  whole processes, A/B interleaved, median of the per-pair ratios "
        f"({pairs} pairs for invoice issue, {2 * pairs - 1} for settle); {bytecode_state()}:",
        flush=True,
    )
    issue = _figure(
        "invoice issue CODE / WeasyPrint script",
        TARGET_ISSUE,
        issue_against_render(pairs),
        "python: import weasyprint, render the same HTML",
    )
    settle = _figure(
        "settle FILE / python -c pass",
        TARGET_SETTLE,
        settle_against_python(2 * pairs - 1),
        "python -c pass",
    )
    return [issue, settle]
