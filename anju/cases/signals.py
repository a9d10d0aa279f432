"""The calendar's changes reach every module that stores deadlines (``modules.calendar_changed``)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from anju.cases import modules
from anju.cases.models import CalendarOverride


@receiver(post_save, sender=CalendarOverride)
@receiver(post_delete, sender=CalendarOverride)
def override_changed(sender, instance: CalendarOverride, **kwargs) -> None:
    day = instance.date
    transaction.on_commit(lambda: modules.calendar_changed([day]))
