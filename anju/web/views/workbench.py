"""The staff workbench: the home page with the user's counters and the filtered case list.

Every count and list starts from the user's scope (``visible_to``), except "waiting for me",
which reads the user's own office directly the way ``queries.inbox`` does, so that it walks the
``case_inbox`` index (docs/benchmarks.md). Deadline counters add the open statuses to their
filter: closed and merged cases have no running deadline anyway, and ``status IN (…) AND
due_at < …`` is a range scan of ``case_status_due``.
"""

from datetime import datetime, timedelta
from functools import cached_property

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.cases.access import visible_to, without_reports_about_own_offices
from anju.cases.choices import IN_OFFICE_STATUSES, OPEN_STATUSES, Status
from anju.cases.models import Case, Category
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import tracking
from anju.people.access import is_global, roles_of
from anju.people.models import Office
from anju.web.access import is_dispatcher, is_staff_member, staff_required

PAGE_SIZE = 50
# The list numbers at most this many matching cases: an exact count of a county's million
# cases costs more than the page itself, and nobody pages through 200 pages.
COUNT_CAP = 10_000
URGENT_LIMIT = 10
DUE_SOON = {"24h": timedelta(hours=24), "3d": timedelta(days=3)}
# Statuses with a running deadline (the clock is paused while waiting for the reporter).
CLOCKED_STATUSES = sorted(OPEN_STATUSES - {Status.WAITING})
LIST_RELATED = ("category", "region", "grid", "office")
# Grid polygons are big and no list shows them.
LIST_DEFERRED = ("region__boundary", "grid__boundary")

# sort value → the columns it orders by (descending with a leading "-").
SORTS = {"submitted": "submitted_at", "due": "due_at", "updated": "updated_at"}
DEFAULT_SORT = "-submitted"


# ---------------------------------------------------------------------------- scopes


def in_hand_statuses(user) -> list[str]:
    """The statuses in which a case is "waiting for" the user's office: being handled, and for
    dispatchers also accepted and waiting to be dispatched (the service centre holds it)."""
    statuses = list(IN_OFFICE_STATUSES)
    if is_dispatcher(user):
        statuses.append(Status.ACCEPTED)
    return statuses


def my_cases(user) -> QuerySet:
    """Cases the user's office has in hand. A role that covers the whole office reads the
    office's cases directly, less the reports of wrongdoing about the offices the user belongs
    to, without the ``created_by OR …`` term of ``visible_to`` that keeps the database from
    using the ``case_inbox`` index (as ``queries.inbox`` does)."""
    if not user.office_id:
        return Case.objects.none()
    whole_office = any(a.office_id == user.office_id and a.region_id is None for a in roles_of(user))
    rows = without_reports_about_own_offices(user, Case.objects.all()) if whole_office else visible_to(user)
    return rows.filter(office_id=user.office_id, status__in=in_hand_statuses(user))


def returned_cases(rows: QuerySet) -> QuerySet:
    """Cases an office sent back to the service centre (退单): accepted again, with the reason."""
    return rows.filter(status=Status.ACCEPTED).exclude(returned_reason="")


def due_between(rows: QuerySet, start: datetime | None, end: datetime | None) -> QuerySet:
    rows = rows.filter(status__in=CLOCKED_STATUSES)
    if start is not None:
        rows = rows.filter(due_at__gte=start)
    if end is not None:
        rows = rows.filter(due_at__lt=end)
    return rows


def townships_for(user) -> QuerySet:
    """The townships the user works in: those inside the regions of the user's roles, and the
    township a village- or grid-level role lies in."""
    townships = Region.objects.filter(level=Level.TOWNSHIP)
    if is_global(user):
        return townships
    paths = []
    office_ids = []
    for assignment in roles_of(user):
        if assignment.region_id:
            paths.append(assignment.region.path)
        elif assignment.office_id:
            office_ids.append(assignment.office_id)
    paths += Office.objects.filter(pk__in=office_ids).values_list("jurisdiction__path", flat=True)
    if not paths:
        return townships.none()
    condition = Q()
    for path in paths:
        codes = [c for c in path.split("/") if c]
        ancestors = ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
        condition |= Q(path__startswith=path) | Q(path__in=ancestors)
    return townships.filter(condition)


def township_names(area_paths) -> dict[str, str]:
    """Township name for each area path, in one query."""
    prefixes = set()
    for path in area_paths:
        codes = [c for c in path.split("/") if c]
        prefixes.update("/".join(codes[: i + 1]) + "/" for i in range(len(codes)))
    townships = Region.objects.filter(level=Level.TOWNSHIP, path__in=prefixes).values_list("path", "name")
    names = {}
    for area in area_paths:
        for path, name in townships:
            if area.startswith(path):
                names[area] = name
                break
    return names


# ---------------------------------------------------------------------------- filters


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "\u3000" * obj.depth + obj.name


class CaseFilterForm(forms.Form):
    """The case list's filters, read from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Words in the text or address, or a tracking code"),
                        widget=forms.TextInput(attrs={"type": "search"}))
    view = forms.ChoiceField(label=_("Show"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any status")), ("open", _("Any open status")), *Status.choices],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=lambda: [("", _("Any kind")), *modules.kind_choices()])
    category = CategoryChoiceField(label=_("Category"), required=False, queryset=Category.objects.all(),
                                   empty_label=_("Any category"))
    township = forms.ModelChoiceField(label=_("Township"), required=False, queryset=Region.objects.none(),
                                      empty_label=_("Any township"))
    office = forms.ModelChoiceField(label=_("Office"), required=False, queryset=Office.objects.all(),
                                    empty_label=_("Any office"))
    due = forms.ChoiceField(
        label=_("Deadline"), required=False,
        choices=[("", _("Any deadline")), ("24h", _("Due within 24 hours")), ("3d", _("Due within 3 days"))],
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"), required=False,
        choices=[("", _("Overdue or not")), ("yes", _("Overdue only")), ("no", _("Not overdue"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, widget=forms.HiddenInput,
        choices=[(f"{sign}{key}", f"{sign}{key}") for key in SORTS for sign in ("", "-")],
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        views = [("", _("All cases in my scope")), ("mine", _("Waiting for me"))]
        if is_dispatcher(user):
            views += [("returned", _("Returned to me")), ("unaccepted", _("Not yet accepted"))]
        self.fields["view"].choices = views
        self.fields["township"].queryset = townships_for(user)


def filter_cases(user, cleaned: dict, *, now: datetime) -> QuerySet:
    """The cases matching a valid filter form, in the user's scope, not yet ordered."""
    view = cleaned.get("view")
    rows = my_cases(user) if view == "mine" else visible_to(user)
    if view == "returned":
        rows = returned_cases(rows)
    elif view == "unaccepted":
        rows = rows.filter(status=Status.SUBMITTED)
    status = cleaned.get("status")
    if status == "open":
        rows = rows.filter(status__in=sorted(OPEN_STATUSES))
    elif status:
        rows = rows.filter(status=status)
    if cleaned.get("kind"):
        rows = rows.filter(kind=cleaned["kind"])
    if cleaned.get("category"):
        subtree = Category.objects.filter(path__startswith=cleaned["category"].path).values("pk")
        rows = rows.filter(category_id__in=subtree)
    if cleaned.get("township"):
        rows = rows.filter(area_path__startswith=cleaned["township"].path)
    if cleaned.get("office"):
        rows = rows.filter(office=cleaned["office"])
    if cleaned.get("due"):
        rows = due_between(rows, now, now + DUE_SOON[cleaned["due"]])
    if cleaned.get("overdue") == "yes":
        rows = due_between(rows, None, now)
    elif cleaned.get("overdue") == "no":
        rows = rows.exclude(due_at__lt=now)
    text = cleaned.get("q")
    if text:
        condition = Q(text__icontains=text) | Q(address__icontains=text)
        code = tracking.normalise(text)
        if code:
            condition |= Q(tracking_code=code)
        rows = rows.filter(condition)
    return rows


def order_cases(rows: QuerySet, sort: str) -> QuerySet:
    sort = sort or DEFAULT_SORT
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    if column != "due_at":
        # Never null: a plain ORDER BY, which PostgreSQL reads from the index backwards
        # (NULLS LAST on a descending sort would not match the index and sort every row).
        return rows.order_by(f"-{column}", "-id") if descending else rows.order_by(column, "id")
    # Cases without a running deadline (closed, paused) come last either way.
    if descending:
        return rows.order_by(F(column).desc(nulls_last=True), "-id")
    return rows.order_by(F(column).asc(nulls_last=True), "id")


def with_list_related(rows: QuerySet) -> QuerySet:
    return rows.select_related(*LIST_RELATED).defer(*LIST_DEFERRED)


def filter_query(querydict, drop=("page",)) -> str:
    """The query string without the given keys (and without empty values)."""
    query = querydict.copy()
    for key in list(query.keys()):
        if key in drop or not any(query.getlist(key)):
            del query[key]
    return query.urlencode()


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP matching cases; ``capped`` tells when there are more."""

    @cached_property
    def exact_count(self) -> int:
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.exact_count, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.exact_count > COUNT_CAP


# ---------------------------------------------------------------------------- pages


def front_door(request):
    """Staff go to their workbench, everyone else to the residents' page."""
    if is_staff_member(request.user):
        return redirect("web:home")
    return redirect("web:report")


def home_tiles(user, now: datetime) -> list[dict]:
    """The counters on the workbench, each with the list filter that shows its cases."""
    scope = visible_to(user)
    tiles = [
        {"key": "mine", "label": _("Waiting for me"), "query": "view=mine&sort=due", "css": "",
         "count": my_cases(user).count()},
        {"key": "due_soon", "label": _("Due within 24 hours"), "query": "due=24h&sort=due", "css": "tile-warn",
         "count": due_between(scope, now, now + DUE_SOON["24h"]).count()},
        {"key": "overdue", "label": _("Overdue"), "query": "overdue=yes&sort=due", "css": "tile-bad",
         "count": due_between(scope, None, now).count()},
    ]
    if is_dispatcher(user):
        tiles += [
            {"key": "returned", "label": _("Returned to me"), "query": "view=returned&sort=due", "css": "tile-info",
             "count": returned_cases(scope).count()},
            {"key": "unaccepted", "label": _("Not yet accepted"), "query": "view=unaccepted&sort=due",
             "css": "tile-info", "count": scope.filter(status=Status.SUBMITTED).count()},
        ]
    base = reverse("web:case_list")
    for tile in tiles:
        tile["url"] = f"{base}?{tile['query']}"
    return tiles


def urgent_cases(user) -> list[Case]:
    """Open cases in the user's scope with the earliest running deadline (overdue first)."""
    rows = visible_to(user).filter(status__in=CLOCKED_STATUSES, due_at__isnull=False)
    return list(with_list_related(rows).order_by("due_at", "id")[:URGENT_LIMIT])


def _annotate_townships(cases):
    names = township_names({c.area_path for c in cases})
    for case in cases:
        case.township_name = names.get(case.area_path, "")
        case.code_display = tracking.display(case.tracking_code)
    return cases


@staff_required
def home(request):
    now = timezone.now()
    urgent = _annotate_townships(urgent_cases(request.user))
    return render(request, "web/workbench/home.html", {
        "section": "home", "now": now, "tiles": home_tiles(request.user, now), "urgent": urgent,
    })


def _sort_columns(request, sort: str) -> dict:
    """For each sortable column: the link that sorts by it (toggling the direction when it is
    the current sort) and its aria-sort state."""
    base = filter_query(request.GET, drop=("page", "sort"))
    current = sort or DEFAULT_SORT
    columns = {}
    for key in SORTS:
        if current.lstrip("-") == key:
            state = "descending" if current.startswith("-") else "ascending"
            target = key if current.startswith("-") else f"-{key}"
        else:
            # Deadlines read soonest first; times newest first.
            state, target = "none", key if key == "due" else f"-{key}"
        query = f"{base}&sort={target}" if base else f"sort={target}"
        columns[key] = {"url": f"?{query}", "state": state}
    return columns


@staff_required
def case_list(request):
    form = CaseFilterForm(request.user, data=request.GET)
    now = timezone.now()
    context = {"section": "cases", "now": now, "form": form, "page": None,
               "export_query": filter_query(request.GET)}
    if not form.is_valid():
        # The list is not shown: one that silently ignored a filter the user believes applied
        # would mislead. The errors stand next to their fields.
        context["hidden_errors"] = [
            f"{form.fields[name].label}: {error}"
            for name in ("sort", "page") for error in form.errors.get(name, [])
        ]
        return render(request, "web/workbench/case_list.html", context, status=400)
    sort = form.cleaned_data.get("sort") or DEFAULT_SORT
    rows = filter_cases(request.user, form.cleaned_data, now=now)
    paginator = CappedPaginator(with_list_related(order_cases(rows, sort)), PAGE_SIZE)
    page = paginator.get_page(form.cleaned_data.get("page") or 1)
    _annotate_townships(page.object_list)
    page_base = filter_query(request.GET)
    context.update({
        "page": page, "paginator": paginator, "sort": sort, "columns": _sort_columns(request, sort),
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": f"{page_base}&page=" if page_base else "page=",
        "filtered": bool(filter_query(request.GET, drop=("page", "sort"))),
    })
    return render(request, "web/workbench/case_list.html", context)


def case_list_url(query: str = "") -> str:
    base = reverse("web:case_list")
    return f"{base}?{query}" if query else base


def redirect_to_list(query: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(case_list_url(query))
