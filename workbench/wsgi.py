import os

from django.core.wsgi import get_wsgi_application

from workbench.startup import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
application = get_wsgi_application()
require_secret_key()
