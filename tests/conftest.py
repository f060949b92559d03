import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS_DIR.iterdir())

# Property tests: a modest number of examples in the suite, many more with HYPOTHESIS_PROFILE=thorough.
# No deadline: the machine is shared, and a slow example is not a wrong one.
hypothesis_settings.register_profile("suite", max_examples=150, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=3000, deadline=None)
hypothesis_settings.load_profile(os.getenv("HYPOTHESIS_PROFILE", "suite"))


def pytest_sessionstart(session):
    # As Django's own test runner does: a broken install (an importer's library that cannot load) stops the
    # run at once with the check's words, rather than as many failures far from the cause.
    serious = [message for message in checks.run_checks() if message.is_serious()]
    if serious:
        pytest.exit("System check identified errors:\n" + "\n".join(map(str, serious)), returncode=3)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # A deliberately slow password hash costs a quarter second per user; tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads and exports a test writes land in its own folder, never in var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """What the cache keeps is keyed by ids, versions and revision numbers, which a test rolled back gives out
    again (SQLite reuses ids): each test starts with an empty cache, as on a new database."""
    if isinstance(caches["default"], LocMemCache):  # never empty a Redis that REDIS_URL names
        caches["default"].clear()


@pytest.fixture
def roles(transactional_db):
    """The role groups, as the migration makes them: a transactional test flushes them away after it."""
    importlib.import_module("workbench.migrations.0001_roles").create_roles(apps, None)
    importlib.import_module("workbench.migrations.0005_story_permissions").grant(apps, None)
    importlib.import_module("workbench.migrations.0007_discussion_permissions").grant(apps, None)
    importlib.import_module("workbench.migrations.0008_api_token_permissions").grant(apps, None)
    importlib.import_module("workbench.migrations.0009_webhook_permissions").grant(apps, None)


@pytest.fixture
def viewer(db):
    return UserFactory(username="viewer-user", role="viewer")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor-user", role="editor")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer-user", role="reviewer")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-user", role="admin", is_staff=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def seeded(db):
    """The five seed articles, imported as `make run` imports them."""
    from articles.services import collect_files, import_sources

    report = import_sources(sources=collect_files([SEEDS_DIR]), user=None)
    assert not report.rejected
    from articles.models import Article

    return {Path(item["file"]).name[:3]: Article.objects.get(pk=item["article_id"]) for item in report.imported}


@pytest.fixture
def every_kind_of_claim(db):
    """Claims verified, disputed and open, with evidence supporting, contradicting and giving context."""
    from tests.export_data import claims_of_every_kind

    return claims_of_every_kind()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file of this run's own rather than in memory.

    Concurrent writers need a connection each to one database, as app servers and the worker have: then
    WAL and BEGIN IMMEDIATE work as they do in production (tests/test_concurrency.py). In memory, threads
    share one cache whose table locks fail at once instead of waiting.
    """
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        default.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test_workbench.sqlite3")
