"""Screening rounds (矛盾纠纷排查): the supervisor opens a round and watches its coverage per
township; each grid worker sends one report per grid, from a phone, of the disputes found or
that nothing was found."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anju.cases.services import CaseError
from anju.disputes import access, queries, services
from anju.disputes.choices import ReportStatus, RoundStatus
from anju.disputes.forms import FoundDisputeForm, OpenRoundForm, ReportChoiceForm, today
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import tracking
from anju.people.choices import Role
from anju.web.access import role_names, staff_required

MAX_ROWS = 20


def _openable_regions(user) -> list[Region]:
    """The county, townships and villages for which ``user`` may open a round."""
    if not role_names(user) & {Role.SUPERVISOR, Role.ADMIN}:
        return []
    rows = Region.objects.exclude(level=Level.GRID).order_by("path").only("code", "name", "level", "path")
    return [r for r in rows if access.can_open_round(user, r)]


# ---------------------------------------------------------------------------- rounds


@require_http_methods(["GET", "POST"])
@staff_required
def round_list(request):
    user = request.user
    regions = _openable_regions(user)
    form = None
    status = 200
    if regions:
        if request.method == "POST":
            form = OpenRoundForm(regions, request.POST)
            if form.is_valid():
                c = form.cleaned_data
                try:
                    screening = services.open_round(
                        user, title=c["title"], region_code=c["region"], starts_on=c["starts_on"],
                        ends_on=c["ends_on"], theme=c["theme"], theme_category_code=c["theme_category"])
                except CaseError as error:
                    name = {"theme_category": "theme_category"}.get(error.field, error.field)
                    form.add_error(name if name in form.fields else None, error.message)
                else:
                    messages.success(request, _("The screening round was opened: %(n)s grids owe a report.") % {
                        "n": screening.reports.count()})
                    return redirect("disputes:round", round_id=screening.pk)
            status = 400
        else:
            form = OpenRoundForm(regions, initial={"starts_on": today()})
    elif request.method == "POST":
        raise Http404
    rounds = list(queries.rounds_with_coverage(user)[:200])
    for screening in rounds:
        screening.percent = round(100 * screening.submitted_count / screening.grid_count) if screening.grid_count else 0
    return render(request, "disputes/screening/rounds.html", {
        "section": "screening", "rounds": rounds, "form": form,
        "owed_count": len(queries.reports_owed_by(user, limit=200)),
    }, status=status)


def _coverage(user, screening, now):
    rows = queries.round_coverage(screening, now=now)
    for row in rows:
        row["percent"] = round(100 * row["submitted"] / row["grids"]) if row["grids"] else 0
    totals = {"grids": sum(r["grids"] for r in rows), "submitted": sum(r["submitted"] for r in rows),
              "owed": sum(r["owed"] for r in rows), "nothing_found": sum(r["nothing_found"] for r in rows)}
    totals["percent"] = round(100 * totals["submitted"] / totals["grids"]) if totals["grids"] else 0
    owing = list(access.visible_reports(user, queries.owing_grids(screening))[:500])
    names = {}
    paths = {p for r in owing for p in _ancestor_paths(r.area_path)}
    for region in Region.objects.filter(path__in=paths, level__in=[Level.TOWNSHIP, Level.VILLAGE]):
        names[region.path] = region
    for report in owing:
        above = [names[p] for p in _ancestor_paths(report.area_path) if p in names]
        report.township = next((r.name for r in above if r.level == Level.TOWNSHIP), "")
        report.village = next((r.name for r in above if r.level == Level.VILLAGE), "")
    found = (access.visible_reports(user, screening.reports.filter(status=ReportStatus.SUBMITTED))
             .filter(nothing_found=False).count())
    return {"coverage": rows, "totals": totals, "owing": owing, "reports_with_disputes": found}


def _ancestor_paths(path: str) -> list[str]:
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[:i + 1]) for i in range(len(codes) - 1)]


@staff_required
@never_cache
def round_detail(request, round_id):
    user = request.user
    screening = access.get_round_for(user, round_id)
    now = timezone.now()
    context = {"section": "screening", "round": screening, "now": now,
               "can_close": screening.status == RoundStatus.OPEN and access.can_open_round(user, screening.region),
               **_coverage(user, screening, now)}
    # htmx polls the coverage every 30 s; it gets the coverage part only.
    template = "disputes/screening/_coverage.html" if request.headers.get("HX-Request") else \
        "disputes/screening/round.html"
    return render(request, template, context)


@require_POST
@staff_required
def round_close(request, round_id):
    user = request.user
    screening = access.get_round_for(user, round_id)
    try:
        services.close_round(user, screening)
    except CaseError as error:
        if error.status == 403:
            raise Http404 from None
        messages.error(request, error.message)
    else:
        messages.success(request, _("The round was closed."))
    return redirect("disputes:round", round_id=screening.pk)


# ---------------------------------------------------------------------------- reports


@staff_required
def my_reports(request):
    user = request.user
    return render(request, "disputes/screening/my_reports.html", {
        "section": "screening", "reports": queries.reports_owed_by(user), "now": timezone.now(),
    })


def _rows(data, count: int) -> list[FoundDisputeForm]:
    return [FoundDisputeForm(data, prefix=f"d-{i}") for i in range(count)]


def _row_count(data) -> int:
    try:
        count = int(data.get("rows", 1))
    except (TypeError, ValueError):
        count = 1
    return max(1, min(count, MAX_ROWS))


def _render_report(request, report, choice, rows, status=200, disputes=None):
    return render(request, "disputes/screening/report.html", {
        "section": "screening", "report": report, "choice": choice, "rows": rows, "row_count": len(rows),
        "can_add_row": len(rows) < MAX_ROWS, "disputes": disputes or [],
        "invalid": status == 400,
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def report_form(request, report_id):
    user = request.user
    report = access.get_report_for(user, report_id)
    if report.status == ReportStatus.SUBMITTED:
        # Only the disputes whose cases this user may see: a region scope reaches the report,
        # not necessarily every case it registered.
        visible = access.dispute_cases(user)
        disputes = list(report.disputes.filter(case__in=visible).select_related("case", "case__category"))
        for dispute in disputes:
            dispute.code_display = tracking.display(dispute.case.tracking_code)
        return _render_report(request, report, None, [], disputes=disputes)
    if not access.can_report_for(user, report.grid):
        raise Http404
    if request.method == "GET":
        return _render_report(request, report, ReportChoiceForm(), _rows(None, 1))
    count = _row_count(request.POST)
    if "add_row" in request.POST:
        # Without JavaScript: the same form again, as typed, with one more empty dispute row.
        choice = ReportChoiceForm(initial={"result": ReportChoiceForm.FOUND, "note": request.POST.get("note", "")})
        rows = [FoundDisputeForm(initial=_typed(request.POST, f"d-{i}"), prefix=f"d-{i}") for i in range(count)]
        rows += _rows(None, min(count + 1, MAX_ROWS))[count:]
        return _render_report(request, report, choice, rows)
    choice = ReportChoiceForm(request.POST)
    rows = _rows(request.POST, count)
    valid = choice.is_valid()
    nothing = valid and choice.cleaned_data["result"] == ReportChoiceForm.NOTHING
    rows_valid = all([row.is_valid() for row in rows])
    filled = [row for row in rows if row.is_valid() and not row.is_empty]
    if nothing and (filled or not rows_valid):
        choice.add_error("result", _("You chose “nothing found” but described disputes: choose one or the other, "
                                     "or clear the dispute rows."))
        valid = False
    elif valid and not nothing:
        valid = rows_valid
        if valid and not filled:
            rows[0].add_error("category", _("List the disputes found, or say that nothing was found."))
            valid = False
    if valid:
        found = [] if nothing else [row.found() for row in filled]
        try:
            services.submit_report(user, report, nothing_found=nothing, note=choice.cleaned_data["note"],
                                   found=found)
        except CaseError as error:
            _report_error(choice, filled if not nothing else [], error)
        else:
            if nothing:
                messages.success(request, _("Report sent: nothing found in %(grid)s.") % {"grid": report.grid.name})
            else:
                messages.success(request, _("Report sent for %(grid)s with %(n)s disputes registered.") % {
                    "grid": report.grid.name, "n": len(found)})
            return redirect("disputes:my_reports")
    return _render_report(request, report, choice, rows, status=400)


def _typed(data, prefix: str) -> dict:
    return {name: data.get(f"{prefix}-{name}", "") for name in FoundDisputeForm.base_fields}


def _report_error(choice, filled, error: CaseError) -> None:
    """``disputes.1.text`` names the second filled row."""
    field = error.field or ""
    if field.startswith("disputes.") and field.count(".") == 2:
        _disputes, index, name = field.split(".")
        if index.isdigit() and int(index) < len(filled):
            row = filled[int(index)]
            row.add_error(name if name in row.fields else None, error.message)
            return
    if field in ("nothing_found", "disputes"):
        choice.add_error("result", error.message)
    elif field in choice.fields:
        choice.add_error(field, error.message)
    else:
        choice.add_error(None, error.message)
