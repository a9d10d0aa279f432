from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningsConfig(AppConfig):
    name = "anju.warnings"
    label = "warnings"
    verbose_name = _("Geo-hazard warnings (地质灾害预警)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from anju.cases import modules

        modules.register(modules.Module(
            app_label=self.label,
            order=50,
        ))
