"""Where exports link to: the address the workbench was asked on, WORKBENCH_BASE_URL when it is set, and
for a background export, the address recorded when it was asked for."""

import json
import os
import re
import shutil
import subprocess
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from claims.exports import tasks
from claims.exports.services import export_start
from claims.models import Claim, Export
from tests.export_data import claims_of_every_kind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ALL = ["verified", "disputed", "open"]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _unset(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # where background exports are written
    settings.WORKBENCH_BASE_URL = ""
    settings.WORKBENCH_ORGANISATION_URL = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "newsroom.example"]


def linked_to(document: dict) -> set[str]:
    """Where a JSON export's own links (claim pages, the workbench's copies of articles) point."""
    claims = document["claims"]
    links = {claim["url"] for claim in claims} | {claim["article"]["workbench_url"] for claim in claims}
    return {re.match(r"https?://[^/]+", link).group(0) for link in links}


def test_an_export_from_the_export_page_links_to_the_address_it_was_served_on(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    response = client.post(
        reverse("claims:export"), {"format": "json", "statuses": ALL}, headers={"host": "newsroom.example:8811"}
    )
    document = json.loads(b"".join(response.streaming_content))
    assert linked_to(document) == {"http://newsroom.example:8811"}
    assert Export.objects.get().base_url == "http://newsroom.example:8811"


def test_the_claimreview_author_is_that_address_unless_the_organisation_has_its_own(
    client, viewer, settings, every_kind_of_claim
):
    client.force_login(viewer)

    def authors() -> set[str]:
        data = {"format": "claimreview", "statuses": ALL}
        response = client.post(reverse("claims:export"), data, headers={"host": "newsroom.example:8811"})
        return {review["author"]["url"] for review in json.loads(b"".join(response.streaming_content))}

    assert authors() == {"http://newsroom.example:8811/"}
    settings.WORKBENCH_ORGANISATION_URL = "https://factdesk.example/"
    assert authors() == {"https://factdesk.example/"}


def test_workbench_base_url_when_set_wins_over_the_served_address(client, viewer, settings, every_kind_of_claim):
    settings.WORKBENCH_BASE_URL = "https://workbench.factdesk.example"
    client.force_login(viewer)
    response = client.post(
        reverse("claims:export"), {"format": "json", "statuses": ALL}, headers={"host": "newsroom.example:8811"}
    )
    document = json.loads(b"".join(response.streaming_content))
    assert linked_to(document) == {"https://workbench.factdesk.example"}
    assert Export.objects.get().base_url == "https://workbench.factdesk.example"


def test_the_admin_export_links_to_the_address_it_was_served_on(client, admin_user, every_kind_of_claim):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "export_json", "_selected_action": [every_kind_of_claim["open"].pk]},
        headers={"host": "newsroom.example:8811"},
    )
    [claim] = json.loads(b"".join(response.streaming_content))["claims"]
    assert claim["url"] == f"http://newsroom.example:8811/claims/{claim['id']}/"


def test_a_background_export_links_to_the_address_recorded_when_it_was_asked_for(
    client, viewer, settings, every_kind_of_claim
):
    settings.WORKBENCH_EXPORT_STREAM_MAX_CLAIMS = 1
    client.force_login(viewer)
    client.post(
        reverse("claims:export"), {"format": "json", "statuses": ALL}, headers={"host": "newsroom.example:8811"}
    )
    export = Export.objects.get()
    assert export.status == Export.Status.DONE  # the task ran at once in tests, from the export's id alone
    document = json.loads(export.file.read())
    assert linked_to(document) == {"http://newsroom.example:8811"}


def test_a_worker_writes_the_recorded_address_whatever_its_own_settings(settings, every_kind_of_claim):
    export = export_start(
        export_format="json", user=None, channel="web", statuses=ALL, served_at="http://newsroom.example:8811/"
    )
    settings.WORKBENCH_BASE_URL = "http://127.0.0.1:9999"  # the worker's machine says otherwise

    tasks.run_export.enqueue(export.pk)

    export.refresh_from_db()
    document = json.loads(export.file.read())
    assert linked_to(document) == {"http://newsroom.example:8811"}


def test_a_command_line_export_links_to_the_setting_or_the_default(tmp_path, settings, every_kind_of_claim):
    path = tmp_path / "claims.json"
    call_command("export_claims", "--format", "json", "--status", *ALL, "-o", str(path))
    assert linked_to(json.loads(path.read_text())) == {"http://127.0.0.1:8000"}

    settings.WORKBENCH_BASE_URL = "https://workbench.factdesk.example/"
    call_command("export_claims", "--format", "json", "--status", *ALL, "-o", str(path))
    assert linked_to(json.loads(path.read_text())) == {"https://workbench.factdesk.example"}


@pytest.mark.django_db(transaction=True)
def test_an_export_from_a_running_server_links_to_its_port(roles, live_server, client):
    """What `PORT=8811 make run` does, on the test server's own port."""
    claims_of_every_kind()
    client.force_login(UserFactory(role="viewer"))
    session = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    url = live_server.url + reverse("claims:export")
    page = urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": session}))  # noqa: S310
    csrf = SimpleCookie(page.headers["Set-Cookie"])[django_settings.CSRF_COOKIE_NAME].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "format": "json", "statuses": "open"}).encode()
    cookies = f"{session}; {django_settings.CSRF_COOKIE_NAME}={csrf}"

    response = urllib.request.urlopen(urllib.request.Request(url, form, headers={"Cookie": cookies}))  # noqa: S310

    [claim] = json.loads(response.read())["claims"]
    assert claim["url"] == f"{live_server.url}/claims/{Claim.objects.get(status='open').pk}/"


def test_make_run_tells_the_server_and_the_worker_the_port_it_serves_on():
    environment = {key: value for key, value in os.environ.items() if key not in ("WORKBENCH_BASE_URL", "PORT")}
    plan = subprocess.run(
        [shutil.which("make"), "-n", "run", "PORT=8811"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    served = [line for line in plan.splitlines() if "manage.py db_worker" in line or "manage.py runserver" in line]
    assert len(served) == 2 and all("WORKBENCH_BASE_URL=http://127.0.0.1:8811 " in line for line in served)
