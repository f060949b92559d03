from django.apps import AppConfig
from django.core import checks


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workbench.api"
    label = "api"  # its tables and migrations keep the name they were made with
    verbose_name = "REST API"

    def ready(self):
        from workbench.api.checks import api_rate_setting

        checks.register(api_rate_setting)
