import django_filters

from articles.models import Article


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title contains")

    class Meta:
        model = Article
        fields = ["q"]
