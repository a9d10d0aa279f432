from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "anju.geo"
    verbose_name = _("Regions and grids")

    def ready(self):
        from anju.geo import signals  # noqa: F401  (connects grid-index refresh)
