"""The layers of customers/: what `ls customers/` promises, and no module importing itself back
through others (the contracts between packages are import-linter's, in `make lint`)."""

from pathlib import Path

import grimp

import customers

APP = Path(customers.__file__).parent


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Modules that import each other, directly or through others (Tarjan's strongly
    connected components with more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if not imported.startswith("customers"):
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_of_the_app_imports_itself_back():
    graph = grimp.build_graph("customers", cache_dir=None)

    assert _cycles(graph) == []


def test_the_finder_of_cycles_finds_one():
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")

    assert _cycles(graph) == []  # not under customers: ignored
    renamed = grimp.ImportGraph()
    for module in ("customers.a", "customers.b"):
        renamed.add_module(module)
    renamed.add_import(importer="customers.a", imported="customers.b")
    renamed.add_import(importer="customers.b", imported="customers.a")
    assert _cycles(renamed) == [["customers.a", "customers.b"]]


def test_ls_customers_shows_the_packages_and_at_most_ten_modules():
    modules = sorted(p.name for p in APP.glob("*.py"))
    packages = sorted(p.name for p in APP.iterdir() if (p / "__init__.py").exists())

    assert len(modules) <= 10, modules
    for package in ("capillary", "lookup", "pages", "audit", "insights", "accounts", "platform"):
        assert package in packages


def test_every_package_says_what_it_owns():
    for init in APP.glob("*/__init__.py"):
        if init.parent.name in {"migrations", "templatetags", "management"}:
            continue
        assert init.read_text().startswith('"""'), init


def test_no_module_outside_migrations_has_more_than_800_lines():
    long = {
        str(path.relative_to(APP)): len(path.read_text().splitlines())
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts
    }

    assert {path: lines for path, lines in long.items() if lines > 800} == {}


def test_the_readmes_layout_is_what_ls_customers_shows():
    """README.md's Layout block names every package of customers/ on a line of its own and the
    modules beside them on one line, and nothing else."""
    readme = (APP.parent / "README.md").read_text()
    block = readme[readme.index("## Layout") :].split("```")[1]
    lines = [line for line in block.splitlines() if line.startswith("  ")]
    firsts = [line.split()[0] for line in lines]
    named_packages = {first.rstrip("/") for first in firsts if first.endswith("/")}
    named_modules = {word for line in lines for word in line.split() if word.endswith(".py")}

    packages = {p.name for p in APP.iterdir() if p.is_dir() and p.name != "__pycache__"}
    modules = {p.name for p in APP.glob("*.py")} - {"__init__.py"}
    assert named_packages == packages
    assert named_modules == modules
