"""`python -m bench.retention_explain [sales|admin] [year|month]`: every statement each section
of the retention report runs on the bench database, with its EXPLAIN (ANALYZE, BUFFERS) time.

Load-independent enough to compare before and after on a shared machine: the server-side
execution time of each statement, summed per section.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import event, select

from . import reports as rb
from .retention import DATABASE

AS_OF, YEAR = date(2027, 6, 30), 2027


def main(argv: list[str]) -> int:
    from hotelattrition.extensions import db
    from hotelattrition.models import Property, User
    from hotelattrition.reports import retention as r
    from hotelattrition.reports import retention_accounts as ra
    from hotelattrition.reports import retention_care as rc
    from hotelattrition.reports import retention_pipeline as rp
    from hotelattrition.reports import retention_value as rv
    from hotelattrition.reports.retention_report import _nps, retention_report, scope_for
    from hotelattrition.reports.retention_sql import planned_for_values

    from .served_app import bench_app

    words = [a for a in argv if not a.startswith("-")]
    role, by = [*words, "sales", "year"][0], [*words[1:], "year"][0]
    url = f"{rb.ADMIN_URL.replace('postgresql://', 'postgresql+psycopg://')}/{DATABASE}"
    app = bench_app(url)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == f"{role}@bench.test"))
        prop = db.session.scalar(select(Property).where(Property.code == "H01"))
        scope = scope_for(user, prop if role == "sales" else None)
        periods, year = r.periods_for(by, YEAR), r.period_of("year", YEAR)
        planned_for_values()  # as retention_report() does
        sections: list[tuple[str, Any]] = [
            ("accounts", lambda: r._accounts(periods, AS_OF, scope)),
            ("churned_revenue", lambda: r._churned_revenue(periods, AS_OF, scope)),
            ("damages", lambda: r._damages(periods, AS_OF, scope)),
            ("lost", lambda: r._lost(periods, AS_OF, scope)),
            ("compare", lambda: ra.compare(year, AS_OF, scope)),
            ("customer_value", lambda: rv.customer_value(year, AS_OF, scope)),
            ("churned_by_reason", lambda: rc.churned_by_reason(periods, AS_OF, scope)),
            ("recovered", lambda: rc.recovered(year, AS_OF, scope)),
            ("funnel", lambda: rp.funnel(periods, AS_OF, scope)),
            ("step_reasons", lambda: rp.step_reasons(periods, AS_OF, scope)),
            ("nps", lambda: _nps(by, periods, AS_OF, scope)),
        ]
        seen: list[tuple[str, Any]] = []

        def record(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _m: Any) -> None:
            seen.append((statement, params))

        engine = db.engine
        total: dict[str, float] = defaultdict(float)
        print(f"role={role} by={by} as_of={AS_OF}")
        for name, run in sections:
            seen.clear()
            event.listen(engine, "before_cursor_execute", record)
            start = time.perf_counter()
            run()
            wall = time.perf_counter() - start
            event.remove(engine, "before_cursor_execute", record)
            statements = list(seen)
            ms: list[float] = []
            pages: list[int] = []
            for statement, params in statements:
                conn = db.session.connection()
                cur = conn.connection.driver_connection.cursor()
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                plan = [row[0] for row in cur.fetchall()]
                exec_ms = float(plan[-1].split(":")[1].split()[0])
                plan_ms = next(float(p.split(":")[1].split()[0]) for p in plan
                               if p.startswith("Planning Time"))  # fmt: skip
                ms.append(exec_ms + plan_ms)
                # The root node's buffers: pages read, whatever the machine's load.
                hits = next((p for p in plan if p.strip().startswith("Buffers:")), "")
                counts = (w.split("=")[1].rstrip(",") for w in hits.split() if "=" in w)
                pages.append(sum(int(n) for n in counts))
                if "-v" in argv:
                    print("\n".join(plan))
            total[name] = sum(ms)
            each = ", ".join(f"{m:.0f}" for m in ms)
            print(
                f"  {name:<18} {len(statements):>2} statements, {sum(pages):>7} pages, "
                f"{sum(ms):8.1f} ms planned and run ({each}); wall {wall * 1000:.0f} ms"
            )
        print(f"  total executing {sum(total.values()):.0f} ms")
        db.session.rollback()
        walls = []
        for _ in range(5):
            start = time.perf_counter()
            retention_report(user, prop if role == "sales" else None, by, YEAR, AS_OF)
            walls.append(time.perf_counter() - start)
            db.session.rollback()
        print(f"  retention_report(): median {sorted(walls)[2] * 1000:.0f} ms of 5 runs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
