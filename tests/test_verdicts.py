"""Every verdict rule, each allowed and refused with its reason."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, EvidenceLink
from claims.services import (
    StaleClaim,
    VerdictRefused,
    evidence_add_external,
    evidence_add_passage,
    verdict_record,
)
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, _passage_of

SUPPORTS, CONTRADICTS = EvidenceLink.Stance.SUPPORTS, EvidenceLink.Stance.CONTRADICTS


@pytest.fixture
def claim(editor):
    return ClaimFactory(created_by=editor, article=ArticleFactory(publisher="Origin News"))


def support(claim, publisher, stance=SUPPORTS):
    return PassageEvidenceFactory(claim=claim, stance=stance, passage=_passage_of(ArticleFactory(publisher=publisher)))


def verdict(claim, user, status, rationale="Checked against the sources."):
    claim.refresh_from_db()
    return verdict_record(claim=claim, user=user, status=status, rationale=rationale, expected_version=claim.version)


def refusal(claim, user, status, rationale="Checked against the sources."):
    with pytest.raises(VerdictRefused) as refused:
        verdict(claim, user, status, rationale)
    return " ".join(refused.value.reasons)


def test_a_reviewer_verifies_a_claim_with_two_independent_sources(claim, reviewer):
    support(claim, "Daily One")
    support(claim, "Daily Two")
    version = Claim.objects.get(pk=claim.pk).version
    verified = verdict(claim, reviewer, "verified", "Two independent reports agree.")
    assert (verified.status, verified.reviewed_by, verified.verdict_rationale) == (
        "verified",
        reviewer,
        "Two independent reports agree.",
    )
    assert verified.reviewed_at is not None and verified.version == version + 1


def test_one_supporting_source_is_not_enough(claim, reviewer):
    support(claim, "Daily One")
    assert "Needs one more independent supporting source" in refusal(claim, reviewer, "verified")
    assert Claim.objects.get(pk=claim.pk).status == "open"


def test_two_sources_from_the_same_publisher_count_once(claim, reviewer):
    support(claim, "Daily One")
    support(claim, "daily  one")
    assert "Needs one more independent supporting source" in refusal(claim, reviewer, "verified")


def test_articles_of_unknown_publisher_count_as_separate_sources(claim, reviewer):
    support(claim, "")
    support(claim, "")
    assert verdict(claim, reviewer, "verified").status == "verified"


def test_contradicting_and_context_links_do_not_count_as_support(claim, reviewer):
    support(claim, "Daily One")
    support(claim, "Daily Two", stance=CONTRADICTS)
    support(claim, "Daily Three", stance=EvidenceLink.Stance.CONTEXT)
    assert "Needs one more" in refusal(claim, reviewer, "verified")


def test_external_sources_from_one_site_count_once_unless_publishers_differ(claim, editor, reviewer):
    for path in ("a", "b"):
        evidence_add_external(claim=claim, user=editor, url=f"https://www.example.org/{path}", stance=SUPPORTS)
    assert "Needs one more" in refusal(claim, reviewer, "verified")
    evidence_add_external(claim=claim, user=editor, url="https://www.example.org/c", publisher="Wire", stance=SUPPORTS)
    assert verdict(claim, reviewer, "verified").status == "verified"


def test_the_number_of_sources_required_is_a_setting(claim, reviewer, settings):
    settings.WORKBENCH_MIN_SUPPORTING_SOURCES = 3
    support(claim, "Daily One")
    support(claim, "Daily Two")
    assert "Needs one more independent supporting source (3 from different publishers" in refusal(
        claim, reviewer, "verified"
    )
    support(claim, "Daily Three")
    assert verdict(claim, reviewer, "verified").status == "verified"


def test_with_no_sources_the_page_says_how_many_are_missing(claim, reviewer):
    assert "Needs 2 more independent supporting sources" in refusal(claim, reviewer, "verified")


def test_an_editor_cannot_set_a_verdict(claim, editor, viewer):
    support(claim, "Daily One")
    support(claim, "Daily Two")
    assert refusal(claim, viewer, "verified") == "Only reviewers and admins set verdicts."
    assert refusal(claim, editor, "verified") == "Only reviewers and admins set verdicts."


def test_an_admin_can_set_a_verdict(claim, admin_user):
    support(claim, "Wire", stance=CONTRADICTS)
    assert verdict(claim, admin_user, "disputed").status == "disputed"


def test_a_reviewer_cannot_judge_a_claim_they_tagged(reviewer):
    claim = ClaimFactory(created_by=reviewer)
    assert "four-eyes rule" in refusal(claim, reviewer, "disputed")


def test_the_four_eyes_rule_can_be_turned_off(reviewer, settings):
    settings.WORKBENCH_FOUR_EYES = False
    claim = ClaimFactory(created_by=reviewer)
    support(claim, "Wire", stance=CONTRADICTS)
    assert verdict(claim, reviewer, "disputed").status == "disputed"


def test_disputed_with_a_contradicting_source_is_allowed(claim, reviewer):
    support(claim, "Daily One", stance=CONTRADICTS)
    assert verdict(claim, reviewer, "disputed", "The wire report says otherwise.").status == "disputed"


def test_disputed_needs_a_contradicting_source(claim, reviewer):
    assert refusal(claim, reviewer, "disputed", "The figure is impossible: the town has 50 people.") == (
        "Needs a contradicting source: link a source with the stance “Contradicts”."
    )


def test_disputed_on_a_rationale_alone_when_the_newsroom_allows_it(claim, reviewer, settings):
    settings.WORKBENCH_DISPUTED_NEEDS_CONTRADICTING = False
    assert (
        verdict(claim, reviewer, "disputed", "The figure is impossible: the town has 50 people.").status == "disputed"
    )
    other = ClaimFactory(created_by=claim.created_by)
    assert refusal(other, reviewer, "disputed", "  ") == "Write a rationale for the verdict."


def test_disputed_without_source_or_rationale_says_both(claim, reviewer):
    assert refusal(claim, reviewer, "disputed", "  ") == (
        "Needs a contradicting source: link a source with the stance “Contradicts”. Write a rationale for the verdict."
    )


def test_every_verdict_needs_a_rationale(claim, reviewer):
    support(claim, "Daily One")
    support(claim, "Daily Two")
    assert refusal(claim, reviewer, "verified", "") == "Write a rationale for the verdict."


def test_reopening_needs_a_reason_and_keeps_it(claim, reviewer):
    support(claim, "Wire", stance=CONTRADICTS)
    verdict(claim, reviewer, "disputed")
    assert refusal(claim, reviewer, "open", "") == "Reopening a claim needs a reason."
    reopened = verdict(claim, reviewer, "open", "A new report came in.")
    assert (reopened.status, reopened.verdict_rationale) == ("open", "A new report came in.")


def test_the_same_verdict_twice_is_refused(claim, reviewer):
    support(claim, "Wire", stance=CONTRADICTS)
    verdict(claim, reviewer, "disputed")
    assert "already disputed" in refusal(claim, reviewer, "disputed")


def test_a_verdict_based_on_a_stale_version_is_refused(claim, reviewer, editor):
    seen = Claim.objects.get(pk=claim.pk).version
    passage = _passage_of(ArticleFactory())
    evidence_add_passage(claim=claim, user=editor, passage=passage, stance=CONTRADICTS)  # meanwhile
    with pytest.raises(StaleClaim):
        verdict_record(claim=claim, user=reviewer, status="verified", rationale="x", expected_version=seen)
    assert Claim.objects.get(pk=claim.pk).status == "open"


def test_the_claims_own_article_cannot_be_its_evidence(claim, editor):
    own = _passage_of(claim.article) if not claim.article.passages.exists() else claim.article.passages.first()
    with pytest.raises(ValidationError, match="own article cannot be its evidence"):
        evidence_add_passage(claim=claim, user=editor, passage=own, stance=SUPPORTS)
    with pytest.raises(ValidationError, match="own article"):
        claim.article.url = "https://origin.example/story"
        evidence_add_external(claim=claim, user=editor, url="https://origin.example/story/", stance=SUPPORTS)


def test_a_passage_is_linked_once_per_claim(claim, editor):
    passage = _passage_of(ArticleFactory())
    evidence_add_passage(claim=claim, user=editor, passage=passage, stance=SUPPORTS)
    with pytest.raises(ValidationError, match="already linked"):
        evidence_add_passage(claim=claim, user=editor, passage=passage, stance=CONTRADICTS)


def test_external_links_must_be_http(claim, editor):
    with pytest.raises(ValidationError):
        evidence_add_external(claim=claim, user=editor, url="javascript:alert(1)", stance=SUPPORTS)
    assert not claim.evidence.exists()
