"""The forms of the duty pages. A form checks what was typed; the service still decides and may
refuse with a ``ServiceError`` naming a field, which ``add_service_error`` puts next to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.duty.choices import DutyPost, EntryKind, ShiftKind
from anju.lib.errors import ServiceError


class ServiceForm(forms.Form):
    def add_service_error(self, error: ServiceError) -> None:
        """The service's refusal next to the field it names, or above the form."""
        self.add_error(error.field if error.field in self.fields else None, error.message)


def _people_choices(users, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    return choices + [(u.username, f"{u.display_name or u.username} ({u.username})") for u in users]


class ShiftForm(ServiceForm):
    """Plan a shift of the office's roster, or change one."""

    day = forms.DateField(label=_("Duty day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Shift"))
    officer = forms.ChoiceField(label=_("Duty officer (值班员)"))
    leader = forms.ChoiceField(label=_("Leader on duty (带班领导)"), required=False,
                               help_text=_("May be left empty for now: the roster shows the gap."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, kinds, officers, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, ShiftKind(k).label) for k in kinds]
        self.fields["officer"].choices = _people_choices(officers, blank="")
        self.fields["leader"].choices = _people_choices(leaders, blank=str(_("(not yet)")))


class SwapForm(ServiceForm):
    post = forms.ChoiceField(label=_("Post"), choices=DutyPost.choices)
    to_user = forms.ChoiceField(label=_("Who takes it over"))
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, posts, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [(p, DutyPost(p).label) for p in posts]
        self.fields["to_user"].choices = _people_choices(people, blank="")


class DecisionForm(ServiceForm):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")], widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (required to refuse)"), max_length=300, required=False)


class EntryForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    text = forms.CharField(label=_("Log entry"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What happened and what is left to do. A resident's concern is registered "
                                       "as a case: write its tracking code here, not the caller's name or number."))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
    check_only = forms.BooleanField(label=_("Only check the file, change nothing"), required=False)
