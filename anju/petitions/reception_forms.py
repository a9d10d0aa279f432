"""The forms of the staff pages for leader reception days (领导接访日): planning a day, recording
a reception, cancelling a day.

A form checks what a person typed; the service still decides (``plan_reception_day``,
``record_reception``, ``cancel_reception_day``) and may refuse with a ``CaseError`` naming a
field, which ``add_case_error`` puts next to the field of the form that asked for it.
"""

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anju.cases.services import CaseError
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.workdays import LOCAL
from anju.people.choices import Role
from anju.people.models import User
from anju.petitions import access


class ServiceErrorMixin:
    """Put a service's refusal next to the field it names (``field_map`` translates the
    service's names to the form's); a refusal without a field goes above the form."""

    field_map: dict[str, str] = {}

    def add_case_error(self, error: CaseError) -> None:
        name = self.field_map.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)


def plannable_regions(user) -> list[Region]:
    """The county and the townships ``user`` may plan reception days for, top down."""
    rows = Region.objects.filter(level__in=[Level.COUNTY, Level.TOWNSHIP]).order_by("path")
    return [region for region in rows if access.can_plan_reception(user, region)]


def leaders():
    """Active users who hold the leader role somewhere: those who may receive petitioners."""
    return (User.objects.filter(is_active=True, roles__role=Role.LEADER).select_related("office").distinct()
            .order_by("display_name", "username"))


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} · {user.office.name}" if user.office_id else str(user)


class PlanDayForm(ServiceErrorMixin, forms.Form):
    """A reception day: which leader receives petitioners for which region, where, on which day
    from when until when, in slots of so many minutes with room for so many petitions each."""

    leader = LeaderChoiceField(label=_("Leader"), queryset=User.objects.none(),
                               help_text=_("Users with the leader role."))
    region = forms.ChoiceField(label=_("For the region"))
    place = forms.CharField(label=_("Place"), max_length=200)
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    slot_minutes = forms.IntegerField(label=_("Minutes per slot"), min_value=10, max_value=240, initial=30)
    per_slot = forms.IntegerField(label=_("Petitions per slot"), min_value=1, max_value=50, initial=2)
    topic = forms.CharField(label=pgettext_lazy("reception day", "Topic"), max_length=200, required=False,
                            help_text=_("Optional: the matters this day is for, as the public calendar shows it."))

    field_map = {"starts_at": "date", "ends_at": "end_time"}

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders()
        self.fields["region"].choices = [(r.code, r.name) for r in plannable_regions(user)]

    def moments(self) -> tuple[datetime, datetime]:
        """The day's start and end in Beijing time."""
        day = self.cleaned_data["date"]
        return (datetime.combine(day, self.cleaned_data["start_time"], tzinfo=LOCAL),
                datetime.combine(day, self.cleaned_data["end_time"], tzinfo=LOCAL))


class RecordReceptionForm(ServiceErrorMixin, forms.Form):
    """What was said when the leader received the petitioner, and whether the leader takes
    personal charge of the matter there and then (领导包案)."""

    summary = forms.CharField(label=_("What was said"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Goes on the petition's timeline."))
    take_charge = forms.BooleanField(label=_("The leader of the day takes personal charge of this petition "
                                             "(领导包案)"), required=False)

    field_map = {"booking": "summary"}


class CancelDayForm(ServiceErrorMixin, forms.Form):
    """Why the day is taken off the calendar: every petitioner booked is told."""

    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Sent to every petitioner booked on this day."))
