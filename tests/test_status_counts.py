"""The claim list's counts per status are the database's own (claims.models.StatusCount, kept by triggers),
and exact: after every door that adds, removes or changes the status of a claim, the list shows what
counting every claim gives, on SQLite and PostgreSQL alike."""

import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from claims.models import Claim, EvidenceLink, StatusCount
from claims.services import evidence_add_passage, verdict_record
from tests.factories import ArticleFactory, ClaimFactory, UserFactory, _passage_of
from tests.test_claim_roundtrip import empty_the_workbench, exported
from tests.test_concurrency import run_at_once

COUNT = re.compile(r'status=(\w+)"[^>]*>.*?<span class="count">(\d*)</span>', re.DOTALL)


def shown(client) -> dict[str, int]:
    """The numbers on the list's status tabs and under its filters, as a reader sees them."""
    content = client.get(reverse("claims:list")).content.decode()
    tabs = {status: int(n) for status, n in COUNT.findall(content.split('aria-label="Status"')[1].split("</nav>")[0])}
    total = int(re.search(r"(\d+) claims?<", content).group(1))
    assert total == sum(tabs.values())
    return tabs


def counted() -> dict[str, int]:
    """What counting every claim gives."""
    return Claim.objects.status_counts()


def verified_claim(editor, reviewer) -> Claim:
    claim = ClaimFactory(created_by=editor)
    for publisher in ("Daily One", "Daily Two"):
        claim = Claim.objects.get(pk=claim.pk)
        evidence_add_passage(
            claim=claim, user=editor, passage=_passage_of(ArticleFactory(publisher=publisher)), stance="supports"
        )
    claim = Claim.objects.get(pk=claim.pk)
    return verdict_record(
        claim=claim, user=reviewer, status="verified", rationale="Two.", expected_version=claim.version
    )


def test_the_list_shows_exact_counts_through_tagging_verdicts_suspension_deletion_restore_and_rollback(
    client, editor, reviewer, admin_user
):
    ClaimFactory.create_batch(3, created_by=editor)
    client.force_login(editor)
    assert shown(client) == counted() == {"open": 3, "verified": 0, "disputed": 0, "review": 0}

    article = ArticleFactory()
    tagged = client.post(reverse("claims:create"), {"article": article.pk, "start": 0, "end": 12, "wording": "New"})
    assert tagged.status_code == 302
    assert shown(client) == counted() == {"open": 4, "verified": 0, "disputed": 0, "review": 0}

    claim = ClaimFactory(created_by=editor)
    for publisher in ("Daily One", "Daily Two"):
        claim = Claim.objects.get(pk=claim.pk)
        evidence_add_passage(
            claim=claim, user=editor, passage=_passage_of(ArticleFactory(publisher=publisher)), stance="supports"
        )
    client.force_login(reviewer)
    decided = client.post(
        reverse("claims:verdict", args=[claim.pk]),
        {"status": "verified", "rationale": "Two outlets.", "version": Claim.objects.get(pk=claim.pk).version},
    )
    assert decided.status_code == 302 and Claim.objects.get(pk=claim.pk).status == "verified"
    assert shown(client) == counted() == {"open": 4, "verified": 1, "disputed": 0, "review": 0}

    link = EvidenceLink.objects.filter(claim=claim).first()
    client.force_login(editor)
    client.post(reverse("claims:unlink", args=[claim.pk, link.pk]))  # the verdict is suspended
    assert Claim.objects.get(pk=claim.pk).status == "review"
    assert shown(client) == counted() == {"open": 4, "verified": 0, "disputed": 0, "review": 1}

    client.force_login(admin_user)
    client.post(reverse("claims:delete", args=[claim.pk]))
    assert shown(client) == counted() == {"open": 4, "verified": 0, "disputed": 0, "review": 0}
    client.post(reverse("claims:restore", args=[claim.pk]))
    assert Claim.objects.get(pk=claim.pk).status == "review"
    assert shown(client) == counted() == {"open": 4, "verified": 0, "disputed": 0, "review": 1}

    first = Claim.objects.get(pk=claim.pk).history.earliest()
    client.post(reverse("claims:rollback", args=[claim.pk]), {"history_id": first.history_id})
    assert Claim.objects.get(pk=claim.pk).status == "open"
    assert shown(client) == counted() == {"open": 5, "verified": 0, "disputed": 0, "review": 0}


def test_the_admin_s_deletions_are_counted(client, admin_user, editor, reviewer):
    verified = verified_claim(editor, reviewer)
    others = ClaimFactory.create_batch(2, created_by=editor)
    client.force_login(admin_user)
    client.post(reverse("admin:claims_claim_delete", args=[verified.pk]), {"post": "yes"})
    assert not Claim.objects.filter(pk=verified.pk).exists()
    assert shown(client) == counted() == {"open": 2, "verified": 0, "disputed": 0, "review": 0}
    client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in others], "post": "yes"},
    )
    assert shown(client) == counted() == {"open": 0, "verified": 0, "disputed": 0, "review": 0}


def test_an_import_is_counted(client, editor, tmp_path, every_kind_of_claim):
    path = exported(tmp_path)
    empty_the_workbench()
    assert StatusCount.objects.by_status() == counted() == {"open": 0, "verified": 0, "disputed": 0, "review": 0}
    call_command("import_claims", str(path))
    client.force_login(editor)
    assert shown(client) == counted() and sum(counted().values()) == len(every_kind_of_claim)


def test_rows_written_past_the_models_are_counted_too(editor):
    """The corpus generator and any bulk write insert rows without a save(): the database counts them."""
    article = ArticleFactory()
    Claim.objects.bulk_create(
        Claim(article=article, created_by=editor, quote="x", start=0, end=1, wording=f"{n}", status=status)
        for n, status in enumerate(["open", "open", "verified", "disputed"])
    )
    assert StatusCount.objects.by_status() == counted() == {"open": 2, "verified": 1, "disputed": 1, "review": 0}


def test_a_change_rolled_back_is_not_counted(editor):
    ClaimFactory(created_by=editor)
    with pytest.raises(RuntimeError), transaction.atomic():
        ClaimFactory.create_batch(2, created_by=editor, status="disputed")
        assert StatusCount.objects.by_status()["disputed"] == 2  # a transaction reads its own writes
        raise RuntimeError
    assert StatusCount.objects.by_status() == counted() == {"open": 1, "verified": 0, "disputed": 0, "review": 0}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_writers_moving_claims_between_statuses_in_opposite_orders_at_once_all_commit_and_are_counted(roles):
    """Counted at commit, one transaction at a time: two writers that each moved a claim one way and are
    about to move one the other way never wait for each other's counts (no deadlock), and they add up."""
    editor = UserFactory(username="tagger", role="editor")
    pairs = [(ClaimFactory(created_by=editor), ClaimFactory(created_by=editor, status="verified")) for _ in range(4)]
    halfway = threading.Barrier(len(pairs))

    def turn(pair, reverse):
        def act():
            with transaction.atomic():
                for claim in reversed(pair) if reverse else pair:
                    claim.status = "open" if claim.status == "verified" else "verified"
                    claim.save()
                    if claim is pair[0 if not reverse else 1]:
                        halfway.wait(timeout=10)  # every writer has moved one claim and holds its row
            return "done"

        return act

    outcomes = run_at_once(*(turn(pair, reverse=n % 2 == 1) for n, pair in enumerate(pairs)))
    assert outcomes == ["done"] * len(pairs)
    assert StatusCount.objects.by_status() == counted() == {"open": 4, "verified": 4, "disputed": 0, "review": 0}
