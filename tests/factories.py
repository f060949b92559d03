import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article
from articles.text import content_hash


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

    title = factory.Sequence(lambda n: f"Article number {n}")
    body = factory.Sequence(lambda n: f"This is article {n}. It says something checkable.")
    raw = factory.LazyAttribute(lambda a: a.body.encode())
    content_hash = factory.LazyAttribute(lambda a: content_hash(a.body))
    origin_file = "factory.txt"
    publisher = "Factory News"
