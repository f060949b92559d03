"""Which way the arrows point (DESIGN.md): claims uses articles, articles never imports claims, and the
project package `workbench/` is settings, urls and shared pieces that import no app.

Read from the source with `ast`, so an import inside a function counts as much as one at the top:
a hidden import is still an arrow.

The rule for `workbench/` as it stands: only `urls.py` (which joins the apps' pages) and `settings.py`
(which names them) may import an app, plus these known exceptions, each a feature that spans the apps
and has not yet been split into contributions from each app:

- `activity.py`: the activity feed reads every app's history tables (its sources are listed there, not
  contributed by the apps), and `filters.py` / `views.py` build on it;
- `demo.py`: the demo claims on the seed articles, made through claims' services (`demo_setup`).

An exception that no longer imports an app must leave the list, so the list only ever shrinks.
"""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "workbench"
MAY_IMPORT_APPS = {"urls.py", "settings.py"}
KNOWN_EXCEPTIONS = {"activity.py", "demo.py"}


def our_apps() -> set[str]:
    """The installed apps that live in this repository, the project package aside."""
    return {
        config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT and config.name != PROJECT
    }


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports, wherever in it the import statement sits."""
    packages = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            packages.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    return packages


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_the_layout_test_sees_the_apps_and_their_modules():
    assert {"articles", "claims"} <= our_apps()
    assert ROOT / "articles" / "services.py" in modules("articles")
    assert "claims" in imported_packages(ROOT / "claims" / "views.py")


def test_no_module_of_articles_imports_claims():
    offenders = [str(path.relative_to(ROOT)) for path in modules("articles") if "claims" in imported_packages(path)]
    assert offenders == []


def test_the_project_package_imports_no_app_outside_urls_settings_and_the_known_exceptions():
    importing = {
        path.relative_to(ROOT / PROJECT).as_posix() for path in modules(PROJECT) if imported_packages(path) & our_apps()
    }
    assert importing - MAY_IMPORT_APPS - KNOWN_EXCEPTIONS == set()
    assert KNOWN_EXCEPTIONS <= importing, "an exception that imports no app any more leaves KNOWN_EXCEPTIONS"
