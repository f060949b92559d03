"""The Makefile passes the caller's settings on: `DATABASE_URL=postgres://... make test` (as .ci/run runs
the suite on PostgreSQL) must reach the tests, and `make serve` and `make load` have defaults of their own."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def without_settings() -> dict[str, str]:
    """This process's environment without the settings the tests are run with (on PostgreSQL, a DATABASE_URL)."""
    return {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DB_CONN_MAX_AGE")}


def recipe_sees(tmp_path, **environment) -> str:
    makefile = tmp_path / "probe.mk"
    makefile.write_text(f'include {ROOT / "Makefile"}\nprobe:\n\t@echo "[$$DATABASE_URL] [$$DB_CONN_MAX_AGE]"\n')
    result = subprocess.run(
        [shutil.which("make"), "--no-print-directory", "-f", str(makefile), "probe"],
        cwd=ROOT,
        env=without_settings() | environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_a_recipe_gets_the_database_the_caller_named(tmp_path):
    # A target-specific `DATABASE_URL ?=` once kept make 4.3 from exporting it: the PostgreSQL run was SQLite's.
    assert recipe_sees(tmp_path, DATABASE_URL="postgres://ci@127.0.0.1/x", DB_CONN_MAX_AGE="5") == (
        "[postgres://ci@127.0.0.1/x] [5]"
    )


def test_without_one_the_recipes_get_none_and_serving_its_default(tmp_path):
    assert recipe_sees(tmp_path) == "[] []"
    dry_run = subprocess.run(
        [shutil.which("make"), "-n", "load"],
        cwd=ROOT,
        env=without_settings(),
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert "DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench" in dry_run
