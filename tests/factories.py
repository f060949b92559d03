import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article, Passage
from articles.passages import ensure_passages
from articles.text import content_hash
from claims.models import PREFIX_SUFFIX_LENGTH, Claim, EvidenceLink


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(Group.objects.get(name=extracted))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    body = factory.Sequence(lambda n: f"This is article {n}. It says something checkable.")
    raw = factory.LazyAttribute(lambda a: a.body.encode())
    content_hash = factory.LazyAttribute(lambda a: content_hash(a.body))
    origin_file = "factory.txt"
    publisher = factory.Sequence(lambda n: f"Publisher {n}")

    @factory.post_generation
    def passages(article, create, extracted, **kwargs):
        """Written with the article, as an import's job writes them (not with `passages=False`)."""
        if create and extracted is not False:
            ensure_passages([article])


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim on the article's first sentence-sized span (or the span given by start/end)."""

    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    created_by = factory.SubFactory(UserFactory, role="editor")
    start = 0
    end = factory.LazyAttribute(lambda c: c.article.body.index(".") + 1)
    quote = factory.LazyAttribute(lambda c: c.article.body[c.start : c.end])
    prefix = factory.LazyAttribute(lambda c: c.article.body[max(0, c.start - PREFIX_SUFFIX_LENGTH) : c.start])
    suffix = factory.LazyAttribute(lambda c: c.article.body[c.end : c.end + PREFIX_SUFFIX_LENGTH])
    wording = factory.LazyAttribute(lambda c: c.quote)


class PassageEvidenceFactory(factory.django.DjangoModelFactory):
    """A link to the first passage of a new article from its own publisher."""

    class Meta:
        model = EvidenceLink

    claim = factory.SubFactory(ClaimFactory)
    stance = EvidenceLink.Stance.SUPPORTS
    passage = factory.LazyFunction(lambda: _passage_of(ArticleFactory()))
    added_by = factory.SelfAttribute("claim.created_by")


def _passage_of(article: Article) -> Passage:
    """The article's first passage (written now for an article made without them, by bulk_create)."""
    ensure_passages([article])
    return article.passages.get(index=0)
