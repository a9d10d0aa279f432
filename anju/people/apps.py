from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "anju.people"
    verbose_name = _("Offices, users and roles")
