from datetime import datetime

from django.db import transaction
from django.utils import timezone

from anju.cases import services as case_services
from anju.cases.choices import OPEN_STATUSES, Action
from anju.cases.models import Case
from anju.cases.tests.streetlights.choices import LAMP_REPLACED, STREETLIGHT


@transaction.atomic
def replace_lamp(actor, case: Case, *, note: str, now: datetime | None = None) -> Case:
    """The handler records the lamp replaced, which resolves the case: the case locked, the
    module's own check on the case as it is now, then the core's writes (check-then-do)."""
    now = now or timezone.now()
    case = case_services.lock_case(case)
    case_services.check_right(actor, Action.RESOLVE, case)
    case_services.check_status(Action.RESOLVE, case)
    case_services.do_record_event(case, actor, LAMP_REPLACED, note=note, now=now)
    return case_services.do_resolve_case(actor, case, reply="路灯已修复。The lamp was replaced.", now=now)


def sweep_dark_streets(now: datetime) -> int:
    """The module's sweep: how many street lights are still out past their deadline."""
    return Case.objects.filter(kind=STREETLIGHT, status__in=OPEN_STATUSES, due_at__lt=now).count()
