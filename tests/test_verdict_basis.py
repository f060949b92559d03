"""A verdict is bound to what it judged: change the wording, the anchor or the sources that counted, and the
claim needs review (not verified, not disputed) until a reviewer confirms or changes the verdict."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims.basis import drifts
from claims.checks import unknown_publishers_setting
from claims.history import timeline
from claims.models import Claim, EvidenceLink
from claims.rules import independent_support
from claims.services import (
    VerdictRefused,
    claim_delete,
    claim_mark_reviewed,
    claim_restore,
    claim_rollback,
    claim_update,
    claims_reanchor,
    claims_recheck_sources,
    evidence_add_passage,
    evidence_remove,
    evidence_update,
    verdict_record,
)
from tests.factories import ArticleFactory, ClaimFactory, _passage_of

SUPPORTS, CONTRADICTS, CONTEXT = (
    EvidenceLink.Stance.SUPPORTS,
    EvidenceLink.Stance.CONTRADICTS,
    EvidenceLink.Stance.CONTEXT,
)


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def links_of(claim: Claim) -> list[EvidenceLink]:
    return list(claim.evidence.select_related("passage__article"))


def link(claim, user, publisher, stance=SUPPORTS, title=None) -> EvidenceLink:
    article = ArticleFactory(publisher=publisher, **({"title": title} if title else {}))
    return evidence_add_passage(claim=fresh(claim), user=user, passage=_passage_of(article), stance=stance)


def judge(claim, reviewer, status="verified", rationale="Two independent outlets report it.") -> Claim:
    return verdict_record(
        claim=fresh(claim), user=reviewer, status=status, rationale=rationale, expected_version=fresh(claim).version
    )


@pytest.fixture
def verified(editor, reviewer):
    claim = ClaimFactory(created_by=editor, wording="40 gay and bisexual men were detained")
    link(claim, editor, "Daily One", title="First report")
    link(claim, editor, "Daily Two", title="Second report")
    return judge(claim, reviewer)


@pytest.fixture
def disputed(editor, reviewer):
    claim = ClaimFactory(created_by=editor)
    link(claim, editor, "Wire", stance=CONTRADICTS, title="Wire denial")
    return judge(claim, reviewer, "disputed", "The wire service denies it.")


def test_a_verdict_records_what_it_judged(verified):
    basis = verified.verdict_basis
    assert basis["status"] == "verified" and basis["wording"] == "40 gay and bisexual men were detained"
    assert basis["anchor"]["quote"] == verified.quote and basis["independent_support"] == 2
    assert sorted(entry["publisher"] for entry in basis["links"]) == ["Daily One", "Daily Two"]


def test_changing_the_wording_of_a_verified_claim_suspends_its_verdict(verified, editor):
    claim_update(claim=verified, user=editor, expected_version=verified.version, wording="400 gay men", tags="")
    claim = fresh(verified)
    assert (claim.status, claim.needs_review) == ("review", True)
    assert claim.review_reason == "The wording changed after the verdict."
    assert not Claim.objects.filter(status="verified").exists()


def test_changing_only_the_tags_or_spacing_keeps_the_verdict(verified, editor):
    wording = "  40 gay and   bisexual men were detained "
    claim_update(claim=verified, user=editor, expected_version=verified.version, wording=wording, tags="health")
    assert fresh(verified).status == "verified"


def test_removing_a_supporting_source_says_how_many_are_left(verified, editor):
    evidence_remove(link=verified.evidence.get(passage__article__publisher="Daily One"), user=editor)
    claim = fresh(verified)
    assert claim.status == "review"
    assert claim.review_reason == "A supporting source was removed: 1 of 2 independent sources left."


def test_a_new_contradicting_source_questions_a_verified_claim(verified, editor):
    link(verified, editor, "Gazette", stance=CONTRADICTS)
    claim = fresh(verified)
    assert (claim.status, claim.review_reason) == ("review", "A contradicting source was added after the verdict.")


@pytest.mark.parametrize("stance", [SUPPORTS, CONTEXT])
def test_more_support_or_context_keeps_a_verified_claim(verified, editor, stance):
    link(verified, editor, "Gazette", stance=stance)
    assert fresh(verified).status == "verified"


def test_a_disputed_claim_stands_on_its_contradicting_sources(disputed, editor):
    evidence_remove(link=disputed.evidence.get(), user=editor)
    claim = fresh(disputed)
    assert (claim.status, claim.review_reason) == (
        "review",
        "A contradicting source was removed: no contradicting sources left.",
    )


def test_a_new_supporting_source_questions_a_disputed_claim(disputed, editor):
    link(disputed, editor, "Daily One")
    assert fresh(disputed).review_reason == "A supporting source was added after the verdict."


def test_changing_a_counted_links_stance_suspends_the_verdict(verified, admin_user):
    counted = verified.evidence.get(passage__article__publisher="Daily Two")
    evidence_update(link=counted, user=admin_user, stance=CONTEXT)
    claim = fresh(verified)
    assert claim.status == "review"
    assert claim.review_reason == "A supporting source changed (now context): 1 of 2 independent sources left."


def test_a_publisher_change_that_merges_two_sources_suspends_the_verdict(verified):
    cited = verified.evidence.get(passage__article__publisher="Daily Two").passage.article
    cited.publisher = "Daily One"
    cited.save()
    assert claims_recheck_sources(article=cited) == 1
    claim = fresh(verified)
    assert claim.status == "review"
    assert (
        claim.review_reason
        == "Supporting sources that counted apart now share a publisher: 1 of 2 independent sources left."
    )
    assert [(drift.judged, drift.now) for drift in drifts(claim.verdict_basis, claim, links_of(claim))] == [
        ("Daily One; Daily Two", "Daily One; Daily One")
    ]


def test_naming_a_sources_publisher_keeps_the_verdict_while_the_sources_stay_apart(verified):
    cited = verified.evidence.get(passage__article__publisher="Daily Two").passage.article
    cited.publisher = "Daily Two Ltd"
    cited.save()
    assert claims_recheck_sources(article=cited) == 0
    assert (fresh(verified).status, fresh(verified).version) == ("verified", verified.version)


def test_a_reviewer_confirms_a_verdict_that_still_holds(verified, editor, reviewer):
    claim_update(claim=verified, user=editor, expected_version=verified.version, wording="At least 40 men", tags="")
    confirmed = judge(verified, reviewer, "verified", "The new wording says the same; both reports hold.")
    assert (confirmed.status, confirmed.needs_review, confirmed.review_reason) == ("verified", False, "")
    assert confirmed.verdict_basis["wording"] == "At least 40 men"
    assert confirmed.history.first().history_change_reason.startswith("reviewed after: The wording changed")


def test_a_verdict_whose_sources_fell_short_cannot_be_confirmed(verified, editor, reviewer):
    evidence_remove(link=verified.evidence.first(), user=editor)
    with pytest.raises(VerdictRefused, match="Needs one more independent supporting source"):
        judge(verified, reviewer)
    assert judge(verified, reviewer, "open", "Only one source is left.").status == "open"


def test_only_a_verdict_ends_a_review(verified, editor):
    claim_update(claim=verified, user=editor, expected_version=verified.version, wording="400 men", tags="")
    with pytest.raises(PermissionDenied, match="A reviewer must confirm or change this verdict"):
        claim_mark_reviewed(claim=fresh(verified), user=editor, expected_version=fresh(verified).version)
    assert fresh(verified).status == "review"


def test_rolling_back_to_the_judged_version_brings_the_verdict_back(verified, editor, admin_user):
    judged_at = verified.history.first().history_id
    claim_update(claim=verified, user=editor, expected_version=verified.version, wording="400 gay men", tags="")
    assert fresh(verified).status == "review"
    restored = claim_rollback(claim=fresh(verified), user=admin_user, history_id=judged_at)
    assert (restored.status, restored.wording) == ("verified", "40 gay and bisexual men were detained")


def test_the_web_edit_of_a_verified_claim_leaves_it_needing_review_with_a_diff(client, verified, editor, reviewer):
    client.force_login(editor)
    response = client.post(
        reverse("claims:edit", args=[verified.pk]), {"wording": "400 gay men", "tags": "", "version": verified.version}
    )
    assert response.status_code == 302 and fresh(verified).status == "review"

    client.force_login(reviewer)
    page = client.get(verified.get_absolute_url()).content.decode()
    assert "the verdict no longer stands on what it judged" in page
    assert "40 gay and bisexual men were detained</td><td>400 gay men" in page
    assert "Confirm: verified" in page
    listing = client.get(reverse("claims:list"), {"status": "verified"})
    assert list(listing.context["page"]) == [] and listing.context["status_counts"]["review"] == 1


def test_a_claim_changed_back_still_waits_for_a_reviewer(client, verified, editor, reviewer):
    claim_update(claim=verified, user=editor, expected_version=verified.version, wording="400 men", tags="")
    claim = fresh(verified)
    claim_update(claim=claim, user=editor, expected_version=claim.version, wording=verified.wording, tags="")
    assert fresh(verified).status == "review"
    client.force_login(reviewer)
    page = client.get(verified.get_absolute_url()).content.decode()
    assert "Nothing differs from what the verdict judged any more" in page


def test_the_story_says_why_the_verdict_was_suspended(verified, editor):
    claim_update(claim=verified, user=editor, expected_version=verified.version, wording="400 gay men", tags="")
    last = timeline(verified.pk)[-1]
    assert last.sentence == (
        "editor-user changed the wording, so the verdict (verified) no longer stands: the claim needs review"
    )
    assert last.detail == "The wording changed after the verdict."


def test_an_unknown_setting_for_unknown_publishers_stops_the_start(settings):
    settings.WORKBENCH_UNKNOWN_PUBLISHERS = "some"
    [error] = unknown_publishers_setting(None)
    assert error.id == "claims.E001" and "one of: each, together, none" in error.msg
    settings.WORKBENCH_UNKNOWN_PUBLISHERS = "none"
    assert unknown_publishers_setting(None) == []


@pytest.mark.parametrize(("setting", "counted"), [("each", 3), ("together", 2), ("none", 1)])
def test_sources_of_unknown_publisher_count_as_the_setting_says(settings, editor, setting, counted):
    settings.WORKBENCH_UNKNOWN_PUBLISHERS = setting
    claim = ClaimFactory(created_by=editor)
    for publisher in ("Known", "", ""):
        link(claim, editor, publisher)
    assert independent_support(list(fresh(claim).evidence.select_related("passage__article"))) == counted


def test_the_claim_page_shows_how_the_sources_were_counted(client, editor, viewer):
    claim = ClaimFactory(created_by=editor)
    link(claim, editor, "Daily One", title="Morning report")
    link(claim, editor, "daily  one", title="Evening report")
    link(claim, editor, "", title="Blog post")
    client.force_login(viewer)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "2 of 2 independent supporting sources" in page
    assert "<strong>Daily One</strong>: counted once\n                  (Morning report; Evening report)" in page
    assert "<strong>Publisher unknown</strong>: counted once" in page
    assert "each counts as a source of its own" in page


def test_rolling_back_to_a_verdict_a_reviewer_has_since_withdrawn_needs_a_reviewer(verified, reviewer, admin_user):
    judged_at = verified.history.first().history_id
    judge(verified, reviewer, "open", "The second report was retracted.")
    restored = claim_rollback(claim=fresh(verified), user=admin_user, history_id=judged_at)
    assert (restored.status, restored.review_reason) == (
        "review",
        "Rolled back to an earlier verdict: a reviewer must confirm it.",
    )


def test_rolling_back_across_a_new_article_version_puts_the_claim_back_on_its_article(verified, editor, admin_user):
    judged_at = verified.history.first().history_id
    old_article = verified.article
    newer = ArticleFactory(body="A line added on top.\n" + old_article.body, previous_version=old_article, version=2)
    claims_reanchor(old=old_article, new=newer)
    moved = fresh(verified)
    assert (moved.article, moved.status) == (newer, "verified")
    back = claim_rollback(claim=moved, user=admin_user, history_id=judged_at)
    assert back.article == old_article and old_article.body[back.start : back.end] == back.quote
    assert back.status == "verified"


def test_a_restored_claim_is_held_to_its_verdict_when_its_sources_changed_meanwhile(verified, admin_user):
    claim_delete(claim=fresh(verified), user=admin_user)
    cited = EvidenceLink.history.filter(claim_id=verified.pk).first().passage.article
    # Both counted sources' articles come to share a publisher while the claim is deleted.
    for article in {record.passage.article for record in EvidenceLink.history.filter(claim_id=verified.pk)}:
        article.publisher = cited.publisher
        article.save()
    restored = claim_restore(claim_id=verified.pk, user=admin_user)
    assert restored.status == "review" and fresh(verified).review_reason.startswith("Supporting sources that counted")


def test_words_put_before_the_quote_on_its_line_suspend_the_verdict(verified):
    old_article = verified.article
    newer = ArticleFactory(body="It is false that " + old_article.body, previous_version=old_article, version=2)
    claims_reanchor(old=old_article, new=newer)
    claim = fresh(verified)
    assert (claim.article, claim.status) == (newer, "review")
    assert claim.review_reason == "The words around the quote changed after the verdict."


def test_a_quote_pointing_elsewhere_in_the_article_is_told_in_paragraphs_and_words(editor, reviewer):
    body = "Roads cost 3 million.\n\nThe mayor said roads cost 3 million, and more."
    claim = ClaimFactory(article=ArticleFactory(body=body), created_by=editor, start=0, end=20)
    link(claim, editor, "Daily One")
    link(claim, editor, "Daily Two")
    verified = judge(claim, reviewer)
    elsewhere = fresh(verified)
    elsewhere.start = body.index("roads cost", 30)
    elsewhere.end = elsewhere.start + 20
    (drift,) = drifts(verified.verdict_basis, elsewhere, links_of(verified))
    assert (drift.judged, drift.now) == ("paragraph 1 of 2", "paragraph 2 of 2")

    within = fresh(verified)
    within.start, within.end = 6, 20  # "cost 3 million" in the same paragraph
    (drift,) = drifts(verified.verdict_basis, within, links_of(verified))
    assert (drift.judged, drift.now) == ("paragraph 1 of 2, from word 1", "paragraph 1 of 2, from word 2")
