"""Serving under load: a runaway query cannot hold a web worker, and commands are not cut short."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.urls import path, reverse

from workbench import urls as workbench_urls
from workbench.middleware import StatementTimeoutMiddleware

ROOT = Path(__file__).resolve().parent.parent


def runaway(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(30)")
    return HttpResponse("finished")  # never: the statement is cancelled long before


urlpatterns = [path("runaway/", runaway), *workbench_urls.urlpatterns]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Statement timeouts are PostgreSQL's; SQLite has none.")


def test_web_requests_run_with_the_statement_timeout(postgresql, db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "5s"


def test_commands_run_without_a_statement_timeout(postgresql):
    show = "from django.db import connection; c = connection.cursor(); c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    environment = {k: v for k, v in os.environ.items() if k != "WORKBENCH_STATEMENT_TIMEOUT_MS"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", show],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


@pytest.fixture
def short_statement_timeout(postgresql, monkeypatch):
    """The setting's own path (connection OPTIONS), shortened so the test need not wait five seconds."""
    options = {**connection.settings_dict["OPTIONS"], "options": "-c statement_timeout=200"}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    connection.close()
    yield
    connection.close()  # the next test connects with the configured timeout again


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_runaway_query_is_cut_with_a_clean_page_and_the_worker_goes_on(
    short_statement_timeout, roles, viewer, client
):
    client.force_login(viewer)
    response = client.get("/runaway/")
    assert response.status_code == 503
    assert "This page took too long" in response.text
    assert response["Retry-After"] == "30"
    # The same process and connection serve the next request.
    assert client.get(reverse("claims:list")).status_code == 200


def test_other_database_errors_are_left_to_the_usual_error_page(rf):
    middleware = StatementTimeoutMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(rf.get("/"), OperationalError("database is locked")) is None


def test_gunicorn_gives_up_on_a_request_only_after_the_statement_timeout(settings):
    config = runpy.run_path(str(ROOT / "workbench" / "gunicorn.conf.py"))
    assert config["timeout"] * 1000 > settings.WORKBENCH_STATEMENT_TIMEOUT_MS
    assert config["workers"] == 2 * os.cpu_count() + 1 or "WEB_CONCURRENCY" in os.environ
