"""Background work of claims' own, run by `manage.py db_worker` (immediately, in tests)."""

from django_tasks import task

from claims import semantic


@task()
def embed_passages(article_ids: list[int]) -> None:
    for _ in semantic.embed_passages(articles=article_ids):
        pass
