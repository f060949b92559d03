"""Claims' answers to what articles announce (`articles.signals`), connected in `ClaimsConfig.ready`.

Each receiver only calls a service: the rules live in `claims.services`, not here.
"""

from claims.services import claims_reanchor, claims_recheck_sources


def reanchor_on_new_version(sender, *, old, new, **kwargs) -> None:
    claims_reanchor(old=old, new=new)


def recheck_on_publisher_change(sender, *, article, fields, user, **kwargs) -> None:
    """Which sources count as independent depends on their publishers: a verdict that counted this article
    is held to its basis again."""
    if "publisher" in fields:
        claims_recheck_sources(article=article)
