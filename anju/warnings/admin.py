"""Administration of the warnings' settings: what each level means (the editable table of CAP
urgency, severity and certainty, who approves, the minutes to acknowledge, the hours in force).
Points, rules and warnings are kept on their pages."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from anju.people.choices import Role
from anju.warnings.models import LevelPolicy

APPROVERS = [(Role.SUPERVISOR.value, Role.SUPERVISOR.label), (Role.LEADER.value, Role.LEADER.label)]


class LevelPolicyForm(forms.ModelForm):
    approver_role = forms.ChoiceField(label=_("approved by"), choices=APPROVERS)

    class Meta:
        model = LevelPolicy
        fields = ["level", "urgency", "severity", "certainty", "approver_role", "ack_minutes", "expires_hours"]

    def clean_ack_minutes(self):
        minutes = self.cleaned_data["ack_minutes"]
        if not 1 <= minutes <= 24 * 60:
            raise forms.ValidationError(_("Between 1 and 1,440 minutes."))
        return minutes

    def clean_expires_hours(self):
        hours = self.cleaned_data["expires_hours"]
        if not 1 <= hours <= 24 * 30:
            raise forms.ValidationError(_("Between 1 and 720 hours."))
        return hours


@admin.register(LevelPolicy)
class LevelPolicyAdmin(admin.ModelAdmin):
    form = LevelPolicyForm
    list_display = ["level", "urgency", "severity", "certainty", "approver_role", "ack_minutes", "expires_hours"]

    def has_delete_permission(self, request, obj=None):
        # Each of the four levels keeps its row; a missing row would fall back to the defaults unseen.
        return False
