"""The forms of the hazard pages: one per action on a hazard, each knowing the one service it
calls, the rule of which of them a user may take now (``hazard_actions``), and the forms that
filter the lists, keep the sites register, send an inspection and open a campaign.

A form validates what a person typed; the service still decides whether the change is allowed
now and may refuse with a ``CaseError`` naming a field, which the view puts next to that field.
"""

from datetime import date, timedelta

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.cases.choices import Status
from anju.cases.models import Case
from anju.cases.services import CaseError
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.hazards import access, queries, services
from anju.hazards.choices import HazardLevel, HazardStage, ItemResult
from anju.hazards.models import Hazard, Listing, SiteKind
from anju.lib.api import EARLIEST, LATEST
from anju.lib.workdays import LOCAL
from anju.people.choices import OfficeKind
from anju.people.models import Office
from anju.web.action_forms import ActionForm
from anju.web.fields import date_field, office_choices, text_field, today
from anju.web.intake_forms import PhotosField

# A rectification is worked on while the case is with its owner: not after it was answered,
# rejected at intake or merged (``services`` does not look at the case's status itself).
WORKING_STATUSES = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS})
# An order gives a week unless the handler says otherwise.
ORDER_DAYS = 7
# At most this many sites are offered when a reported hazard is linked to one.
SITE_CHOICES = 500


def _confirm_field(label):
    return forms.BooleanField(label=label, required=False)


class HazardActionForm(ActionForm):
    """One action on one hazard by one user; subclasses set the texts and ``perform``."""

    # Set on the steps that cannot be undone: a box to tick (works without JavaScript).
    confirm_label = ""
    # The service's field names that differ from the form's.
    field_map: dict[str, str] = {}

    def __init__(self, data=None, *, case: Case, hazard: Hazard | None, user, **kwargs):
        super().__init__(data, case=case, user=user, **kwargs)
        self.hazard = hazard
        if self.confirm_label:
            self.fields["confirm"] = _confirm_field(self.confirm_label)

    def clean(self):
        cleaned = super().clean()
        if self.confirm_label and not cleaned.get("confirm"):
            self.add_error("confirm", _("Tick this box to confirm; this cannot be undone."))
        return cleaned

    def add_case_error(self, error: CaseError) -> None:
        """The service's refusal next to the field it names, or above the form."""
        name = self.field_map.get(error.field or "", error.field)
        field = self.fields.get(name) if name else None
        self.add_error(name if field is not None and not field.widget.is_hidden else None, error.message)

    def refuse(self, message: str) -> None:
        """Refused before the fields were read (the action is not open to this user now): only
        this message is shown, not what the fields would have said."""
        self.cleaned_data = {}
        self._errors = ErrorDict()
        self.add_error(None, message)


# ---------------------------------------------------------------------------- linking and ordering


class LinkSiteForm(HazardActionForm):
    slug = "link_site"
    title = gettext_lazy("Link to a site")
    intro = gettext_lazy("A hazard reported by a resident, a grid worker or through Open311 becomes the hazard "
                         "record of a site. Not in the register yet? Register the site first.")
    submit_label = gettext_lazy("Link")
    success_message = gettext_lazy("The hazard was linked to its site.")
    site = forms.TypedChoiceField(label=gettext_lazy("Site"), coerce=int)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=HazardLevel.choices, initial=HazardLevel.GENERAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        township = "/".join(self.case.area_path.split("/")[:2]) + "/" if self.case.area_path.count("/") >= 2 else ""
        near, far = [], []
        rows = access.visible_sites(self.user).filter(is_active=True).select_related("kind")
        for site in rows.order_by("area_path", "name", "id")[:SITE_CHOICES]:
            choice = (site.pk, f"{site.name} · {site.kind.name} · {site.address}")
            (near if township and site.area_path.startswith(township) else far).append(choice)
        choices = [("", "---------")]
        if near:
            choices.append((_("In this township"), near))
        if far:
            choices.append((_("Elsewhere") if near else _("Sites"), far))
        self.fields["site"].choices = choices

    def perform(self):
        services.link_site(self.user, self.case, site_id=self.cleaned_data["site"], level=self.cleaned_data["level"])


class OrderForm(HazardActionForm):
    slug = "order"
    title = gettext_lazy("Issue the rectification order (整改通知书)")
    intro = gettext_lazy("The order goes to the unit on paper and by SMS. Its day to rectify by becomes the "
                         "hazard's deadline; the re-inspection is due within 5 working days after it.")
    submit_label = gettext_lazy("Issue the order")
    success_message = gettext_lazy("The rectification order was issued.")
    measures = text_field(gettext_lazy("Measures required"), max_length=5000, rows=4)
    due_on = date_field(gettext_lazy("Rectify by"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["due_on"] = today() + timedelta(days=ORDER_DAYS)

    def perform(self):
        services.issue_order(self.user, self.case, measures=self.cleaned_data["measures"],
                             due_on=self.cleaned_data["due_on"])


class WorkStoppedForm(HazardActionForm):
    slug = "work_stopped"
    title = gettext_lazy("Record that the affected work stopped (停止作业)")
    intro = gettext_lazy("A major hazard: the unit stops the affected work before the order.")
    submit_label = gettext_lazy("Record")
    success_message = gettext_lazy("The stop of the affected work was recorded.")
    stopped_on = date_field(gettext_lazy("Stopped on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = self.hazard.work_stopped_on if self.hazard is not None else None
        self.initial["stopped_on"] = recorded or today()
        if recorded:
            self.title = _("Correct the day the affected work stopped")

    def perform(self):
        services.record_work_stopped(self.user, self.case, stopped_on=self.cleaned_data["stopped_on"])


class PlanForm(HazardActionForm):
    """The six parts of a major hazard's rectification plan, as the unit submitted it."""

    slug = "plan"
    title = gettext_lazy("Record the rectification plan (整改方案)")
    intro = gettext_lazy("The unit's plan for a major hazard, with each of the six parts the rules ask for. "
                         "Saving again replaces it.")
    submit_label = gettext_lazy("Save the plan")
    success_message = gettext_lazy("The rectification plan was recorded.")
    goals = text_field(gettext_lazy("Goals and tasks"), max_length=3000, rows=2)
    methods = text_field(gettext_lazy("Methods and measures"), max_length=3000, rows=2)
    resources = text_field(gettext_lazy("Money and materials"), max_length=3000, rows=2)
    responsible = text_field(gettext_lazy("Responsible body and people"), max_length=3000, rows=2)
    timeline = text_field(gettext_lazy("Time limit and requirements"), max_length=3000, rows=2)
    safety = text_field(gettext_lazy("Safety measures and emergency plan"), max_length=3000, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.hazard is not None and self.hazard.has_plan:
            for part in services.PLAN_PARTS:
                self.initial[part] = getattr(self.hazard, f"plan_{part}")

    def perform(self):
        services.record_plan(self.user, self.case, services.PlanText(
            **{part: self.cleaned_data[part] for part in services.PLAN_PARTS}))


class RectifiedForm(HazardActionForm):
    slug = "rectified"
    title = gettext_lazy("The unit reports the rectification done")
    intro = gettext_lazy("The hazard waits for its re-inspection; the deadline becomes the re-inspection's.")
    submit_label = gettext_lazy("Record")
    success_message = gettext_lazy("The rectification was reported done; the re-inspection is due.")
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)

    def perform(self):
        services.report_rectified(self.user, self.case, note=self.cleaned_data["note"])


class ReinspectPassForm(HazardActionForm):
    slug = "reinspect_pass"
    title = gettext_lazy("Re-inspection passed: close the hazard (销号)")
    intro = gettext_lazy("With the evidence seen on site. The case is answered and the hazard leaves the ledger "
                         "of open hazards.")
    submit_label = gettext_lazy("Close the hazard")
    danger = True
    success_message = gettext_lazy("The re-inspection passed; the hazard is closed (销号).")
    confirm_label = gettext_lazy("Yes: the rectification passed and the hazard is closed.")
    evidence = text_field(gettext_lazy("Evidence seen"), max_length=3000, rows=3)

    def perform(self):
        services.reinspect(self.user, self.case, passed=True, evidence=self.cleaned_data["evidence"])


class ReinspectFailForm(HazardActionForm):
    slug = "reinspect_fail"
    title = gettext_lazy("Re-inspection failed: a new round of rectification")
    intro = gettext_lazy("A new order with new measures and a new day inside the same hazard; the supervisors "
                         "of the township and the county are told.")
    submit_label = gettext_lazy("Record the failure and order again")
    danger = True
    success_message = gettext_lazy("The re-inspection failed; a new rectification order was issued.")
    confirm_label = gettext_lazy("Yes: the rectification failed, and the supervisors are told.")
    field_map = {"due_on": "new_due_on"}
    evidence = text_field(gettext_lazy("What the re-inspection found"), max_length=3000, rows=3)
    measures = text_field(gettext_lazy("Measures required"), max_length=5000, rows=3)
    new_due_on = date_field(gettext_lazy("Rectify by"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["new_due_on"] = today() + timedelta(days=ORDER_DAYS)

    def perform(self):
        c = self.cleaned_data
        services.reinspect(self.user, self.case, passed=False, evidence=c["evidence"], new_due_on=c["new_due_on"],
                           measures=c["measures"])


# ---------------------------------------------------------------------------- listed supervision


class ListForm(HazardActionForm):
    slug = "list"
    title = gettext_lazy("List for supervision (挂牌督办)")
    intro = gettext_lazy("The county lists a major hazard: who answers for it and by when.")
    submit_label = gettext_lazy("List")
    success_message = gettext_lazy("The hazard is listed for supervision.")
    owner = forms.ChoiceField(label=gettext_lazy("Answers for it"))
    due_on = date_field(gettext_lazy("Rectified by"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = office_choices()
        if self.case.office_id:
            self.initial["owner"] = self.case.office.code

    def perform(self):
        services.list_hazard(self.user, self.case, owner=self.cleaned_data["owner"],
                             due_on=self.cleaned_data["due_on"])


class ProgressForm(HazardActionForm):
    slug = "progress"
    title = gettext_lazy("Record this week's progress")
    submit_label = gettext_lazy("Record")
    success_message = gettext_lazy("The progress was recorded.")
    note = text_field(gettext_lazy("Progress"), max_length=2000, rows=3)
    week_of = date_field(gettext_lazy("Week of"), required=False,
                         help_text=gettext_lazy("Leave empty for this week; one entry a week."))

    def perform(self):
        services.record_progress(self.user, self.case, note=self.cleaned_data["note"],
                                 week_of=self.cleaned_data["week_of"])


class DelistForm(HazardActionForm):
    slug = "delist"
    title = gettext_lazy("Delist (摘牌) on acceptance")
    intro = gettext_lazy("Once the hazard was closed, with the record of its acceptance (验收).")
    submit_label = gettext_lazy("Delist")
    danger = True
    success_message = gettext_lazy("The hazard was delisted.")
    confirm_label = gettext_lazy("Yes: the hazard was accepted and leaves listed supervision.")
    acceptance = text_field(gettext_lazy("Acceptance record (验收)"), max_length=3000, rows=3)

    def perform(self):
        services.delist(self.user, self.case, acceptance=self.cleaned_data["acceptance"])


class IncidentForm(HazardActionForm):
    slug = "incident"
    title = gettext_lazy("Report an incident (突发事件) from it")
    intro = gettext_lazy("The hazard is turning into an accident: the duty office receives it as an incident "
                         "linked to this hazard, and its reports are owed from now.")
    submit_label = gettext_lazy("Report the incident")
    success_message = gettext_lazy("The incident was reported; the duty office owes its first report now.")
    # The grades of incidents (the duty module's codes; no module imports another).
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), initial="general", choices=[
        ("general", gettext_lazy("General (一般)")), ("larger", gettext_lazy("Larger (较大)")),
        ("major", gettext_lazy("Major (重大)")), ("gravest", gettext_lazy("Especially major (特别重大)"))])
    text = text_field(gettext_lazy("What happened"), max_length=5000, rows=3)
    occurred_at = forms.DateTimeField(label=gettext_lazy("Happened at"), input_formats=["%Y-%m-%dT%H:%M"],
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                 format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            site = self.hazard.site if self.hazard is not None and self.hazard.site_id else None
            self.initial.update({"occurred_at": timezone.localtime().replace(second=0, microsecond=0),
                                 "text": f"{site.name}（{site.address}）：" if site else ""})

    def perform(self):
        c = self.cleaned_data
        occurred = c["occurred_at"]
        if timezone.is_naive(occurred):
            occurred = occurred.replace(tzinfo=LOCAL)
        services.open_incident(self.user, self.case, grade=c["grade"], text=c["text"], occurred_at=occurred)


FORMS: dict[str, type[HazardActionForm]] = {
    form.slug: form
    for form in (LinkSiteForm, WorkStoppedForm, PlanForm, OrderForm, RectifiedForm, ReinspectPassForm,
                 ReinspectFailForm, ListForm, ProgressForm, DelistForm, IncidentForm)
}


def _handles_or_supervises(user, case: Case) -> bool:
    return access.can_list(user, case) or access.can_handle(user, case)


# Who may take each action at all, whatever the stage: the services' own checks.
RIGHTS = {
    "link_site": access.can_link, "work_stopped": access.can_handle, "plan": access.can_handle,
    "order": access.can_handle, "rectified": access.can_handle, "reinspect_pass": access.can_reinspect,
    "reinspect_fail": access.can_reinspect, "list": access.can_list, "progress": _handles_or_supervises,
    "delist": access.can_list, "incident": _handles_or_supervises,
}
# The forms of an action of ``queries.hazard_actions``: a re-inspection passes or fails.
FORMS_OF_ACTION = {"reinspect": ("reinspect_pass", "reinspect_fail")}
# What may still be done once the case is no longer being worked on (answered, or rejected at
# intake): the listed supervision's progress and its delisting.
AFTER_WORK = frozenset({"progress", "delist"})


def listing_of(hazard: Hazard | None) -> Listing | None:
    if hazard is None:
        return None
    return Listing.objects.filter(hazard=hazard).select_related("owner").first()


def hazard_actions(user, case: Case, hazard: Hazard | None) -> list[str]:
    """The forms of the actions ``user`` may take on the hazard ``case`` now, in the order of the
    loop: those of ``queries.hazard_actions`` (the one rule the page and the API share), less
    the rectification of a case no longer being worked on, which the services do not check."""
    allowed = set(queries.hazard_actions(user, case, hazard))
    if case.status not in WORKING_STATUSES:
        allowed &= AFTER_WORK
    slugs = {slug for action in allowed for slug in FORMS_OF_ACTION.get(action, (action,))}
    return [slug for slug in FORMS if slug in slugs]


def refusal(user, case: Case, hazard: Hazard | None, slug: str) -> tuple[int, str] | None:
    """Why ``user`` may not take ``slug`` now (an HTTP status and the words), or None."""
    if not RIGHTS[slug](user, case):
        return 403, _("You may not do this.")
    if slug not in hazard_actions(user, case, hazard):
        return 409, _("This is not possible at this point of the hazard's rectification. The page shows what "
                      "can be done now.")
    return None


# ---------------------------------------------------------------------------- lists


def kind_choices(empty_label) -> list:
    """Active site kinds in tree order, indented by depth."""
    return [("", empty_label)] + [
        (k.code, "\u3000" * k.depth + k.name) for k in SiteKind.objects.filter(is_active=True).order_by("path")]


def department_choices(empty_label) -> list:
    """The county departments that supervise sites (行业)."""
    rows = Office.objects.filter(is_active=True, kind=OfficeKind.DEPARTMENT).order_by("code")
    return [("", empty_label)] + [(o.code, o.name) for o in rows]


class HazardFilterForm(forms.Form):
    """The hazard list's filters, read from the query string."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        help_text=gettext_lazy("Words of what was found, or the site's name"),
                        widget=forms.TextInput(attrs={"type": "search"}))
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), required=False,
                              choices=[("", gettext_lazy("Any stage")), *HazardStage.choices])
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False,
                              choices=[("", gettext_lazy("Any hazard level")), *HazardLevel.choices])
    township = forms.ModelChoiceField(label=gettext_lazy("Township"), required=False,
                                      queryset=Region.objects.none(), empty_label=gettext_lazy("Any township"))
    kind = forms.ChoiceField(label=gettext_lazy("Site kind"), required=False)
    department = forms.ChoiceField(label=gettext_lazy("Owning office"), required=False)
    page = forms.IntegerField(label=gettext_lazy("Page"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, townships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["kind"].choices = kind_choices(_("Any site kind"))
        self.fields["department"].choices = office_choices(empty_label=_("Any office"))


class LedgerFilterForm(forms.Form):
    """The ledger's scope, read from the query string by its page and its workbook alike: a
    township and an owning office by their codes, and the days the hazards were found."""

    township = forms.ChoiceField(label=gettext_lazy("Township"), required=False,
                                 error_messages={"invalid_choice": gettext_lazy("Unknown township or street.")})
    department = forms.ChoiceField(label=gettext_lazy("Owning office"), required=False,
                                   error_messages={"invalid_choice": gettext_lazy("Unknown office.")})
    since = forms.CharField(label=gettext_lazy("Found from"), required=False, max_length=10,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.CharField(label=gettext_lazy("Found until"), required=False, max_length=10,
                            widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(label=gettext_lazy("Page"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        townships = Region.objects.filter(level=Level.TOWNSHIP).order_by("code").values_list("code", "name")
        self.fields["township"].choices = [("", _("The whole county")), *townships]
        self.fields["department"].choices = office_choices(empty_label=_("Any office"))

    def _day(self, name: str) -> date | None:
        value = self.cleaned_data.get(name) or ""
        if not value:
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("%(name)s must be a date written as YYYY-MM-DD.") % {"name": name},
                                        code="invalid") from None
        if not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(_("%(field)s must be between %(low)s and %(high)s.") % {
                "field": name, "low": EARLIEST, "high": LATEST}, code="invalid")
        return day

    def clean_since(self):
        return self._day("since")

    def clean_until(self):
        return self._day("until")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The period must not end before it starts."))
        return data


class SiteFilterForm(forms.Form):
    """The sites list's filters, read from the query string (the map reads the same)."""

    ACTIVE, RETIRED = "active", "retired"
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        help_text=gettext_lazy("Name, address or responsible unit"),
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=gettext_lazy("Site kind"), required=False)
    township = forms.ModelChoiceField(label=gettext_lazy("Township"), required=False,
                                      queryset=Region.objects.none(), empty_label=gettext_lazy("Any township"))
    department = forms.ChoiceField(label=gettext_lazy("Supervising department"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("In use"), required=False,
                               choices=[("", gettext_lazy("Sites in use")), (RETIRED, gettext_lazy("Retired sites"))])
    page = forms.IntegerField(label=gettext_lazy("Page"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, townships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["kind"].choices = kind_choices(_("Any site kind"))
        self.fields["department"].choices = department_choices(_("Any department"))


# ---------------------------------------------------------------------------- the sites register


class SiteForm(forms.Form):
    """A site of the register; the point (picked on the map or typed) finds its grid."""

    kind = forms.ChoiceField(label=gettext_lazy("Site kind"))
    name = forms.CharField(label=gettext_lazy("Site name"), max_length=200)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300)
    lat = forms.FloatField(label=gettext_lazy("Latitude"), min_value=-90, max_value=90,
                           widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    lng = forms.FloatField(label=gettext_lazy("Longitude"), min_value=-180, max_value=180,
                           widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    unit = forms.CharField(label=gettext_lazy("Responsible unit"), max_length=200)
    contact_name = forms.CharField(label=gettext_lazy("Responsible person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Their phone"), max_length=30, required=False,
                                    widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    department = forms.ChoiceField(label=gettext_lazy("Supervising department (行业)"), required=False)
    risk_notes = text_field(gettext_lazy("Risk notes"), required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices("---------")
        self.fields["department"].choices = department_choices(_("None"))
        for name in ("lat", "lng"):
            self.fields[name].error_messages["required"] = _("Pick the point on the map, or type it.")

    @classmethod
    def initial_of(cls, site) -> dict:
        initial = {name: getattr(site, name) for name in ("name", "address", "lat", "lng", "unit", "contact_name",
                                                          "contact_phone", "risk_notes")}
        initial["kind"] = site.kind.code
        initial["department"] = site.department.code if site.department_id else ""
        return initial

    def new_site(self) -> services.NewSite:
        c = self.cleaned_data
        return services.NewSite(kind=c["kind"], name=c["name"], address=c["address"], lat=c["lat"], lng=c["lng"],
                                unit=c["unit"], contact_name=c["contact_name"], contact_phone=c["contact_phone"],
                                department=c["department"], risk_notes=c["risk_notes"])

    def add_case_error(self, error: CaseError) -> None:
        name = error.field if error.field in self.fields else None
        self.add_error(name, error.message)


# ---------------------------------------------------------------------------- inspections


class InspectionForm(forms.Form):
    """A checklist filled item by item (each with its result, a note, and a level for a hazard),
    photos and the inspector's signature, sent once: the Idempotency-Key is made when the page is
    served and sent with the form, so a second tap stores nothing more."""

    signed_as = forms.CharField(label=gettext_lazy("Signed by the inspector"), max_length=50,
                                help_text=gettext_lazy("Your name as you sign the record."))
    note = text_field(gettext_lazy("Note on the whole inspection"), required=False, rows=2)
    photos = PhotosField(label=gettext_lazy("Photos"), help_text=gettext_lazy(
        "JPEG, PNG, GIF, WebP or PDF, up to 10 files. On a phone this opens the camera."))
    campaign = forms.TypedChoiceField(label=gettext_lazy("For the campaign"), required=False, coerce=int,
                                      empty_value=None)
    template = forms.IntegerField(widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args, items, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[self.name_of(item.number, "result")] = forms.ChoiceField(
                label=item.text, widget=forms.RadioSelect, choices=ItemResult.choices,
                error_messages={"required": _("Choose a result for this item.")})
            self.fields[self.name_of(item.number, "note")] = forms.CharField(
                label=_("Note"), required=False, max_length=500,
                help_text=_("Needed for a hazard: what you found, where."))
            self.fields[self.name_of(item.number, "level")] = forms.ChoiceField(
                label=_("Level"), choices=HazardLevel.choices, initial=HazardLevel.GENERAL)
        self.fields["campaign"].choices = [("", _("None"))] + [(c.pk, c.title) for c in campaigns]
        if not campaigns:
            self.fields["campaign"].widget = forms.HiddenInput()

    @staticmethod
    def name_of(number: int, part: str) -> str:
        return f"item_{number}_{part}"

    def rows(self) -> list[dict]:
        """Each item with its bound fields, for the template."""
        return [{"item": item, "result": self[self.name_of(item.number, "result")],
                 "note": self[self.name_of(item.number, "note")], "level": self[self.name_of(item.number, "level")]}
                for item in self.items]

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            result = cleaned.get(self.name_of(item.number, "result"))
            note = (cleaned.get(self.name_of(item.number, "note")) or "").strip()
            if result == ItemResult.HAZARD and not note and self.name_of(item.number, "note") not in self.errors:
                self.add_error(self.name_of(item.number, "note"), _("Say what was found."))
        if not cleaned.get("idempotency_key"):
            self.add_error(None, _("The form was not sent whole. Please send it again."))
        return cleaned

    def answers(self) -> list[services.Answer]:
        c = self.cleaned_data
        return [services.Answer(item=item.number, result=c[self.name_of(item.number, "result")],
                                note=c[self.name_of(item.number, "note")],
                                level=c[self.name_of(item.number, "level")])
                for item in self.items]

    def new_inspection(self, site) -> services.NewInspection:
        c = self.cleaned_data
        return services.NewInspection(site=site.pk, answers=self.answers(), signed_as=c["signed_as"],
                                      template=c["template"], campaign=c["campaign"], note=c["note"],
                                      photos=c["photos"])

    def add_case_error(self, error: CaseError) -> None:
        """``answers.1.note`` names the second item's note; ``file`` the photos."""
        field = error.field or ""
        parts = field.split(".")
        if parts[0] == "answers" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(self.items):
            name = self.name_of(self.items[int(parts[1])].number, parts[2])
            if name in self.fields:
                self.add_error(name, error.message)
                return
        name = {"file": "photos"}.get(field, field)
        field_ = self.fields.get(name)
        self.add_error(name if field_ is not None and not field_.widget.is_hidden else None, error.message)


# ---------------------------------------------------------------------------- campaigns


class CampaignForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200,
                            help_text=gettext_lazy("For example: 汛期前非煤矿山安全隐患排查."))
    kind = forms.ChoiceField(label=gettext_lazy("Site kind"),
                             help_text=gettext_lazy("Sites of this kind and of the kinds under it are owed an "
                                                    "inspection."))
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    starts_on = date_field(gettext_lazy("From"))
    ends_on = date_field(gettext_lazy("Until"))

    def __init__(self, regions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices("---------")
        self.fields["region"].choices = [("", "---------")] + [
            (r.code, "\u00a0\u00a0" * r.depth + r.name) for r in regions]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The period must not end before it starts."))
        return cleaned

    def add_case_error(self, error: CaseError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)

