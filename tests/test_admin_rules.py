"""The admin is one more door to the same rules: every change form of the claims app edits only what the
services write, through them, and refuses what the pages refuse."""

import pytest
from django.contrib import admin
from django.urls import reverse

from claims.models import Assignment, Claim, ClaimSet, Comment, EvidenceLink, Export, Story, Tag, WebhookSubscription
from claims.services import claim_assign, comment_post, evidence_add_external, evidence_add_passage, verdict_record
from tests.factories import ArticleFactory, ClaimFactory, _passage_of

# What each change form may edit; everything else on it is read-only.
EDITABLE = {
    Claim: {"wording", "tags", "expected_version"},
    EvidenceLink: {"stance", "note", "url", "title", "publisher", "accessed_on", "quote"},
    Tag: {"name"},
    ClaimSet: {"name", "description", "claims"},
    Story: {"name", "description", "articles"},
    Export: set(),
    Comment: {"body"},  # the admin's own: another's is read-only (tests/test_admin_discussion.py)
    Assignment: {"assignee", "due", "note"},
    # Saved through claims.webhooks.webhook_save, as on its owner's page; its secret is never edited.
    WebhookSubscription: {"owner", "name", "url", "events", "claim_set", "active"},
}


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def verified(editor, reviewer):
    claim = ClaimFactory(created_by=editor, article=ArticleFactory(url="https://origin.example/story"))
    for publisher in ("Daily One", "Daily Two"):
        passage = _passage_of(ArticleFactory(publisher=publisher))
        evidence_add_passage(claim=Claim.objects.get(pk=claim.pk), user=editor, passage=passage, stance="supports")
    evidence_add_external(
        claim=Claim.objects.get(pk=claim.pk), user=editor, url="https://wire.example/a", stance="context"
    )
    claim = Claim.objects.get(pk=claim.pk)
    verdict_record(
        claim=claim, user=reviewer, status="verified", rationale="Two outlets.", expected_version=claim.version
    )
    return Claim.objects.get(pk=claim.pk)


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_every_claims_model_in_the_admin_is_covered_here():
    registered = {model for model in admin.site._registry if model._meta.app_label == "claims"}
    assert registered == set(EDITABLE)


def test_each_change_form_edits_only_what_the_services_write(admin_client_, verified, admin_user):
    external = verified.evidence.get(url="https://wire.example/a")
    tag = Tag.objects.create(name="health")
    picked = ClaimSet.objects.create(name="Picked", owner=admin_user)
    Export.objects.create(format="csv", created_by=admin_user, channel="web", statuses=["verified"])
    story = Story.objects.create(name="Story", created_by=admin_user)
    comment = comment_post(claim=verified, user=admin_user, body="Looks right.")
    assignment = claim_assign(claim=verified, user=admin_user, task="review", assignee=admin_user)
    webhook = WebhookSubscription.objects.create(owner=admin_user, name="CMS", url="https://cms.example.org/in")
    for obj in (verified, external, tag, picked, story, Export.objects.get(), comment, assignment, webhook):
        response = admin_client_.get(change_url(obj))
        assert response.status_code == 200
        form = response.context["adminform"].form
        editable = set(form.fields) if response.context["has_change_permission"] else set()
        assert editable == EDITABLE[type(obj)], type(obj)


def test_a_passage_link_keeps_its_source_read_only(admin_client_, verified):
    passage_link = verified.evidence.filter(passage__isnull=False).first()
    form = admin_client_.get(change_url(passage_link)).context["adminform"].form
    assert set(form.fields) == {"stance", "note"}


def test_an_admin_edit_of_the_wording_suspends_the_verdict_like_the_page(admin_client_, verified):
    response = admin_client_.post(
        change_url(verified),
        {"wording": "400 men", "tags": [], "expected_version": verified.version, **_no_inline_forms()},
    )
    assert response.status_code == 302
    claim = fresh(verified)
    assert (claim.wording, claim.status, claim.version) == ("400 men", "review", verified.version + 1)
    assert claim.review_reason == "The wording changed after the verdict."
    assert claim.history.first().history_channel == "admin"


def test_an_admin_save_based_on_an_old_version_is_refused(admin_client_, verified):
    response = admin_client_.post(
        change_url(verified),
        {"wording": "400 men", "tags": [], "expected_version": verified.version - 1, **_no_inline_forms()},
        follow=True,
    )
    assert "Nothing was saved: someone else changed it since you opened it" in response.content.decode()
    assert fresh(verified).wording == verified.wording


def test_the_admin_cannot_change_a_claims_anchor_or_verdict(admin_client_, verified):
    forged = {"status": "disputed", "quote": "forged", "start": 3, "verdict_rationale": "x", "needs_review": "on"}
    admin_client_.post(
        change_url(verified),
        {"wording": verified.wording, "tags": [], "expected_version": verified.version, **forged, **_no_inline_forms()},
    )
    claim = fresh(verified)
    assert (claim.status, claim.quote, claim.start, claim.verdict_rationale) == (
        "verified",
        verified.quote,
        verified.start,
        "Two outlets.",
    )


def test_an_admin_change_of_a_counted_links_stance_suspends_the_verdict(admin_client_, verified):
    counted = verified.evidence.filter(stance="supports").first()
    response = admin_client_.post(change_url(counted), {"stance": "contradicts", "note": "Reread it."})
    assert response.status_code == 302
    claim = fresh(verified)
    assert claim.status == "review" and claim.version == verified.version + 1
    assert fresh(counted).history.first().history_user.username == "admin-user"


def test_the_admin_cannot_make_a_claims_own_article_its_evidence(admin_client_, verified):
    external = verified.evidence.get(url="https://wire.example/a")
    response = admin_client_.post(
        change_url(external), {"stance": "supports", "url": "https://origin.example/story/", "note": ""}
    )
    assert response.status_code == 200
    assert "own article, which cannot be its evidence" in response.content.decode()
    assert fresh(external).url == "https://wire.example/a" and fresh(verified).version == verified.version


def test_deleting_a_supporting_link_in_the_admin_suspends_the_verdict(admin_client_, verified):
    counted = verified.evidence.filter(stance="supports").first()
    admin_client_.post(reverse("admin:claims_evidencelink_delete", args=[counted.pk]), {"post": "yes"})
    assert not EvidenceLink.objects.filter(pk=counted.pk).exists()
    assert fresh(verified).review_reason == "A supporting source was removed: 1 of 2 independent sources left."


def test_deleting_a_claim_in_the_admin_keeps_its_links_in_the_history(admin_client_, verified):
    admin_client_.post(reverse("admin:claims_claim_delete", args=[verified.pk]), {"post": "yes"})
    assert not Claim.objects.filter(pk=verified.pk).exists()
    removals = EvidenceLink.history.filter(claim_id=verified.pk, history_type="-")
    reasons = set(removals.values_list("history_change_reason", flat=True))
    assert reasons == {f"deleted with claim #{verified.pk}"}


def test_a_tag_is_renamed_as_the_tag_box_would_write_it(admin_client_):
    tag, other = Tag.objects.create(name="health"), Tag.objects.create(name="Funding")
    admin_client_.post(change_url(tag), {"name": "  public   health "})
    assert fresh(tag).name == "public health"
    response = admin_client_.post(change_url(tag), {"name": "funding"})
    assert response.status_code == 200 and fresh(tag).name == "public health"
    assert fresh(other).name == "Funding"


def test_a_used_tag_cannot_be_deleted_in_the_admin(admin_client_, verified):
    tag = Tag.objects.create(name="health")
    verified.tags.add(tag)
    assert admin_client_.post(reverse("admin:claims_tag_delete", args=[tag.pk]), {"post": "yes"}).status_code == 403
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_a_saved_filter_with_bad_filters_is_refused_in_the_admin(admin_client_, admin_user):
    saved = ClaimSet.objects.create(name="Saved", owner=admin_user, selection="filter", query="status=verified")
    response = admin_client_.post(change_url(saved), {"name": "Saved", "description": "", "query": "status=nonsense"})
    assert response.status_code == 200 and "These filters are not valid" in response.content.decode()
    assert fresh(saved).query == "status=verified"


def test_exports_are_read_only_in_the_admin(admin_client_, admin_user):
    export = Export.objects.create(format="csv", created_by=admin_user, channel="web", statuses=["verified"])
    admin_client_.post(change_url(export), {"format": "json", "claim_count": 99})
    assert (fresh(export).format, fresh(export).claim_count) == ("csv", 0)


def _no_inline_forms() -> dict:
    return {"evidence-TOTAL_FORMS": 0, "evidence-INITIAL_FORMS": 0}


def test_an_admin_setting_a_publisher_that_merges_two_sources_suspends_the_verdict(admin_client_, verified):
    cited = verified.evidence.get(passage__article__publisher="Daily Two").passage.article
    response = admin_client_.post(
        change_url(cited), {"title": cited.title, "url": cited.url, "publisher": "daily one", "published_at": ""}
    )
    assert response.status_code == 302
    assert cited.history.first().publisher == "daily one"  # the edit is in the article's history
    claim = fresh(verified)
    assert claim.status == "review"
    assert claim.review_reason.startswith("Supporting sources that counted apart now share a publisher")


def test_renaming_a_sources_publisher_in_the_admin_changes_no_verdict(admin_client_, verified):
    cited = verified.evidence.get(passage__article__publisher="Daily Two").passage.article
    admin_client_.post(change_url(cited), {"title": cited.title, "url": cited.url, "publisher": "Daily Two Ltd"})
    assert (fresh(verified).status, fresh(verified).version) == ("verified", verified.version)
