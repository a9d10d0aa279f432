"""Form fields and choices shared by the pages of several modules."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.cases.models import Category
from anju.lib.api import EARLIEST, LATEST
from anju.lib.workdays import LOCAL
from anju.people.choices import OfficeKind
from anju.people.models import Office


def today():
    return timezone.now().astimezone(LOCAL).date()


def text_field(label, *, required=True, max_length=2000, rows=3, help_text=""):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


def date_field(label, *, required=True, help_text=""):
    """A date within the years a case can sensibly carry (a calendar or a time-zone conversion of
    year 1 would fail)."""
    return forms.DateField(label=label, required=required, help_text=help_text,
                           validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(label=label, required=required, help_text=help_text,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


def coordinate_field(label, limit: int) -> forms.FloatField:
    """A latitude (``limit`` 90) or longitude (``limit`` 180) in degrees, optional."""
    return forms.FloatField(
        label=label, required=False, min_value=-limit, max_value=limit,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


def office_choices(exclude_id=None, empty_label=None) -> list:
    """Active offices grouped by kind, for a select with <optgroup>s, without the office
    ``exclude_id`` (the one that has the case, for a transfer). The empty choice reads
    ``empty_label``, by default "Choose an office"."""
    groups: dict[str, list] = {}
    for office in Office.objects.filter(is_active=True).exclude(pk=exclude_id).order_by("kind", "code"):
        groups.setdefault(office.kind, []).append((office.code, office.name))
    choices = [("", _("Choose an office") if empty_label is None else empty_label)]
    for kind, label in OfficeKind.choices:
        if kind in groups:
            choices.append((label, groups[kind]))
    return choices


def category_choices(kind: str, empty_label="---------") -> list:
    """The active categories whose default kind is ``kind`` (a module's subtree: dispute types,
    petition categories), in tree order, indented by depth."""
    rows = Category.objects.filter(is_active=True, default_kind=kind).order_by("path")
    return [("", empty_label)] + [
        (c.code, "\u00a0\u00a0" * max(0, c.depth - 1) + ("· " if c.depth > 1 else "") + c.name) for c in rows
    ]


def check_place(form, cleaned: dict) -> None:
    """A register form's place: both of ``lat`` and ``lng`` or neither, and without a point a
    ``region`` (grid, village or township); errors go next to the field."""
    if "lat" in form.errors or "lng" in form.errors:
        return
    lat, lng = cleaned.get("lat"), cleaned.get("lng")
    if (lat is None) != (lng is None):
        form.add_error("lat", _("Give both latitude and longitude, or neither."))
    elif lat is None and not cleaned.get("region") and "region" not in form.errors:
        form.add_error("region", _("Give the point, or choose the grid, village or township."))
