"""A member of staff's own notifications: new assignments, deadlines coming up or missed."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from anju.cases import access
from anju.notify.services import inbox, mark_read
from anju.web.access import staff_required

PAGE_SIZE = 20


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def notifications(request):
    """GET lists the user's in-app notifications, newest first; POST marks one (``id``) or all
    of them read. Only the user's own notifications are ever listed or changed."""
    if request.method == "POST":
        ids = None
        if "all" not in request.POST:
            ids = [int(value) for value in request.POST.getlist("id") if _is_number(value)]
        mark_read(request.user, ids)
        page = request.POST.get("page", "")
        return redirect(reverse("web:notifications") + (f"?page={page}" if _is_number(page) else ""))
    page = Paginator(inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    # A case may have moved out of the user's reach since (a transfer): no link to a 404.
    visible = set(access.visible_to(request.user).filter(pk__in=[row.case_id for row in page])
                  .values_list("pk", flat=True))
    rows = [{"row": row, "visible": row.case_id in visible} for row in page]
    return render(request, "web/notifications.html", {
        "section": "notifications", "page": page, "rows": rows})


def _is_number(value: str) -> bool:
    # str.isdigit() alone takes "²" for a digit, which int() then refuses; and a number too
    # long for a database id is no id of ours.
    return value.isascii() and value.isdigit() and len(value) <= 18
