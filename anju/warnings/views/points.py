"""The points register for staff: the list with its filters and Excel export, the map of points
coloured by their level with routes and shelters, a point's page (details, households masked,
checks, devices, the readings' chart and table with its gaps, the rules in force) with exactly
the forms its user may use, and the point's form. Thin views: access through
``points_access``, changes through the services, words in the templates."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.lib.errors import ServiceError
from anju.lib.masking import mask_address, mask_name, mask_phone
from anju.lib.workdays import LOCAL, local_date
from anju.warnings import points as services
from anju.warnings import points_access as access
from anju.warnings import points_queries as queries
from anju.warnings import readings
from anju.warnings.choices import CheckRound, Level
from anju.warnings.models import MonitoringPoint, Reading
from anju.warnings.points_forms import (
    CheckForm,
    DeviceForm,
    HouseholdForm,
    PointFilterForm,
    PointForm,
    ReadingForm,
    RevealForm,
)
from anju.web.access import staff_required
from anju.web.views.intake import map_settings
from anju.web.views.workbench import CappedPaginator, filter_query, townships_for

PAGE_SIZE = 50
MAP_LIMIT = 5000
# The point page's table: the readings of the last three days, at most this many.
RECENT_HOURS = 72
RECENT_LIMIT = 200
LATE_AFTER = timedelta(hours=1)
# Of them, this many lines show at once; the rest open on demand.
RECENT_SHOWN = 24
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(user, form):
    c = form.cleaned_data
    township = c.get("township")
    return queries.points_for(user, queries.PointFilters(
        township=township.code if township else "", type=c.get("type") or "", grade=c.get("grade") or "",
        level=c.get("level") or "", text=c.get("q") or "", active=c.get("status") != PointFilterForm.RETIRED))


def _annotate(points) -> list:
    names = queries.township_names({p.area_path for p in points})
    for point in points:
        queries.mask_point(point)
        point.township_name = names.get(point.area_path, "")
    return points


# ---------------------------------------------------------------------------- the register


@staff_required
def points_list(request):
    user = request.user
    form = PointFilterForm(townships_for(user), data=request.GET)
    context = {"section": "warnings", "form": form, "page": None, "can_add": access.may_add_points(user),
               "can_rules": access.may_keep_rules(user), "query": filter_query(request.GET)}
    if not form.is_valid():
        return render(request, "warnings/points_list.html", context, status=400)
    rows = _rows(user, form).order_by("area_path", "code", "pk")
    paginator = CappedPaginator(rows, PAGE_SIZE)
    page = paginator.get_page(form.cleaned_data.get("page") or 1)
    base = filter_query(request.GET)
    context.update({
        "page": page, "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": f"{base}&page=" if base else "page=",
        "filtered": bool(filter_query(request.GET, drop=("page",))),
        "export_query": filter_query(request.GET, drop=("page",)),
    })
    _annotate(page.object_list)
    return render(request, "warnings/points_list.html", context)


@require_GET
@staff_required
@never_cache
def points_export(request):
    """The register of the list's filters as an Excel workbook (monitors masked)."""
    form = PointFilterForm(townships_for(request.user), data=request.GET)
    if not form.is_valid():
        errors = [str(m) for messages_ in form.errors.values() for m in messages_]
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    township = form.cleaned_data.get("township")
    today = local_date(timezone.now())
    rows = _rows(request.user, form).select_related("region").order_by("area_path", "code")
    content = queries.register_workbook(rows, scope=township.name if township else "全县", made_on=today)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="monitoring-points-{today:%Y%m%d}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def points_map(request):
    form = PointFilterForm(townships_for(request.user), data=request.GET)
    return render(request, "warnings/points_map.html", {
        "section": "warnings", "form": form, "query": filter_query(request.GET),
        "levels": [("", _("Below every level"))] + list(Level.choices),
    }, status=200 if form.is_valid() else 400)


@require_GET
@staff_required
def points_geojson(request):
    """The points of the list's filters (or the one point ``point``) as GeoJSON: the points, their
    outlines, routes and shelters."""
    form = PointFilterForm(townships_for(request.user), data=request.GET)
    if not form.is_valid():
        return JsonResponse({"message": _("Please correct the filters."), "errors": form.errors.get_json_data()},
                            status=400)
    rows = _rows(request.user, form)
    if request.GET.get("point"):
        try:
            wanted = int(request.GET["point"])
        except ValueError:
            wanted = 0
        rows = access.visible_points(request.user).filter(pk=wanted) if 0 < wanted < access.MAX_ID else rows.none()
    points = list(rows.order_by("pk")[:MAP_LIMIT])
    features = queries.map_features(points)
    for feature in features:
        if feature["properties"]["role"] == "point":
            feature["properties"]["url"] = reverse("warnings:point_detail", args=[feature["properties"]["id"]])
    response = JsonResponse({"type": "FeatureCollection", "features": features},
                            content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------- a point's page


def _timeline(point: MonitoringPoint, now) -> tuple[list[dict], list]:
    """The readings of the last days, newest first, with a line for each gap where it falls; and
    the gaps."""
    since = now - timedelta(hours=RECENT_HOURS)
    rows = list(Reading.objects.filter(point=point, measured_at__gt=since, measured_at__lte=now)
                .select_related("device", "entered_by").order_by("-measured_at", "-pk")[:RECENT_LIMIT])
    for row in rows:
        # Arrived more than an hour after it was measured: placed by its own time all the same.
        row.late = row.received_at - row.measured_at > LATE_AFTER
    entries = [{"reading": r, "at": r.measured_at} for r in rows]
    gaps = readings.gaps(point, since=since, until=now, now=now)
    for gap in gaps:
        entries.append({"gap": gap, "at": gap.end or now})
    entries.sort(key=lambda e: (e["at"], "gap" in e), reverse=True)
    return entries, gaps


def _households(user, point, revealed=None) -> list:
    rows = list(point.household_rows.order_by("pk"))
    for row in rows:
        row.head_masked, row.address_masked = mask_name(row.head_name), mask_address(row.address)
        row.phone_masked = mask_phone(row.phone) if row.phone else ""
        row.revealed = revealed is not None and revealed.pk == row.pk
    return rows


def detail_context(request, point: MonitoringPoint, **extra) -> dict:
    user = request.user
    now = timezone.now()
    year = local_date(now).year
    actions = access.point_actions(user, point)
    queries.mask_point(point)
    point.township_name = queries.township_names([point.area_path]).get(point.area_path, "")
    checks = list(point.checks.select_related("checked_by").order_by("-year", "checked_on"))
    this_year = {c.round: c for c in checks if c.year == year}
    in_force = readings.rules_in_force(point)
    timeline, gaps = _timeline(point, now)
    context = {
        "section": "warnings", "point": point, "now": now, "year": year, "actions": actions,
        "households": _households(user, point, extra.pop("revealed", None)),
        "checks": checks,
        "rounds": [(value, label, this_year.get(value), queries.check_due_on(year, value))
                   for value, label in CheckRound.choices],
        "devices": list(point.devices.order_by("pk")),
        "timeline_recent": timeline[:RECENT_SHOWN], "timeline_earlier": timeline[RECENT_SHOWN:], "gaps": gaps,
        "rain": readings.accumulations(point, now),
        "rules": [rule for key in sorted(in_force) for rule in in_force[key]],
        "chart": queries.chart_data(point, now),
        "reading_form": ReadingForm(initial={"measured_at": now.astimezone(LOCAL).replace(second=0, microsecond=0,
                                                                                          tzinfo=None)}),
        "check_form": CheckForm(initial={"checked_on": local_date(now)}),
        "device_form": DeviceForm(), "reveal_form": RevealForm(), "new_key": None, "new_device": None,
        "can_reveal_monitors": access.can_reveal_monitors(user, point), "monitors": None,
    }
    context.update(extra)
    return context


def _detail(request, point, status=200, **extra):
    return render(request, "warnings/points_detail.html", detail_context(request, point, **extra), status=status)


@staff_required
@never_cache
def point_detail(request, point_id):
    return _detail(request, access.get_point_for(request.user, point_id))


def _refused(error: ServiceError):
    if error.status == 403:
        raise PermissionDenied
    if error.status == 404:
        raise Http404


@require_POST
@staff_required
def point_reading(request, point_id):
    """A reading entered by hand on the point's page."""
    point = access.get_point_for(request.user, point_id)
    form = ReadingForm(request.POST)
    if form.is_valid():
        try:
            results = readings.record_readings(point, [form.new_reading()], actor=request.user)
        except ServiceError as error:
            _refused(error)
            form.add_service_error(error)
        else:
            messages.success(request, _("The reading was recorded.") if results[0].created else
                             _("This reading was already recorded."))
            return redirect(reverse("warnings:point_detail", args=[point.pk]) + "#readings")
    return _detail(request, point, status=400, reading_form=form)


@require_POST
@staff_required
def point_check(request, point_id):
    point = access.get_point_for(request.user, point_id)
    form = CheckForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.record_check(request.user, point, round=c["round"], checked_on=c["checked_on"],
                                  stable=c["stable"], finding=c["finding"])
        except ServiceError as error:
            _refused(error)
            form.add_service_error(error)
        else:
            messages.success(request, _("The check was recorded."))
            return redirect(reverse("warnings:point_detail", args=[point.pk]) + "#checks")
    return _detail(request, point, status=400, check_form=form)


@require_POST
@staff_required
@never_cache
def point_device_new(request, point_id):
    """A device added: its key is shown on the page this once (not kept, not redirected to)."""
    point = access.get_point_for(request.user, point_id)
    form = DeviceForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            device, key = services.create_device(request.user, point, services.NewDevice(
                c["name"], list(c["kinds"]), c["interval_minutes"]))
        except ServiceError as error:
            _refused(error)
            form.add_service_error(error)
        else:
            return _detail(request, point, new_key=key, new_device=device)
    return _detail(request, point, status=400, device_form=form)


@require_POST
@staff_required
def point_device_active(request, point_id, device_id):
    point = access.get_point_for(request.user, point_id)
    device = access.get_device_for(request.user, point, device_id)
    try:
        services.set_device_active(request.user, device, request.POST.get("active") == "1")
    except ServiceError as error:
        _refused(error)
    messages.success(request, _("The device was enabled.") if request.POST.get("active") == "1" else
                     _("The device was disabled: its key no longer works."))
    return redirect(reverse("warnings:point_detail", args=[point.pk]) + "#devices")


@require_POST
@staff_required
def point_active(request, point_id):
    point = access.get_point_for(request.user, point_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_point_active(request.user, point, active)
    except ServiceError as error:
        _refused(error)
    messages.success(request, _("The point is in use again.") if active else _("The point was retired."))
    return redirect("warnings:point_detail", point_id=point.pk)


# ---------------------------------------------------------------------------- the point's form


def _render_form(request, form, point=None, status=200):
    return render(request, "warnings/points_form.html", {
        "section": "warnings", "form": form, "point": point, "pickmap": map_settings(request.user),
    }, status=status)


def _save(request, form, point=None):
    try:
        if point is None:
            return services.create_point(request.user, form.new_point())
        return services.update_point(request.user, point, form.new_point())
    except ServiceError as error:
        if error.status == 403:
            form.add_error("region" if form.cleaned_data.get("region") else "lat",
                           _("This place lies outside the area where you may keep points."))
        else:
            form.add_service_error(error)
    return None


@require_http_methods(["GET", "POST"])
@staff_required
def point_new(request):
    if not access.may_add_points(request.user):
        raise Http404
    regions = access.keepable_regions(request.user)
    if request.method == "GET":
        return _render_form(request, PointForm(regions=regions))
    form = PointForm(request.POST, regions=regions)
    if form.is_valid():
        point = _save(request, form)
        if point is not None:
            messages.success(request, _("The point was registered: %(name)s.") % {"name": point.name})
            return redirect("warnings:point_detail", point_id=point.pk)
    return _render_form(request, form, status=400)


@require_http_methods(["GET", "POST"])
@staff_required
def point_edit(request, point_id):
    point = access.get_point_for(request.user, point_id)
    if not access.can_keep(request.user, point):
        raise PermissionDenied
    regions = access.keepable_regions(request.user)
    if request.method == "GET":
        return _render_form(request, PointForm(initial=PointForm.initial_of(point), regions=regions), point)
    form = PointForm(request.POST, regions=regions)
    if form.is_valid() and _save(request, form, point) is not None:
        messages.success(request, _("The point was saved."))
        return redirect("warnings:point_detail", point_id=point.pk)
    return _render_form(request, form, point, status=400)


# ---------------------------------------------------------------------------- households


def _household_form(request, point, form, household=None, status=200):
    return render(request, "warnings/points_household_form.html", {
        "section": "warnings", "point": point, "form": form, "household": household}, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def household_new(request, point_id):
    point = access.get_point_for(request.user, point_id)
    if not access.can_keep(request.user, point):
        raise PermissionDenied
    if request.method == "GET":
        return _household_form(request, point, HouseholdForm())
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            services.add_household(request.user, point, form.new_household())
        except ServiceError as error:
            _refused(error)
            form.add_service_error(error)
        else:
            messages.success(request, _("The household was added."))
            return redirect(reverse("warnings:point_detail", args=[point.pk]) + "#households")
    return _household_form(request, point, form, status=400)


@require_http_methods(["GET", "POST"])
@staff_required
def household_edit(request, point_id, household_id):
    """Correcting a household shows its details in full to the keeper: logged as a reveal."""
    point = access.get_point_for(request.user, point_id)
    household = access.get_household_for(request.user, point, household_id)
    if not access.can_keep(request.user, point):
        raise PermissionDenied
    if request.method == "GET":
        try:
            services.reveal_household(request.user, household, reason="edit")
        except ServiceError as error:
            _refused(error)
        initial = {name: getattr(household, name) for name in ("head_name", "members", "phone", "address",
                                                               "card_number")}
        return _household_form(request, point, HouseholdForm(initial=initial), household)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            services.update_household(request.user, household, form.new_household())
        except ServiceError as error:
            _refused(error)
            form.add_service_error(error)
        else:
            messages.success(request, _("The household was saved."))
            return redirect(reverse("warnings:point_detail", args=[point.pk]) + "#households")
    return _household_form(request, point, form, household, status=400)


@require_POST
@staff_required
def household_remove(request, point_id, household_id):
    point = access.get_point_for(request.user, point_id)
    household = access.get_household_for(request.user, point, household_id)
    try:
        services.remove_household(request.user, household)
    except ServiceError as error:
        _refused(error)
        messages.error(request, error.message)
    else:
        messages.success(request, _("The household was removed."))
    return redirect(reverse("warnings:point_detail", args=[point.pk]) + "#households")


@require_POST
@staff_required
@never_cache
def household_reveal(request, point_id, household_id):
    """The household in full on the point's page, for this response only; logged."""
    point = access.get_point_for(request.user, point_id)
    household = access.get_household_for(request.user, point, household_id)
    form = RevealForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.reveal_household(request.user, household, reason=reason)
    except ServiceError as error:
        _refused(error)
    return _detail(request, point, revealed=household)


@require_POST
@staff_required
@never_cache
def monitors_reveal(request, point_id):
    """The monitor's and deputy's phones in full on the point's page (a duty officer about to call
    them), for this response only; logged."""
    point = access.get_point_for(request.user, point_id)
    try:
        monitors = services.reveal_monitors(request.user, point, reason="call")
    except ServiceError as error:
        _refused(error)
    return _detail(request, point, monitors=monitors)
