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
    article = get_object_or_404(
        Article.objects.select_related(
            "imported_by", "import_batch__imported_by", "previous_version", "next_version"
        ).defer("raw", "previous_version__body", "previous_version__raw", "next_version__body", "next_version__raw"),
        pk=pk,
    )
    return render_reader(request, article)


def render_reader(request: HttpRequest, article: Article, *, tag_form=None, status: int = 200) -> HttpResponse:
    """The reader: the body with its claims highlighted, the claims panel, and the tag form."""
    claims = list(article.claims.select_related("created_by").order_by("start", "end", "pk"))
    context = {
        "article": article,
        "blocks": highlighted_blocks(article.body, claims),
        "claims": claims,
        "can_tag": permissions.can_tag(request.user),
        "tag_form": tag_form or TagClaimForm(article=article),
        "tag_names": tag_names(),
        "metadata_edits": metadata_edits(article.pk),
    }
    return render(request, "claims/reader.html", context, status=status)
