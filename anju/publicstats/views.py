"""Public pages, open to anyone without an account: the statistics per township and per office
(``/public/`` and ``stats.json``) and the map of open cases (``/public/map/`` and ``cases.geojson``).

Nothing here reads a reporter, a case's text, its tracking code or its timeline: the statistics are
counts, and the map shows only what ``anju.cases.public`` allows (listed cases, located as precisely
as the category allows). The JSON documents are the same for everyone and may be cached for five
minutes by browsers and proxies.
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from anju.cases.choices import OPEN_STATUSES, LocationPrecision, Status
from anju.cases.models import Category
from anju.cases.public import listed_cases, public_point
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.api import error_body
from anju.publicstats.stats import DEFAULT_PERIOD, PERIODS, SHANGHAI, PeriodError, public_figures
from anju.web.views.maps import MAP_STATUSES, STATUS_SYMBOLS

MAX_AGE = 300
# At most this many pins, newest first; the map says when there are more.
MAX_FEATURES = 2000


def current_time():
    """The clock the public figures are computed at; tests replace it to freeze time."""
    return timezone.now()


def _json(body: dict, *, status: int = 200, content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    if status == 200:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    # Labels follow the reader's language, chosen by header or by the language cookie.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _period_links(current: str) -> list[dict]:
    return [{"key": key, "label": label, "current": key == current} for key, label in PERIODS.items()]


def _bad_period(error: PeriodError) -> dict:
    """The core API's error body for a bad ``period`` (anju.lib.api)."""
    reason = str(error)
    return error_body(_("Invalid input: %(s)s") % {"s": f"period: {reason}"},
                      errors=[{"field": "period", "message": reason}])


@require_safe
def stats_page(request):
    """The statistics page: a period switch, a table per township and per office, the definitions."""
    key = request.GET.get("period", DEFAULT_PERIOD)
    context = {"section": "public_stats", "periods": _period_links(key)}
    try:
        figures = public_figures(key, current_time())
    except PeriodError as error:
        context.update(error=_bad_period(error)["detail"], periods=_period_links(""))
        return render(request, "publicstats/stats.html", context, status=400)
    context.update(figures=figures, json_url=reverse("publicstats:stats_json") + f"?period={key}")
    return render(request, "publicstats/stats.html", context)


@require_safe
def stats_json(request):
    """The same figures as JSON. ``?period=30d|12m|ytd`` (default 30d); rates in percent."""
    key = request.GET.get("period", DEFAULT_PERIOD)
    try:
        figures = public_figures(key, current_time())
    except PeriodError as error:
        return _json(_bad_period(error), status=400)
    return _json(figures.as_json())


def _listed_categories():
    """Active categories whose open cases the public map shows, with how precisely."""
    return Category.objects.filter(is_active=True).exclude(public_location=LocationPrecision.HIDDEN).order_by("path")


@require_safe
def map_page(request):
    """The public map: grid and township outlines, a pin per open listed case, a category filter."""
    categories = list(_listed_categories())
    chosen = request.GET.get("category", "")
    error = ""
    if chosen and chosen not in {c.code for c in categories}:
        error = _("Unknown or inactive category.")
        chosen = ""
    cases_url = reverse("publicstats:cases_geojson") + (f"?{urlencode({'category': chosen})}" if chosen else "")
    config = {
        "casesUrl": cases_url,
        "gridsUrl": reverse("web:map_grids"),
        "symbols": {status.value: symbol for status, symbol in STATUS_SYMBOLS.items()},
        "texts": {
            "category": _("Category"),
            "status": _("Status"),
            "submitted": _("Submitted on"),
            "township": _("Township / street"),
            "location": _("Location shown"),
            "precision": {value: str(label) for value, label in LocationPrecision.choices},
            "loadFailed": _("The cases could not be loaded. Reload the page to try again."),
            "shown": _("Open cases on the map: %(shown)s."),
            "truncated": _("Open cases: %(total)s; the newest %(shown)s are on the map."),
        },
    }
    context = {
        "section": "public_map",
        "categories": categories,
        "chosen": chosen,
        "error": error,
        "legend": [(status.value, status.label, STATUS_SYMBOLS[status]) for status in MAP_STATUSES],
        "map_config": config,
    }
    return render(request, "publicstats/map.html", context, status=400 if error else 200)


def _township_finder():
    """area_path → township Region, from one query, for every case of a list."""
    townships = {t.path: t for t in Region.objects.filter(level=Level.TOWNSHIP)}
    lengths = sorted({len(path) for path in townships})

    def township_of(area_path: str):
        for length in lengths:
            found = townships.get(area_path[:length])
            if found is not None:
                return found
        return None

    return townships, township_of


@require_safe
def cases_geojson(request):
    """Open listed cases as a GeoJSON FeatureCollection, newest first, at most ``MAX_FEATURES``.

    Each feature says only the category, the status, the day it was submitted and the township,
    at the point ``public_point`` allows. No tracking code (it is the reporter's key to the case),
    no text, no reporter, no notes. ``?category=<code>`` keeps one category and those under it."""
    rows = listed_cases().filter(status__in=OPEN_STATUSES)
    code = request.GET.get("category", "")
    if code:
        category = Category.objects.filter(code=code, is_active=True).first()
        if category is None:
            return _json(error_body(_("Unknown or inactive category."), field="category"), status=400)
        rows = rows.filter(Q(category__path__startswith=category.path))
    total = rows.count()
    townships, township_of = _township_finder()
    labels = dict(Status.choices)
    features = []
    truncated = False
    newest = rows.select_related("category", "grid", "region").order_by("-submitted_at", "-id")
    # Cases with nothing to show at their precision take no place in the limit.
    for case in newest.iterator(chunk_size=500):
        if len(features) == MAX_FEATURES:
            truncated = True
            break
        point = public_point(case, townships=townships)
        if point is None:
            continue
        township = township_of(case.area_path)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
            "properties": {
                "category": case.category.name,
                "status": case.status,
                "status_label": str(labels[case.status]),
                "submitted": case.submitted_at.astimezone(SHANGHAI).date().isoformat(),
                "township": township.name if township else "",
                "precision": case.category.public_location,
            },
        })
    body = {"type": "FeatureCollection", "features": features, "total": total, "truncated": truncated}
    return _json(body, content_type="application/geo+json")
