"""Two app servers behind one address, one of them stopped during the load: no write is lost or doubled.

Two gunicorn processes share the test's PostgreSQL database and the local Redis (cache and sessions);
a small round-robin proxy in front plays the load balancer. It tries the other server when one refuses
the connection, since then nothing was sent; a request that was sent and got no answer is retried only
when it reads (GET), since a POST may have been applied. Editors log in through the proxy and tag claims
and link sources at once while one server is stopped: taken out of the rotation and sent SIGTERM, as in a
rolling deploy (its requests in flight finish), or killed outright (SIGKILL).

Without the drain, a SIGTERM can still cost a request now and then: the connections that reach the
server's queue in the instant between its last accept and the closing of its socket are reset by the
kernel after their request was sent (workbench/gunicorn_worker.py narrows that window to the instant).
"""

import http.client
import http.server
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connections
from django.urls import reverse

from claims.models import Claim, EvidenceLink
from tests.factories import ArticleFactory, UserFactory

pytestmark = [
    pytest.mark.multi_server,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several servers share one PostgreSQL; SQLite is one machine's file",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
PROXY_PORT, SERVER_PORTS = 8220, (8221, 8222)
REDIS_URL = os.getenv("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
EDITORS, WRITES_EACH, STOP_AFTER = 4, 16, 16  # writes acknowledged before one server is stopped
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}


def reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


class Server:
    """One app server: gunicorn in a process group of its own, so a kill reaches its workers too."""

    def __init__(self, port: int, env: dict, log: Path):
        self.port, self.log = port, log
        command = [sys.executable, "-m", "gunicorn", "workbench.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += [
            "--worker-class",
            "workbench.gunicorn_worker.PromptStopWorker",
            "--workers",
            "1",
            "--threads",
            "4",
            "--graceful-timeout",
            "20",
        ]
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if requests.get(f"http://127.0.0.1:{self.port}{reverse('login')}", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server on {self.port} did not start:\n{self.log.read_text()}")

    def stop(self, how: signal.Signals) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, how)
            self.process.wait(timeout=30)


class Proxy(http.server.ThreadingHTTPServer):
    """Round robin over the servers, as a load balancer does; counts what it retried and what failed."""

    daemon_threads = True

    def __init__(self, ports):
        super().__init__(("127.0.0.1", PROXY_PORT), ProxyHandler)
        self.ports, self.turn, self.lock = list(ports), itertools.count(), threading.Lock()
        self.refused = self.retried_reads = self.failed = 0

    def drain(self, port: int) -> None:
        """Send nothing new to this server, as a balancer does before a server is stopped on purpose."""
        self.ports = [other for other in self.ports if other != port]

    def count(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)

    def forward(self, method: str, path: str, headers: dict, body: bytes):
        start, ports = next(self.turn), self.ports
        for step in range(len(ports)):
            backend = http.client.HTTPConnection("127.0.0.1", ports[(start + step) % len(ports)], timeout=30)
            try:
                try:
                    backend.connect()
                except ConnectionRefusedError:  # nothing was sent: safe to send it to the next server
                    self.count("refused")
                    continue
                try:
                    backend.request(method, path, body=body, headers=headers)
                    response = backend.getresponse()
                    return response.status, response.getheaders(), response.read()
                except (OSError, http.client.HTTPException):
                    if method != "GET":  # it may have been applied: the client must decide, not us
                        break
                    self.count("retried_reads")
            finally:
                backend.close()
        self.count("failed")
        return 502, [], b"Bad gateway"


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        headers["Connection"] = "close"
        status, response_headers, content = self.server.forward(self.command, self.path, headers, body)
        self.send_response(status)
        for name, value in response_headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = _forward

    def log_message(self, format, *args):
        pass


@pytest.fixture
def servers(transactional_db, tmp_path):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    if any(reachable(port) for port in (PROXY_PORT, *SERVER_PORTS)):
        pytest.skip(f"ports {PROXY_PORT}-{SERVER_PORTS[-1]} are taken")
    db = connections["default"].settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    prefix = f"wbtest-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "DATABASE_URL": f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "SECRET_KEY": django_settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    running = [Server(port, env, tmp_path / f"server-{port}.log") for port in SERVER_PORTS]
    proxy = Proxy(SERVER_PORTS)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        for server in running:
            server.wait_ready()
        yield running, proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
        for server in running:
            server.stop(signal.SIGKILL)
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


def logged_in(base: str, username: str) -> requests.Session:
    """A browser that opened the login page and logged in (each request may reach either server)."""
    browser = requests.Session()
    browser.get(base + reverse("login"), timeout=30).raise_for_status()
    response = browser.post(
        base + reverse("login"),
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:300]
    return browser


def test_a_login_on_one_server_is_valid_on_the_other(roles, servers):
    UserFactory(username="crossing-editor", role="editor")
    first, second = (f"http://127.0.0.1:{port}" for port in SERVER_PORTS)
    browser = logged_in(first, "crossing-editor")
    page = browser.get(second + reverse("articles:list"), allow_redirects=False, timeout=30)
    assert page.status_code == 200 and "crossing-editor" in page.text


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_stopping_a_server_during_concurrent_writes_loses_and_doubles_nothing(roles, servers, how):
    running, proxy = servers
    base = f"http://127.0.0.1:{PROXY_PORT}"
    article = ArticleFactory(body="The mayor said the bridge will reopen in May. Critics doubt it.")
    names = [f"editor-{n}" for n in range(EDITORS)]
    for name in names:
        UserFactory(username=name, role="editor")
    acknowledged, unanswered, lock = [], [], threading.Lock()
    enough_written = threading.Event()

    def write(browser: requests.Session, kind: str, token: str, url: str, data: dict) -> dict | None:
        headers = {"X-CSRFToken": browser.cookies["csrftoken"], "X-Requested-With": "fetch"}
        response = browser.post(url, data, headers=headers, allow_redirects=False, timeout=30)
        with lock:
            if response.status_code == 502:  # the proxy could not tell whether it was applied
                unanswered.append((kind, token))
                return None
            assert response.status_code in (201, 302), (response.status_code, response.text[:300])
            acknowledged.append((kind, token))
            if len(acknowledged) >= STOP_AFTER:
                enough_written.set()
        return response.json() if response.status_code == 201 else {}

    def editor(name: str) -> None:
        browser = logged_in(base, name)
        claims = []
        for n in range(WRITES_EACH):
            token = f"{name}-{n}"
            if n % 2 == 0 or not claims:
                data = {"article": article.pk, "quote": "the bridge will reopen in May", "wording": token}
                created = write(browser, "claim", token, base + reverse("claims:create"), data)
                if created:
                    claims.append(created["id"])
            else:
                data = {"url": f"https://wire.example/{token}", "stance": "contradicts", "note": token}
                write(browser, "link", token, base + reverse("claims:link-external", args=[claims[-1]]), data)

    with ThreadPoolExecutor(EDITORS) as pool:
        done = [pool.submit(editor, name) for name in names]
        assert enough_written.wait(timeout=60)
        if how == signal.SIGTERM:
            proxy.drain(running[0].port)  # its requests in flight are still running
        running[0].stop(how)
        for future in done:
            future.result()

    written = {
        "claim": list(Claim.objects.filter(wording__startswith="editor-").values_list("wording", flat=True)),
        "link": list(EvidenceLink.objects.filter(note__startswith="editor-").values_list("note", flat=True)),
    }
    for kind, token in acknowledged:
        assert written[kind].count(token) == 1, (kind, token)
    for kind, token in unanswered:
        assert written[kind].count(token) <= 1, (kind, token)
    assert sum(map(len, written.values())) <= len(acknowledged) + len(unanswered)
    assert len(acknowledged) + len(unanswered) == EDITORS * WRITES_EACH
    if how == signal.SIGTERM:
        assert unanswered == [] and proxy.failed == 0, "a graceful stop finishes what it accepted"
    else:
        assert proxy.refused > 0, "the killed server refused connections, which went to the other"
        assert len(unanswered) <= 4, "only the requests the killed server was handling (4 threads)"
    assert running[1].process.poll() is None
