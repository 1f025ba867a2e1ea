"""`hotelattrition worker` as separate processes: started, awaited, stopped (the queue bench
and the queue's fault tests both run real workers)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Fast stalled-worker detection, so a killed worker's job comes back in seconds (the fault
# tests); a bench measures the worker as deployed (`as_deployed`), at its own settings.
WORKER_ENV = {"WORKER_HEARTBEAT_SECONDS": "1", "WORKER_STALLED_AFTER_SECONDS": "4"}


def start_worker(
    url: str,
    log: Path,
    concurrency: int = 1,
    nice: int | None = None,
    as_deployed: bool = False,
    **env: str,
) -> subprocess.Popen[bytes]:
    """`hotelattrition worker` in its own process, its output in `log` (`nice`: its --nice,
    else the command's default; `as_deployed`: the default heartbeat, not the tests' fast one)."""
    command = [sys.executable, "-m", "hotelattrition", "worker", "--concurrency", str(concurrency)]
    with log.open("ab") as out:  # the child keeps its own descriptor
        return subprocess.Popen(
            command + ([] if nice is None else ["--nice", str(nice)]),
            env=os.environ | {"DATABASE_URL": url} | ({} if as_deployed else WORKER_ENV) | env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition: Callable[[], Any], timeout: float, what: str, step: float = 0.2) -> Any:
    """Poll until condition() is truthy; fail naming `what` after `timeout` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def stop(process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """SIGTERM (a worker finishes its job first), then SIGKILL if it does not exit."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cpu_seconds(process: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) the process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
