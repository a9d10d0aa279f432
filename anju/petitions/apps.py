from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "anju.petitions"
    verbose_name = _("Petitions (信访)")

    def ready(self):
        from anju.cases.signals import case_reopened
        from anju.petitions.services import on_case_reopened

        case_reopened.connect(on_case_reopened, dispatch_uid="anju.petitions.on_case_reopened")
