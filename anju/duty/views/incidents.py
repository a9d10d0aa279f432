"""The incident pages for staff: the incidents with the report each owes and its time left,
receiving a new one (接报), and an incident's page with its chain of reports (who reported what
when, where each went and who signed for it) and exactly the actions its user may take now."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anju.cases.models import Case
from anju.cases.services import CaseError
from anju.duty import incident_access as access
from anju.duty import incident_queries as queries
from anju.duty import incidents as services
from anju.duty.choices import IncidentGrade, IncidentType
from anju.duty.incident_forms import FORMS, RIGHTS, IncidentForm
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import tracking
from anju.web.access import staff_required
from anju.web.intake_forms import new_idempotency_key
from anju.web.views.workbench import filter_query, township_names, townships_for

PAGE_SIZE = 50


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False, choices=[
        ("", gettext_lazy("Open and closed")), ("open", gettext_lazy("Reporting (open)")),
        ("overdue", gettext_lazy("A report overdue")), ("closed", gettext_lazy("Final report made"))])
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), required=False,
                              choices=[("", gettext_lazy("Any grade")), *IncidentGrade.choices])
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False,
                             choices=[("", gettext_lazy("Any type")), *IncidentType.choices])
    township = forms.ModelChoiceField(label=gettext_lazy("Township"), required=False, queryset=Region.objects.none(),
                                      empty_label=gettext_lazy("Any township"))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, townships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships

    def filters(self) -> queries.IncidentFilters:
        c = self.cleaned_data
        state = c.get("state")
        return queries.IncidentFilters(
            open={"open": True, "overdue": True, "closed": False}.get(state),
            overdue=True if state == "overdue" else None,
            grade=c.get("grade") or "", type=c.get("type") or "",
            township=c["township"].code if c.get("township") else "", text=c.get("q") or "")


def _annotate(cases) -> list:
    names = township_names({c.area_path for c in cases})
    for case in cases:
        case.code_display = tracking.display(case.tracking_code)
        case.township_name = names.get(case.area_path, "")
    return cases


@staff_required
def incidents(request):
    user = request.user
    now = timezone.now()
    form = IncidentFilterForm(townships_for(user), data=request.GET)
    context = {"section": "duty", "now": now, "form": form, "page": None,
               "can_open": any(access.can_open(user, o) for o in _offices())}
    if not form.is_valid():
        return render(request, "duty/incidents.html", context, status=400)
    rows = queries.incident_cases_for(user, form.filters(), now)
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(form.cleaned_data.get("page") or 1)
    _annotate(page.object_list)
    base = filter_query(request.GET)
    context.update({
        "page": page, "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": f"{base}&page=" if base else "page=",
        "filtered": bool(filter_query(request.GET, drop=("page",))),
    })
    return render(request, "duty/incidents.html", context)


def _offices():
    from anju.people.models import Office

    return Office.objects.filter(is_active=True).select_related("jurisdiction")


def _regions_for(user) -> list[Region]:
    """The townships and villages in which the user may place an incident."""
    townships = list(townships_for(user).order_by("code"))
    rows = []
    for township in townships:
        rows.append(township)
        rows += list(Region.objects.filter(level=Level.VILLAGE, path__startswith=township.path).order_by("code"))
    return rows


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def incident_new(request):
    user = request.user
    regions = _regions_for(user)
    if request.method == "POST":
        form = IncidentForm(request.POST, user=user, regions=regions)
        if form.is_valid():
            try:
                case, created = services.open_incident(user, form.new_incident(),
                                                       idempotency_key=form.cleaned_data.get("idempotency_key") or "")
            except CaseError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                messages.success(request, _received_message(created))
                return redirect("duty:incident", case_id=case.pk)
        status = 400
    else:
        form = IncidentForm(user=user, regions=regions, initial={"idempotency_key": new_idempotency_key()})
        status = 200
    if not form.fields["office"].choices:
        raise Http404
    return render(request, "duty/incident_form.html", {"section": "duty", "form": form}, status=status)


def _received_message(created: bool) -> str:
    from django.utils.translation import gettext as _

    if created:
        return _("The incident was received; its first report by phone is owed now.")
    return _("The incident was sent more than once and received once.")


def _page(request, case: Case, *, failed=None, status=200):
    user = request.user
    now = timezone.now()
    incident = case.incident
    allowed = queries.incident_actions(user, case, incident)
    action_forms = []
    for slug in allowed:
        if failed is not None and failed.slug == slug:
            action_forms.append(failed)
        else:
            form = FORMS[slug](case=case, incident=incident, user=user)
            if "idempotency_key" in form.fields:
                form.initial["idempotency_key"] = new_idempotency_key()
            action_forms.append(form)
    reports = list(incident.reports.select_related("reported_by").prefetch_related(
        "forwards__to_office", "forwards__forwarded_by", "forwards__received_by"))
    owed, due = services.owed_next(incident, reports)
    context = {
        "section": "duty", "now": now, "case": case, "incident": incident, "reports": reports,
        "code": tracking.display(case.tracking_code), "rule": services.rule_for(incident.grade),
        "upward": services.upward(incident)[1], "overdue": bool(due and due.at < now and incident.is_open),
        "action_forms": action_forms, "allowed": allowed, "failed": failed,
        "failed_elsewhere": failed is not None and failed.slug not in allowed,
    }
    return render(request, "duty/incident.html", context, status=status)


@staff_required
@never_cache
def incident(request, case_id):
    return _page(request, access.get_incident_case_for(request.user, case_id))


@require_POST
@staff_required
@never_cache
def act(request, case_id, action):
    """One action of the incident page, by the one service function it stands for; then back to
    the page, or the page again with the error next to its field."""
    case = access.get_incident_case_for(request.user, case_id)
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404
    incident = case.incident
    form = form_class(request.POST, case=case, incident=incident, user=request.user)
    status = 400
    if not RIGHTS[action](request.user, case) or action not in queries.incident_actions(request.user, case, incident):
        from django.utils.translation import gettext as _

        status = 403 if not RIGHTS[action](request.user, case) else 409
        form.refuse(_("You may not do this.") if status == 403 else
                    _("This is not possible at this point of the incident. The page shows what can be done now."))
    elif form.is_valid():
        try:
            form.perform()
        except CaseError as error:
            form.add_case_error(error)
            status = 403 if error.status == 403 else 400
        else:
            messages.success(request, form.get_success_message())
            return redirect("duty:incident", case_id=case.pk)
    case.refresh_from_db()
    return _page(request, case, failed=form, status=status)
