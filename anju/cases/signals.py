"""The calendar's changes reach every module that stores deadlines (``modules.calendar_changed``)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from anju.cases import modules
from anju.cases.models import CalendarOverride


@receiver(pre_save, sender=CalendarOverride)
def remember_the_day(sender, instance: CalendarOverride, **kwargs) -> None:
    # An override moved to another day changes the day it leaves as well.
    before = CalendarOverride.objects.filter(pk=instance.pk).values_list("date", flat=True).first()
    instance._days_before = [before] if before is not None else []


@receiver(post_save, sender=CalendarOverride)
@receiver(post_delete, sender=CalendarOverride)
def override_changed(sender, instance: CalendarOverride, **kwargs) -> None:
    days = [instance.date, *instance.__dict__.pop("_days_before", [])]
    transaction.on_commit(lambda: modules.calendar_changed(days))
