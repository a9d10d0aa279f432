"""The fixed vocabularies of webhooks: delivery statuses and the events an endpoint may want."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.cases.choices import Action

# Subscribes an endpoint to every case event, including actions added after it was registered.
ALL_EVENTS = "*"
# The event of a delivery sent from the admin to check that a receiver works; it carries no case.
TEST_EVENT = "test"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


def event_choices() -> list[tuple[str, str]]:
    """What an administrator may subscribe an endpoint to: all events, or chosen case events (the
    core's and every registered module's)."""
    module_events = [(e.code, e.label) for m in modules.modules() for e in m.events]
    return [(ALL_EVENTS, _("All events (also those added later)")), *Action.choices, *module_events]


def event_label(event: str) -> str:
    if event == TEST_EVENT:
        return str(_("Test event"))
    if event == ALL_EVENTS:
        return str(_("All events"))
    return modules.event_label(event)
