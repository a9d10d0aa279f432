from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "anju.cases"
    verbose_name = _("Cases")

    def ready(self):
        from anju.cases import signals  # noqa: F401  (tells the modules of calendar changes)
