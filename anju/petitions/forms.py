"""The forms of the staff petition pages: one per petition action, each calling one service,
and the forms that register a petition and filter the list.

A form validates what a person typed; the service still decides whether the change is allowed
now and may refuse with a ``CaseError`` naming a field, which the view puts next to that field.
Every action form is bound with a prefix (its slug, and the id of the extension request or
notice it acts on) so that several forms on one page never share an id. Forms that send a
written notice ask on which day it was sent and how.
"""


from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from anju.cases import services as case_services
from anju.cases.models import Case
from anju.cases.services import CaseError, NewCase
from anju.geo.models import Region
from anju.lib.workdays import LOCAL
from anju.people.choices import Role
from anju.people.models import Office, User
from anju.petitions import access, services, statutory
from anju.petitions.choices import DECISIONS_OF_LEVEL, PETITION, Delivery, Level, PetitionForm, RouteKind
from anju.petitions.models import Petition
from anju.petitions.resident_forms import bookable_days, parse_slot, set_slot_choices
from anju.web.action_forms import ActionForm
from anju.web.fields import (
    category_choices,
    check_place,
    coordinate_field,
    date_field,
    office_choices,
    text_field,
    today,
)
from anju.web.intake_forms import region_choices

NOTE = gettext_lazy("Note")
SENT_TO_PETITIONER = gettext_lazy("The petitioner receives a written notice and reads it on the tracking page.")


_text, _date = text_field, date_field


def petition_category_choices(empty_label="---------") -> list:
    """The petition categories: the active ``petition`` subtree, in tree order."""
    return category_choices(PETITION, empty_label)


# ---------------------------------------------------------------------------- actions


class PetitionActionForm(ActionForm):
    """One action on one petition (and perhaps on one of its extension requests or notices), by
    one user. Subclasses set the texts and ``perform``; ``target`` is the object acted on."""

    # Asked before a step that cannot be undone (anju.js; the form works without it).
    confirm = ""

    def __init__(self, data=None, *, case: Case, petition: Petition, user, target=None, **kwargs):
        super().__init__(data, case=case, user=user, target=target, **kwargs)
        self.petition = petition
        # A step that opens another petition (a review) names it here; the view goes there.
        self.next_case: Case | None = None


class NoticeMixin:
    """The day the written notice was sent (today unless told) and how."""

    def add_notice_fields(self):
        self.fields["sent_on"] = _date(gettext_lazy("Notice sent on"), help_text=SENT_TO_PETITIONER)
        self.fields["delivery"] = forms.ChoiceField(label=gettext_lazy("Sent by"), choices=Delivery.choices)
        self.initial.setdefault("sent_on", today())
        self.initial.setdefault("delivery", Delivery.ONLINE)

    def sending(self) -> dict:
        return {"sent_on": self.cleaned_data["sent_on"], "delivery": self.cleaned_data["delivery"]}


class RouteForm(NoticeMixin, PetitionActionForm):
    slug = "route"
    title = gettext_lazy("Route to the competent body (转送/交办)")
    intro = gettext_lazy("The body has 15 days to say whether it accepts the matter and 5 working days to object "
                         "that it is not competent (信访工作条例 第二十二条、第二十三条).")
    submit_label = gettext_lazy("Route")
    success_message = gettext_lazy("The petition was routed; the petitioner was told where it went.")
    office = forms.ChoiceField(label=gettext_lazy("Competent body"))
    route_kind = forms.ChoiceField(label=gettext_lazy("How"), choices=RouteKind.choices, initial=RouteKind.TRANSFERRED,
                                   widget=forms.RadioSelect)
    note = _text(NOTE, required=False, max_length=1000, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = office_choices(exclude_id=self.case.office_id)
        self.add_notice_fields()

    def perform(self):
        c = self.cleaned_data
        services.route_petition(self.user, self.case, office_code=c["office"], route_kind=c["route_kind"],
                                note=c["note"], **self.sending())


class ObjectForm(PetitionActionForm):
    slug = "object"
    title = gettext_lazy("Object: not within our competence (异议)")
    submit_label = gettext_lazy("Object")
    danger = True
    success_message = gettext_lazy("The objection was recorded; the petition went back to the office that routed "
                                   "it.")
    reason = _text(gettext_lazy("Reason"), max_length=1000, rows=2,
                   help_text=gettext_lazy("Which body is competent, and why."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        due = self.petition.objection_due_at
        if due is not None:
            self.intro = _("Within 5 working days of receiving the matter, by %(date)s (信访工作条例 第二十三条).") % {
                "date": due.astimezone(LOCAL).strftime("%Y-%m-%d")}

    def perform(self):
        services.object_to_petition(self.user, self.case, reason=self.cleaned_data["reason"])


class AcceptForm(NoticeMixin, PetitionActionForm):
    slug = "accept"
    title = gettext_lazy("Accept (受理)")
    intro = gettext_lazy("The petitioner is told in writing by when the body will answer.")
    submit_label = gettext_lazy("Accept")
    success_message = gettext_lazy("The petition was accepted; the notice of acceptance was issued.")
    note = _text(NOTE, required=False, max_length=1000, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_notice_fields()

    def perform(self):
        services.accept_petition(self.user, self.case, note=self.cleaned_data["note"], **self.sending())


class DeclineForm(NoticeMixin, PetitionActionForm):
    slug = "decline"
    title = gettext_lazy("Not accepted (不予受理)")
    intro = gettext_lazy("The petitioner receives the reason and where to turn instead; the petition closes.")
    submit_label = gettext_lazy("Decline")
    danger = True
    confirm = gettext_lazy("Decline this petition? It closes and the petitioner receives the notice of "
                           "non-acceptance.")
    success_message = gettext_lazy("The petition was not accepted; the notice was issued.")
    reason = _text(gettext_lazy("Reason"), max_length=1000, rows=2)
    where_to_go = _text(gettext_lazy("Where to turn instead"), required=False, max_length=500, rows=2,
                        help_text=gettext_lazy("A court, arbitration, administrative reconsideration or another "
                                               "body."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_notice_fields()

    def perform(self):
        c = self.cleaned_data
        services.decline_petition(self.user, self.case, reason=c["reason"], where_to_go=c["where_to_go"],
                                  **self.sending())


class ConcludedForm(NoticeMixin, PetitionActionForm):
    slug = "answer_concluded"
    title = gettext_lazy("Already concluded after re-examination (不再受理)")
    intro = gettext_lazy("The same request on the same facts and reasons was concluded by a re-examination "
                         "decision (信访工作条例 第三十六条). Give the tracking code of that matter.")
    submit_label = gettext_lazy("Answer as concluded")
    danger = True
    confirm = gettext_lazy("Answer that the matter is concluded? The petition closes and the petitioner receives "
                           "the notice.")
    success_message = gettext_lazy("The petitioner was told that the matter is concluded.")
    earlier_code = forms.CharField(label=gettext_lazy("Tracking code of the concluded matter"), max_length=20)
    note = _text(NOTE, required=False, max_length=1000, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_notice_fields()

    def perform(self):
        c = self.cleaned_data
        services.answer_as_concluded(self.user, self.case, earlier_code=c["earlier_code"], note=c["note"],
                                     **self.sending())


class RequestExtensionForm(PetitionActionForm):
    slug = "request_extension"
    title = gettext_lazy("Ask for more time (申请延期)")
    submit_label = gettext_lazy("Ask")
    success_message = gettext_lazy("The extension was asked for; a supervisor decides.")
    days = forms.IntegerField(label=gettext_lazy("Days"), min_value=1, max_value=statutory.EXTENSION_MAX.days)
    reason = _text(gettext_lazy("Reason"), max_length=500, rows=2,
                   help_text=gettext_lazy("The petitioner is told this reason if it is approved."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        left = statutory.EXTENSION_MAX.days - self.petition.extension_days
        self.intro = _("At most 30 days in all (信访工作条例 第三十四条); %(left)s days remain.") % {"left": left}

    def perform(self):
        services.request_petition_extension(self.user, self.case, days=self.cleaned_data["days"],
                                            reason=self.cleaned_data["reason"])


class ApproveExtensionForm(NoticeMixin, PetitionActionForm):
    """On the pending extension request."""

    slug = "approve_extension"
    title = gettext_lazy("Approve the extension")
    intro = gettext_lazy("The answer is due that many days later; the petitioner is told why in writing.")
    submit_label = gettext_lazy("Approve")
    success_message = gettext_lazy("The extension was approved; the notice of extension was issued.")
    note = _text(NOTE, required=False, max_length=500, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_notice_fields()

    def perform(self):
        services.approve_petition_extension(self.user, self.case, request_id=self.target.pk,
                                            note=self.cleaned_data["note"], **self.sending())


class DenyExtensionForm(PetitionActionForm):
    """On the pending extension request."""

    slug = "deny_extension"
    title = gettext_lazy("Deny the extension")
    submit_label = gettext_lazy("Deny")
    danger = True
    success_message = gettext_lazy("The extension was denied; the time limit stays.")
    note = _text(gettext_lazy("Reason"), max_length=500, rows=2)

    def perform(self):
        case_services.deny_extension(self.user, self.case, request_id=self.target.pk, note=self.cleaned_data["note"])


class AnswerForm(NoticeMixin, PetitionActionForm):
    slug = "answer"
    title = gettext_lazy("Answer in writing (处理意见书)")
    intro = gettext_lazy("The request, the facts and reasons, the decision and its basis; the petition is "
                         "resolved with it.")
    submit_label = gettext_lazy("Send the answer")
    confirm = gettext_lazy("Send this written answer? The petition is resolved with it and the petitioner reads "
                           "it on the tracking page.")
    success_message = gettext_lazy("The written answer was issued.")
    decision = forms.ChoiceField(label=pgettext_lazy("petition answer", "Decision"), widget=forms.RadioSelect)
    findings = _text(gettext_lazy("Facts and reasons"), max_length=5000, rows=4)
    basis = _text(gettext_lazy("Legal basis"), max_length=2000, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        level = self.petition.level
        if level == Level.REVIEW:
            self.title = _("Review decision (复查意见书)")
        elif level == Level.REEXAMINATION:
            self.title = _("Re-examination decision (复核意见书)")
        self.fields["decision"].choices = [(d.value, d.label) for d in DECISIONS_OF_LEVEL[level]]
        self.add_notice_fields()

    def perform(self):
        c = self.cleaned_data
        services.answer_petition(self.user, self.case, services.AnswerText(
            decision=c["decision"], findings=c["findings"], basis=c["basis"]), **self.sending())


class RecordDeliveryForm(PetitionActionForm):
    """On a notice sent by post: the day the petitioner received it."""

    slug = "record_delivery"
    title = gettext_lazy("Record the day it was received (送达)")
    intro = gettext_lazy("The petitioner's own time to ask for review counts from this day.")
    submit_label = gettext_lazy("Record")
    success_message = gettext_lazy("The day of receipt was recorded.")
    delivered_on = _date(gettext_lazy("Received on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("delivered_on", today())

    def perform(self):
        services.record_delivery(self.user, self.case, notice_id=self.target.pk,
                                 delivered_on=self.cleaned_data["delivered_on"])


class RequestReviewForm(PetitionActionForm):
    slug = "request_review"
    title = gettext_lazy("Record a request for review (复查)")
    intro = gettext_lazy("What the petitioner handed in: a new petition opens a level up, linked to this decision, "
                         "with 30 days to answer.")
    submit_label = gettext_lazy("Record the request")
    success_message = gettext_lazy("The request was recorded as a new petition.")
    reason = _text(gettext_lazy("What the petitioner asks, and why"), max_length=5000, rows=3)
    asked_on = _date(gettext_lazy("Asked on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.petition.level == Level.REVIEW:
            self.title = _("Record a request for re-examination (复核)")
        self.initial.setdefault("asked_on", today())

    def perform(self):
        self.next_case = services.request_review(self.user, self.case, reason=self.cleaned_data["reason"],
                                                 asked_on=self.cleaned_data["asked_on"])


class HearingForm(PetitionActionForm):
    slug = "record_hearing"
    title = gettext_lazy("Record a hearing (听证)")
    intro = gettext_lazy("Its days do not count towards the 30 days (信访工作条例 第三十六条).")
    submit_label = gettext_lazy("Record the hearing")
    success_message = gettext_lazy("The hearing was recorded; the time limit moved on by its days.")
    starts_on = _date(gettext_lazy("First day"))
    ends_on = _date(gettext_lazy("Last day"))
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    note = _text(NOTE, required=False, rows=2)

    def perform(self):
        c = self.cleaned_data
        services.record_hearing(self.user, self.case, starts_on=c["starts_on"], ends_on=c["ends_on"],
                                place=c["place"], note=c["note"])


def leaders_reaching(case: Case) -> list:
    """The leaders whose scope reaches the petition: those a supervisor may name."""
    candidates = User.objects.filter(is_active=True, roles__role=Role.LEADER).distinct().order_by("username")
    return [u for u in candidates if access.is_leader_for(u, case)]


class AssignLeaderForm(PetitionActionForm):
    slug = "assign_leader"
    title = gettext_lazy("Name the leader in charge (领导包案)")
    submit_label = gettext_lazy("Name")
    success_message = gettext_lazy("The leader in charge was named.")
    leader = forms.TypedChoiceField(label=gettext_lazy("Leader"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [("", "---------")] + [
            (u.pk, u.display_name or u.username) for u in leaders_reaching(self.case)]

    def perform(self):
        services.assign_leader(self.user, self.case, leader_id=self.cleaned_data["leader"])


class TakeChargeForm(PetitionActionForm):
    slug = "take_charge"
    title = gettext_lazy("Take personal charge (领导包案)")
    intro = gettext_lazy("The petition shows on your workbench until it is closed.")
    submit_label = gettext_lazy("Take charge")
    success_message = gettext_lazy("You are in personal charge of the petition.")

    def perform(self):
        services.assign_leader(self.user, self.case, leader_id=self.user.pk)


class TransferForm(PetitionActionForm):
    slug = "transfer"
    title = gettext_lazy("Approve a transfer to another body")
    intro = gettext_lazy("The body that accepted a petition keeps it to the end (首办责任) unless a supervisor "
                         "approves a transfer; the time limit runs on.")
    submit_label = gettext_lazy("Transfer")
    danger = True
    confirm = gettext_lazy("Transfer this petition to the chosen body?")
    success_message = gettext_lazy("The petition was transferred.")
    office = forms.ChoiceField(label=gettext_lazy("Body"))
    reason = _text(gettext_lazy("Reason"), max_length=500, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = office_choices(exclude_id=self.case.office_id)

    def perform(self):
        services.transfer_petition(self.user, self.case, office_code=self.cleaned_data["office"],
                                   reason=self.cleaned_data["reason"])


class TakeUpForm(PetitionActionForm):
    slug = "take_up"
    title = gettext_lazy("Take up the petition (签收)")
    intro = gettext_lazy("Your body starts handling the petition transferred to it.")
    submit_label = gettext_lazy("Take up")
    success_message = gettext_lazy("Your body is handling the petition.")
    note = _text(NOTE, required=False, rows=2)

    def perform(self):
        case_services.start_case(self.user, self.case, note=self.cleaned_data["note"])


class BookReceptionForm(PetitionActionForm):
    slug = "book_reception"
    title = gettext_lazy("Book a leader reception (领导接访)")
    intro = gettext_lazy("At the counter, for the petitioner: a slot on one of the reception days to come.")
    submit_label = gettext_lazy("Book")
    success_message = gettext_lazy("The reception was booked; the petitioner was told.")
    slot = forms.ChoiceField(label=gettext_lazy("Day and time"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The days that cover the petition's place, as the petitioner is offered them.
        set_slot_choices(self.fields["slot"], bookable_days(self.case))

    def clean_slot(self):
        return parse_slot(self.cleaned_data["slot"])

    def perform(self):
        day_id, slot_at = self.cleaned_data["slot"]
        services.book_reception(self.user, self.case, day_id=day_id, slot_at=slot_at)


class RevealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why you need the details"), required=False, max_length=200)


FORMS: dict[str, type[PetitionActionForm]] = {
    form.slug: form
    for form in (
        RouteForm, ObjectForm, AcceptForm, DeclineForm, ConcludedForm, RequestExtensionForm, ApproveExtensionForm,
        DenyExtensionForm, AnswerForm, RecordDeliveryForm, RequestReviewForm, HearingForm, AssignLeaderForm,
        TakeChargeForm, TransferForm, TakeUpForm, BookReceptionForm,
    )
}
# The forms that act on one object of the petition: an extension request of the case, a notice.
TARGETS = {ApproveExtensionForm.slug: "extension", DenyExtensionForm.slug: "extension",
           RecordDeliveryForm.slug: "notice"}


# ---------------------------------------------------------------------------- the list


class PetitionFilterForm(forms.Form):
    """The petition list's filters, read from the query string. The search reads the matter and
    the tracking code, never who petitioned."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        help_text=gettext_lazy("Words of the matter or the request, or a tracking code"),
                        widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    township = forms.ModelChoiceField(label=gettext_lazy("Township"), required=False,
                                      queryset=Region.objects.none(), empty_label=gettext_lazy("Any township"))
    office = forms.ModelChoiceField(label=gettext_lazy("Body"), required=False, to_field_name="code",
                                    queryset=Office.objects.order_by("kind", "code"),
                                    empty_label=gettext_lazy("Any body"))
    overdue = forms.ChoiceField(label=gettext_lazy("Time limit"), required=False,
                                choices=[("", gettext_lazy("Any")), ("yes", gettext_lazy("Overdue")),
                                         ("no", gettext_lazy("Not overdue"))])
    leader = forms.ModelChoiceField(label=gettext_lazy("Leader in charge"), required=False,
                                    queryset=User.objects.none(), empty_label=gettext_lazy("Any"))
    page = forms.IntegerField(label=gettext_lazy("Page"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, townships, leaders, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from anju.cases.choices import Status

        self.fields["status"].choices = [("", _("Any status")), ("open", _("Any open status")), *Status.choices]
        self.fields["level"].choices = [("", _("Any level")), *Level.choices]
        self.fields["category"].choices = petition_category_choices(_("Any category"))
        self.fields["township"].queryset = townships
        self.fields["leader"].queryset = leaders
        self.fields["leader"].label_from_instance = lambda u: u.display_name or u.username


# ---------------------------------------------------------------------------- registering


class RegisterPetitionForm(forms.Form):
    """The case fields of a petition and its record; the petitioners come in
    ``PetitionerRowForm`` rows."""

    field_map = {"region_code": "region", "Idempotency-Key": "", "petitioners": "", "reporter_name": "",
                 "reporter_phone": "", "reporter_email": ""}

    form = forms.ChoiceField(label=gettext_lazy("How it came"), choices=PetitionForm.choices,
                             initial=PetitionForm.VISIT)
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    text = _text(gettext_lazy("The matter (信访事项)"), max_length=5000, rows=4,
                 help_text=gettext_lazy("What happened. The petitioners' names and numbers are blanked from these "
                                        "words; they are kept in the petitioner rows only."))
    request = _text(gettext_lazy("The request (信访诉求)"), required=False, max_length=5000, rows=3,
                    help_text=gettext_lazy("What the petitioner asks for."))
    lat = coordinate_field(gettext_lazy("Latitude"), 90)
    lng = coordinate_field(gettext_lazy("Longitude"), 180)
    address = forms.CharField(label=gettext_lazy("Address or place description"), max_length=200, required=False)
    region = forms.ChoiceField(label=gettext_lazy("Grid, village or township"), required=False,
                               help_text=gettext_lazy("Needed when no point is given."))
    about_office = forms.ChoiceField(label=gettext_lazy("Body complained about"), required=False,
                                     help_text=gettext_lazy("The petitioners are never shown to any user of this "
                                                            "body."))
    about_official = forms.CharField(label=gettext_lazy("Official complained about"), max_length=100, required=False,
                                     help_text=gettext_lazy("As the petitioner gives it: a title or a name. Needs "
                                                            "the body the official works for."))
    reports_wrongdoing = forms.BooleanField(
        label=gettext_lazy("Reports wrongdoing (检举、揭发)"), required=False,
        help_text=gettext_lazy("Confidential by rule: the petition is never passed to the body it is about and that "
                               "body never sees it (信访工作条例 第三十条)."))
    received_on = date_field(pgettext_lazy("petition registration", "Received on"), required=False,
                             help_text=gettext_lazy("The day the petition came in (a letter opened later); today when "
                                                    "empty. The 15 days to route it run from then."))
    group_size = forms.IntegerField(label=gettext_lazy("People petitioning together"), min_value=1,
                                    max_value=100_000, required=False,
                                    help_text=gettext_lazy("Leave empty to count the petitioners below."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = petition_category_choices()
        self.fields["region"].choices = region_choices(user)
        self.fields["about_office"].choices = office_choices(empty_label=_("None"))

    def clean(self):
        cleaned = super().clean()
        check_place(self, cleaned)
        return cleaned

    def new_case(self) -> NewCase:
        d = self.cleaned_data
        return NewCase(kind=PETITION, category_code=d["category"], text=d["text"], lat=d["lat"], lng=d["lng"],
                       address=d["address"], region_code=d["region"], about_office_code=d["about_office"],
                       reports_wrongdoing=d["reports_wrongdoing"])

    def facts(self, petitioners: list) -> services.PetitionFacts:
        d = self.cleaned_data
        return services.PetitionFacts(form=d["form"], request=d["request"], about_official=d["about_official"],
                                      group_size=d["group_size"] or max(1, len(petitioners)),
                                      petitioners=petitioners)

    def add_case_error(self, error: CaseError) -> None:
        name = self.field_map.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)


class PetitionerRowForm(forms.Form):
    """One petitioner on the registration form; a row without a name is left out."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=50, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)
    is_representative = forms.BooleanField(label=gettext_lazy("Representative"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("name") or "").strip() and any(
                cleaned.get(f) for f in ("phone", "address", "is_representative")):
            self.add_error("name", _("Give the petitioner's name, or clear the row."))
        return cleaned

    @property
    def is_empty(self) -> bool:
        return not (self.cleaned_data.get("name") or "").strip()

    def new_petitioner(self) -> services.NewPetitioner:
        c = self.cleaned_data
        return services.NewPetitioner(name=c["name"], phone=c["phone"], address=c["address"],
                                      is_representative=c["is_representative"])
