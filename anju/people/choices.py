from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficeKind(models.TextChoices):
    CENTRE = "centre", _("Service centre (综治中心 / 12345)")
    DEPARTMENT = "department", _("County department")
    TOWNSHIP = "township", _("Township / street office")
    VILLAGE = "village", _("Village / community committee")
    MEDIATION = "mediation", _("Mediation committee")


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    HANDLER = "handler", _("Handler")
    SUPERVISOR = "supervisor", _("Supervisor")
    LEADER = "leader", _("Leader")
    GRID_WORKER = "grid_worker", _("Grid worker")
    ADMIN = "admin", _("Administrator")
