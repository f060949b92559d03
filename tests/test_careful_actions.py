"""Destructive actions ask first: deleting a claim, removing a source link and rolling a claim back each show a
page that says what goes and what follows, and only its form does it. A removed link comes back from the Undo
in the message that confirmed the removal, through the same rules as any link, or the undo is refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, EvidenceLink
from claims.services import claim_update, evidence_add_passage, verdict_record
from tests.factories import ArticleFactory, ClaimFactory, _passage_of

SUPPORTS, CONTRADICTS = EvidenceLink.Stance.SUPPORTS, EvidenceLink.Stance.CONTRADICTS


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def link(claim, user, publisher, stance=SUPPORTS, note="") -> EvidenceLink:
    article = ArticleFactory(publisher=publisher, title=f"Report in {publisher}")
    return evidence_add_passage(claim=fresh(claim), user=user, passage=_passage_of(article), stance=stance, note=note)


@pytest.fixture
def verified(editor, reviewer):
    claim = ClaimFactory(created_by=editor, wording="40 men were detained")
    link(claim, editor, "Daily One", note="Names three of them.")
    link(claim, editor, "Daily Two")
    return verdict_record(
        claim=fresh(claim), user=reviewer, status="verified", rationale="Two outlets.", expected_version=3
    )


def remove(client, link: EvidenceLink):
    """Remove a link as the page does (the confirmation's form), and follow to the claim page."""
    return client.post(reverse("claims:unlink", args=[link.claim_id, link.pk]), follow=True)


def undo_form(content: str) -> dict:
    """The Undo form in the message that confirms a removal: where it posts and the version it sends."""
    form = content.split('class="message message--success"')[1].split("</form>")[0]
    action = form.split('action="')[1].split('"')[0]
    version = form.split('name="version" value="')[1].split('"')[0]
    return {"action": action, "version": version}


# --- Asking first ----------------------------------------------------------------------------------


def test_the_claim_page_asks_before_deleting_without_a_script(editor_client, editor):
    claim = ClaimFactory(created_by=editor, wording="The council spent 3 million")
    page = editor_client.get(claim.get_absolute_url()).content.decode()
    delete_url = reverse("claims:delete", args=[claim.pk])
    assert f'href="{delete_url}"' in page  # a link to the question, not a button that deletes

    question = editor_client.get(delete_url)
    content = question.content.decode()
    assert question.status_code == 200 and "Delete this claim?" in content
    assert "The council spent 3 million" in content and "an admin can restore it" in content
    assert f'<form method="post" action="{delete_url}"' in content and f'href="{claim.get_absolute_url()}"' in content
    assert Claim.objects.filter(pk=claim.pk).exists()  # asking deletes nothing

    editor_client.post(delete_url)
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_only_those_who_may_delete_are_asked(client, editor, reviewer):
    claim = ClaimFactory(created_by=editor)
    client.force_login(reviewer)
    assert client.get(reverse("claims:delete", args=[claim.pk])).status_code == 403


def test_removing_a_link_asks_first_and_says_it_suspends_the_verdict(client, verified, editor):
    client.force_login(editor)
    counted = verified.evidence.get(passage__article__publisher="Daily One")
    page = client.get(verified.get_absolute_url()).content.decode()
    unlink_url = reverse("claims:unlink", args=[verified.pk, counted.pk])
    assert f'href="{unlink_url}"' in page

    content = client.get(unlink_url).content.decode()
    assert "Remove this source link?" in content and "Report in Daily One" in content
    assert "Names three of them." in content
    assert "suspends the verdict" in content
    assert EvidenceLink.objects.filter(pk=counted.pk).exists()


def test_removing_a_context_link_does_not_warn_of_the_verdict(client, verified, editor):
    context = link(verified, editor, "Gazette", stance=EvidenceLink.Stance.CONTEXT)
    client.force_login(editor)
    content = client.get(reverse("claims:unlink", args=[verified.pk, context.pk])).content.decode()
    assert "Remove this source link?" in content and "suspends the verdict" not in content


def test_rolling_back_asks_first_with_the_claim_now_and_after(client, admin_user, editor):
    claim = ClaimFactory(created_by=editor, wording="First wording")
    first = claim.history.latest()
    claim_update(claim=claim, user=editor, expected_version=claim.version, wording="Second wording", tags="roads")
    client.force_login(admin_user)
    history = client.get(claim.get_absolute_url()).content.decode()
    ask_url = f"{reverse('claims:rollback', args=[claim.pk])}?history_id={first.history_id}"
    assert f'href="{ask_url}"' in history

    content = client.get(ask_url).content.decode()
    assert "Roll back to version 1?" in content
    now, after = content.split("Wording</th>")[1].split("</tr>")[0].split("</td>")[:2]
    assert "Second wording" in now and "First wording" in after
    assert "roads" in content
    assert f'name="history_id" value="{first.history_id}"' in content
    assert fresh(claim).wording == "Second wording"

    client.post(reverse("claims:rollback", args=[claim.pk]), {"history_id": first.history_id})
    assert fresh(claim).wording == "First wording"


def test_asking_to_roll_back_to_another_claims_version_says_no(client, admin_user, editor):
    claim, other = ClaimFactory(created_by=editor), ClaimFactory(created_by=editor)
    client.force_login(admin_user)
    url = f"{reverse('claims:rollback', args=[claim.pk])}?history_id={other.history.latest().history_id}"
    response = client.get(url, follow=True)
    assert "That version does not belong to this claim." in response.content.decode()


@pytest.mark.parametrize("kind", ["delete", "unlink", "rollback"])
def test_each_question_costs_the_same_few_queries_with_more_sources_and_tags(client, admin_user, verified, kind):
    client.force_login(admin_user)

    def queries() -> int:
        url = {
            "delete": reverse("claims:delete", args=[verified.pk]),
            "unlink": reverse("claims:unlink", args=[verified.pk, verified.evidence.first().pk]),
            "rollback": f"{reverse('claims:rollback', args=[verified.pk])}?history_id="
            f"{verified.history.latest().history_id}",
        }[kind]
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def more(sources: int, tags: str) -> None:
        for n in range(sources):
            link(verified, admin_user, f"Outlet {tags} {n}", stance=EvidenceLink.Stance.CONTEXT)
        claim = fresh(verified)
        claim_update(claim=claim, user=admin_user, expected_version=claim.version, wording=claim.wording, tags=tags)

    more(1, "a")
    few = queries()
    more(10, "a, b, c, d, e, f")
    assert queries() == few <= 12


# --- Undo ------------------------------------------------------------------------------------------


def test_the_removal_message_offers_an_undo_that_brings_the_link_back_as_it_was(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    removed = link(claim, editor, "Gazette", stance=CONTRADICTS, note="Denies the figure.")
    content = remove(editor_client, removed).content.decode()
    assert "Removed the link to “Report in Gazette” (contradicts)." in content
    assert not EvidenceLink.objects.filter(pk=removed.pk).exists()

    undo = undo_form(content)
    assert undo["action"] == reverse("claims:unlink-undo", args=[claim.pk, removed.pk])
    content = editor_client.post(undo["action"], {"version": undo["version"]}, follow=True).content.decode()
    assert "The link to “Report in Gazette” is back (contradicts)." in content
    back = EvidenceLink.objects.get(pk=removed.pk)
    assert (back.stance, back.note, back.passage_id, back.added_by) == (
        CONTRADICTS,
        "Denies the figure.",
        removed.passage_id,
        editor,
    )
    assert (back.added_at, fresh(claim).version) == (removed.added_at, int(undo["version"]) + 1)


def test_an_undo_is_recorded_in_the_history(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    removed = link(claim, editor, "Gazette")
    undo = undo_form(remove(editor_client, removed).content.decode())
    editor_client.post(undo["action"], {"version": undo["version"]})
    records = list(EvidenceLink.history.filter(id=removed.pk).order_by("history_date", "history_id"))
    assert [r.history_type for r in records] == ["+", "-", "+"]
    assert (records[-1].history_user, records[-1].history_change_reason) == (editor, "removal undone")


def test_the_undo_is_offered_once_with_its_message(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    removed = link(claim, editor, "Gazette")
    assert "Undo" in remove(editor_client, removed).content.decode()
    again = editor_client.get(claim.get_absolute_url()).content.decode()
    assert reverse("claims:unlink-undo", args=[claim.pk, removed.pk]) not in again


def test_undoing_a_removal_that_suspended_the_verdict_keeps_it_suspended(client, verified, editor):
    client.force_login(editor)
    counted = verified.evidence.get(passage__article__publisher="Daily One")
    content = remove(client, counted).content.decode()
    assert "The verdict is suspended: the claim needs review." in content
    assert fresh(verified).status == "review"

    undo = undo_form(content)
    content = client.post(undo["action"], {"version": undo["version"]}, follow=True).content.decode()
    claim = fresh(verified)
    assert claim.evidence.filter(pk=counted.pk).exists()
    assert (claim.status, claim.needs_review) == ("review", True)  # only a reviewer ends a review
    assert "The verdict stays suspended until a reviewer confirms or changes it." in content
    assert "Nothing differs from what the verdict judged any more" in content


def test_an_undo_is_refused_when_the_claim_changed_meanwhile(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    removed = link(claim, editor, "Gazette")
    undo = undo_form(remove(editor_client, removed).content.decode())
    link(claim, editor, "Herald")  # someone links another source meanwhile

    content = editor_client.post(undo["action"], {"version": undo["version"]}, follow=True).content.decode()
    assert "Not undone: the claim changed since the link was removed" in content
    assert not EvidenceLink.objects.filter(pk=removed.pk).exists()


def test_an_undo_is_refused_when_the_passage_is_gone(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    removed = link(claim, editor, "Gazette")
    undo = undo_form(remove(editor_client, removed).content.decode())
    removed.passage.article.delete()  # an admin deletes the cited article (its passages go with it)

    content = editor_client.post(undo["action"], {"version": undo["version"]}, follow=True).content.decode()
    assert "Not undone: The passage that link pointed at is gone" in content
    assert not EvidenceLink.objects.filter(pk=removed.pk).exists()
    assert fresh(claim).version == int(undo["version"])


def test_an_undo_twice_is_refused_the_second_time(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    removed = link(claim, editor, "Gazette")
    undo = undo_form(remove(editor_client, removed).content.decode())
    editor_client.post(undo["action"], {"version": undo["version"]})

    content = editor_client.post(undo["action"], {"version": undo["version"]}, follow=True).content.decode()
    assert "Not undone: That source is linked to the claim" in content
    assert EvidenceLink.objects.filter(claim=claim).count() == 1


def test_only_whoever_removed_the_link_undoes_it(client, editor, reviewer):
    claim = ClaimFactory(created_by=editor)
    removed = link(claim, editor, "Gazette")
    client.force_login(editor)
    undo = undo_form(remove(client, removed).content.decode())

    client.force_login(reviewer)
    assert client.post(undo["action"], {"version": undo["version"]}).status_code == 403
    assert not EvidenceLink.objects.filter(pk=removed.pk).exists()
