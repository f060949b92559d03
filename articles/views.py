from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.filters import ArticleFilter
from articles.models import Article


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.current().with_claim_counts().defer("body", "raw")
    filters = ArticleFilter(request.GET, queryset=articles)
    page = Paginator(filters.qs, settings.WORKBENCH_ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/list.html", {"page": page, "filters": filters})


@require_GET
def article_raw(request: HttpRequest, pk: int) -> HttpResponse:
    """The input exactly as received, as a download: provenance one can check byte for byte."""
    article = get_object_or_404(Article.objects.only("raw", "origin_file"), pk=pk)
    response = HttpResponse(bytes(article.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="article-{pk}-raw.txt"'
    return response
