from django.apps import AppConfig
from django.core import checks


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from articles.checks import importer_libraries
        from articles.passages import write_passages
        from articles.recovery import expire_uploads, recover_imports
        from workbench import leases

        checks.register(importer_libraries, "importers")
        leases.register(recover=recover_imports, retry=[write_passages])
        leases.register(recover=expire_uploads)
