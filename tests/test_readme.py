"""The README's tables say what the code does: they are read here beside the code they describe."""

import ast
import re
from pathlib import Path

from articles.text import Rule

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS = ROOT / "workbench" / "settings.py"


def table_after(heading: str) -> list[list[str]]:
    """The cells of the first table under a README heading, without its header and rule rows."""
    section = README.split(f"\n{heading}\n", 1)[1]
    rows = re.search(r"^\|.*?(?=\n[^|]|\Z)", section, re.MULTILINE | re.DOTALL)[0].split("\n")
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows[2:]]


def environment_variables_read(path: Path) -> set[str]:
    """Every name settings.py reads from the environment: os.getenv, os.environ.get or [] and its env* helpers."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = node.func
            helper = isinstance(function, ast.Name) and function.id.startswith("env")
            getenv = isinstance(function, ast.Attribute) and ast.unparse(function) in ("os.getenv", "os.environ.get")
            if helper or getenv:
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.add(node.slice.value)
    return names


def test_the_cleaning_table_names_every_cleaning_rule_and_no_other():
    named = [row[0].strip("`") for row in table_after("### Cleaning: what is removed from the body and why")]
    assert sorted(named) == sorted(rule.value for rule in Rule)


def test_every_environment_variable_the_settings_read_is_in_the_configuration_table():
    documented = {
        name for row in table_after("## Configuration") for name in re.findall(r"`([A-Z_][A-Z0-9_]*)`", row[0])
    }
    read = environment_variables_read(SETTINGS)
    assert {"DEBUG", "DATABASE_URL", "WORKBENCH_IMPORT_MAX_FILE_BYTES", "TASKS_BACKEND"} <= read
    assert sorted(read - documented) == []
