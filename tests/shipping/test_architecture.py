"""The layout is the architecture: layers, import rules, size limits and documented public names.

Parses the source with ``ast`` (nothing is imported), so a broken rule names the file and line.
The rules are the table of docs/architecture.md.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "framing"
TESTS = Path(__file__).resolve().parents[1]

# package -> the framing packages it may import (besides itself)
ALLOWED = {
    "errors": set(),
    "strict": set(),
    "core": {"errors", "strict"},
    "tables": {"errors", "strict"},
    "explanation": {"errors", "strict", "core"},
    "rewording": {"errors", "strict", "core", "explanation"},
    "batch": {"errors", "strict", "core", "tables", "explanation"},
    "training": {"errors", "strict", "core", "tables", "explanation", "feedback"},
    "feedback": {"errors", "strict", "core", "tables"},
    "engines": {"errors", "strict", "core", "tables", "explanation", "batch"},
    "cli": {
        "errors",
        "strict",
        "core",
        "tables",
        "explanation",
        "rewording",
        "batch",
        "training",
        "engines",
        "app",
        "serve",
        "web",
        "feedback",
    },
    "app": {
        "errors",
        "strict",
        "core",
        "tables",
        "explanation",
        "rewording",
        "batch",
        "training",
        "engines",
        "web",
        "feedback",
    },
    "serve": {
        "errors",
        "strict",
        "core",
        "tables",
        "explanation",
        "rewording",
        "batch",
        "feedback",
    },
    "web": {"errors", "strict"},
}
TOP_LEVEL = {"__init__", "__main__"}  # the public API and `python -m framing`: may import anything

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _package(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _framing_imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported framing module, names) for every import of framing in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path).split(".") if path.is_relative_to(SRC) else ["tests"]
    is_pkg = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "framing":
                    found.append((node.lineno, alias.name, []))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here if is_pkg else here[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] == "framing":
                found.append((node.lineno, module, [a.name for a in node.names]))
    return found


def _target_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_module_is_in_a_known_layer():
    unknown = {_package(p) for p in _modules()} - set(ALLOWED) - TOP_LEVEL
    assert not unknown, f"packages without a layer in ALLOWED: {sorted(unknown)}"


def test_layers_import_only_the_layers_below_them():
    broken = []
    for path in _modules():
        pkg = _package(path)
        if pkg in TOP_LEVEL:
            continue
        for line, module, _names in _framing_imports(path):
            target = _target_package(module)
            if target is None or target == pkg:
                continue
            if target not in ALLOWED[pkg]:
                broken.append(f"{path.relative_to(SRC)}:{line} ({pkg}) imports {module}")
    assert not broken, "imports against the layers:\n" + "\n".join(broken)


def test_core_needs_only_numpy_and_the_standard_library():
    """At module level, core imports numpy and the standard library only; the few functions
    that hand data to training (``to_scipy``) or read old pickles (``convert``) import their
    library inside the function, so scoring never loads it."""
    import sys

    allowed_third_party = {"numpy", "framing"}
    broken = []
    for path in sorted((SRC / "core").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                if top in allowed_third_party or top in sys.stdlib_module_names:
                    continue
                broken.append(f"{path.relative_to(SRC)}:{node.lineno} imports {name}")
    assert not broken, "\n".join(broken)


def test_no_import_cycles_between_modules():
    graph: dict[str, set[str]] = {}
    names = {_module_name(p) for p in _modules()}
    for path in _modules():
        here = _module_name(path)
        deps = set()
        for _line, module, imported in _framing_imports(path):
            submodules = {f"{module}.{n}" for n in imported} & names
            plain = [n for n in imported if f"{module}.{n}" not in names]
            # `from package import submodule` depends on the submodule (and on the package's
            # __init__ only if it also takes names defined there)
            candidates = submodules | ({module} if plain or not imported else set())
            deps |= {c for c in candidates if c in names and c != here}
        graph[here] = deps
    # a package's __init__ re-exports its modules; an edge module -> own package __init__
    # is a cycle only if the package imports the module back, which we do check.
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycles.append(" -> ".join(stack[stack.index(dep) :] + [dep]))
            elif dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def _private_cross_package(path: Path, root: Path, own: str | None) -> list[str]:
    broken = []
    for line, module, imported in _framing_imports(path):
        target = _target_package(module)
        if own is not None and target == own:
            continue
        parts = module.split(".")
        private_module = any(p.startswith("_") and not p.startswith("__") for p in parts)
        private_names = [n for n in imported if n.startswith("_") and not n.startswith("__")]
        if private_module or private_names:
            broken.append(f"{path.relative_to(root)}:{line} {module} {private_names}")
    return broken


def test_no_package_uses_a_private_name_of_another():
    broken = []
    for path in _modules():
        pkg = _package(path)
        broken += _private_cross_package(path, SRC, None if pkg in TOP_LEVEL else pkg)
    assert not broken, "private names used across packages:\n" + "\n".join(broken)


def test_tests_use_no_private_names_of_the_package():
    broken = []
    for path in sorted(TESTS.rglob("*.py")):
        broken += _private_cross_package(path, TESTS, None)
    assert not broken, "tests importing private names:\n" + "\n".join(broken)


def test_modules_and_functions_are_small():
    long_modules, long_functions = [], []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        n = len(text.splitlines())
        if n > MAX_MODULE_LINES:
            long_modules.append(f"{path.relative_to(SRC)}: {n} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long_functions.append(
                        f"{path.relative_to(SRC)}:{node.lineno} {node.name}: {length}"
                    )
    assert not long_modules, f"modules over {MAX_MODULE_LINES} lines: {long_modules}"
    assert not long_functions, f"functions over {MAX_FUNCTION_LINES} lines: {long_functions}"


def _public_modules() -> list[Path]:
    return [
        p
        for p in _modules()
        if not any(
            part.startswith("_") and part not in {"__init__.py"}
            for part in p.relative_to(SRC).parts
        )
        and p.name != "__main__.py"
    ]


@pytest.mark.parametrize("path", _public_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_public_modules_declare_and_document_their_api(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.relative_to(SRC)} has no module docstring"
    exported = None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            exported = ast.literal_eval(node.value)
    assert exported is not None, f"{path.relative_to(SRC)} has no __all__"
    defined = {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    undocumented = [
        name for name in exported if name in defined and not ast.get_docstring(defined[name])
    ]
    assert not undocumented, (
        f"{path.relative_to(SRC)}: exported without a docstring: {undocumented}"
    )


def test_the_public_api_documents_parameters_and_returns():
    """Every function of ``framing.__all__`` has Args (when it takes any) and Returns
    sections, Google or numpydoc style; every class of it documents its attributes or
    arguments."""
    import inspect

    import framing

    missing = []
    for name in framing.__all__:
        obj = getattr(framing, name)
        doc = inspect.getdoc(obj) or ""
        if inspect.isfunction(obj):
            takes = [p for p in inspect.signature(obj).parameters if p not in {"self"}]
            if takes and "Args:" not in doc and "Parameters\n---" not in doc:
                missing.append(f"{name}: Args")
            if "Returns:" not in doc and "Returns\n---" not in doc:
                missing.append(f"{name}: Returns")
        elif (
            inspect.isclass(obj)
            and not issubclass(obj, Exception)
            and "Attributes:" not in doc
            and "Args:" not in doc
        ):
            missing.append(f"{name}: Attributes")
        if not doc:
            missing.append(f"{name}: docstring")
    assert not missing, missing


# ---- one owner per rule -----------------------------------------------------------------------
COLUMN_SPEC = SRC / "core" / "columns.py"
_SUFFIXES = ("_probability", "_label", "_terms", "_outlet")
_BODY_COLUMN = re.compile(r"body_\w+_(probability|label|terms)")
# literals that look like a piece of a column name and are not one
NOT_COLUMN_NAMES = {"core/convert.py": {"_terms"}}  # an old pickle's state key


def _exports(tree: ast.AST) -> set[int]:
    return {
        id(c)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        for c in ast.walk(node.value)
    }


def _docstrings(tree: ast.AST) -> set[int]:
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def column_name_literals(text: str) -> list[tuple[int, str]]:
    """The string literals of a module that spell a piece of a score column's name: a kind's
    suffix (``f"{h}_probability"``, ``c.endswith("_terms")``), the body prefix, a whole body
    column, or ``overall_score`` (docstrings and ``__all__`` aside)."""
    tree = ast.parse(text)
    skip = _docstrings(tree) | _exports(tree)
    found = []
    for node in ast.walk(tree):
        if (
            not isinstance(node, ast.Constant)
            or not isinstance(node.value, str)
            or id(node) in skip
        ):
            continue
        v = node.value
        if v.startswith(_SUFFIXES) or v in ("body_", "overall_score") or _BODY_COLUMN.fullmatch(v):
            found.append((node.lineno, v))
    return found


def test_only_the_column_specification_spells_column_names():
    """Score column names are built and parsed by :mod:`framing.core.columns` alone: a
    reintroduced ``f"{head}_probability"`` or ``endswith("_terms")`` elsewhere fails here."""
    broken = [
        f"{path.relative_to(SRC)}:{line} {value!r}"
        for path in _modules()
        if path != COLUMN_SPEC
        for line, value in column_name_literals(path.read_text(encoding="utf-8"))
        if value not in NOT_COLUMN_NAMES.get(str(path.relative_to(SRC)), ())
    ]
    assert not broken, "column names spelled outside framing.core.columns:\n" + "\n".join(broken)


@pytest.mark.parametrize(
    "source",
    [
        'x = f"{h}_probability"',
        'ok = c.endswith("_terms")',
        'x = name.removeprefix("body_")',
        'x = row.get("body_loaded_label")',
        'x = f"{p}{h}_outlet_probability"',
        'x = out["overall_score"]',
    ],
)
def test_the_column_name_check_finds_a_copy(source):
    assert column_name_literals(source)


def test_the_column_name_check_passes_other_names():
    assert not column_name_literals(
        'x = ("loaded_terms", "per_label", "word_terms")\n"""a_label"""'
    )


def writer_type_checks(source: str) -> list[int]:
    """Lines of ``source`` that ask a writer what it is (``hasattr(writer...``,
    ``isinstance(writer...``, ``isinstance(..., ...Writer)``) instead of reading what it
    declares it takes (its ``takes``)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("hasattr", "isinstance")
            and node.args
        ):
            continue
        subject = ast.unparse(node.args[0]).lower()
        kinds = ast.unparse(node.args[1]) if len(node.args) > 1 else ""
        if "writer" in subject or (node.func.id == "isinstance" and "Writer" in kinds):
            lines.append(node.lineno)
    return lines


def test_no_module_outside_tables_asks_a_writer_what_it_is():
    """Issue 28: the writers have one entry point (``write_chunk``) and say what it takes;
    nobody outside ``framing.tables`` picks among them with ``hasattr``/``isinstance``."""
    broken = [
        f"{path.relative_to(SRC)}:{line}"
        for path in _modules()
        if not path.is_relative_to(SRC / "tables")
        for line in writer_type_checks(path.read_text(encoding="utf-8"))
    ]
    assert not broken, "writers asked what they are (read writer.takes instead):\n" + "\n".join(
        broken
    )


@pytest.mark.parametrize(
    "source",
    [
        'by_columns = hasattr(writer, "write_columns")',
        "r = w.format if isinstance(writer, tables.DelimitedWriter) else None",
        "ok = isinstance(out, ParquetWriter)",
        'x = hasattr(self.writer, "write_text")',
    ],
)
def test_the_writer_check_finds_a_type_check(source):
    assert writer_type_checks(source)


def test_the_writer_check_passes_other_checks():
    assert not writer_type_checks('x = hasattr(model, "house_style")\ny = isinstance(v, str)')
