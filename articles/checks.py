"""System checks: the workbench says so at start when an importer's library cannot load.

Otherwise the first sign is an import in which every HTML page is "rejected: unexpected error".
"""

import importlib

from django.core import checks

# Each third-party module the importers load: who needs it, and for what. lxml.html.clean comes before
# trafilatura so that a missing cleaner is named as such rather than as trafilatura failing.
LIBRARIES = {
    "charset_normalizer": ("every importer", "the encoding of a file without a byte order mark"),
    "dateutil.parser": ("every importer", "publication dates"),
    "lxml.html": ("the HTML importer", "parsing the page"),
    "lxml.html.clean": ("the HTML importer", "trafilatura cleans pages with it: the lxml_html_clean package"),
    "trafilatura": ("the HTML importer", "the main text and metadata of a page"),
}


def importer_libraries(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for module, (importer, purpose) in LIBRARIES.items():
        try:
            importlib.import_module(module)
        except Exception as exc:  # a library can fail at import in more ways than ImportError
            errors.append(
                checks.Error(
                    f"{module} cannot be imported, so {importer} cannot run ({purpose}): {exc}",
                    hint="Install the project again (pip install -e .) so that every dependency in pyproject.toml is there.",
                    id="articles.E001",
                )
            )
    return errors
