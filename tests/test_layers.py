"""The architecture, checked: imports only go down the layers, and no module imports
itself back through others. Read from the source with `ast`, nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "newsarchive"

# What each layer may import from the package (itself included), lowest first. Every
# layer may read `newsarchive.__version__` from the root package, which holds nothing else.
ALLOWED = {
    "ground": {"ground"},
    "sites": {"ground", "sites"},
    "extract": {"ground", "sites", "extract"},
    "places": {"ground", "sites", "places"},
    "archive": {"ground", "archive"},
    "publish": {"ground", "archive", "publish"},
    "crawl": {"ground", "sites", "extract", "places", "archive", "crawl"},
    "ops": {"ground", "archive", "ops"},
    "cli": {"ground", "sites", "extract", "places", "archive", "publish", "crawl", "ops", "cli",
            "__init__"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(dotted: str) -> bool:
    path = PACKAGE.parent / dotted.replace(".", "/")
    return path.is_dir() or path.with_suffix(".py").exists()


def imports(path: Path) -> set[str]:
    """The newsarchive modules `path` imports, at any depth (function-level too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("newsarchive")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("newsarchive"):
                modules = {f"{target}.{a.name}" for a in node.names
                           if is_module(f"{target}.{a.name}")}
                # `from . import layout` imports a submodule, not the package's own names
                found |= modules if len(modules) == len(node.names) else modules | {target}
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1].removesuffix(".py") if len(parts) > 1 else "__init__"


GRAPH = {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def test_imports_only_go_down_the_layers():
    wrong = [f"{module} imports {target}" for module, targets in GRAPH.items()
             for target in targets
             if "__init__" not in (layer(module), layer(target))
             and layer(target) not in ALLOWED[layer(module)]]
    assert not wrong, "\n".join(wrong)


def test_every_module_is_in_a_known_layer():
    assert {layer(m) for m in GRAPH} <= set(ALLOWED) | {"__init__"}


def test_no_import_cycle():
    """Depth-first search over module -> imported modules (packages as their __init__)."""
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in GRAPH.get(module, ()):
            if target == module or target not in GRAPH:
                continue
            if state.get(target) == 1 and not module.startswith(target + "."):
                raise AssertionError(" -> ".join([*trail, module, target]))
            if target not in state:
                visit(target, [*trail, module])
        state[module] = 2

    for module in GRAPH:
        if module not in state:
            visit(module, [])


def test_the_check_catches_a_wrong_import(tmp_path):
    bad = PACKAGE / "ground" / "_probe_for_test.py"
    bad.write_text("from ..archive import Archive\n", encoding="utf-8")
    try:
        assert "newsarchive.archive" in imports(bad)
        assert "archive" not in ALLOWED[layer(module_name(bad))]
    finally:
        bad.unlink()


def top_level_classes() -> dict[str, list[str]]:
    """Each top-level class name of the package -> the modules that define one."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                found.setdefault(node.name, []).append(module_name(path))
    return found


def test_one_class_per_name():
    """Two top-level classes never share a name: a reader (or an import) never has to
    ask which `Reading` is meant."""
    shared = {name: modules for name, modules in top_level_classes().items()
              if len(modules) > 1}
    assert not shared, "\n".join(f"{name}: {', '.join(m)}" for name, m in shared.items())


def test_the_check_catches_a_shared_class_name():
    probe = PACKAGE / "ground" / "_probe_for_names.py"
    probe.write_text("class Article:\n    pass\n", encoding="utf-8")
    try:
        assert top_level_classes()["Article"] == ["newsarchive.ground._probe_for_names",
                                                  "newsarchive.ground.article"]
    finally:
        probe.unlink()


BENCH = PACKAGE.parent / "bench"


def imports_of_tests(path: Path) -> list[str]:
    """The `tests` modules `path` imports, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                 [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                 else [])
        found += [n for n in names if n == "tests" or n.startswith("tests.")]
    return found


def test_bench_stands_on_its_own():
    """A benchmark runs from a checkout without the test suite: nothing under bench/
    imports `tests` (what both need lives in bench/, and tests/support names it)."""
    wrong = [f"{path.name} imports {name}" for path in sorted(BENCH.rglob("*.py"))
             for name in imports_of_tests(path)]
    assert not wrong, "\n".join(wrong)


def test_the_check_catches_a_bench_importing_tests():
    probe = BENCH / "_probe_for_test.py"
    probe.write_text("def f():\n    from tests.support.fixtures import registry\n",
                     encoding="utf-8")
    try:
        assert imports_of_tests(probe) == ["tests.support.fixtures"]
    finally:
        probe.unlink()
