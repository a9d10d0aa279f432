from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "anju.disputes"
    verbose_name = _("Disputes and mediation")

    def ready(self):
        from anju.cases import modules
        from anju.cases.choices import Action
        from anju.disputes.choices import DISPUTE, DisputeEvent

        # Mediators are handlers of a mediation committee, or of an office holding disputes (the
        # justice bureau and the court receive them through 三调联动 transfers).
        modules.register(modules.Module(
            app_label=self.label,
            order=10,
            kinds=[modules.CaseKind(
                code=DISPUTE, label=_("Dispute (矛盾纠纷)"),
                module_actions=frozenset({Action.RESOLVE}),
                refusal=_("A dispute is resolved by ending its mediation on the dispute page: sign the agreement, "
                          "or end mediation with its outcome."),
                # A dispute's notes name the parties and what they said.
                ever_public=False,
                # The mediators of the organisation mediating it must reach its parties (the
                # reporter is usually one of them), even when the dispute is confidential; the
                # service centre that owns it before dispatch does not.
                owner_reaches_people="anju.disputes.access.can_mediate",
                people="anju.disputes.services.people_on_case",
                detail_url="disputes:detail", detail_label=_("Dispute page (parties, mediation, agreement)"),
                check_action="anju.disputes.services.check_core_action",
                on_reopened="anju.disputes.services.on_case_reopened",
            )],
            events=[modules.EventCode(code, label, public=code == DisputeEvent.AGREEMENT_EFFECTIVE)
                    for code, label in DisputeEvent.choices],
            sweeps=[modules.Sweep("screening report(s)", "anju.disputes.services.sweep_screening_reports")],
            api_routers=[("/disputes", "anju.disputes.api.router"),
                         ("/screening-rounds", "anju.disputes.api.rounds_router")],
            urls="anju.disputes.urls",
            recompute_deadlines="anju.disputes.services.recount_judicial_windows",
            nav=[
                modules.NavEntry(_("Disputes"), "disputes:workbench", "disputes",
                                 roles=frozenset({"dispatcher", "supervisor", "leader", "grid_worker", "admin"}),
                                 office_kinds=frozenset({"mediation"}), held_kinds=frozenset({DISPUTE})),
                modules.NavEntry(_("Screening"), "disputes:rounds", "screening",
                                 roles=frozenset({"supervisor", "leader", "grid_worker", "admin"})),
            ],
            demo="anju.demo.disputes.run_demo",
        ))
