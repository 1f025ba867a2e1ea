"""A fresh machine: `make test` and `make run` bring their Debian packages or stop at once."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hotelattrition import ROOT

SCRIPT = ROOT / "scripts" / "debian-packages"


def fake_commands(bin_dir: Path, uid: int, installed: set[str]) -> Path:
    """dpkg-query, id and apt-get stand-ins; apt-get records its arguments in a log."""
    log = bin_dir / "apt-get.log"
    known = " ".join(sorted(installed))
    scripts = {
        "dpkg-query": f'for p in {known}; do [ "$p" = "$3" ] && '
        "{ printf 'install ok installed'; exit 0; }; done; exit 1",
        "id": f"echo {uid}",
        "apt-get": f'echo "$*" >> {log}',
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return log


def run_script(bin_dir: Path, *packages: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(
        ["sh", str(SCRIPT), *packages], env=env, capture_output=True, text=True, check=False
    )


def test_a_user_is_stopped_with_the_one_line_to_run(tmp_path: Path) -> None:
    log = fake_commands(tmp_path, uid=1000, installed={"poppler-utils"})
    result = run_script(tmp_path, "chromium", "poppler-utils", "fonts-liberation")
    assert result.returncode == 1
    assert "sudo apt-get install -y chromium fonts-liberation" in result.stderr
    assert not log.exists()


def test_root_gets_the_missing_packages_installed(tmp_path: Path) -> None:
    log = fake_commands(tmp_path, uid=0, installed={"poppler-utils"})
    result = run_script(tmp_path, "chromium", "poppler-utils", "fonts-liberation")
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "update -qq"
    assert calls[1] == "install -y -qq chromium fonts-liberation"


def test_nothing_happens_when_everything_is_there(tmp_path: Path) -> None:
    log = fake_commands(tmp_path, uid=1000, installed={"chromium", "fonts-liberation"})
    result = run_script(tmp_path, "chromium", "fonts-liberation")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not log.exists()


@pytest.mark.parametrize(
    ("target", "needed", "before"),
    [
        ("test", ("chromium", "poppler-utils", "libharfbuzz-subset0"), "pytest"),
        ("run", ("libharfbuzz-subset0", "fonts-liberation"), "db upgrade"),
    ],
)
def test_make_checks_the_packages_before_anything_else(
    target: str, needed: tuple[str, ...], before: str
) -> None:
    plan = subprocess.run(
        ["make", "-n", "-B", "-C", str(ROOT), target], capture_output=True, text=True, check=True
    ).stdout
    check = next(line for line in plan.splitlines() if "debian-packages" in line)
    assert all(package in check for package in needed)
    assert plan.index(check) < plan.index("python3 -m venv") < plan.index(before)


def test_the_project_says_it_is_apache_licensed() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0"  # the SPDX form: no deprecation warning from pip
    assert "Apache License" in (ROOT / "LICENSE").read_text()
    assert "[Apache License 2.0](LICENSE)" in (ROOT / "README.md").read_text()
