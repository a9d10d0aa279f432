"""The arrows between apps, read from the code itself (the AST of every module): ``anju.lib``
imports no app, and no app imports or reaches as an attribute a private (``_``-prefixed) name of
another app. What two apps need goes into ``lib`` or the published kit of the app that owns it."""

import ast
from pathlib import Path

ANJU = Path(__file__).resolve().parents[2]


def app_of(module: str) -> str:
    """``anju.cases.services`` → ``cases``; the root modules (``anju.urls``) are their own."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def sources():
    """(module name, parsed tree) of every module of the project but tests and migrations."""
    for path in sorted(ANJU.rglob("*.py")):
        relative = path.relative_to(ANJU.parent)
        if {"tests", "migrations"} & set(relative.parts) or path.name in {"conftest.py", "testing.py"}:
            continue
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        yield module, ast.parse(path.read_text(encoding="utf-8"), str(relative))


def is_private(name: str) -> bool:
    # ``_meta`` is the public face of a Django model, underscore and all.
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name != "_meta"


def imports_of(tree) -> list[tuple[str, str | None, str]]:
    """(module, imported name or None, bound name) for every import in ``tree``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, alias.asname or alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, alias.name, alias.asname or alias.name) for alias in node.names]
    return found


def private_uses(module: str, tree) -> list[str]:
    own = app_of(module)
    problems, other_modules = [], {}
    for imported, name, bound in imports_of(tree):
        if not imported.startswith("anju.") or app_of(imported) == own:
            continue
        if name is not None and is_private(name):
            problems.append(f"{module} imports {imported}.{name}")
        # ``from anju.cases import services`` or ``import anju.cases.services as s``: a module.
        other_modules[bound] = f"{imported}.{name}" if name else imported
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and is_private(node.attr) and isinstance(node.value, ast.Name)
                and node.value.id in other_modules):
            problems.append(f"{module} uses {other_modules[node.value.id]}.{node.attr}")
    return problems


def test_lib_imports_no_app():
    wrong = [f"{module} imports {imported}" for module, tree in sources() if module.startswith("anju.lib")
             for imported, _name, _bound in imports_of(tree)
             if imported.startswith("anju.") and not imported.startswith("anju.lib")]
    assert wrong == []


def test_no_app_reaches_a_private_name_of_another():
    problems = [problem for module, tree in sources() for problem in private_uses(module, tree)]
    assert problems == []


def test_the_checks_find_what_they_look_for():
    tree = ast.parse("from anju.cases.access import _is_global\nfrom anju.cases import services as s\n"
                     "s._lock(1)\nfrom anju.web import fields\nfields.office_choices()\n")
    assert private_uses("anju.disputes.forms", tree) == [
        "anju.disputes.forms imports anju.cases.access._is_global",
        "anju.disputes.forms uses anju.cases.services._lock",
    ]
    assert private_uses("anju.cases.sweep", ast.parse("from anju.cases.services import _record\n")) == []
