"""The forms of the warnings' pages: the board's filters, a new warning, one form per action on a
warning (each knowing the one service it calls, ``perform``), the record of a call and a
household's evacuation entry. A form checks what a person typed; the service decides whether the
step is allowed now and may refuse with a ``ServiceError`` naming a field, shown next to it."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from anju.geo.choices import Level as RegionLevel
from anju.geo.models import Region
from anju.lib.errors import ServiceError
from anju.lib.workdays import LOCAL
from anju.warnings import acks, evacuation, lifecycle
from anju.warnings import warnings_access as access
from anju.warnings.choices import EvacuationState, Level, PointType, WarningStatus
from anju.warnings.models import MonitoringPoint, Warning
from anju.warnings.warnings_queries import WarningFilters
from anju.web.fields import text_field

# The duty module's incident grades (its values; the duty module checks them).
INCIDENT_GRADES = [("general", gettext_lazy("General (一般)")), ("larger", gettext_lazy("Larger (较大)")),
                   ("major", gettext_lazy("Major (重大)")), ("gravest", gettext_lazy("Especially major (特别重大)"))]


def moment_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(label=label, required=required, help_text=help_text,
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


def aware(value: datetime | None) -> datetime | None:
    """A moment typed on a page is Beijing time."""
    if value is None:
        return None
    return value.replace(tzinfo=LOCAL) if timezone.is_naive(value) else value


class ServiceForm(forms.Form):
    """A form whose ``perform`` calls one service; a refusal naming one of its fields is shown
    next to that field, any other above the form. A refusal for want of a right (403) is
    raised on."""

    slug = ""
    title = ""
    intro = ""
    submit_label = gettext_lazy("Save")
    danger = False

    def add_service_error(self, error: ServiceError) -> None:
        field = error.field if error.field in self.fields and not self.fields[error.field].widget.is_hidden else None
        self.add_error(field, error.message)

    def run(self, *args):
        """``perform`` with the cleaned data; None (and the error on the form) when refused."""
        try:
            return self.perform(*args)
        except ServiceError as error:
            if error.status == 403:
                raise
            self.add_service_error(error)
            return None

    def perform(self, *args):
        raise NotImplementedError


class WarningFilterForm(forms.Form):
    """The board's filters, read from the query string."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        help_text=gettext_lazy("Headline or description"),
                        widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=[
        ("", gettext_lazy("Any status")), ("in_force", gettext_lazy("In force")),
        ("pending", gettext_lazy("Awaiting approval or issue")), ("ended", gettext_lazy("Ended")),
        *WarningStatus.choices])
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False,
                              choices=[("", gettext_lazy("Any level")), *Level.choices])
    area = forms.ChoiceField(label=gettext_lazy("Township"), required=False)
    point = forms.CharField(label=gettext_lazy("Point code"), required=False, max_length=40)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", gettext_lazy("Any township")), *((t.code, t.name) for t in townships)]

    def filters(self) -> WarningFilters:
        c = self.cleaned_data
        return WarningFilters(status=c.get("status") or "", level=c.get("level") or "", area=c.get("area") or "",
                              point=(c.get("point") or "").strip(), text=c.get("q") or "")



def draftable_areas(user) -> list[Region]:
    """The county, townships and villages in which the user drafts warnings, in tree order."""
    rows = Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE])
    return [r for r in rows.order_by("path") if access.can_draft(user, r)]


def point_choices(areas: list[Region]) -> list[tuple[str, str]]:
    paths = [a.path for a in areas]
    rows = MonitoringPoint.objects.filter(is_active=True).select_related("region").order_by("code")
    return [(p.code, f"{p.code} {p.name} · {p.region.name}") for p in rows
            if any(p.area_path.startswith(path) for path in paths)]


class WarningForm(ServiceForm):
    """A new warning drafted by hand: level, hazard, area and points, the texts in Chinese (and in
    English where known), and when it begins and ends."""

    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices)
    hazard_type = forms.ChoiceField(label=gettext_lazy("Hazard"), choices=PointType.choices)
    area = forms.ChoiceField(label=gettext_lazy("Area"),
                             help_text=gettext_lazy("The county, township or village the warning is for."))
    points = forms.MultipleChoiceField(label=gettext_lazy("Monitoring points"), required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=gettext_lazy("Their monitors are asked to acknowledge it; their "
                                                              "households are moved for orange and red."))
    headline = forms.CharField(label=gettext_lazy("Headline"), max_length=200)
    description = text_field(gettext_lazy("Description"), max_length=5000, rows=3)
    instruction = text_field(gettext_lazy("Instruction"), required=False, max_length=5000, rows=2)
    headline_en = forms.CharField(label=gettext_lazy("Headline (English)"), required=False, max_length=200)
    description_en = text_field(gettext_lazy("Description (English)"), required=False, max_length=5000, rows=2)
    instruction_en = text_field(gettext_lazy("Instruction (English)"), required=False, max_length=5000, rows=2)
    onset_at = moment_field(gettext_lazy("Onset"), required=False)
    expires_at = moment_field(gettext_lazy("Expires"), required=False,
                              help_text=gettext_lazy("The level's hours in force from issue when empty."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args, areas: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "---------")] + [
            (r.code, "\u3000" * max(0, r.depth - 1) + r.name) for r in areas]
        self.fields["points"].choices = point_choices(areas)

    def perform(self, user):
        c = self.cleaned_data
        warning, _created = lifecycle.draft_warning(user, lifecycle.NewWarning(
            level=c["level"], hazard_type=c["hazard_type"], area=c["area"], headline=c["headline"],
            description=c["description"], points=list(c.get("points") or []), instruction=c.get("instruction") or "",
            headline_en=c.get("headline_en") or "", description_en=c.get("description_en") or "",
            instruction_en=c.get("instruction_en") or "", onset_at=aware(c.get("onset_at")),
            expires_at=aware(c.get("expires_at"))), idempotency_key=c.get("idempotency_key") or "")
        return warning


# ---------------------------------------------------------------------------- actions on a warning


class ActionForm(ServiceForm):
    """One action on one warning; ``perform(user, warning)`` calls its service."""

    def __init__(self, *args, warning: Warning, **kwargs):
        kwargs.setdefault("prefix", self.slug)
        super().__init__(*args, **kwargs)
        self.warning = warning


class ApproveForm(ActionForm):
    slug = "approve"
    title = gettext_lazy("Approve (签发)")
    intro = gettext_lazy("Approved, it can be issued: its monitors are then asked to acknowledge it.")
    submit_label = gettext_lazy("Approve")
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)

    def perform(self, user, warning):
        return lifecycle.approve(user, warning, note=self.cleaned_data.get("note") or "")


class RejectForm(ActionForm):
    slug = "reject"
    title = gettext_lazy("Do not approve")
    submit_label = gettext_lazy("Do not approve")
    danger = True
    reason = text_field(gettext_lazy("Reason"), max_length=1000, rows=2)

    def perform(self, user, warning):
        return lifecycle.reject(user, warning, reason=self.cleaned_data["reason"])


class IssueForm(ActionForm):
    slug = "issue"
    title = gettext_lazy("Issue")
    submit_label = gettext_lazy("Issue the warning")
    evacuate = forms.BooleanField(label=gettext_lazy("Also list the points' households to move"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.warning.level in lifecycle.EVACUATING_LEVELS:
            del self.fields["evacuate"]
            self.intro = gettext_lazy("The Alert goes out, every point's monitor is asked to acknowledge it, and "
                                      "the points' households are listed to move.")
        else:
            self.intro = gettext_lazy("The Alert goes out and every point's monitor is asked to acknowledge it.")

    def perform(self, user, warning):
        return lifecycle.issue(user, warning, evacuate=True if self.cleaned_data.get("evacuate") else None)


class UpdateForm(ActionForm):
    slug = "update"
    title = gettext_lazy("Update")
    intro = gettext_lazy("An Update message goes out referring to the earlier ones; monitors of points added "
                         "are asked to acknowledge.")
    submit_label = gettext_lazy("Send the update")
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices)
    headline = forms.CharField(label=gettext_lazy("Headline"), max_length=200)
    description = text_field(gettext_lazy("Description"), max_length=5000, rows=3)
    instruction = text_field(gettext_lazy("Instruction"), required=False, max_length=5000, rows=2)
    points = forms.MultipleChoiceField(label=gettext_lazy("Monitoring points"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    expires_at = moment_field(gettext_lazy("Expires"), required=False)
    note = forms.CharField(label=gettext_lazy("What changed and why"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        warning = self.warning
        self.fields["points"].choices = point_choices([warning.area])
        if not self.is_bound:
            self.initial.update({
                "level": warning.level, "headline": warning.headline, "description": warning.description,
                "instruction": warning.instruction, "points": list(warning.points.values_list("code", flat=True)),
                "expires_at": timezone.localtime(warning.expires_at, LOCAL).strftime("%Y-%m-%dT%H:%M")
                if warning.expires_at else None})

    def perform(self, user, warning):
        c = self.cleaned_data
        return lifecycle.update(user, warning, lifecycle.WarningChange(
            level=c["level"], headline=c["headline"], description=c["description"],
            instruction=c.get("instruction") or "", points=list(c.get("points") or []),
            expires_at=aware(c.get("expires_at")), note=c.get("note") or ""))


class CancelForm(ActionForm):
    slug = "cancel"
    title = gettext_lazy("Cancel the warning")
    intro = gettext_lazy("A Cancel message goes out; acknowledgements stop being asked and the evacuation closes.")
    submit_label = gettext_lazy("Cancel the warning")
    danger = True
    reason = text_field(gettext_lazy("Reason"), max_length=1000, rows=2)

    def perform(self, user, warning):
        return lifecycle.cancel(user, warning, reason=self.cleaned_data["reason"])


class AllClearForm(ActionForm):
    slug = "all_clear"
    title = gettext_lazy("All clear (解除)")
    intro = gettext_lazy("The danger is over: the warning ends and its evacuation closes for entries. Nobody is "
                         "marked returned by it: enter the returns first.")
    submit_label = gettext_lazy("Give the all-clear")
    danger = True
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)

    def perform(self, user, warning):
        return lifecycle.all_clear(user, warning, note=self.cleaned_data.get("note") or "")


class EvacuateForm(ActionForm):
    slug = "evacuate"
    title = gettext_lazy("Move the households")
    intro = gettext_lazy("List the households the warning's points threaten, to move.")
    submit_label = gettext_lazy("List them to move")

    def perform(self, user, warning):
        return evacuation.open_evacuation(user, warning)


class IncidentForm(ActionForm):
    slug = "open_incident"
    title = gettext_lazy("Open an incident (突发事件)")
    intro = gettext_lazy("The duty office receives it as an incident, linked to this warning.")
    submit_label = gettext_lazy("Open the incident")
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), choices=INCIDENT_GRADES)
    text = text_field(gettext_lazy("What happened"), required=False, max_length=5000, rows=3,
                      help_text=gettext_lazy("The warning's headline and description when empty."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].initial = lifecycle.INCIDENT_GRADE.get(self.warning.level, "general")

    def perform(self, user, warning):
        return lifecycle.open_incident(user, warning, grade=self.cleaned_data["grade"],
                                       text=self.cleaned_data.get("text") or "")


ACTION_FORMS = {form.slug: form for form in (ApproveForm, RejectForm, IssueForm, UpdateForm, CancelForm,
                                              AllClearForm, EvacuateForm, IncidentForm)}


class CallForm(ServiceForm):
    """The record of an acknowledgement made by telephone."""

    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)

    def perform(self, user, ack):
        return acks.record_call(user, ack, note=self.cleaned_data.get("note") or "")


class EntryForm(ServiceForm):
    """One household's evacuation entry: moved (with the people moved), refused (with the
    reason), returned."""

    state = forms.ChoiceField(choices=[(s, s) for s in evacuation.STEPS], widget=forms.HiddenInput)
    people_moved = forms.IntegerField(label=gettext_lazy("People moved"), required=False, min_value=1,
                                      max_value=evacuation.MAX_PEOPLE,
                                      widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    reason = forms.CharField(label=gettext_lazy("Reason for refusing"), required=False,
                             max_length=evacuation.MAX_REASON)

    def perform(self, user, row):
        c = self.cleaned_data
        return evacuation.record(user, row, evacuation.Entry(
            state=c["state"], people_moved=c.get("people_moved") if c["state"] == EvacuationState.MOVED else None,
            reason=c.get("reason") or ""))
