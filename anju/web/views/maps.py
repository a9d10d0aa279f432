"""The map of open cases, and the grid and township outlines every map draws.

The outlines are public administrative data (the resident report form draws them too); the case
points are staff-only and scoped by ``visible_to``. Maps need no tile server: outlines on a plain
background, with a tile layer only where ``ANJU_TILE_URL`` is set.
"""

from urllib.parse import urlencode

from django import forms
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_safe

from anju.cases.access import visible_to
from anju.cases.choices import OPEN_STATUSES, Status
from anju.cases.models import Category
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.tracking import display
from anju.web import outlines
from anju.web.access import is_staff_member, staff_required

# At most this many points go to the browser; the note says how many matched.
MAX_POINTS = 5000
GRIDS_MAX_AGE = 300

# One character per open status on the pin, so that the status never rests on colour alone.
# Every status label carries its Chinese name, so the characters read in both languages.
STATUS_SYMBOLS = {
    Status.SUBMITTED: "新",
    Status.ACCEPTED: "受",
    Status.DISPATCHED: "派",
    Status.IN_PROGRESS: "办",
    Status.WAITING: "待",
    Status.RESOLVED: "结",
}
# Lifecycle order, for the legend and the status filter.
MAP_STATUSES = list(STATUS_SYMBOLS)


def _township_choices():
    return [("", _("All townships"))] + [
        (code, name) for code, name in Region.objects.filter(level=Level.TOWNSHIP).values_list("code", "name")
    ]


class MapFilterForm(forms.Form):
    """The map's filters. Read from the query string by the page and by ``cases.json`` alike."""

    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    township = forms.ChoiceField(label=gettext_lazy("Township / street"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (code, "\u2003" * depth + name)
            for code, name, depth in Category.objects.order_by("path").values_list("code", "name", "depth")
        ]
        self.fields["township"].choices = _township_choices()
        self.fields["status"].choices = [("", _("All open statuses"))] + [
            (status.value, status.label) for status in MAP_STATUSES
        ]

    def cases(self, user, now):
        """The open cases in the user's scope that pass the filters (call after ``is_valid``)."""
        data = self.cleaned_data
        rows = visible_to(user).filter(status__in=OPEN_STATUSES)
        if data["category"]:
            rows = rows.filter(category__path__startswith=Category.objects.get(code=data["category"]).path)
        if data["township"]:
            rows = rows.filter(area_path__startswith=Region.objects.get(code=data["township"]).path)
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["overdue"]:
            rows = rows.filter(due_at__lt=now)
        return rows

    def case_list_query(self) -> str:
        """The same filters in the case list's terms (``web:case_list``: category and township by
        id, status ``open`` for all open ones, ``overdue=yes``), for the link shown without JavaScript."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        params: list[tuple[str, str | int]] = [("status", data.get("status") or "open")]
        if data.get("category"):
            params.append(("category", Category.objects.get(code=data["category"]).pk))
        if data.get("township"):
            params.append(("township", Region.objects.get(code=data["township"]).pk))
        if data.get("overdue"):
            params.append(("overdue", "yes"))
        return urlencode(params)


def _first_error(form: forms.Form) -> tuple[str, str]:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else name
    return name, _("%(field)s: %(error)s") % {"field": label, "error": errors[0]}


def _bad_filter(form: forms.Form) -> JsonResponse:
    field, message = _first_error(form)
    return JsonResponse({"error": message, "field": field}, status=400, json_dumps_params={"ensure_ascii": False})


@require_GET
@staff_required
def map_page(request):
    """The map of open cases, with the filters as a plain GET form."""
    form = MapFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    query = request.GET.urlencode() if form.is_bound and valid else ""
    config = {
        "casesUrl": reverse("web:map_cases") + (f"?{query}" if query else ""),
        "gridsUrl": reverse("web:map_grids"),
        "township": form.cleaned_data.get("township", "") if form.is_bound and valid else "",
        "symbols": {status.value: symbol for status, symbol in STATUS_SYMBOLS.items()},
        "texts": {
            "openCase": _("Open case"),
            "overdue": _("Overdue"),
            "notOverdue": _("Not overdue"),
            "category": _("Category"),
            "status": _("Status"),
            "loadFailed": _("The cases could not be loaded. Reload the page to try again."),
            "overdueInCluster": _("overdue"),
        },
    }
    context = {
        "section": "map",
        "form": form,
        "valid": valid,
        "legend": [(status.value, status.label, STATUS_SYMBOLS[status]) for status in MAP_STATUSES],
        "map_config": config,
        "list_url": reverse("web:case_list") + "?" + form.case_list_query(),
    }
    return render(request, "web/map/map.html", context, status=200 if valid else 400)


@require_GET
@never_cache
def case_points(request):
    """Open cases in the user's scope as points: no personal data, only what the pin and its popup
    show. Anonymous callers get 401 (a script cannot follow a login redirect), signed-in users
    without a role 404."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to see the cases.")}, status=401,
                            json_dumps_params={"ensure_ascii": False})
    if not is_staff_member(request.user):
        raise Http404
    form = MapFilterForm(request.GET)
    if not form.is_valid():
        return _bad_filter(form)
    now = timezone.now()
    rows = form.cases(request.user, now)
    counts = rows.aggregate(total=Count("id"), located=Count("id", filter=Q(lat__isnull=False, lng__isnull=False)))
    located = (
        rows.filter(lat__isnull=False, lng__isnull=False)
        # Overdue and soonest deadlines first, so that a cut at MAX_POINTS keeps the urgent ones.
        .order_by(F("due_at").asc(nulls_last=True), "id")
        .values_list("id", "tracking_code", "lat", "lng", "status", "due_at", "category__name")[:MAX_POINTS]
    )
    url_prefix = reverse("web:case_detail", args=[0])[: -len("0/")]
    labels = dict(Status.choices)
    points = [
        {
            "id": pk, "code": display(code), "lat": lat, "lng": lng, "status": status,
            "status_label": str(labels.get(status, status)), "overdue": due is not None and due < now,
            "category": category, "url": f"{url_prefix}{pk}/",
        }
        for pk, code, lat, lng, status, due, category in located
    ]
    shown, total, unlocated = len(points), counts["located"], counts["total"] - counts["located"]
    note = ngettext("Showing %(shown)d of %(total)d open case.", "Showing %(shown)d of %(total)d open cases.",
                    total) % {"shown": shown, "total": total}
    if unlocated:
        note += " " + ngettext("%(n)d case without a location is not on the map.",
                               "%(n)d cases without a location are not on the map.", unlocated) % {"n": unlocated}
    return JsonResponse(
        {"shown": shown, "total": total, "unlocated": unlocated, "note": note, "points": points},
        json_dumps_params={"ensure_ascii": False},
    )


class GridFilterForm(forms.Form):
    township = forms.ChoiceField(label=gettext_lazy("Township / street"), required=False)
    layer = forms.ChoiceField(
        label=gettext_lazy("Layer"), required=False, choices=[(layer, layer) for layer in outlines.LAYERS]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = _township_choices()


@require_safe
@gzip_page
def grid_shapes(request):
    """Grid polygons (``kind=grid``) and township outlines (``kind=township``) as GeoJSON. Public.
    ``?township=<code>`` keeps one township, ``?layer=grids|townships`` one layer."""
    form = GridFilterForm(request.GET)
    if not form.is_valid():
        return _bad_filter(form)
    township, layer = form.cleaned_data["township"], form.cleaned_data["layer"] or "all"
    stamp = outlines.stamp()
    etag = f'"{stamp}-{township or "all"}-{layer}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(outlines.document(stamp, township=township, layer=layer),
                                content_type="application/geo+json; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=GRIDS_MAX_AGE)
    return response
