from django.apps import AppConfig
from django.core import checks


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from articles.checks import importer_libraries

        checks.register(importer_libraries, "importers")
