"""The reader's claims panel says of each claim what an editor scans for: its wording and the quote it
anchors to, its status, its tags and how many sources of each stance it has, in the same queries however
many claims there are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Tag
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory

BODY = "The council spent 3 million on roads. The mayor denied it. Roads were repaired in May."


def panel(client, article) -> str:
    content = client.get(article.get_absolute_url()).content.decode()
    return content.split('id="claims-panel"')[1].split("</section>")[0]


def item(content: str, claim) -> str:
    return content.split(f'id="claim-item-{claim.pk}"')[1].split("</li>")[0]


def test_each_claim_shows_its_quote_status_tags_and_sources(editor_client, editor):
    article = ArticleFactory(body=BODY)
    claim = ClaimFactory(article=article, created_by=editor, start=0, end=37, wording="Roads cost 3 million")
    claim.tags.add(Tag.objects.create(name="roads"), Tag.objects.create(name="Budget"))
    PassageEvidenceFactory(claim=claim, stance="supports")
    PassageEvidenceFactory(claim=claim, stance="supports")
    PassageEvidenceFactory(claim=claim, stance="contradicts")
    shown = item(panel(editor_client, article), claim)
    assert "Roads cost 3 million" in shown
    assert '<blockquote class="claim-item__quote">The council spent 3 million on roads.</blockquote>' in shown
    assert "Open" in shown
    assert "2 supporting, 1 contradicting" in shown
    assert shown.index(">Budget<") < shown.index(">roads<")


def test_a_claim_worded_as_its_quote_shows_it_once_and_says_it_has_no_sources(editor_client, editor):
    article = ArticleFactory(body=BODY)
    claim = ClaimFactory(article=article, created_by=editor, start=38, end=58, wording="The mayor denied it.")
    shown = item(panel(editor_client, article), claim)
    assert "claim-item__quote" not in shown and shown.count("The mayor denied it.") == 1
    assert "no sources yet" in shown


def test_the_panel_costs_the_same_queries_with_one_claim_or_forty_with_sources_and_tags(editor_client, editor):
    article = ArticleFactory(body=BODY)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            editor_client.get(article.get_absolute_url())
        return len(captured)

    ClaimFactory(article=article, created_by=editor, start=0, end=37)
    few = queries()
    tag = Tag.objects.create(name="roads")
    for n in range(40):
        claim = ClaimFactory(article=article, created_by=editor, start=38, end=58 + n % 20)
        claim.tags.add(tag)
        PassageEvidenceFactory(claim=claim, stance="context")
    assert queries() == few
    assert panel(editor_client, article).count("1 context") == 40
