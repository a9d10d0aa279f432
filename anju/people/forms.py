"""Administration forms for offices and role assignments."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anju.geo.choices import Level
from anju.people.choices import OfficeKind, Role
from anju.people.models import Office, RoleAssignment

# The region level an office of this kind answers for; the other kinds may sit at any level.
OFFICE_LEVEL = {
    OfficeKind.TOWNSHIP: Level.TOWNSHIP,
    OfficeKind.VILLAGE: Level.VILLAGE,
}


class OfficeAdminForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = ["code", "name", "kind", "jurisdiction", "categories", "is_active"]
        help_texts = {
            "jurisdiction": _("The region the office answers for, with everything under it."),
            "categories": _("The kinds of concern the office answers for across its jurisdiction (行业). "
                            "A township office handling everything in its township (属地) needs none."),
        }

    def clean(self):
        cleaned = super().clean()
        kind, jurisdiction = cleaned.get("kind"), cleaned.get("jurisdiction")
        if jurisdiction is not None:
            if jurisdiction.level == Level.GRID:
                self.add_error("jurisdiction", gettext("An office answers for a county, township or village, "
                                                       "not a single grid."))
            elif kind in OFFICE_LEVEL and jurisdiction.level != OFFICE_LEVEL[kind]:
                self.add_error("jurisdiction", gettext("A %(kind)s answers for a %(level)s.")
                               % {"kind": OfficeKind(kind).label, "level": OFFICE_LEVEL[kind].label})
        return cleaned


class RoleAssignmentForm(forms.ModelForm):
    """One role of a user. Apart from administrators, a role reaches only the cases of a region
    or an office: without either it would reach every case in the county."""

    class Meta:
        model = RoleAssignment
        fields = ["role", "region", "office"]
        help_texts = {
            "region": _("The role reaches cases located in this region and below."),
            "office": _("The role reaches cases owned by this office."),
        }

    def clean(self):
        cleaned = super().clean()
        role, region, office = cleaned.get("role"), cleaned.get("region"), cleaned.get("office")
        if not role:
            return cleaned
        if role == Role.HANDLER and office is None:
            self.add_error("office", gettext("A handler works for an office: choose it."))
        elif role != Role.ADMIN and region is None and office is None:
            self.add_error("region", gettext("Choose the region or the office this role covers; only an "
                                             "administrator's role may cover everything."))
        if office is not None and not office.is_active and "office" in self.changed_data:
            self.add_error("office", gettext("This office is no longer active."))
        return cleaned


class RoleAssignmentFormSet(forms.BaseInlineFormSet):
    """The roles of one user: each (role, region, office) once."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            key = (data.get("role"), data.get("region"), data.get("office"))
            if key in seen:
                form.add_error("role", gettext("The user has this role with this scope already."))
            seen.add(key)
