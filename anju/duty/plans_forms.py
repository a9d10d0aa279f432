"""The forms of the plans and drills pages: the library's filters, a plan's details, and one
form per action, each knowing the one service it calls (``perform``). A form validates what a
person typed; the service still decides whether the change is allowed now and may refuse with
a ``CaseError`` naming a field, which the view puts next to that field."""

from django import forms
from django.utils.translation import gettext_lazy

from anju.cases.services import CaseError
from anju.duty import plans
from anju.duty.choices import DrillType, PlanKind, PlanStatus, ReviewConclusion
from anju.duty.plans_queries import PlanFilters
from anju.web.fields import date_field, office_choices, text_field, today


class PlanFilterForm(forms.Form):
    """The library's filters, read from the query string."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        help_text=gettext_lazy("Title, number or scope"),
                        widget=forms.TextInput(attrs={"type": "search"}))
    owner = forms.ChoiceField(label=gettext_lazy("Owning office"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=[("", gettext_lazy("Any kind")), *PlanKind.choices])
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("All but retired")), *PlanStatus.choices])
    due_review = forms.BooleanField(label=gettext_lazy("Review due or overdue"), required=False)
    not_drilled = forms.BooleanField(label=gettext_lazy("Not drilled within its period"), required=False)
    page = forms.IntegerField(label=gettext_lazy("Page"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = office_choices(empty_label=gettext_lazy("Any office"))

    def filters(self) -> PlanFilters:
        c = self.cleaned_data
        return PlanFilters(owner=c.get("owner") or "", kind=c.get("kind") or "", status=c.get("status") or "",
                           due_review=bool(c.get("due_review")), not_drilled=bool(c.get("not_drilled")),
                           text=c.get("q") or "")


class ServiceForm(forms.Form):
    """A form whose ``perform`` calls one service; a refusal naming one of its fields is shown
    next to that field, any other above the form."""

    def add_case_error(self, error: CaseError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)

    def run(self, *args):
        """``perform`` with the cleaned data; None (and the error on the form) when refused."""
        try:
            return self.perform(*args)
        except CaseError as error:
            if error.status == 403:
                raise
            self.add_case_error(error)
            return None

    def perform(self, *args):
        raise NotImplementedError


class PlanForm(ServiceForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    number = forms.CharField(label=gettext_lazy("Plan number"), max_length=60, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PlanKind.choices)
    owner = forms.ChoiceField(label=gettext_lazy("Owning office"))
    scope = text_field(gettext_lazy("Scope (适用范围)"), max_length=2000)
    review_period_months = forms.IntegerField(
        label=gettext_lazy("Review every (months)"), min_value=1, max_value=plans.MAX_PERIOD_MONTHS, required=False,
        help_text=gettext_lazy("36 when empty: a plan is reviewed at least every 3 years (原则上每3年评估一次)."))
    drill_period_months = forms.IntegerField(
        label=gettext_lazy("Drill at least every (months)"), min_value=1, max_value=plans.MAX_PERIOD_MONTHS,
        required=False, help_text=gettext_lazy("When empty: 36 months, 12 for a grassroots or unit plan."))

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", gettext_lazy("Choose an office"))] + \
            [(o.code, o.name) for o in offices]

    @staticmethod
    def initial_of(plan) -> dict:
        return {"title": plan.title, "number": plan.number, "kind": plan.kind, "owner": plan.owner.code,
                "scope": plan.scope, "review_period_months": plan.review_period_months,
                "drill_period_months": plan.drill_period_months}

    def new_plan(self) -> plans.NewPlan:
        c = self.cleaned_data
        return plans.NewPlan(title=c["title"], number=c["number"], kind=c["kind"], owner=c["owner"],
                             scope=c["scope"], review_period_months=c.get("review_period_months"),
                             drill_period_months=c.get("drill_period_months"))

    def perform(self, user, plan=None):
        if plan is None:
            return plans.create_plan(user, self.new_plan())
        return plans.update_plan(user, plan, self.new_plan())


class VersionForm(ServiceForm):
    slug, title = "approve_version", gettext_lazy("Record an approved version (印发)")
    approved_on = date_field(gettext_lazy("Approved on"))
    approved_by = forms.CharField(label=gettext_lazy("Approving body"), max_length=200,
                                  help_text=gettext_lazy("e.g. 县人民政府, 县应急管理局"))
    changes = text_field(gettext_lazy("Summary of changes"), required=False, max_length=4000)
    file = forms.FileField(label=gettext_lazy("Document (PDF or Word)"), required=False)

    def perform(self, user, plan):
        c = self.cleaned_data
        return plans.approve_version(user, plan, plans.NewVersion(c["approved_on"], c["approved_by"], c["changes"]),
                                     upload=c.get("file"))


class ReviewForm(ServiceForm):
    slug, title = "review", gettext_lazy("Record a review (评估)")
    reviewed_on = date_field(gettext_lazy("Reviewed on"))
    conclusion = forms.ChoiceField(label=gettext_lazy("Conclusion"), choices=ReviewConclusion.choices,
                                   widget=forms.RadioSelect)
    note = text_field(gettext_lazy("Findings"), required=False, max_length=4000,
                      help_text=gettext_lazy("Required when the plan must be revised."))

    def perform(self, user, plan):
        c = self.cleaned_data
        return plans.record_review(user, plan, reviewed_on=c["reviewed_on"], conclusion=c["conclusion"],
                                   note=c["note"])


class DrillForm(ServiceForm):
    slug, title = "plan_drill", gettext_lazy("Plan a drill (演练)")
    drill_type = forms.ChoiceField(label=gettext_lazy("Type"), choices=DrillType.choices)
    drill_title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    scheduled_on = date_field(gettext_lazy("Planned for"))
    field_map = {"title": "drill_title"}

    def add_case_error(self, error: CaseError) -> None:
        error.field = self.field_map.get(error.field, error.field)
        super().add_case_error(error)

    def perform(self, user, plan):
        c = self.cleaned_data
        return plans.plan_drill(user, plans.NewDrill(plan=plan.pk, drill_type=c["drill_type"], title=c["drill_title"],
                                                     scheduled_on=c["scheduled_on"]))


class RetireForm(ServiceForm):
    slug, title = "retire", gettext_lazy("Retire the plan (废止)")
    reason = forms.CharField(label=gettext_lazy("Why it is retired"), max_length=500)
    confirm = forms.BooleanField(label=gettext_lazy("Yes, retire this plan; its planned drills are cancelled."))

    def perform(self, user, plan):
        return plans.retire_plan(user, plan, reason=self.cleaned_data["reason"])


PLAN_FORMS = {form.slug: form for form in (VersionForm, ReviewForm, DrillForm, RetireForm)}


class HoldForm(ServiceForm):
    slug, title = "hold", gettext_lazy("Record the drill as held")
    held_on = date_field(gettext_lazy("Held on"))
    units = text_field(gettext_lazy("Participating units"), max_length=2000, rows=2,
                       help_text=gettext_lazy("Units only, no names of persons."))
    head_count = forms.IntegerField(label=gettext_lazy("Participants (head count)"), min_value=1,
                                    max_value=plans.MAX_HEAD_COUNT)
    findings = text_field(gettext_lazy("Findings"), required=False, max_length=4000)

    def perform(self, user, drill):
        c = self.cleaned_data
        return plans.hold_drill(user, drill, held_on=c["held_on"], units=c["units"], head_count=c["head_count"],
                                findings=c["findings"])


class CancelForm(ServiceForm):
    slug, title = "cancel", gettext_lazy("Cancel the drill")
    reason = forms.CharField(label=gettext_lazy("Why it is cancelled"), max_length=500)

    def perform(self, user, drill):
        return plans.cancel_drill(user, drill, reason=self.cleaned_data["reason"])


class ImprovementForm(ServiceForm):
    slug, title = "add_improvement", gettext_lazy("Add an improvement (整改事项)")
    text = forms.CharField(label=gettext_lazy("What to improve"), max_length=500)
    owner = forms.ChoiceField(label=gettext_lazy("Responsible office"))
    due_on = date_field(gettext_lazy("Due by"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = office_choices()

    def perform(self, user, drill):
        c = self.cleaned_data
        return plans.add_improvement(user, drill, text=c["text"], owner=c["owner"], due_on=c["due_on"])


DRILL_FORMS = {form.slug: form for form in (HoldForm, CancelForm, ImprovementForm)}


class DoneForm(ServiceForm):
    done_on = date_field(gettext_lazy("Done on"))
    note = forms.CharField(label=gettext_lazy("How it was done"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"done_on": today()})
        super().__init__(*args, **kwargs)

    def perform(self, user, improvement):
        c = self.cleaned_data
        return plans.mark_improvement_done(user, improvement, done_on=c["done_on"], note=c["note"])

