"""Small template helpers shared by Anju's pages."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timezone import localtime

from anju.cases.deadlines import calendar_for
from anju.lib import tracking
from anju.web.timeleft import case_time_left

register = template.Library()


@register.simple_tag
def status_badge(case):
    """The status as text on a coloured badge: the words carry the meaning, the colour only helps."""
    return format_html('<span class="badge badge-{}">{}</span>', case.status, case.get_status_display())


def _request_calendar(context):
    """The working-day calendar, read once per request however many cases the page lists."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_anju_calendar"):
        request._anju_calendar = calendar_for(context.get("now") or timezone.now())
    return request._anju_calendar


@register.simple_tag(takes_context=True)
def time_left(context, case):
    """剩余 2 个工作日 / 已超期 3 天, with the deadline itself as a tooltip."""
    left = case_time_left(case, now=context.get("now"), calendar=_request_calendar(context))
    if left is None:
        return ""
    css = "due-overdue" if left.overdue else "due-soon" if left.due_soon else ""
    when = date_filter(localtime(case.due_at), "Y-m-d H:i") if case.due_at else ""
    return format_html('<span class="due {}" title="{}">{}</span>', css, when, left.words)


@register.filter
def tracking_code(code: str) -> str:
    """A tracking code as people read and type it: KX54-GSE0M."""
    return tracking.display(code) if code else ""
