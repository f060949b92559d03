"""Every URL pattern, ours and the admin's, asked by each role with GET and POST on real objects, against
the table in tests/authorisation_table.py: a pattern with no line there fails, and so does any difference.

Each request runs in a transaction rolled back after it, so each finds the same objects (a POST that
deletes the claim leaves it there for the next role), and one that is refused must have written nothing."""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import ImportBatch
from claims import publishing, services
from claims.models import Assignment, ClaimSet, Comment, Export, Story, Tag, WebhookSubscription
from tests import authorisation_table as table
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory
from workbench import views
from workbench.api import tokens

pytestmark = pytest.mark.django_db

LOGIN_PAGES = {"login", "admin:login"}
MAX_REDIRECTS = 5
WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
# What a refused request may still write: the session of the one asking.
UNJUDGED_TABLES = {"django_session"}


@dataclass(frozen=True)
class Pattern:
    key: str  # its name, or its route when it has none
    route: str  # the whole route, from the root

    def url(self, values: list[str]) -> str:
        """The route with its parameters (path converters, regex groups) filled in with `values`, in order."""
        pieces = iter(values)
        route = re.sub(r"\(\?P<\w+>[^)]*\)|\([^)]*\)|<[^>]+>", lambda _: next(pieces), self.route)
        return "/" + route.replace("^", "").replace("$", "")


def url_patterns(resolver=None, prefix: str = "", namespace: str = "") -> list[Pattern]:
    """Every pattern the URL configuration serves, the admin's included."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            found += url_patterns(entry, prefix + str(entry.pattern), inner)
        else:
            assert isinstance(entry, URLPattern)
            route = prefix + str(entry.pattern)
            found.append(
                Pattern(key=":".join(filter(None, [namespace, entry.name])) if entry.name else route, route=route)
            )
    return found


PATTERNS = url_patterns()


@dataclass(frozen=True)
class World:
    """The objects the table names, and each role's session cookie."""

    objects: dict  # name: its value in a URL, or {role: value} for what is each role's own
    cookies: dict
    media_root: Path

    def value(self, name: str, role: str) -> str:
        value = self.objects[name]
        return str(value[role] if isinstance(value, dict) else value)

    def url(self, pattern: Pattern, case: table.Case, role: str) -> str:
        return pattern.url([self.value(name, role) for name in case.objects.split()])

    def data(self, case: table.Case, role: str) -> dict:
        fields = [field.split("=", 1) for field in case.data.split()]
        return {name: re.sub(r"\{(\w+)\}", lambda m: self.value(m[1], role), value) for name, value in fields}


LOGIN_SEEN = {
    "username": "someone",
    "ip_address": "192.0.2.7",
    "user_agent": "test",
    "http_accept": "*/*",
    "path_info": "/login/",
}


def make_world(media_root: Path) -> World:
    users = {
        role: UserFactory(username=f"matrix-{role}", role=role, is_staff=role == "admin") for role in table.ROLES[1:]
    }
    other = UserFactory(username="matrix-other", role="editor")  # whose things the roles ask for
    article = ArticleFactory()
    claim = ClaimFactory(article=article, created_by=other)
    link = PassageEvidenceFactory(claim=claim)
    tag = Tag.objects.create(name="matrix")
    claim.tags.add(tag)
    deleted = ClaimFactory(article=article, created_by=other)
    services.claim_delete(claim=deleted, user=users["admin"])
    comment = Comment.objects.create(claim=claim, author=other, body="Another editor's comment")
    assignment = Assignment.objects.create(claim=claim, task="source", assignee=other, assigned_by=users["reviewer"])
    story = Story.objects.create(name="Matrix story", created_by=other)
    story.articles.add(article)

    def own(make) -> dict:
        """One for each role, made by it; the anonymous visitor asks for another's."""
        return {"anonymous": make(other), **{role: make(user) for role, user in users.items()}}

    def claim_set(owner) -> int:
        picked = ClaimSet.objects.create(name=f"Set of {owner.username}", owner=owner)
        picked.claims.add(claim)
        return picked.pk

    def export(owner) -> int:
        done = Export.objects.create(
            format="csv", created_by=owner, channel="web", statuses=["open"], status=Export.Status.DONE, claim_count=1
        )
        done.file.save(f"export-{owner.username}.csv", ContentFile(b"id\r\n1\r\n"))
        return done.pk

    def webhook(owner) -> int:
        return WebhookSubscription.objects.create(
            owner=owner, name="Matrix CMS", url="https://cms.example.org/in", events=["claim.verified"]
        ).pk

    sets, exports = own(claim_set), own(export)
    publication = publishing.claim_set_publish(
        claim_set=ClaimSet.objects.get(pk=sets["anonymous"]), user=users["admin"]
    )
    task = DBTaskResult.objects.create(
        task_path="articles.tasks.preview_import",
        args_kwargs={"args": [0], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    objects = {
        "article": article.pk,
        "claim": claim.pk,
        # A viewer's own claim was tagged before the role was taken away: it gives them no rights.
        "own_claim": own(lambda user: ClaimFactory(article=article, created_by=user).pk),
        "link": link.pk,
        "comment": comment.pk,
        # As with claims, a viewer's own comment was written before the role was taken away.
        "own_comment": own(lambda user: Comment.objects.create(claim=claim, author=user, body="Mine").pk),
        "assignment_task": "source",
        "assignment": assignment.pk,
        "deleted_claim": deleted.pk,
        "tag": tag.pk,
        "set": sets["anonymous"],
        "own_set": sets,
        "export": exports["anonymous"],
        "own_export": exports,
        "story": story.pk,
        "publication": publication.slug,
        "publication_version": publication.version,
        "nowhere_version": publication.version + 1,
        "batch": ImportBatch.objects.create(channel="admin", status=ImportBatch.Status.DONE).pk,
        "task": task.pk,
        "attempt": AccessAttempt.objects.create(failures_since_start=3, **LOGIN_SEEN).pk,
        "access_log": AccessLog.objects.create(**LOGIN_SEEN).pk,
        "failure_log": AccessFailureLog.objects.create(locked_out=False, **LOGIN_SEEN).pk,
        "user": other.pk,
        "group": Group.objects.get(name="editor").pk,
        "claim_type": ContentType.objects.get_for_model(claim).pk,
        "app": "claims",
        "uid": "MQ",
        "token": "made-up-token",
        "api_token": tokens.token_create(user=other, name="Another's", can_write=True, days=7)[0].pk,
        "own_api_token": own(lambda user: tokens.token_create(user=user, name="Mine", can_write=True, days=7)[0].pk),
        "webhook": webhook(other),
        "own_webhook": own(webhook),
        "nowhere": "no-such-page/",
    }
    tracked = {"article": article, "claim": claim, "link": link, "tag": tag, "story": story, "user": other}
    tracked |= {"comment": comment, "assignment": assignment}
    tracked["set"] = ClaimSet.objects.get(pk=sets["anonymous"])
    for name, obj in tracked.items():
        objects[f"{name}_version"] = obj.history.earliest().history_id
    cookies = {"anonymous": {}}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        cookies[role] = {name: morsel.value for name, morsel in client.cookies.items()}
    return World(objects=objects, cookies=cookies, media_root=media_root)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Made once for the module, in a transaction rolled back after it: the database is left as it was."""
    media_root = tmp_path_factory.mktemp("matrix-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media_root):
        with transaction.atomic():
            yield make_world(media_root)
            transaction.set_rollback(True)


def ask(world: World, role: str, method: str, url: str, data: dict) -> tuple[str, list[str]]:
    """What `role` gets, in the table's words, and the tables the request (and its redirects) wrote to."""
    client = Client(raise_request_exception=False)
    client.cookies.load(world.cookies[role])
    if data:
        url = f"{url}?{urlencode(data)}"
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        got = outcome(client, getattr(client, method)(url, data if method == "post" else None))
        transaction.set_rollback(True)
    written = {match[1] for query in queries.captured_queries if (match := WRITE.match(query["sql"]))}
    return got, sorted(written - UNJUDGED_TABLES)


def outcome(client: Client, response) -> str:
    """Redirects are followed, up to a login page that is to send the user back (`?next=`): where one leads
    to another that sends anyone who may not see it to log in, as the admin's do, that is where it ends."""
    for _ in range(MAX_REDIRECTS):
        if response.status_code not in (301, 302, 303):
            break
        where = urlsplit(response.url)
        try:
            view = resolve(where.path).view_name
        except Resolver404:
            return "ok"
        if view in LOGIN_PAGES and "next" in parse_qs(where.query):
            return "login"
        response = client.get(response.url)
    if response.streaming:  # read to its end, as a browser would; the test client closes it then
        b"".join(response.streaming_content)
    return "ok" if 200 <= response.status_code < 300 else str(response.status_code)


def differences(world: World, pattern: Pattern, case: table.Case) -> list[str]:
    found = []
    for method, expected in (("get", case.get), ("post", case.post)):
        for role, wanted in zip(table.ROLES, expected.split(), strict=True):
            url, data = world.url(pattern, case, role), world.data(case, role)
            got, written = ask(world, role, method, url, data)
            asked = " ".join(filter(None, [method.upper(), url, str(data) if data else "", f"as {role}:"]))
            if got != ("ok" if wanted == "no" else wanted):
                found.append(f"{asked} {got}, where the table says {wanted}")
            elif written and wanted != "ok":
                found.append(f"{asked} {wanted}, as the table says, but it wrote to {', '.join(written)}")
    return found


def missing_line(pattern: Pattern) -> str:
    return (
        f"The URL pattern {pattern.key!r} (/{pattern.route}) has no line in tests/authorisation_table.py: add one "
        "to CASES (for a model's admin pages, to ADMIN) saying what each role gets from GET and from POST."
    )


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda pattern: pattern.key)
def test_each_role_gets_what_the_table_says(pattern, world, settings):
    cases = table.cases_for(pattern.key)
    if not cases:
        pytest.fail(missing_line(pattern))
    settings.MEDIA_ROOT = world.media_root  # where its export files are
    found = [difference for case in cases for difference in differences(world, pattern, case)]
    assert not found, "\n".join(found)


class WithANewPage:
    urlpatterns = [path("", include("workbench.urls")), path("reports/", views.activity, name="reports")]


def test_a_new_url_is_found_and_has_no_line_until_one_is_added():
    new = [pattern for pattern in url_patterns(get_resolver(WithANewPage)) if not table.cases_for(pattern.key)]
    assert new == [Pattern(key="reports", route="reports/")]
    assert "'reports' (/reports/) has no line in tests/authorisation_table.py" in missing_line(new[0])


def test_every_line_of_the_table_is_a_url_pattern():
    assert table.patterns() - {pattern.key for pattern in PATTERNS} == set()
