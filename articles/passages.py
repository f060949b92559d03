"""Passages: the sentence-sized spans of an article that suggestions and evidence point at.

An import writes them with its articles, so every article can be suggested the moment it is in;
the database indexes them for search as they are written (`articles.search`).
"""

from articles.models import Article, Passage
from articles.signals import passages_written
from articles.text import split_passages


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
    Passage.objects.bulk_create(
        [
            Passage(article_id=pk, index=index, start=start, end=end, text=text)
            for pk in todo
            for index, (start, end, text) in enumerate(split_passages(by_pk[pk].body))
        ],
        ignore_conflicts=True,
    )
    passages_written.send(sender=Article, article_ids=todo)
