"""The activity page: everything recent across the workbench, newest first, as readable sentences,
filterable by who, what, which type and when, in the same few queries however long the history is."""

import html
import itertools
import json
import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import import_files
from claims.anchoring import anchor_at
from claims.models import Claim
from claims.services import (
    claim_create,
    claim_delete,
    claim_update,
    evidence_add_passage,
    evidence_remove,
    verdict_record,
)
from tests.factories import ArticleFactory, UserFactory, _passage_of
from workbench.activity import SOURCES, Cursor, activity_feed, activity_page
from workbench.audit import audit_channel

# A whole page of rows costs this many queries, whatever the number of rows and wherever the page is:
# the session and the signed-in user, the users for the filter, the page of the union (nothing is
# counted), each source's records for the page (two for claims and users, with their tags and roles)
# and the rows' users.
PAGE_QUERIES = 13


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


BODY = "The council spent 3 million on roads. Report {}."
numbers = itertools.count()


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def tag(editor, wording="The council spent 3 million on roads.", tags="budget", article=None) -> Claim:
    article = article or ArticleFactory(title="Council meets", body=BODY.format(next(numbers)))
    return claim_create(article=article, user=editor, anchor=anchor_at(article.body, 0, 37), wording=wording, tags=tags)


def link(claim, user, publisher, title="Wire report"):
    article = ArticleFactory(title=title, publisher=publisher, body=f"Roads cost 3 million. {next(numbers)}.")
    passage = _passage_of(article)
    return evidence_add_passage(claim=fresh(claim), user=user, passage=passage, stance="supports")


def reword(claim, editor, wording, tags):
    claim = fresh(claim)
    return claim_update(claim=claim, user=editor, expected_version=claim.version, wording=wording, tags=tags)


def verify(claim, reviewer):
    claim = fresh(claim)
    return verdict_record(
        claim=claim, user=reviewer, status="verified", rationale="Two reports agree.", expected_version=claim.version
    )


def feed(client, **params) -> list[str]:
    """The sentences of the page, as text, top to bottom."""
    response = client.get(reverse("activity"), params)
    assert response.status_code == 200
    cells = re.findall(r'<td class="activity__what"[^>]*>(.*?)</td>', response.content.decode(), re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split()) for cell in cells]


def only(client, **params) -> list[str]:
    """The page's sentences, without the accounts the fixtures make (users and their roles)."""
    return [row for row in feed(client, **params) if " user “" not in row]


# --- What a user sees ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("activity"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["viewer", "editor", "reviewer", "admin_user"])
def test_every_role_sees_the_activity(client, db, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("activity"))
    assert response.status_code == 200
    assert b'aria-current="page">Activity</a>' in response.content


def test_it_tells_a_claims_story_newest_first(viewer_client, editor, reviewer):
    claim = tag(editor)
    reword(claim, editor, "Roads cost 3 million.", "budget, roads")
    link(claim, editor, "Daily One", "First report")
    link(claim, editor, "Daily Two", "Second report")
    verify(claim, reviewer)
    assert only(viewer_client, type="claim") == [
        "reviewer-user changed claim “Roads cost 3 million.”: status open → verified, rationale, "
        "reviewer — → reviewer-user",
        "editor-user changed claim “Roads cost 3 million.”: wording, tags budget → budget, roads",
        "editor-user tagged claim “The council spent 3 million on roads.” in “Council meets”",
    ]
    assert only(viewer_client, type="evidence") == [
        "editor-user linked source “Second report” to claim “Roads cost 3 million.” (supports)",
        "editor-user linked source “First report” to claim “Roads cost 3 million.” (supports)",
    ]


def test_a_change_of_the_tags_alone_is_one_change_and_a_link_none(viewer_client, editor):
    """Saving the claim records a bare version bump, then the tags their own record: told as one change.
    Linking a source records a bare bump too, told only by the link's own entry."""
    claim = tag(editor, tags="budget")
    reword(claim, editor, "The council spent 3 million on roads.", "budget, roads")
    link(claim, editor, "Daily One", "First report")
    assert only(viewer_client, type="claim") == [
        "editor-user changed claim “The council spent 3 million on roads.”: tags budget → budget, roads",
        "editor-user tagged claim “The council spent 3 million on roads.” in “Council meets”",
    ]


def test_tagging_through_the_web_shows_the_tags_it_created(editor_client):
    article = ArticleFactory(title="Council meets", body=BODY.format(next(numbers)))
    data = {"article": article.pk, "start": 0, "end": 37, "tags": "budget, Roads"}
    editor_client.post(reverse("claims:create"), data)
    assert only(editor_client, type="tag") == ["editor-user created tag “Roads”", "editor-user created tag “budget”"]
    assert only(editor_client, type="claim") == [
        "editor-user tagged claim “The council spent 3 million on roads.” in “Council meets”"
    ]
    assert "web" in editor_client.get(reverse("activity"), {"type": "tag"}).content.decode()


def test_the_sentence_links_the_objects_that_still_exist(viewer_client, editor):
    claim = tag(editor)
    content = viewer_client.get(reverse("activity")).content.decode()
    assert f'href="{reverse("claims:detail", args=[claim.pk])}"' in content
    assert f'href="{reverse("articles:detail", args=[claim.article_id])}"' in content
    assert f'href="{reverse("claims:list")}?tag=budget"' in content


def test_deleted_objects_show_without_a_link(viewer_client, editor):
    claim = tag(editor)
    removed = link(claim, editor, "Daily One", "First report")
    evidence_remove(link=removed, user=editor)
    claim_delete(claim=fresh(claim), user=editor)
    content = viewer_client.get(reverse("activity")).content.decode()
    assert reverse("claims:detail", args=[claim.pk]) not in content
    assert only(viewer_client, type="claim") == [
        "editor-user deleted claim “The council spent 3 million on roads.”",
        "editor-user tagged claim “The council spent 3 million on roads.” (deleted since) in “Council meets”",
    ]
    assert only(viewer_client, type="evidence", action="deleted") == [
        "editor-user unlinked source “First report” from claim “The council spent 3 million on roads.” (supports)"
    ]


def test_an_import_shows_its_counts(viewer_client, admin_user):
    ArticleFactory(body="Already here. Yes.")
    files = [
        ("a.txt", b"Headline one\n\nBody text here."),
        ("b.txt", b"Headline two\n\nOther body text here."),
        ("c.txt", b"Dup\n\nAlready here. Yes."),
        ("empty.txt", b""),
    ]
    import_files(files=files, user=admin_user)
    import_files(files=[("d.txt", b"Headline three\n\nA third body.")], user=None)
    assert feed(viewer_client, type="import") == [
        "system imported 1 article from “d.txt”",
        "admin-user imported 2 articles (1 duplicate, 1 rejected) from 4 files",
    ]
    assert only(viewer_client, type="article", user=admin_user.pk) == [
        "admin-user added article “Headline two”",
        "admin-user added article “Headline one”",
    ]


def test_a_role_change_in_the_admin_shows_as_a_user_change_by_the_admin(client, admin_user, editor):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    joined = timezone.localtime(editor.date_joined)
    data |= {
        "groups": [Group.objects.get(name="reviewer").pk],
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S.%f"),
    }
    for name in ("last_login", "password", "user_permissions", "date_joined"):
        data.pop(name, None)
    assert client.post(url, data).status_code == 302

    rows = feed(client, type="user", user=admin_user.pk, action="changed")
    # Django's admin saves the user, then sets the groups: a removal and an addition, each recorded.
    assert rows == [
        "admin-user changed user “editor-user”: roles none → reviewer",
        "admin-user changed user “editor-user”: roles editor → none",
        "admin-user saved user “editor-user” without changes",
    ]
    content = client.get(reverse("activity"), {"type": "user"}).content.decode()
    assert re.search(r"editor-user”.*?<span class=\"badge\">admin site</span>", content, re.S)


def test_a_role_change_outside_the_admin_is_told_the_same_way(viewer_client, admin_user, editor):
    with audit_channel("admin"):
        editor._history_user = admin_user
        editor.groups.add(Group.objects.get(name="reviewer"))
    assert feed(viewer_client, user=admin_user.pk) == [
        "admin-user changed user “editor-user”: roles editor → editor, reviewer"
    ]


def test_a_users_name_links_to_their_activity(viewer_client, editor):
    tag(editor)
    content = viewer_client.get(reverse("activity")).content.decode()
    assert f'href="{reverse("activity")}?user={editor.pk}"' in content


# --- Filters -------------------------------------------------------------------------------------


@pytest.fixture
def story(editor, reviewer, admin_user):
    claim = tag(editor)
    link(claim, editor, "Daily One", "First report")
    link(claim, editor, "Daily Two", "Second report")
    verify(claim, reviewer)
    import_files(files=[("a.txt", b"Headline\n\nBody text here.")], user=admin_user)
    return claim


def test_filtering_by_user_shows_only_what_they_did(viewer_client, story, reviewer, admin_user):
    assert feed(viewer_client, user=reviewer.pk) == [
        "reviewer-user changed claim “The council spent 3 million on roads.”: status open → verified, rationale, "
        "reviewer — → reviewer-user"
    ]
    assert feed(viewer_client, user=admin_user.pk) == [
        "admin-user imported 1 article from “a.txt”",
        "admin-user added article “Headline”",
    ]


@pytest.mark.parametrize(
    "action, verbs",
    [
        ("created", {"tagged", "linked", "added", "created"}),
        ("changed", {"changed"}),
        ("deleted", set()),
        ("imported", {"imported"}),
    ],
)
def test_filtering_by_action_shows_only_that_action(viewer_client, story, action, verbs):
    rows = feed(viewer_client, action=action)
    assert {row.split()[1] for row in rows} == verbs


@pytest.mark.parametrize(
    "kind, count",
    [("claim", 2), ("evidence", 2), ("tag", 1), ("article", 4), ("import", 1)],
)
def test_filtering_by_type_shows_only_that_type(viewer_client, story, kind, count):
    rows = feed(viewer_client, type=kind)
    nouns = {"claim": "claim", "evidence": "source", "tag": "tag", "article": "article", "import": "article"}
    assert len(rows) == count and all(f" {nouns[kind]}" in row for row in rows)


def test_filtering_by_type_user_shows_accounts_and_roles(viewer_client, story):
    rows = feed(viewer_client, type="user")
    assert "system created user “reviewer-user”" in rows
    assert "system changed user “reviewer-user”: roles none → reviewer" in rows


def test_filtering_by_date_keeps_whole_days(viewer_client, editor, monkeypatch):
    month_ago = timezone.now() - timedelta(days=30)
    with monkeypatch.context() as clock:
        clock.setattr(timezone, "now", lambda: month_ago)
        tag(editor)
    day = timezone.localdate(month_ago)
    earlier, later = day - timedelta(days=1), day + timedelta(days=1)
    tagged = "editor-user tagged claim “The council spent 3 million on roads.” in “Council meets”"
    assert feed(viewer_client, type="claim", date_from=earlier, date_to=day) == [tagged]
    assert feed(viewer_client, type="claim", date_from=day, date_to=day) == [tagged]
    assert feed(viewer_client, type="claim", date_from=later) == []
    assert feed(viewer_client, type="claim", date_to=earlier) == []
    assert tagged not in feed(viewer_client, date_from=later)


def link_to(response, rel: str) -> str | None:
    """The query string of the page's "Newer" (rel=prev) or "Older" (rel=next) link, if it has one."""
    found = re.search(rf'<a rel="{rel}" href="\?([^"]*)"', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def test_filters_combine_and_stay_in_the_page_links(viewer_client, editor, reviewer):
    for _ in range(55):
        ArticleFactory()
    for n in range(3):
        tag(editor, wording=f"Claim {n}")
    assert len(feed(viewer_client, type="claim", user=editor.pk)) == 3
    response = viewer_client.get(reverse("activity"), {"type": "article"})
    assert len(response.context["entries"]) == 50
    assert link_to(response, "prev") is None  # the newest entries: nothing newer
    older = link_to(response, "next")
    assert older.startswith("type=article&older=")
    second = viewer_client.get(f"{reverse('activity')}?{older}")
    assert len(second.context["entries"]) == 8 and link_to(second, "next") is None
    newer = link_to(second, "prev")
    assert newer.startswith("type=article&newer=")
    back = viewer_client.get(f"{reverse('activity')}?{newer}")
    assert [e.record_id for e in back.context["entries"]] == [e.record_id for e in response.context["entries"]]


def test_no_entry_is_counted_or_numbered(viewer_client, story):
    content = viewer_client.get(reverse("activity")).content.decode()
    assert not re.search(r"\d+ entr(y|ies)", content) and "Page 1" not in content


def test_a_page_holds_still_while_new_activity_arrives(viewer_client, editor):
    for n in range(60):
        ArticleFactory(title=f"Old {n}")
    first = viewer_client.get(reverse("activity"), {"type": "article"})
    older = link_to(first, "next")
    before = feed(viewer_client, **dict(pair.split("=", 1) for pair in older.split("&")))
    for n in range(5):
        ArticleFactory(title=f"New {n}")
    assert feed(viewer_client, **dict(pair.split("=", 1) for pair in older.split("&"))) == before
    assert feed(viewer_client, type="article")[0] == "system added article “New 4”"


def test_the_older_pages_reach_every_entry_once_in_order(viewer_client, editor, reviewer, admin_user):
    """Through every kind of row and ties on the time (an import's article records share theirs), with
    pages of three: the pages one after the other are the whole feed, newest first."""
    busy_workbench(editor, reviewer, admin_user, extra=2)
    whole = [(e.kind, e.record_id) for e in activity_page(size=1000).entries]
    seen, page = [], activity_page(size=3)
    while True:
        seen += [(e.kind, e.record_id) for e in page.entries]
        if page.older is None:
            break
        page = activity_page(size=3, older=page.older)
    assert seen == whole and len(whole) > 20
    page = activity_page(size=3, newer=Cursor.of(page.entries[-1]))
    assert [(e.kind, e.record_id) for e in page.entries] == whole[-4:-1]


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "MjAyNC0wMS0wMw",
        Cursor(timezone.now(), 1, "claim").token[:-3],
        Cursor(timezone.now(), 1, "x").token,
        # Made by hand: a time before year 1 in UTC, an id no database holds.
        Cursor(datetime.fromisoformat("0001-01-01T00:00:00+05:00"), 1, "claim").token,
        Cursor(timezone.now(), 2**64, "claim").token,
    ],
)
def test_a_broken_page_link_is_refused_with_the_newest_entries(viewer_client, story, token):
    response = viewer_client.get(reverse("activity"), {"older": token, "type": "claim"})
    assert response.status_code == 400
    assert "This page link is not one the workbench made" in response.content.decode()
    assert len(response.context["entries"]) == 2  # the newest claims: the filter still holds


def test_a_bad_filter_is_shown_with_its_error_and_left_out(viewer_client, story):
    response = viewer_client.get(reverse("activity"), {"user": "99999", "type": "claim"})
    assert response.status_code == 200
    assert "Nobody is called “99999”." in response.content.decode()
    assert len(response.context["entries"]) == 2


# --- Cost ----------------------------------------------------------------------------------------


def busy_workbench(editor, reviewer, admin_user, *, extra: int) -> None:
    """`extra` claims edited twice and articles added, then every kind of activity, changes included."""
    for n in range(extra):
        other = tag(editor, wording=f"Claim {n}", tags=f"tag {n}")
        reword(other, editor, f"Claim {n}, reworded", "x")
        ArticleFactory()
    claim = tag(editor, tags="budget, roads")
    link(claim, editor, "Daily One")
    removed = link(claim, editor, "Daily Two")
    link(claim, editor, "Daily Three")
    evidence_remove(link=removed, user=editor)
    verify(claim, reviewer)
    reword(claim, editor, "Roads cost 3 million.", "budget")
    with audit_channel("admin"):
        editor._history_user = admin_user
        editor.groups.add(Group.objects.get(name="reviewer"))
    import_files(files=[(f"{editor.username}.txt", f"Headline\n\nBody text by {editor}.".encode())], user=admin_user)
    claim_delete(claim=fresh(tag(editor, wording="Deleted soon")), user=editor)


@pytest.mark.parametrize("extra", [0, 40])
def test_a_page_costs_the_same_queries_however_long_the_history(
    viewer_client, editor, reviewer, admin_user, extra, django_assert_max_num_queries
):
    busy_workbench(editor, reviewer, admin_user, extra=extra)
    rows = feed(viewer_client)
    assert len(rows) == (50 if extra else len(rows)) and len(rows) >= 5
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert viewer_client.get(reverse("activity")).status_code == 200


def test_the_query_count_does_not_grow_with_the_rows(viewer_client, editor, reviewer, admin_user):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            viewer_client.get(reverse("activity"))
        return len(queries)

    busy_workbench(editor, reviewer, admin_user, extra=0)
    few = page_queries()
    busy_workbench(UserFactory(username="second-editor", role="editor"), reviewer, admin_user, extra=40)
    assert Article.history.count() + Claim.history.count() > 100
    assert page_queries() == few


def test_every_page_back_to_the_oldest_costs_the_same_queries(
    viewer_client, editor, reviewer, admin_user, django_assert_max_num_queries
):
    busy_workbench(editor, reviewer, admin_user, extra=40)
    query, pages = "", 0
    while query is not None:
        with django_assert_max_num_queries(PAGE_QUERIES):
            response = viewer_client.get(f"{reverse('activity')}?{query}")
        pages, query = pages + 1, link_to(response, "next")
    assert pages >= 3


# --- What the database reads --------------------------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plans")


def like(record, n: int, start):
    """A copy of a historical record, as the change of one of 300 objects `n` seconds after `start`."""
    values = {f.attname: getattr(record, f.attname) for f in type(record)._meta.concrete_fields if not f.primary_key}
    moved = {"id": 100_000 + n % 300, "history_date": start + timedelta(seconds=n), "history_type": "~"}
    return type(record)(**{**values, **moved})


def long_history(records: int) -> None:
    """`records` claim records (one in two folded into the one before) and as many article records, written
    in bulk: a history of many pages, quickly."""
    claim = tag(UserFactory(username="prolific", role="editor"))
    start = timezone.now() - timedelta(days=1)
    copies = [like(Claim.history.filter(id=claim.pk).earliest(), n, start) for n in range(records)]
    for n, copy in enumerate(copies):
        copy.history_folded = n % 2 == 1
    Claim.history.model.objects.bulk_create(copies)
    article = Article.history.filter(id=claim.article_id).earliest()
    Article.history.model.objects.bulk_create(like(article, n, start) for n in range(records))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def largest_read(sql: str, params=()) -> int:
    """The most rows any scan of the query's plan read (returned or filtered away, per loop), as
    PostgreSQL ran it: what grows when a query reads a whole table to return a page."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def reads(node):
        if node["Node Type"].endswith("Scan"):
            yield node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
        for child in node.get("Plans", []):
            yield from reads(child)

    return max(reads(plan[0]["Plan"]))


@postgres_only
@pytest.mark.parametrize("deep", [0, 2500])
def test_the_page_query_reads_a_page_from_each_table_wherever_the_page_is(db, deep):
    long_history(3000)
    older = Cursor(**{name: activity_feed()[deep][name] for name in ("at", "record_id", "kind")}) if deep else None
    sql, params = activity_feed(older=older, limit=51).query.sql_with_params()
    assert largest_read(sql, params) <= 51 + 2  # a page and the one more that says there is another (and a tie)


@postgres_only
@pytest.mark.parametrize("deep", [False, True])
def test_no_query_of_a_page_needs_to_read_a_whole_table(viewer_client, deep):
    """The page's rows told too (the records before them, the ends of their changes, tags, users). On a
    table this small PostgreSQL may rightly prefer to read it all: with sequential scans ruled out, each
    query must still be answerable from its indexes, as it is on a long history."""
    long_history(3000)
    query = ""
    if deep:
        for _ in range(40):
            query = link_to(viewer_client.get(f"{reverse('activity')}?{query}"), "next")
    with CaptureQueriesContext(connection) as queries:
        assert viewer_client.get(f"{reverse('activity')}?{query}").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    reads = {q["sql"]: largest_read(q["sql"]) for q in queries if q["sql"].lstrip("(").startswith("SELECT")}
    assert {sql: rows for sql, rows in reads.items() if rows > 3 * 51} == {}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's plans")
@pytest.mark.parametrize("deep", [0, 250])
def test_on_sqlite_each_part_is_read_from_an_index_in_order_wherever_the_page_is(db, deep):
    """Each part names its page's rows in a subquery read from an index in the feed's order (no sort of the
    table), and its rows are then fetched by key: only those few are sorted. (A table of a row or two may
    rightly be read whole.)"""
    long_history(300)
    older = Cursor(**{name: activity_feed()[deep][name] for name in ("at", "record_id", "kind")}) if deep else None
    sql, params = activity_feed(older=older, limit=51).query.sql_with_params()
    with connection.cursor() as cursor:
        plan = cursor.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    parents = {node: parent for node, parent, _, _ in plan}
    details = {node: detail for node, _, _, detail in plan}

    def in_subquery(node) -> bool:
        while node in parents:
            node = parents[node]
            if details.get(node, "").startswith("LIST SUBQUERY"):
                return True
        return False

    assert sum(detail.startswith("LIST SUBQUERY") for detail in details.values()) == len(SOURCES)
    long = (Claim.history.model._meta.db_table, Article.history.model._meta.db_table)
    assert [d for d in details.values() if d.startswith("SCAN") and d.split()[1] in long and "USING" not in d] == []
    assert not any("TEMP B-TREE" in details[node] for node in details if in_subquery(node))
