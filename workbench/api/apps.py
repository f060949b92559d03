from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workbench.api"
    label = "api"  # its tables and migrations keep the name they were made with
    verbose_name = "REST API"
