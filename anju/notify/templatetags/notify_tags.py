"""The case page's list of notifications: who was told what, over which channel, and whether
it went out, with addresses masked."""

from django import template

from anju.cases import access
from anju.notify.choices import NotificationChannel
from anju.notify.models import Notification

register = template.Library()


@register.inclusion_tag("notify/_case_notifications.html", takes_context=True)
def case_notifications(context, case):
    """Shown on the case page, which only staff who can see the case reach. The reporter's
    masked address is left out for staff the reporter is hidden from (confidential cases)."""
    user = context["request"].user
    hide_reporter = access.reporter_hidden_from(user, case)
    rows = []
    for row in Notification.objects.filter(case=case).select_related("user").order_by("created_at", "pk"):
        if row.user_id:
            who = str(row.user)
            address = "" if row.channel == NotificationChannel.IN_APP else row.masked_address
        else:
            who = None
            address = "" if hide_reporter else row.masked_address
        rows.append({"row": row, "who": who, "address": address})
    return {"rows": rows, "case": case}
