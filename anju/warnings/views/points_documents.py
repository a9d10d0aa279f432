"""The points' papers: the 避险明白卡 of a household printed on A5 (and every card of a point at
once), and the list of the three checks of the year showing which point lacks which. A card
names its household and the monitor's phone in full, for the household to keep: printing one
is logged like a reveal (``points.check_cards``)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from anju.lib.errors import ServiceError
from anju.lib.masking import mask_phone
from anju.lib.workdays import local_date
from anju.people.models import Office
from anju.warnings import points as services
from anju.warnings import points_access as access
from anju.warnings import points_queries as queries
from anju.warnings.choices import CheckRound
from anju.warnings.drafting import TYPE_WORDS
from anju.warnings.points_forms import PointFilterForm
from anju.web.access import staff_required
from anju.web.views.workbench import CappedPaginator, filter_query, townships_for

CHECKS_PAGE_SIZE = 100
# The card is the household's, in Chinese whatever language its printer reads.
GRADE_WORDS = {"small": "小型", "medium": "中型", "large": "大型", "huge": "特大型"}


def _issuer(point) -> str:
    """The body that issues the card: the township's office (乡镇人民政府/街道办事处)."""
    township_code = point.area_path.split("/")[1] if point.area_path.count("/") >= 2 else ""
    office = Office.objects.filter(jurisdiction__code=township_code, kind="township").first()
    return office.name if office else ""


def _cards(request, point, households):
    now = timezone.now()
    for row in households:
        row.phone_masked = mask_phone(row.phone) if row.phone else ""
    return render(request, "warnings/card_print.html", {
        "point": point, "households": households, "sketch": queries.sketch(point), "issuer": _issuer(point),
        "type_zh": TYPE_WORDS.get(point.type, ("", ""))[0], "grade_zh": GRADE_WORDS.get(point.scale_grade, ""),
        "township_name": queries.township_names([point.area_path]).get(point.area_path, ""),
        "today": local_date(now),
    })


@require_GET
@staff_required
@never_cache
def card(request, point_id, household_id):
    """One household's card on A5."""
    point = access.get_point_for(request.user, point_id)
    household = access.get_household_for(request.user, point, household_id)
    try:
        services.check_cards(request.user, point, household)
    except ServiceError:
        raise PermissionDenied from None
    return _cards(request, point, [household])


@require_GET
@staff_required
@never_cache
def cards(request, point_id):
    """Every household's card of the point, one A5 page each."""
    point = access.get_point_for(request.user, point_id)
    try:
        services.check_cards(request.user, point)
    except ServiceError:
        raise PermissionDenied from None
    return _cards(request, point, list(point.household_rows.order_by("pk")))


@require_GET
@staff_required
def checks(request):
    """The three checks of a year (this one by default), point by point: which are done, which
    missing, which overdue. ``missing=1`` lists only the points lacking one."""
    user = request.user
    today = local_date(timezone.now())
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    form = PointFilterForm(townships_for(user), data=request.GET)
    township = form.cleaned_data.get("township") if form.is_valid() else None
    missing = request.GET.get("missing") == "1"
    if missing:
        rows = queries.points_missing_checks(user, year, township=township.code if township else "")
    else:
        rows = queries.points_for(user, queries.PointFilters(township=township.code if township else ""))
    paginator = CappedPaginator(rows.select_related("region").order_by("area_path", "code", "pk"), CHECKS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page") or 1)
    names = queries.township_names({p.area_path for p in page.object_list})
    table = queries.checks_of_year(list(page.object_list), year, today)
    for row in table:
        row.township_name = names.get(row.point.area_path, "")
        row.cells = [(r, row.checks[r], r in row.overdue) for r in CheckRound.values]
    totals = {r: sum(1 for row in table if row.checks[r] is not None) for r in CheckRound.values}
    base = filter_query(request.GET)
    return render(request, "warnings/points_checks.html", {
        "section": "warnings", "form": form, "year": year, "years": list(range(today.year, today.year - 5, -1)),
        "missing": missing, "table": table, "page": page, "paginator": paginator,
        "rounds": [(value, label, queries.check_due_on(year, value), totals[value])
                   for value, label in CheckRound.choices],
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": f"{base}&page=" if base else "page=",
    })
