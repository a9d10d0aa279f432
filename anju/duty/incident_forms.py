"""The forms of the incident pages: receiving an incident, and the actions on one (a report, the
forwarding of a report, signing for one, a change of grade). A form checks what a person typed;
the service decides whether the change is allowed now."""

from datetime import datetime

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.cases.models import Case
from anju.cases.services import CaseError
from anju.duty import incident_access as access
from anju.duty import incidents as services
from anju.duty.choices import IncidentGrade, IncidentType, ReportChannel, ReportKind
from anju.duty.models import Forward, Incident
from anju.lib.workdays import LOCAL
from anju.people.access import offices_of
from anju.people.models import Office
from anju.web.action_forms import ActionForm
from anju.web.fields import text_field


def moment_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(label=label, required=required, help_text=help_text,
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


def _aware(value: datetime | None) -> datetime | None:
    """A moment typed on a page is Beijing time."""
    if value is None:
        return None
    return value.replace(tzinfo=LOCAL) if timezone.is_naive(value) else value


def _number(label):
    return forms.IntegerField(label=label, min_value=0, max_value=100_000, initial=0,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


def _losses():
    return forms.DecimalField(label=gettext_lazy("Direct losses (10,000 yuan)"), required=False, min_value=0,
                              max_digits=12, decimal_places=2,
                              widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


class FiguresMixin:
    def figures(self) -> dict:
        c = self.cleaned_data
        return {"deaths": c["deaths"], "injured": c["injured"], "missing": c["missing"], "losses": c.get("losses")}


class IncidentForm(FiguresMixin, forms.Form):
    """Receiving an incident (接报): what, how serious, when and where, and what is known of its
    casualties; kept by the user's duty office or one they receive for."""

    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=IncidentType.choices)
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), choices=IncidentGrade.choices,
                              help_text=gettext_lazy("As far as it can be judged now; it can be changed later."))
    text = text_field(gettext_lazy("What happened"), max_length=5000, rows=4)
    occurred_at = moment_field(gettext_lazy("Happened at"))
    known_at = moment_field(gettext_lazy("Known to the duty office at (接报)"), required=False,
                            help_text=gettext_lazy("The reports are owed from this moment; now when empty."))
    region = forms.ChoiceField(label=gettext_lazy("Township or village"))
    address = forms.CharField(label=gettext_lazy("Place"), max_length=300, required=False)
    office = forms.ChoiceField(label=gettext_lazy("Kept by (duty office)"))
    deaths = _number(gettext_lazy("Dead"))
    injured = _number(gettext_lazy("Injured"))
    missing = _number(gettext_lazy("Missing"))
    losses = _losses()
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args, user, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].choices = [("", "---------")] + [
            (r.code, ("\u3000" if r.level == "village" else "") + r.name) for r in regions]
        offices = [o for o in Office.objects.filter(is_active=True).select_related("jurisdiction").order_by("code")
                   if access.can_open(user, o)]
        self.fields["office"].choices = [(o.code, o.name) for o in offices]
        own = next((o for o in offices if o.pk in offices_of(user) and o.pk == getattr(user, "office_id", None)), None)
        if own is not None:
            self.fields["office"].initial = own.code

    def new_incident(self) -> services.NewIncident:
        c = self.cleaned_data
        return services.NewIncident(
            type=c["type"], grade=c["grade"], text=c["text"], occurred_at=_aware(c["occurred_at"]),
            known_at=_aware(c.get("known_at")), region_code=c["region"], address=c.get("address") or "",
            office=c["office"], **self.figures())


class IncidentActionForm(ActionForm):
    """One action on one incident by one user."""

    field_map: dict[str, str] = {}

    def __init__(self, data=None, *, case: Case, incident: Incident, user, **kwargs):
        super().__init__(data, case=case, user=user, **kwargs)
        self.incident = incident

    def add_case_error(self, error: CaseError) -> None:
        name = self.field_map.get(error.field or "", error.field)
        field = self.fields.get(name) if name else None
        self.add_error(name if field is not None and not field.widget.is_hidden else None, error.message)

    def refuse(self, message: str) -> None:
        self.cleaned_data = {}
        self._errors = ErrorDict()
        self.add_error(None, message)


class ReportForm(FiguresMixin, IncidentActionForm):
    slug = "report"
    title = gettext_lazy("Make a report")
    intro = gettext_lazy("The first report by phone, then in writing; follow-ups until the final report in "
                         "writing, which closes the incident. Give the figures known now.")
    submit_label = gettext_lazy("Record the report")
    success_message = gettext_lazy("The report was recorded.")
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=ReportKind.choices)
    channel = forms.ChoiceField(label=gettext_lazy("Made"), choices=ReportChannel.choices)
    text = text_field(gettext_lazy("What was reported"), max_length=10000, rows=4)
    deaths = _number(gettext_lazy("Dead"))
    injured = _number(gettext_lazy("Injured"))
    missing = _number(gettext_lazy("Missing"))
    losses = _losses()
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        incident = self.incident
        if not self.is_bound:
            # What is owed next, with the figures known now.
            kinds = {r.kind for r in incident.reports.all()}
            channels = {r.channel for r in incident.reports.all() if r.kind == ReportKind.FIRST}
            self.initial.update({
                "kind": ReportKind.FIRST if ReportChannel.WRITTEN not in channels else ReportKind.FOLLOW_UP,
                "channel": ReportChannel.PHONE if ReportKind.FIRST not in kinds else ReportChannel.WRITTEN,
                "deaths": incident.deaths, "injured": incident.injured, "missing": incident.missing,
                "losses": incident.losses})

    def perform(self):
        c = self.cleaned_data
        services.make_report(self.user, self.case, services.NewReport(
            kind=c["kind"], channel=c["channel"], text=c["text"], **self.figures()),
            idempotency_key=c.get("idempotency_key") or "")


class ForwardForm(IncidentActionForm):
    slug = "forward"
    title = gettext_lazy("Forward a report up a level (上报)")
    submit_label = gettext_lazy("Forward")
    success_message = gettext_lazy("The report was forwarded.")
    field_map = {"report": "report"}
    report = forms.TypedChoiceField(label=gettext_lazy("Report"), coerce=int)
    channel = forms.ChoiceField(label=gettext_lazy("Made"), choices=ReportChannel.choices,
                                initial=ReportChannel.WRITTEN)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _office, to_name = services.upward(self.incident)
        self.intro = _("To %(to)s. Each report goes up once.") % {"to": to_name}
        waiting = self.incident.reports.exclude(forwards__to_name=to_name).order_by("number")
        self.fields["report"].choices = [(r.number, f"{r.number}. {r.get_kind_display()} · {r.get_channel_display()}")
                                         for r in waiting]
        if waiting:
            self.fields["report"].initial = waiting.last().number

    def perform(self):
        c = self.cleaned_data
        services.forward_report(self.user, self.case, c["report"], channel=c["channel"])


class ReceiveForm(IncidentActionForm):
    slug = "receive"
    title = gettext_lazy("Sign for a forwarded report (签收)")
    intro = gettext_lazy("The chain shows that your office knew of it from now.")
    submit_label = gettext_lazy("Sign for it")
    success_message = gettext_lazy("Signed for.")
    forward = forms.TypedChoiceField(label=gettext_lazy("Forwarded report"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = Forward.objects.filter(report__incident=self.incident, received_at__isnull=True,
                                         to_office_id__in=offices_of(self.user)).select_related("report")
        self.fields["forward"].choices = [(f.pk, f"{f.report.number}. {f.report.get_kind_display()} · "
                                                 f"{timezone.localtime(f.forwarded_at):%m-%d %H:%M}")
                                          for f in waiting.order_by("forwarded_at")]

    def perform(self):
        services.receive_forward(self.user, self.case, self.cleaned_data["forward"])


class GradeForm(IncidentActionForm):
    slug = "grade"
    title = gettext_lazy("Change the grade")
    intro = gettext_lazy("The reports still owed are counted again by the new grade's deadlines: a raised grade "
                         "may make one owed at once.")
    submit_label = gettext_lazy("Change the grade")
    success_message = gettext_lazy("The grade was changed.")
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), choices=IncidentGrade.choices)
    reason = text_field(gettext_lazy("Reason"), max_length=1000, rows=2)

    def perform(self):
        c = self.cleaned_data
        services.change_grade(self.user, self.case, grade=c["grade"], reason=c["reason"])


FORMS = {form.slug: form for form in (ReportForm, ForwardForm, ReceiveForm, GradeForm)}
RIGHTS = {"report": access.can_report, "forward": access.can_report, "grade": access.can_report,
          "receive": lambda user, case: True}
