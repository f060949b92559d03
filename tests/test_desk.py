"""My desk, the home page: what is mine, what changed since I last looked, and the board of claims by stage."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Assignment, Claim, DeskVisit, EvidenceLink, Tag
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory


def sourced(claim: Claim, *, by=None) -> Claim:
    """Two supporting sources of different publishers, linked as the claim page links them: what verifying
    needs (the two-source rule)."""
    for _ in range(2):
        passage = ArticleFactory().passages.first()
        services.evidence_add_passage(claim=claim, user=by or claim.created_by, passage=passage, stance="supports")
    claim.refresh_from_db()
    return claim


def verified(claim: Claim, reviewer) -> Claim:
    sourced(claim)
    return services.verdict_record(
        claim=claim, user=reviewer, status="verified", rationale="Two reports agree.", expected_version=claim.version
    )


def column(response, name: str) -> list[str]:
    return [card.wording for col in response.context["columns"] if col.name == name for card in col.cards]


def desk(client, **query):
    response = client.get(reverse("home"), query)
    assert response.status_code == 200
    return response


def test_the_home_page_is_my_desk_and_the_articles_stay_in_the_navigation(editor_client):
    page = desk(editor_client).content.decode()
    assert "<h1>My desk</h1>" in page
    assert f'href="{reverse("articles:list")}"' in page and ">Articles</a>" in page
    assert f'data-count="{reverse("desk-count")}"' in page


def test_logging_in_leads_to_the_desk(client, editor):
    response = client.post(reverse("login"), {"username": editor.username, "password": "correct horse battery staple"})
    assert response["Location"] == reverse("home")


def test_the_board_puts_each_claim_in_its_stage(editor_client, editor, reviewer):
    ClaimFactory(wording="Nothing found yet", created_by=editor)
    sourced(ClaimFactory(wording="Two outlets agree", created_by=editor))
    contradicted = ClaimFactory(wording="Another outlet says otherwise", created_by=editor)
    PassageEvidenceFactory(claim=contradicted, stance=EvidenceLink.Stance.CONTRADICTS)
    one_source = ClaimFactory(wording="Only one outlet", created_by=editor)
    PassageEvidenceFactory(claim=one_source)
    ClaimFactory(wording="Found again only approximately", needs_review=True, review_reason="Check the quote.")
    verified(ClaimFactory(wording="Judged already", created_by=editor), reviewer)

    response = desk(editor_client)
    assert column(response, "source") == ["Only one outlet", "Nothing found yet"]
    assert column(response, "review") == ["Another outlet says otherwise", "Two outlets agree"]
    assert column(response, "flagged") == ["Found again only approximately"]
    assert column(response, "decided") == ["Judged already"]
    page = response.content.decode()
    for title in ("To source", "To review", "Needs review", "Decided"):
        assert f">{title} <span" in page


def test_a_suspended_verdict_needs_review_on_the_board(editor_client, editor, reviewer):
    claim = verified(ClaimFactory(wording="Its source went", created_by=editor), reviewer)
    services.evidence_remove(link=claim.evidence.first(), user=reviewer)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.REVIEW
    response = desk(editor_client)
    assert column(response, "flagged") == ["Its source went"]
    assert column(response, "decided") == []


def test_each_column_shows_its_first_twenty_and_links_to_the_claim_list(editor_client, editor):
    article = ArticleFactory()
    for n in range(25):
        ClaimFactory(article=article, wording=f"Claim {n}", created_by=editor)
    response = desk(editor_client)
    assert len(column(response, "source")) == 20
    page = response.content.decode()
    assert f'href="{reverse("claims:list")}?status=open">Every open claim</a>' in page
    assert ">20+</span>" in page


def test_a_claim_just_sourced_reaches_to_review_however_many_open_claims_are_newer(editor_client, editor):
    old = ClaimFactory(wording="Tagged long ago", created_by=editor)
    article = ArticleFactory()
    Claim.objects.bulk_create(
        [Claim(article=article, quote="x", start=0, end=1, wording="Newer", created_by=editor) for _ in range(250)]
    )
    assert "Tagged long ago" not in column(desk(editor_client), "source")  # past the 200 open claims sorted
    sourced(old)
    assert column(desk(editor_client), "review") == ["Tagged long ago"]


def test_the_board_filters_by_tag_and_by_whose_hands_a_claim_is_in(client, reviewer, editor):
    tagged = ClaimFactory(wording="About health")
    tagged.tags.create(name="health")
    handed = ClaimFactory(wording="In the editor's hands")
    services.claim_assign(claim=handed, user=reviewer, task="source", assignee=editor)
    ClaimFactory(wording="Neither")
    client.force_login(reviewer)

    assert column(desk(client, tag="health"), "source") == ["About health"]
    by_person = desk(client, assigned=editor.username)
    assert column(by_person, "source") == ["In the editor's hands"]
    page = by_person.content.decode()
    assert f'href="{reverse("claims:list")}?assigned={editor.username}&amp;status=open"' in page
    client.force_login(editor)
    assert column(desk(client, assigned="me"), "source") == ["In the editor's hands"]


def test_an_unknown_person_in_the_filter_is_a_field_error(editor_client):
    page = desk(editor_client, assigned="nobody-here").content.decode()
    assert "Nobody is called “nobody-here”." in page


def test_the_person_filter_suggests_as_one_types_and_lists_nobody(editor_client):
    for n in range(30):
        UserFactory(username=f"person{n}")
    page = desk(editor_client).content.decode()
    assert f'data-complete="{reverse("people")}"' in page
    assert "person7" not in page


def test_what_is_assigned_to_me_and_not_yet_decided(client, reviewer, editor):
    mine = ClaimFactory(wording="Find me sources")
    services.claim_assign(claim=mine, user=reviewer, task="source", assignee=editor, note="By tonight")
    someone_elses = ClaimFactory(wording="Not mine")
    services.claim_assign(claim=someone_elses, user=reviewer, task="source", assignee=UserFactory(role="editor"))
    done = verified(ClaimFactory(wording="Decided since"), UserFactory(role="reviewer"))
    Assignment.objects.create(claim=done, task="source", assignee=editor, assigned_by=reviewer)
    client.force_login(editor)
    response = desk(client)
    assert [a.claim.wording for a in response.context["assignments"]] == ["Find me sources"]
    page = response.content.decode()
    assert "Find sources" in page and f"from {reviewer.username}: By tonight" in page


def test_a_reviewer_sees_what_waits_for_their_verdict_but_not_their_own_claims(client, reviewer, editor):
    sourced(ClaimFactory(wording="Ready, by the editor", created_by=editor))
    sourced(ClaimFactory(wording="Ready, but the reviewer's own", created_by=reviewer))
    ClaimFactory(wording="Not sourced yet", created_by=editor)
    client.force_login(reviewer)
    response = desk(client)
    assert [card.wording for card in response.context["ready"]] == ["Ready, by the editor"]
    assert column(response, "review") == ["Ready, but the reviewer's own", "Ready, by the editor"]
    assert "Ready for your verdict" in response.content.decode()


def test_the_four_eyes_rule_off_lets_a_reviewer_judge_their_own(client, reviewer, settings):
    settings.WORKBENCH_FOUR_EYES = False
    sourced(ClaimFactory(wording="My own, ready", created_by=reviewer))
    client.force_login(reviewer)
    assert [card.wording for card in desk(client).context["ready"]] == ["My own, ready"]


def test_a_reviewer_sees_the_claims_that_need_their_review(client, reviewer, editor):
    other_reviewer = UserFactory(role="reviewer")
    suspended = verified(ClaimFactory(wording="Suspended verdict", created_by=editor), other_reviewer)
    services.evidence_remove(link=suspended.evidence.first(), user=other_reviewer)
    ClaimFactory(wording="Flagged anchor", needs_review=True, review_reason="Check the quote.", created_by=editor)
    own = verified(ClaimFactory(wording="Suspended, the reviewer's own", created_by=reviewer), other_reviewer)
    services.evidence_remove(link=own.evidence.first(), user=other_reviewer)
    client.force_login(reviewer)
    response = desk(client)
    assert {card.wording for card in response.context["to_answer"]} == {"Suspended verdict", "Flagged anchor"}


def test_editors_and_viewers_have_no_reviewer_lists(client, editor, viewer):
    sourced(ClaimFactory(wording="Ready"))
    for user in (editor, viewer):
        client.force_login(user)
        response = desk(client)
        assert "ready" not in response.context
        assert "Ready for your verdict" not in response.content.decode()
        assert column(response, "review") == ["Ready"]  # the board is the newsroom's: everyone reads it


def test_my_claims_judged_reopened_or_flagged_since_i_last_looked(client, editor, reviewer):
    judged_before = verified(ClaimFactory(wording="Judged before my last look", created_by=editor), reviewer)
    client.force_login(editor)
    desk(client)  # a look
    assert judged_before.pk  # it is not new any more
    verified(ClaimFactory(wording="Verified since", created_by=editor), reviewer)
    reopened = verified(ClaimFactory(wording="Reopened since", created_by=editor), reviewer)
    services.verdict_record(
        claim=reopened,
        user=reviewer,
        status="open",
        rationale="A source was retracted.",
        expected_version=reopened.version,
    )
    flagged = ClaimFactory(wording="Flagged since", created_by=editor)
    flagged.needs_review, flagged.review_reason = True, "Not found again in version 2 of the article."
    flagged.save()
    verified(ClaimFactory(wording="Someone else's, verified since"), reviewer)

    response = desk(client)
    assert [card.wording for card in response.context["changed"]] == [
        "Flagged since",
        "Reopened since",
        "Verified since",
    ]
    page = response.content.decode()
    assert f"reopened by {reviewer.username}" in page and f"verified by {reviewer.username}" in page
    assert "Not found again in version 2 of the article." in page

    assert desk(client).context["changed"] == []  # looked at: nothing is new any more


def test_a_first_look_covers_the_last_seven_days_and_records_the_look(editor_client, editor, reviewer):
    verified(ClaimFactory(wording="Verified today", created_by=editor), reviewer)
    assert not DeskVisit.objects.filter(user=editor).exists()
    response = desk(editor_client)
    assert [card.wording for card in response.context["changed"]] == ["Verified today"]
    assert "Your first look" in response.content.decode()
    assert DeskVisit.objects.filter(user=editor).exists()


def test_mentions_of_me_new_ones_marked(client, editor, reviewer):
    claim = ClaimFactory(wording="A claim we talk about")
    services.comment_post(claim=claim, user=reviewer, body=f"@{editor.username} look at this")
    client.force_login(editor)
    first = desk(client)
    assert [m.comment.body for m in first.context["mentions"]] == [f"@{editor.username} look at this"]
    assert first.context["mentions"][0].is_new
    again = desk(client)
    assert not again.context["mentions"][0].is_new


def test_the_navigation_counts_what_waits_on_my_desk(client, editor, reviewer):
    client.force_login(editor)
    assert client.get(reverse("desk-count")).json() == {"count": 0, "shown": "0"}
    services.claim_assign(claim=ClaimFactory(), user=reviewer, task="source", assignee=editor)
    services.comment_post(claim=ClaimFactory(), user=reviewer, body=f"@{editor.username} here")
    assert client.get(reverse("desk-count")).json() == {"count": 2, "shown": "2"}
    desk(client)  # the mention is seen; the assignment still waits
    assert client.get(reverse("desk-count")).json() == {"count": 1, "shown": "1"}


def test_the_count_stops_at_99_plus(client, editor, reviewer):
    article = ArticleFactory()
    claims = Claim.objects.bulk_create(
        [Claim(article=article, quote="x", start=0, end=1, wording=f"C{n}", created_by=reviewer) for n in range(101)]
    )
    Assignment.objects.bulk_create(
        [Assignment(claim=c, task="source", assignee=editor, assigned_by=reviewer) for c in claims]
    )
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(reverse("desk-count")).json()
    assert answer == {"count": 100, "shown": "99+"}
    assert len(queries) <= 5  # the session, the user, the assignments, the last look, the mentions


def test_the_desk_costs_the_same_queries_however_many_claims(client, reviewer, editor, django_assert_max_num_queries):
    article = ArticleFactory()
    health = Tag.objects.create(name="health")
    judge = UserFactory(role="reviewer")

    def more_claims(size: int) -> None:
        """`size` open claims, and some of every kind the desk lists."""
        claims = Claim.objects.bulk_create(
            [Claim(article=article, quote="x", start=0, end=1, wording="C", created_by=editor) for _ in range(size)]
        )
        for claim in claims[:3]:
            services.claim_assign(claim=claim, user=reviewer, task="review", assignee=reviewer)
            services.comment_post(claim=claim, user=editor, body=f"@{reviewer.username} this one")
            claim.tags.add(health)
        sourced(claims[0])
        verified(ClaimFactory(created_by=reviewer), judge).tags.add(health)
        ClaimFactory(created_by=editor, needs_review=True, review_reason="Check the quote.").tags.add(health)

    def queries(most: int, **query) -> int:
        with django_assert_max_num_queries(most) as captured:
            response = desk(client, **query)
        assert all(len(col.cards) <= 20 for col in response.context["columns"])
        return len(captured)

    more_claims(3)
    client.force_login(reviewer)
    desk(client)  # the first look
    # A filter reads its tag and its person, and the unfiltered lists of mine apart from the board.
    small = queries(15), queries(20, tag="health", assigned=reviewer.username)
    for _ in range(3):
        more_claims(100)
    large = queries(15), queries(20, tag="health", assigned=reviewer.username)
    assert small == large


def test_the_desks_orders_are_read_from_indexes(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Claim._meta.db_table)
    indexed = {tuple(info["columns"]) for info in constraints.values() if info["index"]}
    assert ("status", "updated_at", "id") in indexed  # the open claims worked on last
    assert ("created_by_id", "updated_at", "id") in indexed  # my claims changed since I looked
    assert ("reviewed_at", "id") in indexed  # the latest verdicts
