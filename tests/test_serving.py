"""Serving under load: a runaway query cannot hold a web worker, and commands are not cut short."""

import os
import runpy
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.urls import path, reverse

from workbench import urls as workbench_urls
from workbench.middleware import ClientGoneMiddleware, StatementTimeoutMiddleware

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


def test_a_worker_loads_the_embedding_model_before_its_first_request():
    from claims import semantic

    config = runpy.run_path(str(ROOT / "workbench" / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread" and config["threads"] > 1
    config["post_worker_init"](None)
    assert semantic._load.cache_info().currsize == 1  # loaded (or found absent) once, for every request after


@pytest.fixture
def connection_pair():
    server, client = socket.socketpair()
    yield server, client
    server.close()
    client.close()


def _served(rf, server_side, method="get"):
    rendered = []

    def view(request):
        rendered.append(request.path)
        return HttpResponse("the page")

    request = getattr(rf, method)("/claims/")
    request.META["gunicorn.socket"] = server_side
    return ClientGoneMiddleware(view)(request), rendered


def test_a_request_whose_client_has_gone_is_not_rendered(rf, connection_pair):
    server, client = connection_pair
    client.close()
    response, rendered = _served(rf, server)
    assert response.status_code == 499
    assert rendered == []


def test_a_client_still_waiting_is_served(rf, connection_pair):
    server, client = connection_pair
    response, rendered = _served(rf, server)
    assert response.status_code == 200 and rendered == ["/claims/"]


def test_a_client_that_sent_more_is_still_waiting_and_served(rf, connection_pair):
    server, client = connection_pair
    client.sendall(b"GET /next/ HTTP/1.1\r\n")  # a pipelined request, or the rest of a body
    response, rendered = _served(rf, server)
    assert response.status_code == 200 and rendered == ["/claims/"]


def test_requests_without_a_gunicorn_socket_are_served(rf):
    middleware = ClientGoneMiddleware(lambda request: HttpResponse("the page"))
    assert middleware(rf.get("/")).status_code == 200


def test_a_write_whose_client_has_gone_is_still_made(rf, connection_pair):
    """What an editor sent arrived whole: it is saved, though no one is left to read the answer."""
    server, client = connection_pair
    client.close()
    response, rendered = _served(rf, server, method="post")
    assert response.status_code == 200 and rendered == ["/claims/"]


def test_a_tls_socket_is_never_peeked_at(rf):
    """gunicorn terminating TLS itself hands over a TLS socket, which refuses MSG_PEEK: the page is served."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with context.wrap_socket(socket.socket(), server_side=True, do_handshake_on_connect=False) as tls:
        request = rf.get("/claims/")
        request.META["gunicorn.socket"] = tls
        response = ClientGoneMiddleware(lambda request: HttpResponse("the page"))(request)
    assert response.status_code == 200
