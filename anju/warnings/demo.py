"""The demo county's geo-hazard warnings (``modules.Module.demo``): monitoring points across its
townships with their households, checks, devices, rules and three days of rain readings (a storm
leaves some at yellow and orange, with warnings drafted from the readings), then one orange warning
issued and in progress, some acknowledgements answered and some missing, some households moved and
one refusal. Built once: a second run adds nothing."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from anju.demo import build
from anju.warnings.demo_points import build_points
from anju.warnings.demo_warning import build_warning
from anju.warnings.models import MonitoringPoint, Warning


def run_demo(seed: int = build.DEFAULT_SEED, now: datetime | None = None) -> tuple[str, list[str]]:
    if MonitoringPoint.objects.exists() or Warning.objects.exists():
        return _("warnings: already built, nothing added"), []
    now = now or timezone.now()
    built, lines = build_points(seed, now)
    _done, more = build_warning(seed, now, list(MonitoringPoint.objects.filter(is_active=True)))
    return _("warnings: %(points)d monitoring points with readings, a warning in progress") % {
        "points": len(built.get("points", []))}, lines + more
