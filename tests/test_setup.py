"""Settings, roles and the demo setup behave as the README promises."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import checks
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    # Set for the test run by pytest-env and the browser tests' conftest.
    own = ("SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in own} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_the_server_refuses_to_start_without_a_secret_key_when_debug_is_off():
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    for module in ("workbench.wsgi", "workbench.asgi"):
        result = subprocess.run(
            [sys.executable, "-c", f"import {module}"], cwd=ROOT, env=environment, capture_output=True, text=True
        )
        assert result.returncode != 0 and "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_tooling_commands_work_without_a_secret_key():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-real-production-key-" + "x" * 50,
        ALLOWED_HOSTS="workbench.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_system_check_passes_when_every_importer_library_loads():
    assert [message for message in checks.run_checks(tags=["importers"])] == []
    call_command("check", tags=["importers"])


@pytest.mark.parametrize(
    "module, needed_by",
    [
        ("lxml.html.clean", "the HTML importer"),
        ("trafilatura", "the HTML importer"),
        ("charset_normalizer", "every importer"),
        ("dateutil.parser", "every importer"),
    ],
)
def test_an_importer_library_that_cannot_load_fails_the_system_check_by_name(monkeypatch, module, needed_by):
    monkeypatch.setitem(sys.modules, module, None)  # what Python does with a module that is not installed
    [error] = checks.run_checks(tags=["importers"])
    assert (error.level, error.id) == (checks.ERROR, "articles.E001")
    assert error.msg.startswith(f"{module} cannot be imported, so {needed_by} cannot run")
    with pytest.raises(SystemCheckError, match=f"{module} cannot be imported"):
        call_command("check")  # as manage.py check, runserver and migrate run it


def test_lxml_without_its_separate_html_cleaner_fails_the_check_and_names_the_package(monkeypatch):
    # lxml 5.2 and later keep only a stub of lxml.html.clean that needs the lxml_html_clean package.
    monkeypatch.delitem(sys.modules, "lxml.html.clean", raising=False)
    monkeypatch.setitem(sys.modules, "lxml_html_clean", None)
    [error] = checks.run_checks(tags=["importers"])
    assert error.msg.startswith("lxml.html.clean cannot be imported, so the HTML importer cannot run")
    assert "lxml_html_clean" in error.msg


def test_the_four_roles_exist_with_growing_rights(db):
    permissions = {g.name: {p.codename for p in g.permissions.all()} for g in Group.objects.all()}
    assert "view_article" in permissions["viewer"] and "add_claim" not in permissions["viewer"]
    assert {"add_claim", "change_claim"} <= permissions["editor"]
    assert {"add_article", "change_user"} <= permissions["admin"]


def test_demo_accounts_are_refused_when_debug_is_off(db):
    with pytest.raises(CommandError, match="refusing with DEBUG off"):
        call_command("demo_setup")


def test_demo_accounts_are_one_per_role_and_created_once(db, settings, capsys):
    settings.DEBUG = True
    call_command("demo_setup")
    call_command("demo_setup")
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    for role in ("viewer", "editor", "reviewer", "admin"):
        # As the login page asks: django-axes counts each login by the request's address.
        user = authenticate(RequestFactory().post("/accounts/login/"), username=role, password="workbench-demo")
        assert [g.name for g in user.groups.all()] == [role]
    assert capsys.readouterr().out.count("(already there)") == 4


def test_the_demo_adds_claims_of_every_status_on_the_seeds_once(seeded, settings, capsys):
    from claims.models import Claim

    settings.DEBUG = True
    call_command("demo_setup")
    statuses = sorted(Claim.objects.values_list("status", flat=True))
    assert statuses == ["disputed", "open", "verified", "verified"]
    for claim in Claim.objects.filter(status="verified"):
        assert claim.reviewed_by.username == "reviewer" and claim.created_by.username == "editor"
        assert claim.evidence.filter(stance="supports").count() >= 2
    assert Claim.objects.get(status="disputed").evidence.filter(stance="contradicts").exists()

    call_command("demo_setup")
    assert Claim.objects.count() == 4
    assert "No demo claims added (there are claims already" in capsys.readouterr().out
