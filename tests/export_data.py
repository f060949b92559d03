"""Claims of every status with evidence of every stance: what every export format is tested on."""

from datetime import UTC, date, datetime

from claims.basis import basis_of
from claims.models import Claim, EvidenceLink, Tag
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory, _passage_of

BODY = (
    "The ministry said hospital waiting times fell by 12% in 2024. "
    "Critics say the figures leave out emergency care. "
    "Prices at the café rose 5% — officials blame energy costs."
)


def claims_of_every_kind() -> dict[str, Claim]:
    editor = UserFactory(username="export-editor", role="editor")
    reviewer = UserFactory(username="export-reviewer", role="reviewer")
    article = ArticleFactory(
        title="Waiting times “fell”, ministry says",
        url="https://news.example/health/waiting-times",
        publisher="Example News",
        published_at=datetime(2025, 3, 4, 8, 30, tzinfo=UTC),
        body=BODY,
    )
    health, budget = Tag.objects.create(name="health"), Tag.objects.create(name="budget")

    def claim(sentence: int, **fields) -> Claim:
        start = [0, BODY.index("Critics"), BODY.index("Prices")][sentence]
        end = BODY.index(".", start) + 1 if sentence < 2 else len(BODY)
        return ClaimFactory(article=article, created_by=editor, start=start, end=end, **fields)

    verified = claim(
        0,
        wording="=SUM(A1:A2) hospital waiting times fell by 12%",
        status=Claim.Status.VERIFIED,
        verdict_rationale="Two independent reports confirm the 12% figure.",
        reviewed_by=reviewer,
        reviewed_at=datetime(2025, 3, 6, 12, 0, tzinfo=UTC),
    )
    verified.tags.set([health, budget])
    PassageEvidenceFactory(claim=verified, stance=EvidenceLink.Stance.SUPPORTS, added_by=editor)
    EvidenceLink.objects.create(
        claim=verified,
        stance=EvidenceLink.Stance.SUPPORTS,
        url="https://stats.example.org/waiting-times-2024",
        title="Waiting times 2024",
        publisher="Statistics Office",
        accessed_on=date(2025, 3, 5),
        quote="Median waits fell 12%.",
        added_by=editor,
    )
    PassageEvidenceFactory(
        claim=verified, stance=EvidenceLink.Stance.CONTEXT, added_by=editor, note="Background on the method."
    )

    disputed = claim(
        1,
        wording="Emergency care is left out of the figures",
        status=Claim.Status.DISPUTED,
        verdict_rationale="The report's annex includes emergency care.",
        reviewed_by=reviewer,
        reviewed_at=datetime(2025, 3, 7, 9, 15, tzinfo=UTC),
    )
    disputed.tags.set([health])
    EvidenceLink.objects.create(
        claim=disputed,
        stance=EvidenceLink.Stance.CONTRADICTS,
        url="https://stats.example.org/annex",
        title="Annex B",
        added_by=editor,
    )
    PassageEvidenceFactory(
        claim=disputed,
        stance=EvidenceLink.Stance.CONTRADICTS,
        added_by=editor,
        passage=_passage_of(ArticleFactory(title="Annex coverage", url="https://other.example/annex")),
    )

    open_claim = claim(2, wording="Café prices rose 5% — officials blame energy")
    for judged in (verified, disputed):  # what verdict_record keeps with a verdict
        judged.verdict_basis = basis_of(judged, list(judged.evidence.select_related("passage__article")))
        judged.save()
    return {"verified": verified, "disputed": disputed, "open": open_claim}
