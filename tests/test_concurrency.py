"""Two people acting on one claim at once: the second is refused, nothing is silently overwritten.

On both databases, with real concurrent writers: threads, each on a connection of its own. PostgreSQL
serialises them with row locks; SQLite with BEGIN IMMEDIATE, which takes the write lock when a transaction
begins, so a writer waits its turn (the busy timeout) instead of failing with "database is locked".
The SQLite test database is a file for this (tests/conftest.py), as in production.
"""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from claims.models import Claim, Tag
from claims.services import StaleClaim, claim_update, verdict_record
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory, _passage_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def contested_claim(roles):
    claim = ClaimFactory(created_by=UserFactory(username="tagger", role="editor"))
    for publisher in ("Daily One", "Daily Two"):
        PassageEvidenceFactory(claim=claim, passage=_passage_of(ArticleFactory(publisher=publisher)))
    # Either verdict is allowed: the race, not a rule, decides who is refused.
    PassageEvidenceFactory(claim=claim, stance="contradicts", passage=_passage_of(ArticleFactory(publisher="Wire")))
    return Claim.objects.get(pk=claim.pk)


def run_at_once(*actions):
    """Run each action on its own thread, so on its own database connection, released together."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - a refusal, or a failure the test names
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def failures(outcomes) -> list[Exception]:
    return [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, StaleClaim)]


def test_on_sqlite_the_writers_share_a_file_in_wal_mode_and_begin_immediate():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own set-up.")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal", "a file in WAL mode, not SQLite's private in-memory database"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_two_reviewers_deciding_at_once_one_wins_and_the_other_is_told(contested_claim):
    first, second = (UserFactory(username=f"reviewer-{n}", role="reviewer") for n in (1, 2))
    seen = contested_claim.version

    def decide(user, status):
        return lambda: verdict_record(
            claim=contested_claim, user=user, status=status, rationale=f"{status} by {user}", expected_version=seen
        )

    outcomes = run_at_once(decide(first, "verified"), decide(second, "disputed"))
    assert failures(outcomes) == []
    winners = [o for o in outcomes if isinstance(o, Claim)]
    assert len(winners) == 1 and sum(isinstance(o, StaleClaim) for o in outcomes) == 1
    final = Claim.objects.get(pk=contested_claim.pk)
    assert (final.status, final.version) == (winners[0].status, seen + 1)
    assert final.verdict_rationale == winners[0].verdict_rationale


def test_a_verdict_waits_for_an_edit_holding_the_row_and_then_sees_it(contested_claim):
    reviewer = UserFactory(username="reviewer-3", role="reviewer")
    seen = contested_claim.version
    locked, release = threading.Event(), threading.Event()

    def slow_edit():
        with transaction.atomic():
            claim_update(
                claim=contested_claim,
                user=contested_claim.created_by,
                expected_version=seen,
                wording="Edited while the reviewer was reading",
                tags="",
            )
            locked.set()
            release.wait(timeout=10)

    def verdict():
        locked.wait(timeout=10)
        threading.Timer(0.5, release.set).start()  # the edit commits while the verdict waits on the lock
        return verdict_record(
            claim=contested_claim, user=reviewer, status="verified", rationale="Two sources", expected_version=seen
        )

    edit_outcome, verdict_outcome = run_at_once(slow_edit, verdict)
    assert not isinstance(verdict_outcome, OperationalError), "waited its turn, not told the database is locked"
    assert isinstance(verdict_outcome, StaleClaim) and edit_outcome is None
    final = Claim.objects.get(pk=contested_claim.pk)
    assert (final.status, final.wording) == ("open", "Edited while the reviewer was reading")


def test_six_reviewers_deciding_at_once_one_wins_and_none_is_told_the_database_is_locked(contested_claim):
    reviewers = [UserFactory(username=f"reviewer-{n}", role="reviewer") for n in range(4, 10)]
    seen, changes = contested_claim.version, contested_claim.history.count()
    outcomes = run_at_once(
        *(
            lambda user=user, status=status: verdict_record(
                claim=contested_claim, user=user, status=status, rationale=f"{status} by {user}", expected_version=seen
            )
            for user, status in zip(reviewers, ["verified", "disputed"] * 3, strict=True)
        )
    )
    assert failures(outcomes) == []
    winners = [o for o in outcomes if isinstance(o, Claim)]
    assert len(winners) == 1 and sum(isinstance(o, StaleClaim) for o in outcomes) == 5
    final = Claim.objects.get(pk=contested_claim.pk)
    assert (final.status, final.version, final.verdict_rationale) == (
        winners[0].status,
        seen + 1,
        winners[0].verdict_rationale,
    )
    assert final.history.count() == changes + 1, "one change in the history, the winner's"


def test_editors_saving_their_own_claims_at_once_all_succeed_with_the_same_new_tag(roles):
    claims = [ClaimFactory(created_by=UserFactory(username=f"editor-{n}", role="editor")) for n in range(6)]

    def edit(claim):
        return lambda: claim_update(
            claim=claim, user=claim.created_by, expected_version=claim.version, wording="Edited at once", tags="flood"
        )

    seen = {claim.pk: claim.version for claim in claims}
    outcomes = run_at_once(*(edit(claim) for claim in claims))
    assert [type(o) for o in outcomes] == [Claim] * 6, outcomes
    assert Tag.objects.filter(name__iexact="flood").count() == 1
    for claim in claims:
        claim.refresh_from_db()
        tags = [tag.name for tag in claim.tags.all()]
        assert (claim.wording, claim.version, tags) == ("Edited at once", seen[claim.pk] + 1, ["flood"])
