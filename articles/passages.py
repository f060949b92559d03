"""Passages: the sentence-sized spans of an article that suggestions and evidence point at.

Each chunk an import writes enqueues the job that writes its articles' passages, in the chunk's own
transaction: the worker writes them right after the chunk commits (at once, in the import's transaction,
with the immediate backend of tests). The database indexes them for search as they are written
(`articles.search`). Splitting and indexing the text costs more than writing the articles themselves,
so the import does not wait for it; choosing an article on the claim page writes its passages if the
job has not run yet.
"""

from django.db import connection
from django_tasks import task

from articles.models import Article, Passage
from articles.signals import passages_written
from articles.text import split_passages

ROWS_PER_STATEMENT = 1000


def ensure_passages(articles: list[Article]) -> None:
    """Write the passages of those articles that have none yet: one read and one bulk write.

    Two app servers may do this for the same article at once. Both compute the same rows, and the
    unique (article, index) constraint lets the later writer skip them instead of failing.
    """
    by_pk = {article.pk: article for article in articles}
    if not by_pk:
        return
    # An article's passages are written together in one transaction, so index 0 stands for them all.
    done = set(Passage.objects.filter(article_id__in=by_pk, index=0).values_list("article_id", flat=True))
    # Key order: two writers meeting on the same articles wait for one another instead of deadlocking.
    todo = sorted(by_pk.keys() - done)
    if not todo:
        return
    _insert([(pk, index, *span) for pk in todo for index, span in enumerate(split_passages(by_pk[pk].body))])
    passages_written.send(sender=Article, article_ids=todo)


@task()
def write_passages(article_ids: list[int]) -> None:
    """The job each imported chunk enqueues: its articles' passages."""
    ensure_passages(list(Article.objects.filter(pk__in=article_ids).only("pk", "body")))


def _insert(rows: list[tuple[int, int, int, int, str]]) -> None:
    """INSERT (article, index, start, end, text) rows in multi-row statements, skipping rows already there.

    What bulk_create does without building a model and compiling each value: for the 20-odd passages of
    every imported article that cost three times the database's own work.
    """
    table = connection.ops.quote_name(Passage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in ("article_id", "index", "start", "end", "text"))
    per_statement = min(ROWS_PER_STATEMENT, (connection.features.max_query_params or 5 * ROWS_PER_STATEMENT) // 5)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
            # Table and column names come from the model, quoted; every value is a bound parameter.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT DO NOTHING",  # noqa: S608
                [value for row in batch for value in row],
            )
