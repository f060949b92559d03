"""Queries compiled once and run again with other values (workbench.prepared): the activity feed's page and
records read through them must be exactly what the ORM reads, for every filter and from every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.services import import_files
from claims.models import Claim
from tests.test_activity import link, reword, tag
from workbench import activity
from workbench.activity import SOURCES, Cursor, activity_feed
from workbench.prepared import Prepared


def orm_rows(criteria: dict, **where) -> list[dict]:
    return list(activity_feed(**criteria, **where, limit=51))


@pytest.fixture
def busy(editor, reviewer, admin_user):
    """A history of claims, their changes and links, and an import, by three people."""
    import_files(files=[("a.txt", b"Headline\n\nBody text here.")], user=admin_user)
    for n in range(3):
        claim = tag(editor, wording=f"Claim {n} of the council.")
        reword(claim, editor, f"Claim {n} of the council, reworded.", "budget, roads")
        link(claim, reviewer, f"Daily {n}")


CRITERIA = [
    {},
    {"action": "changed"},
    {"action": "imported"},
    {"kind": "claim"},
    {"kind": "evidence", "action": "created"},
    {"kind": "import", "action": "deleted"},  # no row can match: built by the ORM each time
    {"since": timezone.now() - timedelta(days=1), "until": timezone.now() + timedelta(days=1)},
    {"until": timezone.now() - timedelta(days=1)},
]


@pytest.mark.parametrize("criteria", CRITERIA)
def test_a_page_reads_what_the_orm_reads_for_each_filter(busy, criteria):
    assert activity._feed_rows(criteria, limit=51) == orm_rows(criteria)


def test_each_person_gets_their_own_rows_from_the_same_compiled_query(busy, editor, reviewer, admin_user):
    pages = {user.pk: activity._feed_rows({"actor_id": user.pk}, limit=51) for user in (editor, reviewer, admin_user)}
    for user_id, rows in pages.items():
        assert rows == orm_rows({"actor_id": user_id})
        assert rows and {row["actor_id"] for row in rows} == {user_id}


def test_pages_older_and_newer_than_any_row_read_what_the_orm_reads(busy):
    everything = orm_rows({})
    assert len(everything) > 10
    for row in everything[1:-1:3]:  # each has rows older and newer
        cursor = Cursor.of(activity.Entry(**row))
        assert activity._feed_rows({}, older=cursor, limit=5) == orm_rows({}, older=cursor)[:5] != []
        newer = activity._feed_rows({}, newer=cursor, limit=5)
        assert newer == list(activity_feed(newer=cursor, limit=5)) != []


def test_records_are_read_as_the_orm_reads_them_for_any_number_of_ids(busy):
    claims = SOURCES[0]
    ids = list(Claim.history.order_by("history_id").values_list("history_id", flat=True))
    for some in (ids[:1], ids[:3], ids[2:9], ids):
        prepared = claims._records(some)  # the records asked for, the ones before them and their changes' ends
        orm = {r.history_id: r for r in claims._records_of(some)}
        assert set(some) <= set(prepared) == set(orm)
        for history_id, record in prepared.items():
            assert record.wording == orm[history_id].wording
            assert record.history_date == orm[history_id].history_date
            assert bool(record.live) == orm[history_id].live
            assert record.article_title == orm[history_id].article_title


def test_a_value_the_orm_writes_into_the_sql_is_refused(db):
    # A version is never negative: the ORM drops a condition no row fails, so the value is not a parameter.
    prepared = Prepared(lambda version: Claim.objects.filter(version__gte=version), version=int)
    with pytest.raises(ValueError, match="version changed the SQL"):
        prepared.rows((), version=2)
