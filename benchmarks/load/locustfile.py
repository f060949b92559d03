"""Simulated editors reading and writing, and a login-page visitor for the baseline (see run.py).

An editor logs in through the login form (CSRF token and cookie, as a browser does), then reads the claim
list (page 1, filtered, deep pages), claim pages, the reader and the activity feed, and writes: tags a
claim in the reader (as its script does), links an external source, edits a claim it tagged. Every write
the server acknowledges is recorded in ACKNOWLEDGED, and written to LOAD_WRITES at the end, so that
accounts.py can look each one up in the database. Ids are discovered from the pages, so the test does
not care how the data was made. Usable alone too:

    locust -f benchmarks/load/locustfile.py --headless -u 20 -t 60s --host http://127.0.0.1:8000 Editor
"""

import json
import os
import random
import re
import uuid
from pathlib import Path

from locust import FastHttpUser, constant, events, task

PASSWORD = "load-test-only-password"  # noqa: S105 - the accounts accounts.py makes on a local database
ACCOUNTS = int(os.getenv("LOAD_ACCOUNTS", "50"))
RUN = os.getenv("LOAD_RUN", uuid.uuid4().hex[:8])
WRITES = Path(os.getenv("LOAD_WRITES", "/tmp/workbench-load-writes.jsonl"))  # noqa: S108 - a benchmark's output

ACKNOWLEDGED: list[dict] = []
REFUSED: list[dict] = []  # writes the server refused as stale (409): answered, not lost, not acknowledged
SIGNED_IN: list[str] = []  # run.py starts counting once every editor has logged in
CLAIMS: set[int] = set()
ARTICLES: set[int] = set()
LIST_PAGES = [1]
_next_account = iter(range(10**9))

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLAIM_LINK = re.compile(r'href="/claims/(\d+)/')
ARTICLE_LINK = re.compile(r'href="/articles/(\d+)/')
PAGE_COUNT = re.compile(r"Page \d+ of (\d+)")
PARAGRAPH = re.compile(r'<(?:p|li|h2) data-start="(\d+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def _token(html: str) -> str:
    found = TOKEN.search(html)
    return found.group(1) if found else ""


def _discover(html: str) -> None:
    CLAIMS.update(int(pk) for pk in CLAIM_LINK.findall(html))
    ARTICLES.update(int(pk) for pk in ARTICLE_LINK.findall(html))
    pages = PAGE_COUNT.search(html)
    if pages:
        LIST_PAGES[0] = max(LIST_PAGES[0], int(pages.group(1)))


class Editor(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.username = f"load-editor-{next(_next_account) % ACCOUNTS:03d}"
        self.own_claims: list[int] = []
        page = self.client.get("/accounts/login/", name="login form")
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": _token(page.text)},
            allow_redirects=False,
            catch_response=True,
            name="log in",
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} could not log in ({response.status_code})")
        SIGNED_IN.append(self.username)
        self._read("/claims/", "claim list")

    def _read(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url}: {response.status_code}")
                return ""
            _discover(response.text)
            return response.text

    def _some(self, ids: set[int]) -> int | None:
        return random.choice(tuple(ids)) if ids else None

    @task(4)
    def claim_list(self):
        self._read("/claims/", "claim list")

    @task(2)
    def claim_list_filtered(self):
        status = random.choice(["open", "verified", "disputed"])
        self._read(f"/claims/?status={status}&q=the", "claim list, filtered")

    @task(2)
    def claim_list_deep(self):
        self._read(f"/claims/?page={random.randint(2, LIST_PAGES[0])}", "claim list, deep page")

    @task(4)
    def claim_page(self):
        pk = self._some(CLAIMS)
        if pk and self._read(f"/claims/{pk}/", "claim page"):
            self._read(f"/claims/{pk}/suggestions/", "claim page's suggestions")  # its script fetches them

    @task(3)
    def reader(self):
        pk = self._some(ARTICLES)
        if pk:
            self._read(f"/articles/{pk}/", "reader")

    @task(1)
    def activity(self):
        self._read("/activity/", "activity feed")

    @task(1)
    def tag_claim(self):
        """Select the first words of a paragraph in the reader and tag them, as reader.js posts it."""
        pk = self._some(ARTICLES)
        html = self._read(f"/articles/{pk}/", "reader") if pk else ""
        starts = sorted({int(start) for start in PARAGRAPH.findall(html)})
        if len(starts) < 2:
            return
        index = random.randrange(len(starts) - 1)
        start, end = starts[index], min(starts[index] + 60, starts[index + 1] - 1)
        wording = f"load {RUN} tag {uuid.uuid4().hex}"
        data = {"article": pk, "start": start, "end": end, "wording": wording, "tags": "load-test"}
        data["csrfmiddlewaretoken"] = _token(html)
        headers = {"X-Requested-With": "fetch"}
        with self.client.post(
            "/claims/new/", data=data, headers=headers, catch_response=True, name="tag a claim"
        ) as response:
            if response.status_code != 201:
                response.failure(f"tag: {response.status_code} {response.text[:200]}")
                return
            claim = response.json()["id"]
        self.own_claims.append(claim)
        ACKNOWLEDGED.append({"kind": "tag", "claim": claim, "wording": wording})

    @task(1)
    def link_source(self):
        pk = self._some(CLAIMS)
        html = self._read(f"/claims/{pk}/", "claim page") if pk else ""
        if not html:
            return
        url = f"https://example.org/load/{RUN}/{uuid.uuid4().hex}"
        data = {"url": url, "title": "Load test source", "stance": "context", "csrfmiddlewaretoken": _token(html)}
        with self.client.post(
            f"/claims/{pk}/evidence/external/",
            data=data,
            allow_redirects=False,
            catch_response=True,
            name="link a source",
        ) as response:
            if response.status_code != 302:
                response.failure(f"link: {response.status_code}")
                return
        ACKNOWLEDGED.append({"kind": "link", "claim": pk, "url": url})

    @task(1)
    def edit_claim(self):
        """Editors edit the claims they tagged; the form carries the version it was read at."""
        if not self.own_claims:
            return
        pk = random.choice(self.own_claims)
        html = self._read(f"/claims/{pk}/", "claim page")
        version = VERSION.search(html)
        if not version:
            return
        wording = f"load {RUN} edit {uuid.uuid4().hex}"
        data = {"wording": wording, "tags": "load-test", "version": version.group(1)}
        data["csrfmiddlewaretoken"] = _token(html)
        with self.client.post(
            f"/claims/{pk}/edit/", data=data, allow_redirects=False, catch_response=True, name="edit a claim"
        ) as response:
            if response.status_code == 409:  # someone linked a source since the page was read
                response.success()
                REFUSED.append({"kind": "edit", "claim": pk})
                return
            if response.status_code != 302:
                response.failure(f"edit: {response.status_code}")
                return
        ACKNOWLEDGED.append({"kind": "edit", "claim": pk, "wording": wording})


class LoginPage(FastHttpUser):
    """The baseline: the cheapest page the server has, asked for as fast as it answers."""

    wait_time = constant(0)

    @task
    def login_page(self):
        self.client.get("/accounts/login/", name="login page")


@events.test_stop.add_listener
def _write_acknowledged(**_kwargs):
    WRITES.write_text("".join(json.dumps(write) + "\n" for write in ACKNOWLEDGED), encoding="utf-8")
