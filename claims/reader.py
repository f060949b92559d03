"""The reader: an article's text with its claims highlighted, where editors tag claims.

It is claims' tagging UI, so it lives here although it is served at /articles/<id>/ under the name
`articles:detail` (joined to articles' own pages in `workbench/urls.py`): articles never imports claims.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.history import metadata_edits
from articles.models import Article
from claims import permissions
from claims.anchoring import highlighted_blocks
from claims.forms import TagClaimForm
from claims.selectors import tag_names


@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The versions around this one, without their text: two ahead, so that the notice on an old version
    # names the newest without another query (`Article.newest_version`).
    versions = ("previous_version", "next_version", "next_version__next_version")
    article = get_object_or_404(
        Article.objects.select_related("imported_by", "import_batch__imported_by", *versions).defer(
            "raw", *(f"{version}__{name}" for version in versions for name in ("body", "raw"))
        ),
        pk=pk,
    )
    return render_reader(request, article)


def render_reader(request: HttpRequest, article: Article, *, tag_form=None, status: int = 200) -> HttpResponse:
    """The reader: the body with its claims highlighted, the claims panel, and the tag form."""
    claims = list(article.claims.select_related("created_by").order_by("start", "end", "pk"))
    may_tag = permissions.can_tag(request.user)
    # A superseded version takes no new claims (services.claim_create refuses them): one tagged here
    # would never follow the text to later versions. Its claims stay readable; the notice leads on.
    newest = article.newest_version()
    superseded = newest.pk != article.pk
    can_tag = may_tag and not superseded
    context = {
        "article": article,
        "blocks": highlighted_blocks(article.body, claims),
        "claims": claims,
        "can_tag": can_tag,
        "tagging_closed": may_tag and not can_tag,
        "newest": newest if superseded else None,
        "tag_form": tag_form or TagClaimForm(article=article),
        "tag_names": tag_names() if can_tag else [],
        "metadata_edits": metadata_edits(article.pk),
    }
    return render(request, "claims/reader.html", context, status=status)
