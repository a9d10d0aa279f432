from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "anju.disputes"
    verbose_name = _("Disputes and mediation")

    def ready(self):
        from anju.cases.signals import case_action_requested, case_reopened
        from anju.disputes.services import on_case_action_requested, on_case_reopened

        case_reopened.connect(on_case_reopened, dispatch_uid="anju.disputes.on_case_reopened")
        case_action_requested.connect(on_case_action_requested, dispatch_uid="anju.disputes.on_case_action_requested")
