"""The dashboard for supervisors and leaders: four charts, each with its table, and the cases
reopened lately. The numbers come from ``anju.web.stats``, scoped by what the user may see."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.tracking import display
from anju.web import stats
from anju.web.access import dashboard_required

PERIOD_DAYS = (30, 90, 365)
DEFAULT_PERIOD = 30


class DashboardFilterForm(forms.Form):
    period = forms.TypedChoiceField(
        label=gettext_lazy("Period of the on-time rate"), coerce=int, required=False, empty_value=DEFAULT_PERIOD
    )
    township = forms.ChoiceField(label=gettext_lazy("Township / street"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (days, ngettext("Last %(n)d day", "Last %(n)d days", days) % {"n": days}) for days in PERIOD_DAYS
        ]
        self.fields["township"].choices = [("", _("All townships"))] + list(
            Region.objects.filter(level=Level.TOWNSHIP).values_list("code", "name")
        )


def _chart_data(weekly, on_time, categories, offices) -> dict:
    """What dashboard.js draws; the tables in the page show the same numbers."""
    return {
        "weekly": {
            "weeks": [row.week.isoformat() for row in weekly],
            "received": [row.received for row in weekly],
            "closed": [row.closed for row in weekly],
        },
        "onTime": {
            "townships": [row.name for row in on_time],
            "rates": [row.rate for row in on_time],
            "resolved": [row.resolved for row in on_time],
            "onTime": [row.on_time for row in on_time],
        },
        "categories": {"names": [row.name for row in categories], "counts": [row.count for row in categories]},
        "offices": {"names": [row.name for row in offices], "counts": [row.count for row in offices]},
        "texts": {
            "received": _("Received"),
            "closed": _("Closed"),
            "rate": _("On-time rate (%)"),
            "cases": _("Cases"),
            "overdue": _("Overdue cases"),
        },
    }


@require_GET
@dashboard_required
def dashboard(request):
    """Charts with tables behind them; GET filters: period (days) and township."""
    form = DashboardFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"section": "dashboard", "form": form, "valid": False}
        return render(request, "web/dashboard/dashboard.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    days = data.get("period") or DEFAULT_PERIOD
    township = Region.objects.get(code=data["township"]) if data.get("township") else None
    now = timezone.now()
    user = request.user
    weekly = stats.weekly_flow(user, now, township=township)
    on_time = stats.on_time_by_township(user, now, township=township, days=days)
    categories = stats.top_categories(user, now, township=township)
    offices = stats.overdue_by_office(user, now, township=township)
    reopened = [(case, display(case.tracking_code)) for case in stats.recently_reopened(user, now, township=township)]
    context = {
        "section": "dashboard",
        "form": form,
        "valid": True,
        "now": now,
        "days": days,
        "township": township,
        "month_start": stats.month_start(now),
        "weekly": weekly,
        "weekly_totals": (sum(r.received for r in weekly), sum(r.closed for r in weekly)),
        "on_time": on_time,
        "categories": categories,
        "offices": offices,
        "reopened": reopened,
        "chart_data": _chart_data(weekly, on_time, categories, offices),
    }
    return render(request, "web/dashboard/dashboard.html", context)
