from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreetlightsConfig(AppConfig):
    name = "anju.cases.tests.streetlights"
    label = "streetlights"
    verbose_name = _("Street lights")

    def ready(self):
        from anju.cases import modules
        from anju.cases.choices import Action
        from anju.cases.tests.streetlights.choices import LAMP_REPLACED, STREETLIGHT

        modules.register(modules.Module(
            app_label=self.label,
            kinds=[modules.CaseKind(
                code=STREETLIGHT, label=_("Street light out (路灯故障)"),
                module_actions=frozenset({Action.RESOLVE}),
                refusal=_("A street light is resolved by recording the lamp replaced."),
            )],
            events=[modules.EventCode(LAMP_REPLACED, _("Lamp replaced (更换灯具)"), public=True)],
            sweeps=[modules.Sweep("dark street(s)", "anju.cases.tests.streetlights.services.sweep_dark_streets")],
            api_routers=[("/streetlights", "anju.cases.tests.streetlights.api.router")],
        ))
