"""The hazards pages for staff: the workbench of what is due with the list of hazards, a hazard's
page with exactly the actions its user may take now, the sites register with its map, the
inspection form sent once from a phone, and campaigns with their coverage."""

from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.cases.models import Case
from anju.cases.services import CaseError
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.hazards import access, queries, services
from anju.hazards.choices import CampaignStatus, HazardStage
from anju.hazards.forms import (
    FORMS,
    CampaignForm,
    HazardFilterForm,
    InspectionForm,
    SiteFilterForm,
    SiteForm,
    hazard_actions,
    listing_of,
    refusal,
)
from anju.hazards.models import Campaign, ChecklistTemplate, Site, SiteKind
from anju.lib import tracking
from anju.lib.masking import mask_name, mask_phone
from anju.lib.workdays import LOCAL
from anju.people.access import is_global, roles_of
from anju.people.choices import Role
from anju.web.access import staff_required
from anju.web.intake_forms import new_idempotency_key
from anju.web.views.intake import map_settings
from anju.web.views.workbench import CappedPaginator, filter_query, township_names, townships_for

PAGE_SIZE = 50
CAMPAIGN_PAGE_SIZE = 20
# Each list of what is due shows at most this many hazards, soonest deadline first.
DUE_LIMIT = 50
# The map of sites draws at most this many points.
MAP_LIMIT = 5000
SITE_INSPECTIONS = 50


def _paged(request, rows, form) -> dict:
    """A page of ``rows`` with what the pagination needs (``web/_pagination.html``)."""
    paginator = CappedPaginator(rows, PAGE_SIZE)
    page = paginator.get_page(form.cleaned_data.get("page") or 1)
    base = filter_query(request.GET)
    return {
        "page": page, "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": f"{base}&page=" if base else "page=",
        "filtered": bool(filter_query(request.GET, drop=("page",))),
    }


def _annotate(cases) -> list:
    """Each hazard case with its tracking code as people read it, its township's name and its
    hazard record (None for a hazard reported through the core's intake and not yet linked)."""
    names = township_names({c.area_path for c in cases})
    for case in cases:
        case.code_display = tracking.display(case.tracking_code)
        case.township_name = names.get(case.area_path, "")
        case.record = getattr(case, "hazard", None)
    return cases


def _keepable_regions(user) -> list[Region]:
    """The county, townships and villages in which ``user`` keeps sites and opens campaigns."""
    rows = Region.objects.exclude(level=Level.GRID).order_by("path").only("code", "name", "level", "path", "depth")
    return [r for r in rows if access.can_keep_sites_in(user, r)]


def _may_add_sites(user) -> bool:
    """Keepers of a region, and the handlers of a supervising department (for its own sites)."""
    if is_global(user) or access._departments(user):
        return True
    return any(a.role in access.KEEPERS and (a.region_id or a.role == Role.ADMIN) for a in roles_of(user))


# ---------------------------------------------------------------------------- workbench


def _hazard_filters(form) -> queries.HazardFilters:
    c = form.cleaned_data
    township = c.get("township")
    return queries.HazardFilters(stage=c.get("stage") or "", level=c.get("level") or "",
                                 township=township.code if township else "", kind=c.get("kind") or "",
                                 department=c.get("department") or "", text=c.get("q") or "")


def _due(user, now) -> dict:
    """What is due in the user's scope: orders running with time left, re-inspections waiting,
    deadlines missed, and the major hazards under listed supervision."""

    def rows(order, **filters):
        found = queries.hazard_cases_for(user, queries.HazardFilters(**filters), now=now)
        return _annotate(list(found.order_by(*order)[:DUE_LIMIT]))

    by_deadline = ("due_at", "id")
    return {
        "running": rows(by_deadline, stage=HazardStage.RECTIFYING, overdue=False),
        "reinspections": rows(by_deadline, stage=HazardStage.REINSPECTION, overdue=False),
        "overdue": rows(by_deadline, overdue=True),
        "listed": rows(("hazard__listing__due_on", "id"), listed=True),
    }


@staff_required
def workbench(request):
    user = request.user
    now = timezone.now()
    form = HazardFilterForm(townships_for(user), data=request.GET)
    context = {"section": "hazards", "now": now, "form": form, "page": None,
               "today": now.astimezone(LOCAL).date(), "export_query": ""}
    if form.is_valid():
        filters = _hazard_filters(form)
        context.update(_paged(request, queries.hazard_cases_for(user, filters, now=now), form))
        _annotate(context["page"].object_list)
        # The ledger takes the township and the owning office by their codes.
        context["export_query"] = urlencode({name: value for name, value in (
            ("township", filters.township), ("department", filters.department)) if value})
    context.update(_due(user, now))
    return render(request, "hazards/workbench.html", context, status=200 if form.is_valid() else 400)


# ---------------------------------------------------------------------------- one hazard


def _hazard_case(user, case_id) -> Case:
    return access.get_hazard_case_for(user, case_id)


def _page(request, case: Case, *, failed=None, status=200):
    user = request.user
    now = timezone.now()
    hazard = services.ensure_hazard(case)
    listing = listing_of(hazard)
    allowed = hazard_actions(user, case, hazard)
    action_forms = [failed if failed is not None and failed.slug == slug else
                    FORMS[slug](case=case, hazard=hazard, user=user) for slug in allowed]
    rounds = list(hazard.rounds.select_related("ordered_by", "reinspected_by")) if hazard else []
    site = hazard.site if hazard else None
    context = {
        "section": "hazards", "now": now, "case": case, "hazard": hazard, "site": site,
        "code": tracking.display(case.tracking_code), "rounds": rounds, "listing": listing,
        "progress": list(listing.progress.select_related("recorded_by")) if listing else [],
        "site_visible": site is not None and access.visible_sites(user).filter(pk=site.pk).exists(),
        "action_forms": action_forms, "allowed": allowed, "failed": failed,
        "failed_elsewhere": failed is not None and failed.slug not in allowed,
        "incidents": services.incidents_of(case),
        "inspection": hazard.inspection if hazard and hazard.inspection_id else None,
        "inspection_visible": bool(hazard and hazard.inspection_id and access.visible_inspections(user).filter(
            pk=hazard.inspection_id).exists()),
    }
    return render(request, "hazards/detail.html", context, status=status)


@staff_required
@never_cache
def detail(request, case_id):
    return _page(request, _hazard_case(request.user, case_id))


@require_POST
@staff_required
@never_cache
def act(request, case_id, action):
    """One action of the hazard page, by the one service function it stands for; then back to
    the page (POST-redirect-GET), or the page again with the error next to its field."""
    case = _hazard_case(request.user, case_id)
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404
    hazard = services.ensure_hazard(case)
    form = form_class(request.POST, case=case, hazard=hazard, user=request.user)
    status = 400
    refused = refusal(request.user, case, hazard, action)
    if refused is not None:
        status, message = refused
        form.refuse(message)
    elif form.is_valid():
        try:
            form.perform()
        except CaseError as error:
            form.add_case_error(error)
            status = 403 if error.status == 403 else 400
        else:
            messages.success(request, form.get_success_message())
            if access.hazard_cases(request.user).filter(pk=case.pk).exists():
                return redirect("hazards:detail", case_id=case.pk)
            return redirect("hazards:workbench")
    case.refresh_from_db()
    return _page(request, case, failed=form, status=status)


# ---------------------------------------------------------------------------- sites


def _site_rows(user, form):
    c = form.cleaned_data
    rows = access.visible_sites(user).filter(is_active=c.get("status") != SiteFilterForm.RETIRED)
    if c.get("kind"):
        kind = SiteKind.objects.filter(code=c["kind"]).first()
        rows = rows.filter(kind__path__startswith=kind.path) if kind else rows.none()
    if c.get("township"):
        rows = rows.filter(area_path__startswith=c["township"].path)
    if c.get("department"):
        rows = rows.filter(department__code=c["department"])
    if c.get("q"):
        text = c["q"]
        rows = rows.filter(Q(name__icontains=text) | Q(address__icontains=text) | Q(unit__icontains=text))
    return rows


def _mask_contact(sites) -> list:
    """The responsible person as lists show every person: masked."""
    names = township_names({s.area_path for s in sites})
    for site in sites:
        site.contact_masked = mask_name(site.contact_name)
        site.phone_masked = mask_phone(site.contact_phone) if site.contact_phone else ""
        site.township_name = names.get(site.area_path, "")
    return sites


@staff_required
def sites(request):
    user = request.user
    form = SiteFilterForm(townships_for(user), data=request.GET)
    context = {"section": "hazards", "form": form, "page": None, "can_add": _may_add_sites(user),
               "map_query": filter_query(request.GET)}
    if not form.is_valid():
        return render(request, "hazards/sites.html", context, status=400)
    rows = _site_rows(user, form).select_related("kind", "region", "department").order_by("area_path", "name", "id")
    context.update(_paged(request, rows, form))
    _mask_contact(context["page"].object_list)
    return render(request, "hazards/sites.html", context)


@require_GET
@staff_required
def sites_geojson(request):
    """The sites of the list's filters as GeoJSON points for the map; names are plain text (the
    map writes them as text, never as HTML)."""
    form = SiteFilterForm(townships_for(request.user), data=request.GET)
    if not form.is_valid():
        return JsonResponse({"message": _("Please correct the filters."), "errors": form.errors.get_json_data()},
                            status=400)
    rows = _site_rows(request.user, form).select_related("kind").order_by("id")[:MAP_LIMIT]
    features = [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [site.lng, site.lat]},
        "properties": {"id": site.pk, "name": site.name, "kind": site.kind.name, "address": site.address,
                       "url": reverse("hazards:site_detail", args=[site.pk])},
    } for site in rows]
    response = JsonResponse({"type": "FeatureCollection", "features": features},
                            content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def site_detail(request, site_id):
    user = request.user
    site = access.get_site_for(user, site_id)
    _mask_contact([site])
    now = timezone.now()
    hazards = _annotate(list(queries.hazard_cases_for(user, queries.HazardFilters(site=site.pk), now=now)[:100]))
    inspections = list(site.inspections.select_related("inspector", "template", "campaign")[:SITE_INSPECTIONS])
    return render(request, "hazards/site_detail.html", {
        "section": "hazards", "now": now, "site": site, "hazards": hazards, "inspections": inspections,
        "can_inspect": site.is_active and access.can_inspect(user, site),
        "can_edit": access.can_keep_site(user, site),
        "checklist": services.current_checklist(site.kind),
    })


def _render_site_form(request, form, site=None, status=200):
    return render(request, "hazards/site_form.html", {
        "section": "hazards", "form": form, "site": site, "pickmap": map_settings(request.user),
    }, status=status)


def _save_site(request, form, site=None):
    """Create or change the site; None and the errors on the form when the service refuses."""
    try:
        if site is None:
            return services.create_site(request.user, form.new_site())
        return services.update_site(request.user, site, form.new_site())
    except CaseError as error:
        if error.status == 403 and access._departments(request.user) and not _keepable_regions(request.user):
            form.add_error("department", _("Choose your department: you keep the sites it supervises."))
        elif error.status == 403:
            form.add_error("lat", _("This place lies outside the area where you may keep sites."))
        else:
            form.add_case_error(error)
    return None


@require_http_methods(["GET", "POST"])
@staff_required
def site_new(request):
    if not _may_add_sites(request.user):
        raise Http404
    if request.method == "GET":
        return _render_site_form(request, SiteForm())
    form = SiteForm(request.POST)
    if form.is_valid():
        site = _save_site(request, form)
        if site is not None:
            messages.success(request, _("The site was registered: %(name)s.") % {"name": site.name})
            return redirect("hazards:site_detail", site_id=site.pk)
    return _render_site_form(request, form, status=400)


@require_http_methods(["GET", "POST"])
@staff_required
def site_edit(request, site_id):
    site = access.get_site_for(request.user, site_id)
    if not access.can_keep_site(request.user, site):
        raise PermissionDenied
    if request.method == "GET":
        return _render_site_form(request, SiteForm(initial=SiteForm.initial_of(site)), site)
    form = SiteForm(request.POST)
    if form.is_valid() and _save_site(request, form, site) is not None:
        messages.success(request, _("The site was saved."))
        return redirect("hazards:site_detail", site_id=site.pk)
    return _render_site_form(request, form, site, status=400)


# ---------------------------------------------------------------------------- inspecting


def _campaigns_covering(site: Site) -> list[Campaign]:
    rows = Campaign.objects.filter(status=CampaignStatus.RUNNING).select_related("kind", "region")
    return [c for c in rows if site.kind.path.startswith(c.kind.path) and site.area_path.startswith(c.region.path)]


def _template_for(site: Site, posted) -> ChecklistTemplate | None:
    """The checklist version the form was served with (a newer one may have been published
    since), or the one in use."""
    try:
        template = ChecklistTemplate.objects.select_related("kind").filter(pk=int(posted)).first()
    except (TypeError, ValueError):
        template = None
    if template is not None and site.kind.path.startswith(template.kind.path):
        return template
    return services.current_checklist(site.kind)


def _render_inspect(request, site, template, form, status=200):
    return render(request, "hazards/inspect.html", {
        "section": "hazards", "site": site, "template": template, "form": form,
        "rows": form.rows() if form is not None else [], "invalid": status == 400,
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def inspect(request, site_id):
    """The checklist on a phone, item by item, sent once: the Idempotency-Key is made when the
    page is served, so a second tap on "send" (or a resend) stores nothing more."""
    user = request.user
    site = access.get_site_for(user, site_id)
    if not site.is_active or not access.can_inspect(user, site):
        raise Http404
    template = _template_for(site, request.POST.get("template") if request.method == "POST" else None)
    if template is None:
        return _render_inspect(request, site, None, None)
    items = list(template.items.all())
    campaigns = _campaigns_covering(site)
    if request.method == "GET":
        form = InspectionForm(items=items, campaigns=campaigns, initial={
            "template": template.pk, "idempotency_key": new_idempotency_key(),
            "signed_as": user.display_name or user.get_full_name() or user.username,
            "campaign": campaigns[0].pk if len(campaigns) == 1 else None,
        })
        return _render_inspect(request, site, template, form)
    form = InspectionForm(request.POST, request.FILES, items=items, campaigns=campaigns)
    if form.is_valid():
        try:
            inspection, created = services.submit_inspection(user, form.new_inspection(site),
                                                             idempotency_key=form.cleaned_data["idempotency_key"])
        except CaseError as error:
            if error.status == 404:
                raise Http404 from None
            form.add_case_error(error)
        else:
            found = inspection.hazards.count()
            if created:
                messages.success(request, ngettext(
                    "The inspection was recorded; %(n)d hazard was opened.",
                    "The inspection was recorded; %(n)d hazards were opened.", found) % {"n": found})
            else:
                # A second tap, or the phone sending again: the first answer may never have shown.
                messages.success(request, ngettext(
                    "The inspection was sent more than once and recorded once; %(n)d hazard was opened.",
                    "The inspection was sent more than once and recorded once; %(n)d hazards were opened.",
                    found) % {"n": found})
            return redirect("hazards:inspection_detail", inspection_id=inspection.pk)
    if not form.data.get("idempotency_key"):
        data = form.data.copy()
        data["idempotency_key"] = new_idempotency_key()
        form.data = data
    return _render_inspect(request, site, template, form, status=400)


@staff_required
def inspection_detail(request, inspection_id):
    user = request.user
    inspection = access.get_inspection_for(user, inspection_id)
    answers = list(inspection.answers.select_related("item", "hazard", "hazard__case"))
    visible = set(access.hazard_cases(user).filter(
        pk__in=[a.hazard.case_id for a in answers if a.hazard_id]).values_list("pk", flat=True))
    opened = []
    for answer in answers:
        answer.hazard_visible = answer.hazard_id is not None and answer.hazard.case_id in visible
        # A note is redacted of the site's contact; a hazard's note is read from its description,
        # redacted like every text of its case.
        answer.shown_note = answer.note
        if answer.hazard_id:
            answer.hazard.code_display = tracking.display(answer.hazard.case.tracking_code)
            answer.shown_note = answer.hazard.description.removeprefix(f"{answer.item.text}：")
            opened.append(answer)
    return render(request, "hazards/inspection_detail.html", {
        "section": "hazards", "inspection": inspection, "answers": answers, "opened": opened,
        "photos": list(inspection.photos.all()),
        "can_inspect_again": inspection.site.is_active and access.can_inspect(user, inspection.site),
    })


@staff_required
def inspection_photo(request, inspection_id, photo_id):
    """A photo of an inspection, for those who may see the inspection: shown in the page."""
    inspection = access.get_inspection_for(request.user, inspection_id)
    photo = inspection.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = photo.content_type.startswith("image/")
    response = FileResponse(handle, content_type=photo.content_type, as_attachment=not inline,
                            filename=f"inspection-{inspection.pk}-{photo.pk}{Path(photo.file.name).suffix}")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ---------------------------------------------------------------------------- campaigns


def _totals(rows) -> dict:
    owed = sum(r.owed for r in rows)
    inspected = sum(r.inspected for r in rows)
    return {"owed": owed, "inspected": inspected, "percent": round(100 * inspected / owed) if owed else 0}


@staff_required
def campaigns(request):
    user = request.user
    page_number = request.GET.get("page") or 1
    paginator = CappedPaginator(access.visible_campaigns(user).select_related("kind", "region"), CAMPAIGN_PAGE_SIZE)
    page = paginator.get_page(page_number)
    for campaign in page.object_list:
        campaign.totals = _totals(queries.campaign_coverage(campaign)[0])
    return render(request, "hazards/campaigns.html", {
        "section": "hazards", "page": page, "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": "page=", "can_open": bool(_keepable_regions(user)),
    })


@require_http_methods(["GET", "POST"])
@staff_required
def campaign_new(request):
    user = request.user
    regions = _keepable_regions(user)
    if not regions:
        raise Http404
    if request.method == "GET":
        today = timezone.now().astimezone(LOCAL).date()
        form = CampaignForm(regions, initial={"starts_on": today, "region": regions[0].code})
        return render(request, "hazards/campaign_form.html", {"section": "hazards", "form": form})
    form = CampaignForm(regions, request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            campaign = services.open_campaign(user, title=c["title"], kind=c["kind"], region=c["region"],
                                              starts_on=c["starts_on"], ends_on=c["ends_on"])
        except CaseError as error:
            form.add_case_error(error)
        else:
            owed = services.campaign_sites(campaign).count()
            messages.success(request, ngettext("The campaign was opened: %(n)d site is owed an inspection.",
                                               "The campaign was opened: %(n)d sites are owed an inspection.",
                                               owed) % {"n": owed})
            return redirect("hazards:campaign_detail", campaign_id=campaign.pk)
    return render(request, "hazards/campaign_form.html", {"section": "hazards", "form": form}, status=400)


@staff_required
@never_cache
def campaign_detail(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for(user, campaign_id)
    rows, never = queries.campaign_coverage(campaign)
    for row in rows:
        row.percent = round(100 * row.rate) if row.rate is not None else 0
    # The sites never inspected that this user may see: a campaign over the county reaches
    # further than a township's staff.
    visible = set(access.visible_sites(user).filter(pk__in=[s.pk for s in never]).values_list("pk", flat=True))
    never = [s for s in never if s.pk in visible]
    names = township_names({s.area_path for s in never})
    for site in never:
        site.township_name = names.get(site.area_path, "")
        site.can_inspect = site.is_active and access.can_inspect(user, site)
    running = campaign.status == CampaignStatus.RUNNING
    context = {"section": "hazards", "campaign": campaign, "coverage": rows, "totals": _totals(rows),
               "never": never, "now": timezone.now(),
               "can_close": running and access.can_keep_sites_in(user, campaign.region)}
    # htmx polls the coverage every 30 s; it gets the coverage part only.
    template = "hazards/_coverage.html" if request.headers.get("HX-Request") else "hazards/campaign_detail.html"
    return render(request, template, context)


@require_POST
@staff_required
def campaign_close(request, campaign_id):
    campaign = access.get_campaign_for(request.user, campaign_id)
    try:
        services.close_campaign(request.user, campaign)
    except CaseError as error:
        if error.status == 403:
            raise PermissionDenied from None
        messages.error(request, error.message)
    else:
        messages.success(request, _("The campaign was closed."))
    return redirect("hazards:campaign_detail", campaign_id=campaign.pk)
