"""The activity page: everything recent across the workbench, newest first, as readable sentences,
filterable by who, what, which type and when, in the same few queries however long the history is."""

import html
import itertools
import re
from datetime import timedelta

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
from workbench.audit import audit_channel

# A whole page of rows costs this many queries, whatever the number of rows: the session and the
# signed-in user, the users for the filter, the count and the page of the union, each source's
# records for the page (two for claims and users, with their tags and roles) and the rows' users.
PAGE_QUERIES = 14


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
    cells = re.findall(r'<td class="activity__what">(.*?)</td>', response.content.decode(), re.S)
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


def test_filters_combine_and_stay_in_the_page_links(viewer_client, editor, reviewer):
    for _ in range(55):
        ArticleFactory()
    for n in range(3):
        tag(editor, wording=f"Claim {n}")
    assert len(feed(viewer_client, type="claim", user=editor.pk)) == 3
    response = viewer_client.get(reverse("activity"), {"type": "article"})
    assert response.context["page"].paginator.count == 58
    assert len(response.context["entries"]) == 50
    assert 'href="?type=article&amp;page=2"' in response.content.decode()
    assert len(feed(viewer_client, type="article", page=2)) == 8


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
