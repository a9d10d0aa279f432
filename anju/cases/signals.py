"""The calendar's changes reach the cases' stored deadlines (``services.recount_deadlines``) and
every module that stores deadlines of its own (``modules.calendar_changed``)."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from anju.cases import modules, services
from anju.cases.models import CalendarOverride, HolidayNotice


@receiver(pre_save, sender=CalendarOverride)
def remember_the_day(sender, instance: CalendarOverride, **kwargs) -> None:
    # An override moved to another day changes the day it leaves as well.
    before = CalendarOverride.objects.filter(pk=instance.pk).values_list("date", flat=True).first()
    instance._days_before = [before] if before is not None else []


@receiver(post_save, sender=CalendarOverride)
@receiver(post_delete, sender=CalendarOverride)
def override_changed(sender, instance: CalendarOverride, **kwargs) -> None:
    days = [instance.date, *instance.__dict__.pop("_days_before", [])]
    transaction.on_commit(lambda: _changed(days))


@receiver(post_save, sender=HolidayNotice)
@receiver(post_delete, sender=HolidayNotice)
def notice_changed(sender, instance: HolidayNotice, **kwargs) -> None:
    first = date(instance.year, 1, 1)
    days = [first + timedelta(days=n) for n in range((date(instance.year + 1, 1, 1) - first).days)]
    transaction.on_commit(lambda: _changed(days))


def _changed(days) -> None:
    services.recount_deadlines(days)
    modules.calendar_changed(days)
