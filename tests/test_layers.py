"""Imports point one way: web, cli -> services, reports -> models, documents -> domain.

Every import of the package is read with `ast`, those inside functions and `TYPE_CHECKING`
blocks included: an import moved into a function still runs, and a type-only import is
still a dependency. The domain's purity is also checked at run time: importing it loads no
framework.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "hotelattrition"
SOURCE = Path(__file__).resolve().parent.parent / PACKAGE

# Per layer (a top-level module or package of hotelattrition), the layers it may import.
# `hotelattrition` itself is the package's __init__: create_app, the top of the house.
FOUNDATION = {"paths"}
ALLOWED: dict[str, set[str]] = {
    "paths": set(),
    "domain": set(),
    "config": FOUNDATION,
    "extensions": FOUNDATION | {"config"},
    "models": FOUNDATION | {"extensions", "domain"},
    "documents": FOUNDATION | {"domain"},
    # Peers: services and reports read models and render documents, never each other.
    "services": FOUNDATION | {"extensions", "config", "models", "documents", "domain"},
    "reports": FOUNDATION | {"extensions", "config", "models", "documents", "domain"},
    "jobs": FOUNDATION | {"extensions", "config", "models", "services", "reports", "domain"},
    "web": FOUNDATION
    | {"extensions", "config", "models", "documents", "domain", "services", "reports", "jobs"},
    "settle_command": {"cli"},  # kept for old imports: the command is cli/settle.py
    "cli": FOUNDATION
    | {
        PACKAGE,
        "settle_command",
        "extensions",
        "config",
        "models",
        "documents",
        "domain",
        "services",
        "reports",
        "jobs",
    },
    PACKAGE: FOUNDATION | {"config", "extensions", "models", "web"},
    "__main__": {"cli", "settle_command"},
}
# What each layer must not import from outside the project (the domain is pure; documents
# render plain data and know no database; only web touches the request).
FORBIDDEN_THIRD_PARTY: dict[str, set[str]] = {
    "domain": {"flask", "flask_sqlalchemy", "sqlalchemy", "weasyprint", "wtforms", "jinja2"},
    "documents": {"flask", "flask_sqlalchemy", "sqlalchemy", "wtforms"},
    "models": {"flask_wtf", "wtforms", "weasyprint", "flask_login"},
    "services": {"flask_wtf", "wtforms"},
    "reports": {"flask_wtf", "wtforms"},
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported module (or name), dotted
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`

    def __str__(self) -> str:
        where = " (TYPE_CHECKING)" if self.type_only else ""
        return f"{self.source}:{self.line} imports {self.target}{where}"


def module_name(path: Path, root: Path = SOURCE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers of statements under `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                for inner in ast.walk(child):
                    if hasattr(inner, "lineno"):
                        lines.add(inner.lineno)
    return lines


def imports_of(path: Path, root: Path = SOURCE) -> Iterator[Import]:
    """Every import in the file, at any depth, with relative ones made absolute."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    type_only = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno, node.lineno in type_only)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                # `from pkg import sub` imports the submodule when there is one.
                candidate = f"{module}.{alias.name}"
                target = candidate if _is_module(candidate, root) else module
                yield Import(name, target, node.lineno, node.lineno in type_only)


def _is_module(dotted: str, root: Path) -> bool:
    if not dotted.startswith(PACKAGE + "."):
        return False
    path = root.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def all_imports(root: Path = SOURCE) -> list[Import]:
    return [imp for path in sorted(root.rglob("*.py")) for imp in imports_of(path, root)]


def layer_of(module: str) -> str:
    """The layer a dotted module of the package belongs to: its first component under it."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else PACKAGE


def wrong_arrows(imports: list[Import]) -> list[str]:
    """Imports of the package that leave their layer for one it may not import."""
    wrong = []
    for imp in imports:
        if imp.target != PACKAGE and not imp.target.startswith(PACKAGE + "."):
            continue
        source, target = layer_of(imp.source), layer_of(imp.target)
        if source == target:
            continue
        if source not in ALLOWED:
            wrong.append(f"{imp}: layer {source!r} has no place in ALLOWED")
        elif target not in ALLOWED[source]:
            wrong.append(f"{imp}: {source} may not import {target}")
    return wrong


def forbidden_libraries(imports: list[Import]) -> list[str]:
    wrong = []
    for imp in imports:
        banned = FORBIDDEN_THIRD_PARTY.get(layer_of(imp.source), set())
        if imp.target.split(".")[0] in banned:
            wrong.append(f"{imp}: not in {layer_of(imp.source)}")
    return wrong


def circles(imports: list[Import]) -> list[list[str]]:
    """Import cycles between modules (those that run: type-only imports left out)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if imp.type_only or not imp.target.startswith(PACKAGE):
            continue
        graph.setdefault(imp.source, set()).add(imp.target)
    # A module importing its own package's __init__ (`from . import ServiceError`) is the
    # usual shape of a package; a cycle through a package __init__ that imports its own
    # submodules at run time is still a cycle and is reported.
    found: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return all_imports()


def test_every_layer_imports_only_the_layers_below(imports: list[Import]) -> None:
    wrong = wrong_arrows(imports)
    assert not wrong, "\n".join(wrong)


def test_no_import_circles(imports: list[Import]) -> None:
    found = circles(imports)
    assert not found, "\n".join(" <-> ".join(circle) for circle in found)


def test_layers_keep_their_libraries(imports: list[Import]) -> None:
    wrong = forbidden_libraries(imports)
    assert not wrong, "\n".join(wrong)


def test_every_layer_is_known() -> None:
    layers = {layer_of(module_name(path)) for path in SOURCE.rglob("*.py")}
    assert layers <= set(ALLOWED), f"add {layers - set(ALLOWED)} to ALLOWED"


# The checks themselves, on a small package written for the purpose: each must catch its case.


def _write(root: Path, files: dict[str, str]) -> Path:
    package = root / PACKAGE
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


def test_a_service_importing_a_report_is_caught(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        {
            "__init__.py": "",
            "services/__init__.py": "",
            "services/a.py": "def f():\n    from ..reports.b import g\n",
            "reports/__init__.py": "",
            "reports/b.py": "",
        },
    )
    wrong = wrong_arrows(all_imports(source))
    assert wrong == [
        "hotelattrition.services.a:2 imports hotelattrition.reports.b: "
        "services may not import reports"
    ]


def test_a_type_only_upward_import_is_caught(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        {
            "__init__.py": "",
            "models/__init__.py": "",
            "models/a.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..web import x\n"
            ),
            "web/__init__.py": "",
        },
    )
    assert wrong_arrows(all_imports(source)) == [
        "hotelattrition.models.a:3 imports hotelattrition.web (TYPE_CHECKING): "
        "models may not import web"
    ]


def test_a_circle_hidden_in_a_function_is_caught(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        {
            "__init__.py": "",
            "services/__init__.py": "",
            "services/a.py": "from .b import g\n",
            "services/b.py": "def g():\n    from . import a\n",
        },
    )
    assert circles(all_imports(source)) == [
        ["hotelattrition.services.a", "hotelattrition.services.b"]
    ]


def test_a_framework_in_the_domain_is_caught(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        {"__init__.py": "", "domain/__init__.py": "", "domain/a.py": "import sqlalchemy.orm\n"},
    )
    assert forbidden_libraries(all_imports(source)) == [
        "hotelattrition.domain.a:1 imports sqlalchemy.orm: not in domain"
    ]


# At run time too: what importing the pure parts actually loads.

FRAMEWORKS = ("flask", "sqlalchemy", "weasyprint", "wtforms", "jinja2")


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_domain_imports_no_framework() -> None:
    loaded = _modules_after("import hotelattrition.domain")
    assert not loaded & set(FRAMEWORKS)


def test_settle_command_starts_without_framework() -> None:
    loaded = _modules_after("import hotelattrition.settle_command, hotelattrition.__main__")
    assert not loaded & set(FRAMEWORKS)


# Result rows are read by name: a column added or moved in a select cannot shift a field.

ROW_READERS = ("reports", "services", "models")


def _positional_reads(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (  # row[0], r[3:], row[-1]
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in {"row", "r"}
            and (
                isinstance(node.slice, ast.Slice | ast.UnaryOp)
                or (isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int))
            )
        ) or (  # Record(*row)
            isinstance(node, ast.Starred)
            and isinstance(node.value, ast.Name)
            and node.value.id in {"row", "r"}
        ):
            yield f"{path.name}:{node.lineno} {ast.unparse(node)}"
        elif (  # for a, b in db.session.execute(...)
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Tuple)
            and isinstance(node.iter, ast.Call)
            and isinstance(node.iter.func, ast.Attribute)
            and node.iter.func.attr == "execute"
        ):
            yield f"{path.name}:{node.lineno} for {ast.unparse(node.target)} in ...execute()"


def test_result_rows_are_read_by_name() -> None:
    found = [
        read
        for layer in ROW_READERS
        for path in sorted((SOURCE / layer).rglob("*.py"))
        for read in _positional_reads(path)
    ]
    assert not found, "\n".join(found)


def test_positional_reads_are_caught(tmp_path: Path) -> None:
    path = tmp_path / "reader.py"
    path.write_text(
        "a = [Row(*row) for row in rows]\n"
        "b = row[0]\n"
        "d = row['code']\n"
        "for x, y in db.session.execute(s):\n    pass\n"
        "c = row.code\n"
    )
    assert sorted(_positional_reads(path)) == [
        "reader.py:1 *row",
        "reader.py:2 row[0]",
        "reader.py:4 for (x, y) in ...execute()",
    ]
