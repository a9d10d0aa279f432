"""Registering a case: the intake form for hotline and front-desk staff and for grid workers
on a phone, the duplicate check beside it, and the point → grid lookup shared with the
residents' report form."""

import math

from django.contrib import messages
from django.db import transaction
from django.db.models import Avg
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anju.cases import services
from anju.cases.access import visible_to
from anju.cases.models import Case, Category
from anju.geo import gridindex
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import tracking
from anju.people.choices import Role
from anju.web.access import role_names, staff_required
from anju.web.intake_forms import (
    IntakeForm,
    can_create_somewhere,
    creation_scopes,
    kept_data,
    new_idempotency_key,
)


def _default_channel(user) -> str:
    roles = role_names(user)
    if Role.GRID_WORKER in roles and not roles & {Role.DISPATCHER, Role.ADMIN}:
        return "grid_worker"
    return "hotline"


def map_settings(user=None) -> dict:
    """Where the picker map starts and which grid outlines it draws: the user's own township
    when all the places the user may register in lie in one, the whole county otherwise."""
    grids = Region.objects.filter(level=Level.GRID, lat__isnull=False)
    scopes = creation_scopes(user) if user is not None and user.is_authenticated else None
    township_paths = {"/".join(r.path.split("/")[:2]) + "/" for r in scopes or [] if r.depth >= 1}
    url = reverse("web:map_grids") + "?layer=grids"
    if scopes and len(township_paths) == 1 and all(r.depth >= 1 for r in scopes):
        township_path = township_paths.pop()
        grids = grids.filter(path__startswith=township_path)
        url += "&township=" + township_path.split("/")[1]
    centre = grids.aggregate(lat=Avg("lat"), lng=Avg("lng"))
    return {"centre_lat": centre["lat"] or 0, "centre_lng": centre["lng"] or 0, "grids_url": url}


def _duplicates_for(user, category_code: str, lat, lng) -> list[Case] | None:
    """Open cases in the same category near the point that ``user`` may see; None when the
    category or the point is missing."""
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    category = Category.objects.filter(code=category_code or "", is_active=True).first()
    if category is None:
        return None
    found = services.duplicate_candidates((lat, lng), category=category)
    visible = set(visible_to(user, Case.objects.filter(pk__in=[c.pk for c in found])).values_list("pk", flat=True))
    return [c for c in found if c.pk in visible]


def _render(request, form, *, status=200, duplicates=None, checked=False):
    return render(request, "web/intake/form.html", {
        "section": "intake", "form": form, "duplicates": duplicates, "duplicates_checked": checked,
        "pickmap": map_settings(request.user),
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def intake(request):
    user = request.user
    if not can_create_somewhere(user):
        raise Http404
    if request.method == "GET":
        form = IntakeForm(user, initial={"channel": _default_channel(user), "idempotency_key": new_idempotency_key()})
        return _render(request, form)
    if "check_duplicates" in request.POST:
        # Without JavaScript: show the form again, as typed, with the cases that may be the same.
        initial = kept_data(IntakeForm, request.POST, exclude=())
        found = _duplicates_for(user, request.POST.get("category"), request.POST.get("lat"), request.POST.get("lng"))
        return _render(request, IntakeForm(user, initial=initial), duplicates=found, checked=True)
    form = IntakeForm(user, request.POST, request.FILES)
    if form.is_valid():
        try:
            # All or nothing: a file that fails after the case is made takes the case with it.
            with transaction.atomic():
                case, created = services.create_case(
                    user, form.new_case(), idempotency_key=form.cleaned_data["idempotency_key"]
                )
                if created:
                    for upload in form.cleaned_data["attachments"]:
                        services.add_attachment(user, case, upload)
        except services.CaseError as error:
            if error.status == 403:
                field = "lat" if form.cleaned_data.get("lat") is not None else "region"
                form.add_error(field, _("This place lies outside the area where you may register cases."))
            else:
                form.add_case_error(error)
        else:
            messages.success(request, _("Case registered. Tracking code for the reporter: %(code)s") % {
                "code": tracking.display(case.tracking_code)})
            return redirect("web:case_detail", case_id=case.pk)
    if not form.data.get("idempotency_key"):
        data = form.data.copy()
        data["idempotency_key"] = new_idempotency_key()
        form.data = data
    return _render(request, form, status=400)


@require_GET
@staff_required
def duplicates(request):
    """The htmx partial beside the intake form: cases that may be the same concern."""
    if not can_create_somewhere(request.user):
        raise Http404
    found = _duplicates_for(request.user, request.GET.get("category"), request.GET.get("lat"),
                            request.GET.get("lng"))
    return render(request, "web/intake/_duplicates.html", {"duplicates": found, "duplicates_checked": True})


@require_GET
def locate(request):
    """The grid, village and township around a point: public administrative data, no cases."""
    try:
        lat, lng = float(request.GET.get("lat", "")), float(request.GET.get("lng", ""))
    except ValueError:
        lat = lng = math.nan
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        return JsonResponse({"message": _("Give lat and lng as WGS84 degrees.")}, status=400)
    grid_id = gridindex.find_grid_id(lat, lng)
    if grid_id is None:
        return JsonResponse({"message": _("This point lies in no grid.")}, status=404)
    grid = Region.objects.get(pk=grid_id)
    found = {"grid": {"code": grid.code, "name": grid.name}, "village": None, "township": None}
    for region in grid.ancestors():
        if region.level in (Level.VILLAGE, Level.TOWNSHIP):
            found[region.level] = {"code": region.code, "name": region.name}
    return JsonResponse(found)
