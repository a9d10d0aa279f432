"""The case page's list of notifications: who was told what, over which channel, and whether
it went out, with addresses masked."""

from django import template

from anju.cases import access
from anju.notify.choices import NotificationChannel
from anju.notify.models import Notification
from anju.notify.services import mask_contacts

register = template.Library()


@register.inclusion_tag("web/case/_notifications.html", takes_context=True)
def case_notifications(context, case):
    """Shown on the case page, which only staff who can see the case reach. For staff the
    reporter is hidden from (a confidential case, seen by the office it is about or the office
    handling it) the reporter's messages are left out altogether: even masked, a row would say
    that the reporter is not anonymous, which channels they gave, and its error could quote the
    address."""
    user = context["request"].user
    rows = Notification.objects.filter(case=case).select_related("user").order_by("created_at", "pk")
    if access.person_hidden_from(user, case):
        rows = rows.filter(reporter__isnull=True, user__isnull=False)
    items = []
    for row in rows:
        if row.user_id:
            who = str(row.user)
            address = "" if row.channel == NotificationChannel.IN_APP else row.masked_address
        else:
            who, address = None, row.masked_address
        # Errors are masked when recorded; masked again here in case one slipped through.
        items.append({"row": row, "who": who, "address": address,
                      "error": mask_contacts(row.last_error, row.address, row.masked_address)})
    return {"rows": items, "case": case}
