from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "anju.duty"
    label = "duty"
    verbose_name = _("Duty and emergencies (值班应急)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from anju.cases import modules
        from anju.cases.choices import Action
        from anju.duty import stats
        from anju.duty.choices import INCIDENT, IncidentEvent

        modules.register(modules.Module(
            app_label=self.label,
            order=40,
            kinds=[modules.CaseKind(
                code=INCIDENT, label=_("Incident (突发事件)"),
                # An incident is answered by its final report; its deadline is the report owed next.
                module_actions=frozenset({Action.RESOLVE, Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION,
                                          Action.WAIT, Action.REOPEN, Action.MERGE, Action.RETURN,
                                          Action.TRANSFER}),
                refusal=_("An incident is handled on its incident page: its reports are owed on the clock, each "
                          "forwarded up a level, and the final report (终报) answers it."),
                registered_by_module=True,
                register_refusal=_("An incident is received on the duty pages (接报)."),
                ever_public=False,
                detail_url="duty:incident", detail_label=_("Incident page (reports, forwarding, grade)"),
                reopen_refusal=_("An incident is not reopened: a new development is a new incident."),
            )],
            events=[modules.EventCode(code, label, public=False) for code, label in IncidentEvent.choices],
            sweeps=[modules.Sweep("plan review(s)", "anju.duty.plans.sweep_plan_reviews")],
            api_routers=[("/duty", "anju.duty.api.router"),
                         ("/incidents", "anju.duty.api_incidents.incidents_router"),
                         ("/plans", "anju.duty.api_plans.plans_router"),
                         ("/drills", "anju.duty.api_plans.drills_router")],
            urls="anju.duty.urls",
            nav=[modules.NavEntry(_("Duty"), "duty:board", "duty",
                                  roles=frozenset({"dispatcher", "supervisor", "leader", "admin", "handler",
                                                   "grid_worker"}))],
            indicators=list(stats.INDICATORS),
            demo="anju.duty.demo.run_demo",
            provides={"duty.on_duty": "anju.duty.services.on_duty",
                      "duty.open_incident": "anju.duty.incidents.open_from_record",
                      "duty.incidents_for": "anju.duty.incidents.incidents_for"},
        ))
