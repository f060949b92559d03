from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.filters import ArticleFilter
from articles.models import Article

SUGGESTIONS = 10  # what a completion offers: a few to choose from


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.current().defer("body", "raw")
    filters = ArticleFilter(request.GET, queryset=articles)
    page = Paginator(filters.qs, settings.WORKBENCH_ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    counts = Article.objects.claim_counts(page.object_list)
    for article in page.object_list:
        article.claim_count = counts.get(article.pk, 0)
    return render(request, "articles/list.html", {"page": page, "filters": filters})


@require_GET
def article_raw(request: HttpRequest, pk: int) -> HttpResponse:
    """The input exactly as received, as a download: provenance one can check byte for byte."""
    article = get_object_or_404(Article.objects.only("raw", "origin_file"), pk=pk)
    response = HttpResponse(bytes(article.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="article-{pk}-raw.txt"'
    return response


@require_GET
def article_choices(request: HttpRequest) -> JsonResponse:
    """Current articles whose title holds every word of ?q= (or whose number it is), for the boxes that
    choose an article (workbench.widgets.Completion): a few, never the whole list."""
    words = request.GET.get("q", "").split()
    articles = Article.objects.current().only("pk", "title", "publisher")
    if len(words) == 1 and words[0].isdigit():
        articles = articles.filter(pk=int(words[0]))
    else:
        for word in words:
            articles = articles.filter(title__icontains=word)
    found = articles.order_by("title", "pk")[:SUGGESTIONS] if words else []
    return JsonResponse({"results": [{"value": article.pk, "label": article.choice_label} for article in found]})
