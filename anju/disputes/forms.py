"""The forms of the dispute pages: one per mediation action, each knowing the service it calls,
and the forms that register a dispute, filter the list, open a screening round and send a
screening report.

A form validates what a person typed; the service still decides whether the change is
allowed now and may refuse with a ``CaseError`` naming a field, which the view puts next to
that field. Every action form is bound with a prefix (its slug, and the id of the party,
session, agreement, visit or transfer it acts on) so that several forms on one page never
share an id.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.cases.choices import Status
from anju.cases.messages import office_handlers
from anju.cases.models import Case
from anju.cases.services import CaseError, NewCase
from anju.disputes import services
from anju.disputes.choices import (
    DISPUTE,
    ENDING_OUTCOMES,
    SESSION_ENDS,
    Consent,
    MediationType,
    Outcome,
    PartyRole,
    Performance,
    RiskLevel,
    SessionResult,
)
from anju.disputes.models import Dispute
from anju.disputes.queries import NOT_ENDED
from anju.geo.models import Region
from anju.web.action_forms import ActionForm
from anju.web.fields import (
    category_choices,
    check_place,
    coordinate_field,
    date_field,
    datetime_field,
    office_choices,
    text_field,
    today,
)
from anju.web.intake_forms import STAFF_CHANNELS, region_choices

NOTE = gettext_lazy("Note")
SEEN_BY_REPORTER = gettext_lazy("Sent to the reporter as the reply when mediation ends this way.")


_text, _date, _datetime = text_field, date_field, datetime_field


def dispute_type_choices(empty_label="---------") -> list:
    """The dispute types: active categories whose default kind is dispute, in tree order."""
    return category_choices(DISPUTE, empty_label)


def _confirm_field(label):
    return forms.BooleanField(label=label, required=False)


class DisputeActionForm(ActionForm):
    """One action on one dispute (and perhaps on one of its parties, sessions …), by one user.
    Subclasses set the texts and ``perform``; ``target`` is the object acted on, if any."""

    # Set on destructive actions: a box to tick (works without JavaScript) and when it is needed.
    confirm_label = ""

    def __init__(self, data=None, *, case: Case, dispute: Dispute, user, target=None, **kwargs):
        super().__init__(data, case=case, user=user, target=target, **kwargs)
        self.dispute = dispute
        if self.confirm_label:
            self.fields["confirm"] = _confirm_field(self.confirm_label)

    def needs_confirmation(self, cleaned: dict) -> bool:
        return bool(self.confirm_label)

    def clean(self):
        cleaned = super().clean()
        if self.confirm_label and self.needs_confirmation(cleaned) and not cleaned.get("confirm"):
            self.add_error("confirm", _("Tick this box to confirm; this cannot be undone."))
        return cleaned


# ---------------------------------------------------------------------------- the record and parties


class RecordForm(DisputeActionForm):
    slug = "record"
    title = gettext_lazy("Update the record")
    intro = gettext_lazy("The people involved, the facts and the risk that the dispute escalates.")
    success_message = gettext_lazy("The dispute record was updated.")
    scale = forms.IntegerField(label=gettext_lazy("People involved"), min_value=1, max_value=100_000)
    facts = _text(gettext_lazy("Facts"), required=False, max_length=5000, rows=4)
    risk_level = forms.ChoiceField(label=gettext_lazy("Risk level"), choices=RiskLevel.choices)
    risk_reason = forms.CharField(label=gettext_lazy("Reason for the risk level"), required=False, max_length=500,
                                  help_text=gettext_lazy("Needed for a medium or high risk: what about the "
                                                         "dispute (not about a person) makes it likely to "
                                                         "escalate."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        d = self.dispute
        self.initial.update(scale=d.scale, facts=d.facts, risk_level=d.risk_level, risk_reason=d.risk_reason)

    def perform(self):
        c = self.cleaned_data
        services.update_dispute(self.user, self.case, scale=c["scale"], facts=c["facts"],
                                risk_level=c["risk_level"], risk_reason=c["risk_reason"])


def _party_fields() -> dict:
    return {
        "role": forms.ChoiceField(label=gettext_lazy("Role"), choices=PartyRole.choices),
        "name": forms.CharField(label=gettext_lazy("Name"), max_length=100),
        "phone": forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False,
                                 widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})),
        "address": forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False),
        "claim": _text(gettext_lazy("What this side asks"), required=False, rows=2),
    }


class AddPartyForm(DisputeActionForm):
    slug = "add_party"
    title = gettext_lazy("Add a party (当事人)")
    submit_label = gettext_lazy("Add the party")
    success_message = gettext_lazy("The party was added.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_party_fields())

    def perform(self):
        c = self.cleaned_data
        services.add_party(self.user, self.case, role=c["role"], name=c["name"], phone=c["phone"],
                           address=c["address"], claim=c["claim"])


class ConsentForm(DisputeActionForm):
    """On one party: does this side agree to mediation? A refusal ends it."""

    slug = "consent"
    title = gettext_lazy("Record consent to mediation")
    submit_label = gettext_lazy("Record")
    success_message = gettext_lazy("The party's answer was recorded.")
    confirm_label = gettext_lazy("Yes: the party refuses, and mediation ends (mediation is voluntary).")
    consent = forms.ChoiceField(label=gettext_lazy("Answer"), widget=forms.RadioSelect,
                                choices=[(c.value, c.label) for c in (Consent.GIVEN, Consent.REFUSED)])
    note = forms.CharField(label=NOTE, required=False, max_length=500,
                           help_text=gettext_lazy("Needed for a refusal: what the party said."))

    def needs_confirmation(self, cleaned):
        return cleaned.get("consent") == Consent.REFUSED

    def perform(self):
        services.record_consent(self.user, self.case, party_id=self.target.pk, consent=self.cleaned_data["consent"],
                                note=self.cleaned_data["note"])

    def get_success_message(self):
        if self.cleaned_data["consent"] == Consent.REFUSED:
            return _("The refusal was recorded; mediation has ended.")
        return str(self.success_message)


class MediatorForm(DisputeActionForm):
    slug = "mediator"
    title = gettext_lazy("Name the mediator (调解员)")
    submit_label = gettext_lazy("Assign")
    success_message = gettext_lazy("The mediator was assigned.")
    mediator = forms.TypedChoiceField(label=gettext_lazy("Mediator"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        handlers = office_handlers(self.case.office, self.case) if self.case.office_id else []
        self.fields["mediator"].choices = [("", "---------")] + [
            (u.pk, u.display_name or u.username) for u in handlers]
        self.initial["mediator"] = self.dispute.mediator_id

    def perform(self):
        services.assign_mediator(self.user, self.case, mediator_id=self.cleaned_data["mediator"])


class TakeUpForm(DisputeActionForm):
    slug = "take_up"
    title = gettext_lazy("Take up the dispute (签收)")
    intro = gettext_lazy("Your organisation starts mediating; you become the mediator unless one is named.")
    submit_label = gettext_lazy("Take up")
    success_message = gettext_lazy("Mediation has started.")

    def perform(self):
        services.take_up_dispute(self.user, self.case)


# ---------------------------------------------------------------------------- sessions


class ScheduleSessionForm(DisputeActionForm):
    slug = "schedule"
    title = gettext_lazy("Plan a mediation session (调解会)")
    submit_label = gettext_lazy("Plan the session")
    success_message = gettext_lazy("The session was planned.")
    scheduled_at = _datetime(gettext_lazy("Time"))
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)

    def perform(self):
        services.schedule_session(self.user, self.case, scheduled_at=self.cleaned_data["scheduled_at"],
                                  place=self.cleaned_data["place"])


class RecordSessionForm(DisputeActionForm):
    """On one planned session: who came, what was said, how it ended."""

    slug = "record_session"
    title = gettext_lazy("Record the session")
    submit_label = gettext_lazy("Record the session")
    success_message = gettext_lazy("The session was recorded.")
    confirm_label = gettext_lazy("Yes: this result ends mediation, and the reporter is answered.")
    held_at = _datetime(gettext_lazy("Held at"), required=False,
                        help_text=gettext_lazy("Leave empty if it was held at the planned time."))
    present = _text(gettext_lazy("Present"), max_length=1000, rows=2)
    summary = _text(gettext_lazy("Summary"), max_length=5000, rows=4)
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=[("", "---------"), *SessionResult.choices])
    referral = forms.CharField(label=gettext_lazy("Referred to"), max_length=200, required=False,
                               help_text=gettext_lazy("Needed when there is no agreement: where the parties may "
                                                      "turn (court, arbitration, legal aid)."))

    def needs_confirmation(self, cleaned):
        return cleaned.get("result") in SESSION_ENDS

    def perform(self):
        c = self.cleaned_data
        services.record_session(self.user, self.case, session_id=self.target.pk, present=c["present"],
                                summary=c["summary"], result=c["result"], held_at=c["held_at"],
                                referral=c["referral"])


# ---------------------------------------------------------------------------- the agreement


class DraftAgreementForm(DisputeActionForm):
    slug = "draft"
    title = gettext_lazy("Write the mediation agreement (调解协议书)")
    intro = gettext_lazy("The parties come from the record. Saving again rewrites the draft.")
    submit_label = gettext_lazy("Save the draft")
    success_message = gettext_lazy("The draft agreement was saved.")
    facts = _text(gettext_lazy("Main facts"), max_length=5000, rows=4)
    matters = _text(gettext_lazy("Matters in dispute"), max_length=3000)
    responsibilities = _text(gettext_lazy("Responsibility of each side"), max_length=3000)
    terms = _text(gettext_lazy("Agreed terms"), max_length=5000, rows=4)
    performance_manner = forms.CharField(label=gettext_lazy("Manner of performance"), max_length=500)
    performance_deadline = _date(gettext_lazy("Perform by"))

    def __init__(self, *args, draft=None, **kwargs):
        super().__init__(*args, **kwargs)
        if draft is not None:
            for name in self.base_fields:
                self.initial[name] = getattr(draft, name)
        else:
            self.initial["facts"] = self.dispute.facts

    def perform(self):
        c = self.cleaned_data
        services.draft_agreement(self.user, self.case, services.AgreementText(
            facts=c["facts"], matters=c["matters"], responsibilities=c["responsibilities"], terms=c["terms"],
            performance_manner=c["performance_manner"], performance_deadline=c["performance_deadline"]))


class SignAgreementForm(DisputeActionForm):
    """On the draft: the parties and the mediator signed it."""

    slug = "sign"
    title = gettext_lazy("Signed: put the agreement in effect")
    intro = gettext_lazy("Once the parties and the mediator have signed. Mediation ends with the agreement, the "
                         "reporter is answered and the 30 days for judicial confirmation begin.")
    submit_label = gettext_lazy("Put in effect")
    success_message = gettext_lazy("The agreement is in effect.")
    effective_on = _date(gettext_lazy("In effect from"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["effective_on"] = today()

    def perform(self):
        services.sign_agreement(self.user, self.case, agreement_id=self.target.pk,
                                effective_on=self.cleaned_data["effective_on"])


class EndMediationForm(DisputeActionForm):
    slug = "end"
    title = gettext_lazy("End mediation without an agreement")
    intro = gettext_lazy("No agreement, the application withdrawn, or a party refusing. The reporter receives "
                         "the note as the reply.")
    submit_label = gettext_lazy("End mediation")
    danger = True
    success_message = gettext_lazy("Mediation has ended; the reporter has the reply.")
    confirm_label = gettext_lazy("Yes, end mediation of this dispute.")
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"),
                                choices=[("", "---------")] + [(o.value, o.label) for o in ENDING_OUTCOMES])
    note = _text(NOTE, rows=3, help_text=SEEN_BY_REPORTER)
    referral = forms.CharField(label=gettext_lazy("Referred to"), max_length=200, required=False,
                               help_text=gettext_lazy("Needed when there is no agreement."))

    def perform(self):
        c = self.cleaned_data
        services.end_mediation(self.user, self.case, outcome=c["outcome"], note=c["note"], referral=c["referral"])


class JudicialApplicationForm(DisputeActionForm):
    slug = "judicial_application"
    title = gettext_lazy("The parties applied for judicial confirmation (司法确认)")
    submit_label = gettext_lazy("Record the application")
    success_message = gettext_lazy("The application for judicial confirmation was recorded.")
    applied_on = _date(gettext_lazy("Applied on"))
    court = forms.CharField(label=gettext_lazy("Court"), max_length=100)

    def perform(self):
        services.record_judicial_application(self.user, self.case, agreement_id=self.target.pk,
                                             applied_on=self.cleaned_data["applied_on"],
                                             court=self.cleaned_data["court"])


class JudicialDecisionForm(DisputeActionForm):
    slug = "judicial_decision"
    title = gettext_lazy("The court decided")
    submit_label = gettext_lazy("Record the decision")
    success_message = gettext_lazy("The court's decision was recorded.")
    confirmed = forms.TypedChoiceField(
        label=gettext_lazy("Decision"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", gettext_lazy("Confirmed (确认有效)")), ("no", gettext_lazy("Not confirmed (不予确认)"))])
    decided_on = _date(gettext_lazy("Decided on"))
    note = forms.CharField(label=NOTE, required=False, max_length=500,
                           help_text=gettext_lazy("Needed when the court did not confirm: its reasons."))

    def perform(self):
        c = self.cleaned_data
        services.record_judicial_decision(self.user, self.case, agreement_id=self.target.pk,
                                          confirmed=c["confirmed"], decided_on=c["decided_on"], note=c["note"])


# ---------------------------------------------------------------------------- visits and transfers


class VisitForm(DisputeActionForm):
    """On one planned follow-up visit: what it found. An agreement not performed reopens the dispute."""

    slug = "visit"
    title = gettext_lazy("Record the follow-up visit (回访)")
    submit_label = gettext_lazy("Record the visit")
    success_message = gettext_lazy("The follow-up visit was recorded.")
    performance = forms.ChoiceField(label=gettext_lazy("Finding"), widget=forms.RadioSelect)
    note = _text(NOTE, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.target.agreement_id is None:
            choices = [(Performance.NOT_APPLICABLE, Performance.NOT_APPLICABLE.label)]
            self.initial["performance"] = Performance.NOT_APPLICABLE
        else:
            choices = [(p.value, p.label) for p in Performance if p != Performance.NOT_APPLICABLE]
            self.fields["performance"].help_text = _("Partly or not performed reopens the dispute.")
        self.fields["performance"].choices = choices

    def perform(self):
        services.record_visit(self.user, self.case, visit_id=self.target.pk,
                              performance=self.cleaned_data["performance"], note=self.cleaned_data["note"])

    def get_success_message(self):
        if self.cleaned_data["performance"] in (Performance.PARTLY, Performance.NOT_PERFORMED):
            return _("The visit was recorded; the dispute was reopened.")
        return str(self.success_message)


class TransferForm(DisputeActionForm):
    slug = "transfer"
    title = gettext_lazy("Pass to another organisation (三调联动)")
    intro = gettext_lazy("People's, administrative or judicial mediation. The dispute moves at once and waits "
                         "for the receiving organisation to accept or return it.")
    submit_label = gettext_lazy("Pass on")
    success_message = gettext_lazy("The dispute was passed on.")
    to_type = forms.ChoiceField(label=gettext_lazy("Mediation type"),
                                choices=[("", "---------"), *MediationType.choices])
    to_office = forms.ChoiceField(label=gettext_lazy("Organisation"))
    reason = _text(gettext_lazy("Reason"), max_length=500, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_office"].choices = office_choices(exclude_id=self.case.office_id)

    def perform(self):
        c = self.cleaned_data
        services.propose_transfer(self.user, self.case, to_type=c["to_type"], to_office_code=c["to_office"],
                                  reason=c["reason"])


class AcceptTransferForm(DisputeActionForm):
    slug = "accept_transfer"
    title = gettext_lazy("Accept the dispute")
    intro = gettext_lazy("Mediation goes on in your organisation, with you as the mediator.")
    submit_label = gettext_lazy("Accept")
    success_message = gettext_lazy("The transfer was accepted.")
    note = forms.CharField(label=NOTE, required=False, max_length=500)

    def perform(self):
        services.accept_transfer(self.user, self.case, transfer_id=self.target.pk, note=self.cleaned_data["note"])


class ReturnTransferForm(DisputeActionForm):
    slug = "return_transfer"
    title = gettext_lazy("Return the dispute")
    intro = gettext_lazy("It goes back to the organisation that sent it.")
    submit_label = gettext_lazy("Return")
    danger = True
    success_message = gettext_lazy("The dispute was returned.")
    reason = _text(gettext_lazy("Reason"), max_length=500, rows=2)

    def perform(self):
        services.return_transfer(self.user, self.case, transfer_id=self.target.pk, reason=self.cleaned_data["reason"])


class RevealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why you need the details"), required=False, max_length=200)


FORMS: dict[str, type[DisputeActionForm]] = {
    form.slug: form
    for form in (
        RecordForm, AddPartyForm, ConsentForm, MediatorForm, TakeUpForm, ScheduleSessionForm, RecordSessionForm,
        DraftAgreementForm, SignAgreementForm, EndMediationForm, JudicialApplicationForm, JudicialDecisionForm,
        VisitForm, TransferForm, AcceptTransferForm, ReturnTransferForm,
    )
}
# The forms that act on one object of the dispute, and the related name it is looked up through.
TARGETS = {
    ConsentForm.slug: "parties", RecordSessionForm.slug: "sessions", SignAgreementForm.slug: "agreements",
    JudicialApplicationForm.slug: "agreements", JudicialDecisionForm.slug: "agreements", VisitForm.slug: "visits",
    AcceptTransferForm.slug: "transfers", ReturnTransferForm.slug: "transfers",
}


# ---------------------------------------------------------------------------- the list


class DisputeFilterForm(forms.Form):
    """The dispute list's filters, read from the query string."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        help_text=gettext_lazy("Words in the text or address, or a tracking code"),
                        widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Dispute type"), required=False)
    township = forms.ModelChoiceField(label=gettext_lazy("Township"), required=False,
                                      queryset=Region.objects.none(), empty_label=gettext_lazy("Any township"))
    risk_level = forms.ChoiceField(label=gettext_lazy("Risk level"), required=False,
                                   choices=[("", gettext_lazy("Any risk level")), *RiskLevel.choices])
    mediation_type = forms.ChoiceField(label=gettext_lazy("Mediation type"), required=False,
                                       choices=[("", gettext_lazy("Any mediation type")), *MediationType.choices])
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), required=False,
                                choices=[("", gettext_lazy("Any outcome")), (NOT_ENDED, gettext_lazy("Not yet ended")),
                                         *Outcome.choices])
    page = forms.IntegerField(label=gettext_lazy("Page"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, townships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), ("open", _("Any open status")), *Status.choices]
        self.fields["category"].choices = dispute_type_choices(_("Any dispute type"))
        self.fields["township"].queryset = townships


# ---------------------------------------------------------------------------- registering


class RegisterDisputeForm(forms.Form):
    """The case fields of a dispute, and its record; the parties come in ``PartyRowForm`` rows."""

    field_map = {"region_code": "region", "Idempotency-Key": "", "parties": ""}

    category = forms.ChoiceField(label=gettext_lazy("Dispute type"))
    text = _text(gettext_lazy("What is the dispute about?"), max_length=5000, rows=4)
    channel = forms.ChoiceField(label=gettext_lazy("Received through"))
    lat = coordinate_field(gettext_lazy("Latitude"), 90)
    lng = coordinate_field(gettext_lazy("Longitude"), 180)
    address = forms.CharField(label=gettext_lazy("Address or place description"), max_length=200, required=False)
    region = forms.ChoiceField(label=gettext_lazy("Grid, village or township"), required=False,
                               help_text=gettext_lazy("Needed when no point is given."))
    scale = forms.IntegerField(label=gettext_lazy("People involved"), min_value=1, max_value=100_000, initial=2)
    facts = _text(gettext_lazy("Facts"), required=False, max_length=5000, rows=3)
    risk_level = forms.ChoiceField(label=gettext_lazy("Risk level"), choices=RiskLevel.choices,
                                   initial=RiskLevel.LOW)
    risk_reason = forms.CharField(label=gettext_lazy("Reason for the risk level"), required=False, max_length=500,
                                  help_text=gettext_lazy("Needed for a medium or high risk."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = dispute_type_choices()
        self.fields["channel"].choices = [(c.value, c.label) for c in STAFF_CHANNELS]
        self.fields["region"].choices = region_choices(user)

    def clean(self):
        cleaned = super().clean()
        check_place(self, cleaned)
        return cleaned

    def new_case(self) -> NewCase:
        d = self.cleaned_data
        return NewCase(kind=DISPUTE, category_code=d["category"], text=d["text"], channel=d["channel"],
                       lat=d["lat"], lng=d["lng"], address=d["address"], region_code=d["region"])

    def add_case_error(self, error: CaseError) -> None:
        name = self.field_map.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)


class PartyRowForm(forms.Form):
    """One party on the registration form; a row without a name is left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_party_fields())
        self.fields["name"].required = False
        self.fields["role"].choices = [("", "---------"), *PartyRole.choices]
        self.fields["role"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") and not cleaned.get("role"):
            self.add_error("role", _("Choose the party's role."))
        if not cleaned.get("name") and any(cleaned.get(f) for f in ("phone", "address", "claim")):
            self.add_error("name", _("Give the party's name, or clear the row."))
        return cleaned

    @property
    def is_empty(self) -> bool:
        return not self.cleaned_data.get("name")

    def new_party(self) -> services.NewParty:
        c = self.cleaned_data
        return services.NewParty(role=c["role"], name=c["name"], phone=c["phone"], address=c["address"],
                                 claim=c["claim"])


# ---------------------------------------------------------------------------- screening


class OpenRoundForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    region = forms.ChoiceField(label=gettext_lazy("Region"),
                               help_text=gettext_lazy("Every grid in it owes one report."))
    starts_on = _date(gettext_lazy("From"))
    ends_on = _date(gettext_lazy("To"), help_text=gettext_lazy("Reports are due by the end of this day."))
    theme = forms.CharField(label=gettext_lazy("Theme (optional)"), max_length=200, required=False,
                            help_text=gettext_lazy("For example: wage arrears before the Spring Festival."))
    theme_category = forms.ChoiceField(label=gettext_lazy("Dispute type in focus (optional)"), required=False)

    def __init__(self, regions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "---------")] + [
            (r.code, "\u00a0\u00a0" * max(0, r.depth) + r.name) for r in regions]
        self.fields["theme_category"].choices = dispute_type_choices(_("None"))

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The period must not end before it starts."))
        return cleaned


class ReportChoiceForm(forms.Form):
    NOTHING, FOUND = "nothing", "found"
    result = forms.ChoiceField(
        label=gettext_lazy("What did you find?"), widget=forms.RadioSelect,
        choices=[(NOTHING, gettext_lazy("Nothing found (无矛盾纠纷)")),
                 (FOUND, gettext_lazy("One or more disputes (发现矛盾纠纷)"))])
    note = _text(gettext_lazy("Note (optional)"), required=False, rows=2)


class FoundDisputeForm(forms.Form):
    """One dispute found on the round; a row without a type and text is left out."""

    category = forms.ChoiceField(label=gettext_lazy("Dispute type"), required=False)
    text = _text(gettext_lazy("What is it about?"), required=False, max_length=5000, rows=3)
    scale = forms.IntegerField(label=gettext_lazy("People involved"), min_value=1, max_value=100_000,
                               required=False, initial=2, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    address = forms.CharField(label=gettext_lazy("Where (optional)"), max_length=200, required=False)
    risk_level = forms.ChoiceField(label=gettext_lazy("Risk level"), choices=RiskLevel.choices,
                                   initial=RiskLevel.LOW, required=False)
    risk_reason = forms.CharField(label=gettext_lazy("Reason for the risk level"), max_length=500, required=False,
                                  help_text=gettext_lazy("Needed for a medium or high risk."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = dispute_type_choices()

    def clean(self):
        cleaned = super().clean()
        if self.is_empty:
            return cleaned
        if not cleaned.get("category"):
            self.add_error("category", _("Choose the dispute type."))
        if not (cleaned.get("text") or "").strip():
            self.add_error("text", _("Say what the dispute is about."))
        return cleaned

    @property
    def is_empty(self) -> bool:
        c = getattr(self, "cleaned_data", {})
        return not c.get("category") and not (c.get("text") or "").strip()

    def found(self) -> services.FoundDispute:
        c = self.cleaned_data
        return services.FoundDispute(category_code=c["category"], text=c["text"], scale=c["scale"] or 2,
                                     address=c["address"], risk_level=c["risk_level"] or RiskLevel.LOW,
                                     risk_reason=c["risk_reason"])
