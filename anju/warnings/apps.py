from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningsConfig(AppConfig):
    name = "anju.warnings"
    label = "warnings"
    verbose_name = _("Geo-hazard warnings (地质灾害预警)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from anju.cases import modules
        from anju.warnings import stats

        staff = frozenset({"dispatcher", "supervisor", "leader", "admin", "handler", "grid_worker"})
        modules.register(modules.Module(
            app_label=self.label,
            order=50,
            sweeps=[],
            api_routers=[("/monitoring-points", "anju.warnings.api_points.points_router"),
                         ("/readings", "anju.warnings.api_points.readings_router")],
            urls="anju.warnings.urls",
            nav=[],  # "warnings:board" once the warnings pages exist
            indicators=list(stats.INDICATORS),
            demo="anju.warnings.demo.run_demo",
        ))
