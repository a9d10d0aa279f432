"""Lists of incidents and the actions a user may take on one now (its page and the API offer
exactly these)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from anju.duty import incident_access as access
from anju.duty.models import Forward, Incident
from anju.geo.models import Region
from anju.people.access import offices_of


@dataclass
class IncidentFilters:
    open: bool | None = None
    grade: str = ""
    type: str = ""
    township: str = ""
    overdue: bool | None = None
    text: str = ""


def incident_cases_for(user, filters: IncidentFilters, now: datetime):
    """The incident cases ``user`` may see, matching ``filters``, newest first."""
    rows = access.incident_cases(user).filter(incident__isnull=False).select_related(
        "category", "region", "grid", "office", "reporter", "merged_into", "incident")
    if filters.open is not None:
        rows = rows.filter(incident__closed_at__isnull=filters.open)
    if filters.grade:
        rows = rows.filter(incident__grade=filters.grade)
    if filters.type:
        rows = rows.filter(incident__type=filters.type)
    if filters.township:
        region = Region.objects.filter(code=filters.township).first()
        rows = rows.filter(area_path__startswith=region.path) if region else rows.none()
    if filters.overdue is not None:
        late = Q(incident__closed_at__isnull=True, incident__owed_due_at__lt=now)
        rows = rows.filter(late) if filters.overdue else rows.exclude(late)
    if filters.text:
        rows = rows.filter(Q(text__icontains=filters.text) | Q(tracking_code__iexact=filters.text.replace("-", "")))
    return rows.order_by("-id")


def incident_actions(user, case, incident: Incident) -> list[str]:
    """What ``user`` may do on the incident now: report, forward (a report not yet sent up),
    receive (a report forwarded to their office and not signed for), grade."""
    actions = []
    if access.can_report(user, case):
        if incident.is_open:
            actions.append("report")
        if incident.reports.exclude(forwards__isnull=False).exists():
            actions.append("forward")
        if incident.is_open:
            actions.append("grade")
    if Forward.objects.filter(report__incident=incident, received_at__isnull=True,
                              to_office_id__in=offices_of(user)).exists():
        actions.append("receive")
    return actions
