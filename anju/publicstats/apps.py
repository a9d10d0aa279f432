from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicStatsConfig(AppConfig):
    name = "anju.publicstats"
    verbose_name = _("Public statistics")
