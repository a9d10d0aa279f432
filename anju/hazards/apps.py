from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "anju.hazards"
    label = "hazards"
    verbose_name = _("Safety hazards (安全隐患)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from anju.cases import modules
        from anju.cases.choices import Action
        from anju.hazards import stats
        from anju.hazards.choices import HAZARD, HazardEvent

        modules.register(modules.Module(
            app_label=self.label,
            order=30,
            kinds=[modules.CaseKind(
                code=HAZARD, label=_("Safety hazard (安全隐患)"),
                # A hazard is closed only by a passed re-inspection (销号); its deadline is the
                # rectification order's, and a failed re-inspection starts a new round inside it.
                module_actions=frozenset({Action.RESOLVE, Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION,
                                          Action.WAIT, Action.REOPEN, Action.MERGE}),
                refusal=_("A hazard is handled on its hazard page: it is rectified by an order with its deadline, "
                          "and closed (销号) only by a passed re-inspection; a failed one starts a new round of "
                          "rectification."),
                people="anju.hazards.services.people_on_case",
                detail_url="hazards:detail", detail_label=_("Hazard page (site, rectification, re-inspection)"),
                reopen_refusal=_("A hazard is not reopened: a hazard found again at the site is registered anew."),
            )],
            events=[modules.EventCode(code, label, public=code not in (HazardEvent.PROGRESS, HazardEvent.SITE_LINKED))
                    for code, label in HazardEvent.choices],
            api_routers=[("/sites", "anju.hazards.api.sites_router"),
                         ("/inspections", "anju.hazards.api.inspections_router"),
                         ("/hazards", "anju.hazards.api.hazards_router"),
                         ("/campaigns", "anju.hazards.api.campaigns_router")],
            urls="anju.hazards.urls",
            nav=[modules.NavEntry(_("Hazards"), "hazards:workbench", "hazards",
                                  roles=frozenset({"dispatcher", "supervisor", "leader", "admin", "grid_worker"}),
                                  office_kinds=frozenset({"department", "township"}), held_kinds=frozenset({HAZARD}))],
            indicators=list(stats.INDICATORS),
            demo="anju.hazards.demo.run_demo",
        ))
