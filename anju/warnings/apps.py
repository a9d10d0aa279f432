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
            sweeps=[modules.Sweep("acknowledgement(s)", "anju.warnings.acks.sweep_acknowledgements"),
                    modules.Sweep("warning(s) past expiry", "anju.warnings.lifecycle.sweep_expiry"),
                    modules.Sweep("monitoring point level(s)", "anju.warnings.readings.sweep_levels")],
            # The import first: its path is a word where the warnings' paths have a number.
            api_routers=[("/monitoring-points", "anju.warnings.api_points.points_router"),
                         ("/readings", "anju.warnings.api_points.readings_router"),
                         ("/warnings", "anju.warnings.api_cap.router"),
                         ("/warnings", "anju.warnings.api_warnings.router")],
            urls="anju.warnings.urls",
            nav=[modules.NavEntry(_("Warnings"), "warnings:board", "warnings", roles=staff)],
            indicators=list(stats.INDICATORS),
            demo="anju.warnings.demo.run_demo",
        ))
