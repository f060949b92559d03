"""Every order the claim list offers has an index to read it by, so a page does not sort the whole table."""

from django.db import connection

from claims.filters import SORTS
from claims.models import Claim

UNINDEXED = {"wording"}  # a btree cannot hold every long text; the README says so


def indexed_first_columns(model) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {info["columns"][0] for info in constraints.values() if info["index"] and info["columns"]}


def test_every_claim_list_order_starts_an_index(db):
    columns = indexed_first_columns(Claim)
    for field, _ in SORTS:
        if field in UNINDEXED or "__" in field:
            continue
        assert Claim._meta.get_field(field).column in columns, field
    assert "article_id" in columns  # ordering by article title goes through the article's own title index
