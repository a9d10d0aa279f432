"""The forms on the case page: one per lifecycle action, each knowing the service it calls.

A form validates what a person typed; the service still decides whether the change is
allowed now and may refuse with a ``CaseError`` naming a field, which the view puts next
to that field. Every form is bound with a prefix (its slug) so that several forms on one
page never share an id.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.cases import services
from anju.cases.access import visible_to
from anju.cases.choices import Action, ClockUnit, ExtensionStatus, RoutingBasis, SupervisionLevel
from anju.cases.models import Case
from anju.lib import tracking
from anju.web.action_forms import ActionForm
from anju.web.fields import office_choices

SEEN_BY_REPORTER = gettext_lazy("This step is shown to the reporter when they follow the case.")
NOTE = gettext_lazy("Note")


def _note(label=NOTE, help_text="", required=False, max_length=2000, rows=3):
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class CaseActionForm(ActionForm):
    """One lifecycle action on one case, by one user. Subclasses set the texts and ``perform``."""

    confirm = ""  # a question asked before a destructive action


class AcceptForm(CaseActionForm):
    slug = Action.ACCEPT
    title = gettext_lazy("Accept (受理)")
    intro = gettext_lazy("Take the case on; the clock to handle it starts.")
    submit_label = gettext_lazy("Accept")
    success_message = gettext_lazy("The case was accepted.")
    note = _note(help_text=SEEN_BY_REPORTER)

    def perform(self):
        services.accept_case(self.user, self.case, note=self.cleaned_data["note"])


class RejectForm(CaseActionForm):
    slug = Action.REJECT
    title = gettext_lazy("Reject (不予受理)")
    intro = gettext_lazy("Decline to accept the case. It is closed and the reporter receives your reply.")
    submit_label = gettext_lazy("Reject")
    confirm = gettext_lazy("Reject this case? It will be closed and the reporter receives your reply.")
    danger = True
    success_message = gettext_lazy("The case was rejected and closed; the reporter has the reply.")
    reply = _note(gettext_lazy("Reply to the reporter"), required=True, rows=4,
                  help_text=gettext_lazy("Why the case is not accepted and where the reporter can turn instead."))

    def perform(self):
        services.reject_case(self.user, self.case, reply=self.cleaned_data["reply"])


class DispatchForm(CaseActionForm):
    slug = Action.DISPATCH
    title = gettext_lazy("Dispatch (派单)")
    intro = gettext_lazy("Send the case to the office that will handle it.")
    submit_label = gettext_lazy("Dispatch")
    office = forms.ChoiceField(label=gettext_lazy("Office"))
    note = _note(help_text=gettext_lazy("For the office; not shown to the reporter."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["office"]
        field.choices = office_choices()
        routed = services.route(self.case)
        if routed is not None:
            office, basis = routed
            field.initial = office.code
            field.help_text = _("Suggested by the routing rules: %(office)s (%(basis)s).") % {
                "office": office.name, "basis": self._basis_label(basis)}
        else:
            field.help_text = _("No routing rule covers this case; choose the office yourself.")

    @staticmethod
    def _basis_label(basis: str) -> str:
        return str(RoutingBasis(basis).label) if basis in RoutingBasis.values else basis

    def perform(self):
        services.dispatch_case(self.user, self.case, office_code=self.cleaned_data["office"],
                               note=self.cleaned_data["note"])

    def get_success_message(self) -> str:
        return _("The case was dispatched.")


class ReturnForm(CaseActionForm):
    slug = Action.RETURN
    title = gettext_lazy("Return (退单)")
    intro = gettext_lazy("This case is not for your office: send it back to the service centre to be dispatched again.")
    submit_label = gettext_lazy("Return")
    danger = True
    success_message = gettext_lazy("The case was returned to the service centre.")
    reason = _note(gettext_lazy("Reason"), required=True, max_length=500,
                   help_text=gettext_lazy("Say which office should handle it and why, so the dispatcher can route it."))

    def perform(self):
        services.return_case(self.user, self.case, reason=self.cleaned_data["reason"])


class TransferForm(CaseActionForm):
    slug = Action.TRANSFER
    title = gettext_lazy("Transfer (转办)")
    intro = gettext_lazy("Move the case to another office. Its deadline keeps running.")
    submit_label = gettext_lazy("Transfer")
    confirm = gettext_lazy("Transfer this case to the chosen office?")
    office = forms.ChoiceField(label=gettext_lazy("Office"))
    note = _note(help_text=gettext_lazy("For the office; not shown to the reporter."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = office_choices(exclude_id=self.case.office_id)

    def perform(self):
        services.transfer_case(self.user, self.case, office_code=self.cleaned_data["office"],
                               note=self.cleaned_data["note"])

    def get_success_message(self) -> str:
        return _("The case was transferred.")


class WithholdForm(CaseActionForm):
    slug = Action.WITHHOLD
    title = gettext_lazy("Keep from the office it is about")
    intro = gettext_lazy("When the words alone would tell that office who complained, keep the case from it, "
                         "as a report of wrongdoing is kept: its users no longer see the case.")
    submit_label = gettext_lazy("Keep from that office")
    confirm = gettext_lazy("Keep this case from the office it is about? That cannot be undone.")
    danger = True
    success_message = gettext_lazy("The case is kept from the office it is about.")
    reason = _note(gettext_lazy("Reason"), required=True,
                   help_text=gettext_lazy("Why the words identify the reporter."))
    office = forms.ChoiceField(label=gettext_lazy("Body to take it instead"), required=False,
                               help_text=gettext_lazy("Needed when the office it is about holds the case now."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", "—"), *office_choices(exclude_id=self.case.about_office_id)]

    def perform(self):
        services.withhold_from_office_about(self.user, self.case, reason=self.cleaned_data["reason"],
                                            office_code=self.cleaned_data["office"])


class StartForm(CaseActionForm):
    slug = Action.START
    title = gettext_lazy("Start handling (签收)")
    intro = gettext_lazy("Your office takes the case in hand.")
    submit_label = gettext_lazy("Start")
    success_message = gettext_lazy("Handling started.")
    note = _note(help_text=SEEN_BY_REPORTER)

    def perform(self):
        services.start_case(self.user, self.case, note=self.cleaned_data["note"])


class WaitForm(CaseActionForm):
    slug = Action.WAIT
    title = gettext_lazy("Wait for the reporter (待补充)")
    intro = gettext_lazy("Ask the reporter for what you need. The clock stops until you resume.")
    submit_label = gettext_lazy("Ask and pause the clock")
    success_message = gettext_lazy("The question was sent; the clock is paused.")
    question = _note(gettext_lazy("Question to the reporter"), required=True,
                     help_text=gettext_lazy("Sent to the reporter as written."))

    def perform(self):
        services.wait_for_reporter(self.user, self.case, question=self.cleaned_data["question"])


class ResumeForm(CaseActionForm):
    slug = Action.RESUME
    title = gettext_lazy("Resume")
    intro = gettext_lazy("Continue handling; the deadline moves on by the time the clock stood still.")
    submit_label = gettext_lazy("Resume")
    success_message = gettext_lazy("Handling resumed; the deadline was moved on.")
    note = _note(help_text=SEEN_BY_REPORTER)

    def perform(self):
        services.resume_case(self.user, self.case, note=self.cleaned_data["note"])


class RequestExtensionForm(CaseActionForm):
    slug = Action.REQUEST_EXTENSION
    title = gettext_lazy("Ask for an extension (申请延期)")
    intro = gettext_lazy("A supervisor decides; until then the deadline stays.")
    submit_label = gettext_lazy("Ask for more time")
    success_message = gettext_lazy("The extension request was sent to the supervisors.")
    amount = forms.IntegerField(label=gettext_lazy("How much more time"), min_value=1, max_value=2160,
                                help_text=gettext_lazy("At most 60 working days, 90 calendar days or 2160 hours."))
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=ClockUnit.choices, initial=ClockUnit.WORKING_DAYS)
    reason = _note(gettext_lazy("Reason"), required=True, max_length=500)

    def perform(self):
        data = self.cleaned_data
        services.request_extension(self.user, self.case, amount=data["amount"], unit=data["unit"],
                                   reason=data["reason"])


class _DecisionForm(CaseActionForm):
    request_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = self.case.extension_requests.filter(status=ExtensionStatus.PENDING).first()
        if self.pending is not None:
            self.fields["request_id"].initial = self.pending.pk


class ApproveExtensionForm(_DecisionForm):
    slug = Action.APPROVE_EXTENSION
    title = gettext_lazy("Approve the extension")
    intro = gettext_lazy("The time to handle moves on by the amount asked.")
    submit_label = gettext_lazy("Approve")
    success_message = gettext_lazy("The extension was approved; the deadline moved.")
    note = _note(max_length=500, help_text=SEEN_BY_REPORTER)

    def perform(self):
        services.approve_extension(self.user, self.case, request_id=self.cleaned_data["request_id"],
                                   note=self.cleaned_data["note"])


class DenyExtensionForm(_DecisionForm):
    slug = Action.DENY_EXTENSION
    title = gettext_lazy("Deny the extension")
    intro = gettext_lazy("The deadline stays as it is.")
    submit_label = gettext_lazy("Deny")
    danger = True
    success_message = gettext_lazy("The extension was denied.")
    note = _note(gettext_lazy("Reason for the office"), required=True, max_length=500)

    def perform(self):
        services.deny_extension(self.user, self.case, request_id=self.cleaned_data["request_id"],
                                note=self.cleaned_data["note"])


class ResolveForm(CaseActionForm):
    slug = Action.RESOLVE
    title = gettext_lazy("Resolve with a reply (办结)")
    intro = gettext_lazy("Finish handling. The follow-up clock starts.")
    submit_label = gettext_lazy("Resolve and send the reply")
    success_message = gettext_lazy("The case was resolved; the reporter has the reply.")
    reply = _note(gettext_lazy("Reply to the reporter"), required=True, rows=5,
                  help_text=gettext_lazy("This is the public answer to the reporter: what was done, and what "
                                         "they can do if they are not satisfied."))

    def perform(self):
        services.resolve_case(self.user, self.case, reply=self.cleaned_data["reply"])


class FollowUpForm(CaseActionForm):
    slug = Action.FOLLOW_UP
    title = gettext_lazy("Follow up (回访)")
    intro = gettext_lazy("Record how satisfied the reporter is with the answer; the case is closed.")
    submit_label = gettext_lazy("Record and close")
    success_message = gettext_lazy("The follow-up was recorded and the case closed.")
    SATISFACTION = [
        (5, gettext_lazy("5 – very satisfied")),
        (4, gettext_lazy("4 – satisfied")),
        (3, gettext_lazy("3 – neither")),
        (2, gettext_lazy("2 – dissatisfied")),
        (1, gettext_lazy("1 – very dissatisfied")),
    ]
    satisfaction = forms.TypedChoiceField(label=gettext_lazy("Satisfaction"), choices=SATISFACTION, coerce=int,
                                          widget=forms.RadioSelect)
    note = _note(help_text=gettext_lazy("What the reporter said; not shown to them."))

    def perform(self):
        services.follow_up_case(self.user, self.case, satisfaction=self.cleaned_data["satisfaction"],
                                note=self.cleaned_data["note"])


class ReopenForm(CaseActionForm):
    slug = Action.REOPEN
    title = gettext_lazy("Reopen")
    intro = gettext_lazy("The reporter is not satisfied: the case goes back to the office with a fresh time to "
                         "handle, and no longer counts as resolved first time.")
    submit_label = gettext_lazy("Reopen")
    danger = True
    success_message = gettext_lazy("The case was reopened.")
    reason = _note(gettext_lazy("Reason"), required=True, max_length=1000, help_text=SEEN_BY_REPORTER)

    def perform(self):
        services.reopen_case(self.user, self.case, reason=self.cleaned_data["reason"])


class MergeForm(CaseActionForm):
    slug = Action.MERGE
    title = gettext_lazy("Merge into another case")
    intro = gettext_lazy("This case is a duplicate: it is closed as merged and handled together with the other "
                         "one. Both reporters are told.")
    submit_label = gettext_lazy("Merge")
    confirm = gettext_lazy("Merge this case into the other one? This case will be closed as merged.")
    danger = True
    success_message = gettext_lazy("The case was merged.")
    into = forms.CharField(label=gettext_lazy("Tracking code of the case to merge into"), max_length=20,
                           help_text=gettext_lazy("For example K7M2-9QXPA."))
    note = _note()

    def clean_into(self) -> Case:
        code = tracking.normalise(self.cleaned_data["into"])
        target = visible_to(self.user).filter(tracking_code=code).first() if code else None
        if target is None:
            raise forms.ValidationError(_("Unknown case."))
        return target

    def perform(self):
        services.merge_case(self.user, self.case, into=self.cleaned_data["into"], note=self.cleaned_data["note"])


class SuperviseForm(CaseActionForm):
    slug = Action.SUPERVISE
    title = gettext_lazy("Supervision notice (督办)")
    intro = gettext_lazy("Issue a supervision notice to the office that owns the case.")
    submit_label = gettext_lazy("Issue the notice")
    success_message = gettext_lazy("The supervision notice was issued.")
    level = forms.TypedChoiceField(label=gettext_lazy("Level"), choices=SupervisionLevel.choices, coerce=int)
    note = _note(gettext_lazy("What the office must do"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].initial = max(self.case.supervision_level, SupervisionLevel.OFFICE)

    def perform(self):
        services.supervise_case(self.user, self.case, level=self.cleaned_data["level"],
                                note=self.cleaned_data["note"])


class AttachForm(CaseActionForm):
    """Not a lifecycle action, but posted the same way."""

    slug = "attach"
    title = gettext_lazy("Add a file")
    submit_label = gettext_lazy("Upload")
    success_message = gettext_lazy("The file was attached.")
    file = forms.FileField(label=gettext_lazy("Photo or document"),
                           help_text=gettext_lazy("JPEG, PNG, GIF, WebP or PDF."))

    def perform(self):
        services.add_attachment(self.user, self.case, self.cleaned_data["file"])


class RevealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why you need the details"), required=False, max_length=200,
                             help_text=gettext_lazy("Recorded with your name in the personal-data log."))


FORMS: dict[str, type[CaseActionForm]] = {
    form.slug: form
    for form in (
        AcceptForm, RejectForm, DispatchForm, ReturnForm, TransferForm, StartForm, WaitForm, ResumeForm,
        RequestExtensionForm, ApproveExtensionForm, DenyExtensionForm, ResolveForm, FollowUpForm, ReopenForm,
        MergeForm, SuperviseForm, WithholdForm, AttachForm,
    )
}
