"""The apps import only what DESIGN.md's table lets them: arrows point down the table, never up.
The one exception, stated in the README: benefits and health_card read the periods from
participation, and participation imports neither of them. Both read them through participation's
selectors alone, health_card's demo cards too; benefits' demo records are drawn from the demo periods."""

import ast
from pathlib import Path

from django.conf import settings

APPS = ["vssid_portal", "lookup", "notifications", "accounts", "participation", "benefits", "health_card",
        "public_services"]
MAY_IMPORT = {
    "vssid_portal": set(),
    "lookup": {"vssid_portal"},
    "notifications": {"vssid_portal"},
    "accounts": {"vssid_portal", "lookup", "notifications"},
    "participation": {"vssid_portal", "accounts", "lookup", "notifications"},
    "benefits": {"vssid_portal", "accounts", "lookup", "notifications", "participation"},
    "health_card": {"vssid_portal", "accounts", "lookup", "notifications", "participation"},
    "public_services": set(APPS) - {"public_services"},
}

# Of an app the table does not list, the modules an app reads.
ONLY_MODULES = {app: {"participation": {"participation.selectors"}} for app in ("benefits", "health_card")}
# benefits/demo.py, the demo records, follows the demo periods participation seeded before them.
DEMO_ALSO = {"benefits": {"participation.demo", "participation.models"}}


def imported_modules(path: Path):
    """Every module a file imports (at the top or inside a function), as dotted names."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_app_imports_up_the_table():
    base = Path(settings.BASE_DIR)
    wrong = []
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            for module in imported_modules(path):
                target = module.split(".")[0]
                if target not in APPS or target == app:
                    continue
                if target not in MAY_IMPORT[app]:
                    wrong.append(f"{path.relative_to(base)} imports {module}")
                only = ONLY_MODULES.get(app, {}).get(target)
                if only is not None and path.name.startswith("demo"):
                    only = only | DEMO_ALSO.get(app, set())
                if only is not None and module not in only:
                    wrong.append(f"{path.relative_to(base)} imports {module}")
    assert wrong == []
