"""Claims' answers to what articles announce (`articles.signals`), connected in `ClaimsConfig.ready`.

Each receiver only calls a service: the rules live in `claims.services`, not here.
"""

from claims.services import claims_reanchor


def reanchor_on_new_version(sender, *, old, new, **kwargs) -> None:
    claims_reanchor(old=old, new=new)
