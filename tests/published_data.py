"""A published claim set made of real data: the seed articles and the demo claims `make run` tags on them, and
a claim whose every field is hostile text (a "</script>", quotes, markup, right-to-left Arabic, emoji)."""

from datetime import date

from articles.models import Article
from claims import services
from claims.anchoring import anchor_for_quote
from claims.models import Claim, ClaimSet, Publication
from claims.publishing import claim_set_publish
from tests.factories import UserFactory
from workbench.demo import add_demo_claims

HOSTILE = 'Minister: "it\'s </script><script>alert(1)</script> & <b>done</b>" — قال الوزير إن الأرقام صحيحة ✅🙂'


def published_seed_set() -> Publication:
    """Needs the seeds imported (the `seeded` fixture)."""
    editor = UserFactory(username="publish-editor", role="editor")
    reviewer = UserFactory(username="publish-reviewer", role="reviewer")
    assert add_demo_claims(editor=editor, reviewer=reviewer)
    article = Article.objects.current().get(origin_file__endswith="001_ed883fcb4752ff41.txt")
    hostile = services.claim_create(
        article=article,
        user=editor,
        anchor=anchor_for_quote(article.body, article.body.split(".")[0]),
        wording=HOSTILE,
        tags="hostile, <b>",
    )
    services.evidence_add_external(
        claim=hostile,
        user=editor,
        url="https://example.org/?q=%3C/script%3E&lang=ar",
        stance="contradicts",
        title=HOSTILE,
        publisher="<i>Publisher</i> “quoted”",
        accessed_on=date(2026, 11, 30),
        quote=HOSTILE,
        note=HOSTILE,
    )
    hostile.refresh_from_db()
    services.verdict_record(
        claim=hostile, user=reviewer, status="disputed", rationale=HOSTILE, expected_version=hostile.version
    )
    claim_set = ClaimSet.objects.create(name=f"Seed claims {HOSTILE}", description=HOSTILE, owner=reviewer)
    claim_set.claims.add(*Claim.objects.all())
    return claim_set_publish(claim_set=claim_set, user=reviewer)
