"""Settings of the app servers the two-server test starts: the production settings, with the two
changes the test process makes too (tests/conftest.py), so the servers accept the passwords it sets."""

from workbench.settings import *  # noqa: F403
from workbench.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run no collectstatic: pages name static files as they are, without the manifest's hashes.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
