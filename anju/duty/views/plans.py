"""The pages of contingency plans and drills: the plans library with its filters, a plan's page
with its versions, reviews and drills and exactly the actions its user may take now, the forms
of a plan, and a drill's page with its improvements."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anju.duty import plans_access as access
from anju.duty import plans_queries
from anju.duty.plans_forms import (
    DRILL_FORMS,
    PLAN_FORMS,
    DoneForm,
    PlanFilterForm,
    PlanForm,
)
from anju.lib.workdays import local_date
from anju.web.access import staff_required
from anju.web.views.workbench import CappedPaginator, filter_query

PAGE_SIZE = 50
SECTION = "plans"


def _today():
    return local_date(timezone.now())


def _flag(plan_rows, today) -> list:
    """Each plan with its flags for the page: review overdue or due soon, not drilled."""
    for plan in plan_rows:
        plan.flag_review_overdue = plan.review_overdue(today)
        plan.flag_review_soon = plan.review_due_soon(today)
        plan.flag_not_drilled = plan.not_drilled(today)
    return plan_rows


@staff_required
def library(request):
    form = PlanFilterForm(data=request.GET)
    context = {"section": SECTION, "form": form, "page": None, "can_add": access.may_keep_any(request.user)}
    if not form.is_valid():
        return render(request, "duty/plan_list.html", context, status=400)
    today = _today()
    rows = plans_queries.plans_for(request.user, form.filters(), today=today)
    paginator = CappedPaginator(rows, PAGE_SIZE)
    page = paginator.get_page(form.cleaned_data.get("page") or 1)
    base = filter_query(request.GET)
    _flag(page.object_list, today)
    context.update({
        "page": page, "paginator": paginator, "today": today,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": f"{base}&page=" if base else "page=",
        "filtered": bool(filter_query(request.GET, drop=("page",))),
    })
    return render(request, "duty/plan_list.html", context)


def _plan_context(request, plan, forms=None) -> dict:
    today = _today()
    _flag([plan], today)
    actions = access.plan_actions(request.user, plan)
    forms = forms or {}
    action_forms = [forms.get(slug) or PLAN_FORMS[slug](prefix=slug) for slug in PLAN_FORMS if slug in actions]
    drills = list(plan.drills.order_by("-scheduled_on", "-id"))
    return {
        "section": SECTION, "plan": plan, "today": today, "actions": actions, "action_forms": action_forms,
        "versions": list(plan.versions.select_related("recorded_by")),
        "reviews": list(plan.reviews.select_related("recorded_by")), "drills": drills,
    }


@staff_required
def plan_detail(request, plan_id):
    plan = access.get_plan_for(request.user, plan_id)
    return render(request, "duty/plan_detail.html", _plan_context(request, plan))


@require_POST
@staff_required
def plan_act(request, plan_id, action):
    plan = access.get_plan_for(request.user, plan_id)
    form_class = PLAN_FORMS.get(action)
    if form_class is None:
        raise Http404
    if action not in access.plan_actions(request.user, plan):
        if not access.can_keep(request.user, plan):
            raise PermissionDenied
        messages.error(request, _("This cannot be done now."))
        return redirect("duty:plan_detail", plan_id=plan.pk)
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        done = form.run(request.user, plan)
        if done is not None:
            messages.success(request, _("Saved."))
            if action == "plan_drill":
                return redirect("duty:drill_detail", drill_id=done.pk)
            return redirect("duty:plan_detail", plan_id=plan.pk)
    plan = access.get_plan_for(request.user, plan_id)
    return render(request, "duty/plan_detail.html", _plan_context(request, plan, {action: form}), status=400)


def _render_plan_form(request, form, plan=None, status=200):
    return render(request, "duty/plan_form.html", {"section": SECTION, "form": form, "plan": plan}, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def plan_new(request):
    if not access.may_keep_any(request.user):
        raise Http404
    offices = access.keepable_offices(request.user)
    if request.method == "GET":
        return _render_plan_form(request, PlanForm(offices=offices))
    form = PlanForm(request.POST, offices=offices)
    if form.is_valid():
        plan = form.run(request.user)
        if plan is not None:
            messages.success(request, _("The plan was registered as a draft: %(title)s.") % {"title": plan.title})
            return redirect("duty:plan_detail", plan_id=plan.pk)
    return _render_plan_form(request, form, status=400)


@require_http_methods(["GET", "POST"])
@staff_required
def plan_edit(request, plan_id):
    plan = access.get_plan_for(request.user, plan_id)
    if "update" not in access.plan_actions(request.user, plan):
        raise PermissionDenied
    offices = access.keepable_offices(request.user)
    if request.method == "GET":
        return _render_plan_form(request, PlanForm(initial=PlanForm.initial_of(plan), offices=offices), plan)
    form = PlanForm(request.POST, offices=offices)
    if form.is_valid() and form.run(request.user, plan) is not None:
        messages.success(request, _("The plan was saved."))
        return redirect("duty:plan_detail", plan_id=plan.pk)
    return _render_plan_form(request, form, plan, status=400)


@staff_required
def version_file(request, plan_id, number):
    """The document of a version, for staff to read (every plan is readable by staff)."""
    plan = access.get_plan_for(request.user, plan_id)
    version = plan.versions.filter(number=number).exclude(file="").first()
    if version is None:
        raise Http404
    response = FileResponse(version.file.open("rb"), content_type=version.content_type, as_attachment=True,
                            filename=version.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------- drills


def _drill_context(request, drill, forms=None) -> dict:
    today = _today()
    actions = access.drill_actions(request.user, drill)
    forms = forms or {}
    action_forms = [forms.get(slug) or DRILL_FORMS[slug](prefix=slug) for slug in DRILL_FORMS if slug in actions]
    improvements = list(drill.improvements.select_related("owner"))
    for row in improvements:
        row.overdue = row.is_overdue(today)
        row.can_mark_done = row.done_on is None and access.can_mark_done(request.user, row)
        row.done_form = forms.get(f"done-{row.pk}") or DoneForm(prefix=f"done-{row.pk}")
    return {"section": SECTION, "drill": drill, "plan": drill.plan, "today": today, "action_forms": action_forms,
            "improvements": improvements}


@staff_required
def drill_detail(request, drill_id):
    drill = access.get_drill_for(request.user, drill_id)
    return render(request, "duty/drill_detail.html", _drill_context(request, drill))


@require_POST
@staff_required
def drill_act(request, drill_id, action):
    drill = access.get_drill_for(request.user, drill_id)
    form_class = DRILL_FORMS.get(action)
    if form_class is None:
        raise Http404
    if action not in access.drill_actions(request.user, drill):
        if not access.can_keep(request.user, drill.plan):
            raise PermissionDenied
        messages.error(request, _("This cannot be done now."))
        return redirect("duty:drill_detail", drill_id=drill.pk)
    form = form_class(request.POST, prefix=action)
    if form.is_valid() and form.run(request.user, drill) is not None:
        messages.success(request, _("Saved."))
        return redirect("duty:drill_detail", drill_id=drill.pk)
    drill = access.get_drill_for(request.user, drill_id)
    return render(request, "duty/drill_detail.html", _drill_context(request, drill, {action: form}), status=400)


@require_POST
@staff_required
def improvement_done(request, drill_id, improvement_id):
    drill = access.get_drill_for(request.user, drill_id)
    improvement = access.get_improvement_for(request.user, drill, improvement_id)
    if not access.can_mark_done(request.user, improvement):
        raise PermissionDenied
    key = f"done-{improvement.pk}"
    form = DoneForm(request.POST, prefix=key)
    if form.is_valid() and form.run(request.user, improvement) is not None:
        messages.success(request, _("The improvement was marked done."))
        return redirect("duty:drill_detail", drill_id=drill.pk)
    return render(request, "duty/drill_detail.html", _drill_context(request, drill, {key: form}), status=400)
