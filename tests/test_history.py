"""The audit history: each action leaves exactly the expected entry; history is append-only;
restore and rollback bring back the exact earlier state; writing history stays cheap."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.anchoring import anchor_at
from claims.history import timeline
from claims.models import Claim, EvidenceLink, Tag
from claims.services import (
    claim_create,
    claim_delete,
    claim_restore,
    claim_rollback,
    claim_update,
    evidence_add_passage,
    evidence_remove,
    verdict_record,
)
from tests.factories import ArticleFactory, ClaimFactory, _passage_of
from workbench.jobs import JobProgress

ROOT = Path(__file__).resolve().parent.parent


def changes(record) -> dict:
    previous = record.prev_record
    return {c.field: (c.old, c.new) for c in record.diff_against(previous).changes} if previous else {}


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def link(claim, user, publisher="Wire", stance="supports"):
    return evidence_add_passage(
        claim=fresh(claim), user=user, passage=_passage_of(ArticleFactory(publisher=publisher)), stance=stance
    )


# --- Each action, its entry -------------------------------------------------------------------


def test_tagging_through_the_web_records_a_creation_by_the_editor(editor_client, editor, seeded):
    article = seeded["000"]
    editor_client.post(reverse("claims:create"), {"article": article.pk, "start": 0, "end": 30, "tags": "aid"})
    claim = Claim.objects.get()
    created = claim.history.earliest()
    assert (created.history_type, created.history_user, created.history_channel) == ("+", editor, "web")
    # Setting the tags writes a second record of the same version; the story tells them as one.
    [entry] = timeline(claim.pk)
    assert (entry.sentence, entry.channel) == ("editor-user tagged the claim", "web")
    assert ("tags", "", "aid") in entry.changes
    assert Tag.objects.get().history.get().history_user == editor


def test_an_edit_records_the_wording_and_tags_before_and_after(editor):
    claim = ClaimFactory(created_by=editor, wording="Before")
    claim_update(claim=claim, user=editor, expected_version=claim.version, wording="After", tags="aid, border")
    record = fresh(claim).history.filter(history_type="~").earliest()
    assert (record.history_user, changes(record)["wording"]) == (editor, ("Before", "After"))
    entry = timeline(claim.pk)[-1]
    assert entry.sentence == "editor-user changed the wording and the tags"
    assert entry.changes == [("wording", "Before", "After"), ("tags", "", "aid, border")]


def test_a_verdict_records_status_rationale_and_reviewer(editor, reviewer):
    claim = ClaimFactory(created_by=editor)
    link(claim, editor, "One")
    link(claim, editor, "Two")
    verdict_record(
        claim=claim, user=reviewer, status="verified", rationale="Two outlets.", expected_version=fresh(claim).version
    )
    record = fresh(claim).history.latest()
    assert record.history_user == reviewer
    assert changes(record)["status"] == ("open", "verified")
    assert changes(record)["verdict_rationale"] == ("", "Two outlets.")


def test_linking_and_removing_a_source_are_recorded_with_who(editor, reviewer):
    claim = ClaimFactory(created_by=editor)
    evidence = link(claim, editor)
    link_id = evidence.pk
    evidence_remove(link=evidence, user=reviewer)
    records = list(EvidenceLink.history.filter(id=link_id).order_by("history_date"))
    assert [(r.history_type, r.history_user) for r in records] == [("+", editor), ("-", reviewer)]


def test_deleting_a_claim_records_it_and_its_links(editor):
    claim = ClaimFactory(created_by=editor)
    link_id = link(claim, editor).pk
    claim_delete(claim=fresh(claim), user=editor)
    assert Claim.history.filter(id=claim.pk).latest().history_type == "-"
    deletion = EvidenceLink.history.filter(id=link_id).latest()
    assert (deletion.history_type, deletion.history_user) == ("-", editor)
    assert deletion.history_change_reason == f"deleted with claim #{claim.pk}"


def test_an_article_metadata_edit_in_the_admin_is_recorded_with_the_channel(client, admin_user, seeded):
    article = seeded["003"]
    client.force_login(admin_user)
    data = {
        "title": article.title,
        "title_inferred": "",
        "url": "https://www.gaystarnews.com/x",
        "publisher": "Gay Star News",
        "published_at_0": "",
        "published_at_1": "",
    }
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    record = article.history.latest()
    assert (record.history_type, record.history_user, record.history_channel) == ("~", admin_user, "admin")
    assert changes(record)["publisher"] == ("", "Gay Star News")


def test_a_role_change_in_the_admin_is_recorded(client, admin_user, editor):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "groups"}
    data |= {
        "groups": [Group.objects.get(name="reviewer").pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.pop("last_login", None)
    data.pop("password", None)
    data.pop("user_permissions", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = get_user_model().history.filter(id=editor.pk).latest()
    assert (record.history_user, record.history_channel) == (admin_user, "admin")
    assert [row.group.name for row in record.groups.all()] == ["reviewer"]


def test_logging_in_does_not_add_to_a_users_history(client, editor):
    before = get_user_model().history.filter(id=editor.pk).count()
    client.post(reverse("login"), {"username": editor.username, "password": "correct horse battery staple"})
    assert get_user_model().history.filter(id=editor.pk).count() == before


# --- The story on the claim page ---------------------------------------------------------------


def test_the_claim_page_tells_the_whole_story_in_order(client, seeded, editor, reviewer):
    article = seeded["000"]
    claim = claim_create(article=article, user=editor, anchor=anchor_at(article.body, 0, 60))
    link(claim, editor, "One")
    link(claim, editor, "Two")
    contradicting = link(claim, editor, "Three", stance="contradicts")
    for status, rationale in (("verified", "Two outlets."), ("open", "A new report."), ("disputed", "Wire disagrees.")):
        verdict_record(
            claim=claim, user=reviewer, status=status, rationale=rationale, expected_version=fresh(claim).version
        )
    evidence_remove(link=contradicting, user=reviewer)

    client.force_login(reviewer)
    content = client.get(claim.get_absolute_url()).content.decode()
    story = [entry.sentence for entry in timeline(claim.pk)]
    expected = [
        r"editor-user tagged the claim",
        r"editor-user linked a supporting source from “Article number \d+”",
        r"editor-user linked a supporting source from “Article number \d+”",
        r"editor-user linked a contradicting source from “Article number \d+”",
        r"reviewer-user marked it verified: two independent supporting sources",
        r"reviewer-user reopened it \(it was verified\)",
        r"reviewer-user marked it disputed: one contradicting source",
        r"reviewer-user removed a contradicting source from “Article number \d+”",
        r"reviewer-user changed what the verdict \(disputed\) stood on: the claim needs review",
    ]
    assert len(story) == len(expected)
    for sentence, pattern in zip(story, expected, strict=True):
        assert re.fullmatch(pattern, sentence), sentence
    for sentence in (
        "marked it verified: two independent supporting sources",
        "Two outlets.",
        "A new report.",
        "reopened it (it was verified)",
        "What changed",
    ):
        assert sentence in content


# --- Append-only ------------------------------------------------------------------------------


def test_history_cannot_be_changed_through_the_admin(client, admin_user, editor):
    claim = ClaimFactory(created_by=editor, wording="Original")
    claim_update(claim=claim, user=editor, expected_version=claim.version, wording="Changed", tags="")
    first = claim.history.earliest()
    client.force_login(admin_user)
    history_url = reverse("admin:claims_claim_simple_history", args=[claim.pk, first.history_id])
    assert client.get(history_url).status_code == 200  # readable
    response = client.post(
        history_url, {"wording": "Original", "tags": [], "evidence-TOTAL_FORMS": 0, "evidence-INITIAL_FORMS": 0}
    )
    assert response.status_code == 403
    assert fresh(claim).wording == "Changed" and claim.history.count() == 2


def test_no_historical_model_is_editable_in_the_admin():
    from django.contrib import admin

    historical = [model for model in admin.site._registry if model.__name__.startswith("Historical")]
    assert historical == []


def test_no_page_offers_a_way_to_edit_history():
    from django.urls import get_resolver

    patterns = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not any("history" in pattern for pattern in patterns)


def test_tracked_models_are_never_written_with_queryset_update():
    """queryset.update() skips django-simple-history: every write to a tracked model must go through save()."""
    models = {model.__name__: model for model in apps.get_models()}
    untracked = {name for name, model in models.items() if not hasattr(model._meta, "simple_history_manager_attribute")}
    # workbench.leases writes `type(job)`: a job (an import batch, an export), never a tracked model.
    assert {model.__name__ for model in models.values() if issubclass(model, JobProgress)} <= untracked
    untracked.add("type(job)")
    # An imported claim's history is the export's, written as it was (claims.exports.histories); its time of
    # last change follows it, past save()'s auto_now.
    writes_its_own_history = {("claims/exports/importing.py", "Claim.objects.filter(pk=claim.pk)")}
    offenders = []
    for path in [
        *ROOT.glob("articles/**/*.py"),
        *ROOT.glob("claims/**/*.py"),
        *ROOT.glob("workbench/**/*.py"),
        *ROOT.glob("tests/**/*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
                receiver = ast.unparse(node.func.value)
                if (
                    receiver.split(".")[0] in untracked
                    or (str(path.relative_to(ROOT)), receiver) in writes_its_own_history
                ):
                    continue
                if any(
                    word in receiver
                    for word in ("objects", "filter(", "exclude(", "all()", "_set", "claims", "evidence")
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {receiver}.update(...)")
    assert offenders == []


# --- Restore and rollback ---------------------------------------------------------------------


def snapshot(claim_id: int) -> dict:
    claim = Claim.objects.get(pk=claim_id)
    return {
        "fields": {
            name: getattr(claim, name)
            for name in (
                "wording",
                "quote",
                "start",
                "end",
                "status",
                "verdict_rationale",
                "reviewed_by_id",
                "reviewed_at",
                "created_at",
                "verdict_basis",
            )
        },
        "tags": sorted(claim.tags.values_list("name", flat=True)),
        "evidence": sorted(claim.evidence.values_list("pk", "stance", "passage_id", "note", "added_at")),
    }


def test_an_admin_restores_a_deleted_claim_with_its_links(admin_user, editor, reviewer):
    claim = ClaimFactory(created_by=editor)
    removed_earlier = link(claim, editor, "Zero")
    evidence_remove(link=removed_earlier, user=editor)
    link(claim, editor, "One")
    link(claim, editor, "Two", stance="contradicts")
    claim_update(claim=fresh(claim), user=editor, expected_version=fresh(claim).version, wording="Kept", tags="x, y")
    verdict_record(
        claim=claim, user=reviewer, status="disputed", rationale="No.", expected_version=fresh(claim).version
    )
    before = snapshot(claim.pk)
    claim_delete(claim=fresh(claim), user=admin_user)

    restored = claim_restore(claim_id=claim.pk, user=admin_user)
    assert snapshot(restored.pk) == before
    assert not EvidenceLink.objects.filter(pk=removed_earlier.pk).exists()  # removed on its own, stays removed
    record = restored.history.filter(history_type="+").latest()
    assert (record.history_user, record.history_change_reason) == (admin_user, "restored after deletion")
    assert timeline(claim.pk)[-3].sentence.startswith("admin-user restored the deleted claim")


def test_an_admin_rolls_a_claim_back_to_an_earlier_version_evidence_included(admin_user, editor, reviewer):
    claim = ClaimFactory(created_by=editor, wording="First wording")
    link(claim, editor, "One")
    kept = link(claim, editor, "Two")
    claim_update(claim=fresh(claim), user=editor, expected_version=fresh(claim).version, wording="Second", tags="a")
    target = fresh(claim).history.latest()
    before = snapshot(claim.pk)

    verdict_record(
        claim=claim, user=reviewer, status="verified", rationale="Ok.", expected_version=fresh(claim).version
    )
    evidence_remove(link=kept, user=reviewer)
    link(claim, reviewer, "Three", stance="contradicts")
    claim_update(claim=fresh(claim), user=reviewer, expected_version=fresh(claim).version, wording="Third", tags="b")

    claim_rollback(claim=fresh(claim), user=admin_user, history_id=target.history_id)
    assert snapshot(claim.pk) == before
    assert fresh(claim).history.latest().history_change_reason == f"rolled back to version {target.version}"
    assert any("rolled back to version" in entry.sentence for entry in timeline(claim.pk))


@pytest.mark.parametrize("action", ["restore", "rollback"])
def test_only_admins_restore_and_roll_back(client, editor, reviewer, action):
    claim = ClaimFactory(created_by=editor)
    if action == "restore":
        claim_delete(claim=claim, user=editor)
        url, data = reverse("claims:restore", args=[claim.pk]), {}
    else:
        url, data = reverse("claims:rollback", args=[claim.pk]), {"history_id": claim.history.latest().history_id}
    client.force_login(reviewer)
    assert client.post(url, data).status_code == 403
    assert client.get(reverse("claims:deleted")).status_code == 403


def test_the_deleted_claims_page_lists_what_an_admin_can_restore(client, admin_user, editor):
    gone = ClaimFactory(created_by=editor, wording="Gone for now")
    claim_delete(claim=gone, user=editor)
    ClaimFactory(created_by=editor, wording="Still here")
    client.force_login(admin_user)
    content = client.get(reverse("claims:deleted")).content.decode()
    assert "Gone for now" in content and "Still here" not in content
    client.post(reverse("claims:restore", args=[gone.pk]))
    assert Claim.objects.filter(pk=gone.pk).exists()
    assert "Gone for now" not in client.get(reverse("claims:deleted")).content.decode()


# --- Cost ---------------------------------------------------------------------------------------


def test_writing_history_costs_a_bounded_number_of_queries(editor):
    def queries_for_update(tags: int) -> int:
        claim = ClaimFactory(created_by=editor)
        names = ", ".join(f"tag{n}" for n in range(tags))
        claim_update(claim=claim, user=editor, expected_version=claim.version, wording="w", tags=names)
        with CaptureQueriesContext(connection) as captured:
            claim_update(claim=fresh(claim), user=editor, expected_version=claim.version + 1, wording="x", tags=names)
        return len(captured)

    assert queries_for_update(1) == queries_for_update(20) <= 16


def test_a_new_tag_is_recorded_as_created_by_whoever_typed_it(editor):
    claim = ClaimFactory(created_by=editor)
    claim_update(claim=claim, user=editor, expected_version=claim.version, wording="w", tags="brand new")
    assert Tag.objects.get(name="brand new").history.get().history_user == editor
