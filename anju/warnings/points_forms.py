"""The forms of the points pages: the register's filters, a point, a household, a season check,
a device, a reading entered by hand, a threshold rule, the rules workbook and a reveal.

A form validates what a person typed; the service still decides whether the change is allowed
and may refuse with a ``ServiceError`` naming a field, which the view puts next to that field
(``add_service_error``)."""

import re
from datetime import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.geo.models import Region
from anju.lib.errors import ServiceError
from anju.lib.workdays import LOCAL
from anju.warnings import points as services
from anju.warnings import points_access as access
from anju.warnings import readings, rules
from anju.warnings.choices import CheckRound, Level, PointType, ReadingKind, ScaleGrade
from anju.warnings.points_queries import NO_LEVEL
from anju.web.fields import date_field, datetime_field, text_field


class ServiceErrors:
    """Puts a service's refusal next to the field it names, or above the form."""

    field_map: dict[str, str] = {}

    def add_service_error(self, error: ServiceError) -> None:
        name = self.field_map.get(error.field or "", error.field)
        if name and "." in name:
            name = name.rsplit(".", 1)[-1]
        self.add_error(name if name in self.fields and not self.fields[name].widget.is_hidden else None,
                       error.message)


def _coordinate(label, limit, *, required=True):
    return forms.FloatField(label=label, required=required, min_value=-limit, max_value=limit,
                            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))


# ---------------------------------------------------------------------------- the register's filters


class PointFilterForm(forms.Form):
    """The register's filters, read from the query string (the map and the export read the same)."""

    RETIRED = "retired"
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100,
                        help_text=gettext_lazy("Code or name"), widget=forms.TextInput(attrs={"type": "search"}))
    township = forms.ModelChoiceField(label=gettext_lazy("Township"), required=False, queryset=Region.objects.none(),
                                      to_field_name="code", empty_label=gettext_lazy("Any township"))
    type = forms.ChoiceField(label=gettext_lazy("Hazard type"), required=False)
    grade = forms.ChoiceField(label=gettext_lazy("Scale grade"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("Level now"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("In use"), required=False, choices=[
        ("", gettext_lazy("Points in use")), (RETIRED, gettext_lazy("Retired points"))])
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, townships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["type"].choices = [("", _("Any type")), *PointType.choices]
        self.fields["grade"].choices = [("", _("Any grade")), *ScaleGrade.choices]
        self.fields["level"].choices = [("", _("Any level")), (NO_LEVEL, _("Below every level")), *Level.choices]


# ---------------------------------------------------------------------------- a point

VERTEX = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)\s*$")


def parse_vertices(text: str, label: str) -> list[list[float]]:
    """Lines of "latitude, longitude" as GeoJSON positions [longitude, latitude]."""
    positions = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        found = VERTEX.match(line)
        if not found:
            raise forms.ValidationError(_("Line %(n)s of %(field)s is not “latitude, longitude”.") % {
                "n": number, "field": label})
        positions.append([float(found.group(2)), float(found.group(1))])
    return positions


def vertices_text(coordinates) -> str:
    return "\n".join(f"{lat:.6f}, {lng:.6f}" for lng, lat, *_rest in coordinates)


class PointForm(ServiceErrors, forms.Form):
    """A point of the register. The outline and the route are typed (or drawn on the map) as
    lines of "latitude, longitude"."""

    code = forms.CharField(label=gettext_lazy("Code"), max_length=40,
                           help_text=gettext_lazy("The point's number in the county's register, e.g. 500229-HP-012."))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    type = forms.ChoiceField(label=gettext_lazy("Hazard type"), choices=PointType.choices)
    region = forms.ChoiceField(label=gettext_lazy("Village or grid"), required=False,
                               help_text=gettext_lazy("Found from the point when left empty."))
    lat = _coordinate(gettext_lazy("Latitude"), 90)
    lng = _coordinate(gettext_lazy("Longitude"), 180)
    outline = text_field(gettext_lazy("Outline"), required=False, rows=4, max_length=40000,
                         help_text=gettext_lazy("One vertex a line: latitude, longitude. At least three."))
    potential_loss = forms.DecimalField(label=gettext_lazy("Potential loss (10,000 yuan)"), min_value=0,
                                        max_value=services.MAX_LOSS, decimal_places=1, initial=0,
                                        help_text=gettext_lazy("With the people threatened, it gives the scale grade."))
    monitor_name = forms.CharField(label=gettext_lazy("Monitor"), max_length=50)
    monitor_phone = forms.CharField(label=gettext_lazy("Monitor's phone"), max_length=30,
                                    widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    monitor_user = forms.CharField(label=gettext_lazy("Monitor's account"), max_length=150, required=False,
                                   help_text=gettext_lazy("Username, when the monitor signs in to Anju."))
    deputy_name = forms.CharField(label=gettext_lazy("Deputy monitor"), max_length=50, required=False)
    deputy_phone = forms.CharField(label=gettext_lazy("Deputy's phone"), max_length=30, required=False,
                                   widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    deputy_user = forms.CharField(label=gettext_lazy("Deputy's account"), max_length=150, required=False)
    route = text_field(gettext_lazy("Evacuation route"), required=False, rows=4, max_length=40000,
                       help_text=gettext_lazy("From the point to the shelter, one vertex a line: latitude, longitude."))
    shelter_name = forms.CharField(label=gettext_lazy("Shelter"), max_length=200, required=False)
    shelter_lat = _coordinate(gettext_lazy("Shelter latitude"), 90, required=False)
    shelter_lng = _coordinate(gettext_lazy("Shelter longitude"), 180, required=False)
    shelter_capacity = forms.IntegerField(label=gettext_lazy("Shelter capacity (people)"), min_value=0,
                                          max_value=services.MAX_CAPACITY, initial=0)
    warning_signal = forms.CharField(label=gettext_lazy("Warning signal"), max_length=200, required=False,
                                     help_text=gettext_lazy("How the monitor raises the alarm: a gong, a horn, "
                                                            "a broadcast."))

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = regions if regions is not None else Region.objects.none()
        self.fields["region"].choices = [("", _("Find it from the point"))] + [
            (r.code, ("\u00a0\u00a0" if r.level == "grid" else "") + r.name) for r in rows]

    def clean_outline(self):
        return parse_vertices(self.cleaned_data.get("outline", ""), _("Outline"))

    def clean_route(self):
        return parse_vertices(self.cleaned_data.get("route", ""), _("Evacuation route"))

    @classmethod
    def initial_of(cls, point) -> dict:
        initial = {name: getattr(point, name) for name in (
            "code", "name", "type", "lat", "lng", "potential_loss", "monitor_name", "monitor_phone", "deputy_name",
            "deputy_phone", "shelter_name", "shelter_lat", "shelter_lng", "shelter_capacity", "warning_signal")}
        initial["region"] = point.region.code
        initial["monitor_user"] = point.monitor_user.username if point.monitor_user_id else ""
        initial["deputy_user"] = point.deputy_user.username if point.deputy_user_id else ""
        initial["outline"] = vertices_text(point.outline["coordinates"][0]) if point.outline else ""
        initial["route"] = vertices_text(point.route["coordinates"]) if point.route else ""
        return initial

    def new_point(self) -> services.NewPoint:
        c = self.cleaned_data
        outline = {"type": "Polygon", "coordinates": [c["outline"]]} if c["outline"] else None
        route = {"type": "LineString", "coordinates": c["route"]} if c["route"] else None
        return services.NewPoint(
            code=c["code"], name=c["name"], type=c["type"], lat=c["lat"], lng=c["lng"], region=c["region"],
            outline=outline, potential_loss=float(c["potential_loss"] or 0), monitor_name=c["monitor_name"],
            monitor_phone=c["monitor_phone"], monitor_user=c["monitor_user"], deputy_name=c["deputy_name"],
            deputy_phone=c["deputy_phone"], deputy_user=c["deputy_user"], route=route,
            shelter_name=c["shelter_name"], shelter_lat=c["shelter_lat"], shelter_lng=c["shelter_lng"],
            shelter_capacity=c["shelter_capacity"] or 0, warning_signal=c["warning_signal"])


# ---------------------------------------------------------------------------- what is done at a point


class HouseholdForm(ServiceErrors, forms.Form):
    head_name = forms.CharField(label=gettext_lazy("Head of household"), max_length=50)
    members = forms.IntegerField(label=gettext_lazy("People in the household"), min_value=1,
                                 max_value=services.MAX_MEMBERS, initial=1)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)
    card_number = forms.CharField(label=gettext_lazy("Card number"), max_length=40, required=False,
                                  help_text=gettext_lazy("Given from the point's code when left empty."))

    def new_household(self) -> services.NewHousehold:
        c = self.cleaned_data
        return services.NewHousehold(head_name=c["head_name"], members=c["members"], phone=c["phone"],
                                     address=c["address"], card_number=c["card_number"])


class CheckForm(ServiceErrors, forms.Form):
    round = forms.ChoiceField(label=gettext_lazy("Check"), choices=CheckRound.choices)
    checked_on = date_field(gettext_lazy("Checked on"))
    stable = forms.BooleanField(label=gettext_lazy("No change found at the point"), required=False, initial=True)
    finding = text_field(gettext_lazy("Finding"), required=False, rows=2,
                         help_text=gettext_lazy("What changed: new cracks, bulging, springs, falling stones."))


class DeviceForm(ServiceErrors, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    kinds = forms.MultipleChoiceField(label=gettext_lazy("Measures"), choices=ReadingKind.choices,
                                      widget=forms.CheckboxSelectMultiple)
    interval_minutes = forms.IntegerField(label=gettext_lazy("Reporting interval (minutes)"), initial=60,
                                          min_value=services.MIN_INTERVAL, max_value=services.MAX_INTERVAL)


class ReadingForm(ServiceErrors, forms.Form):
    """A reading entered by hand; its time is read in Asia/Shanghai."""

    kind = forms.ChoiceField(label=gettext_lazy("Reading kind"), choices=ReadingKind.choices)
    value = forms.FloatField(label=gettext_lazy("Value"), widget=forms.NumberInput(attrs={"step": "any",
                                                                                          "inputmode": "decimal"}),
                             help_text=gettext_lazy("Rain: millimetres since the last reading."))
    measured_at = datetime_field(gettext_lazy("Measured at"))

    def new_reading(self) -> readings.NewReading:
        c = self.cleaned_data
        moment = c["measured_at"]
        if isinstance(moment, datetime):
            moment = moment.replace(tzinfo=None).replace(tzinfo=LOCAL) if moment.tzinfo is None else moment
        return readings.NewReading(c["kind"], c["value"], moment)


class RevealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why you need the contacts"), max_length=200, required=False)


# ---------------------------------------------------------------------------- rules


class RuleForm(ServiceErrors, forms.Form):
    """A rule for an area the user keeps rules in, or for a point (by its code)."""

    field_map = {"point": "point_code"}
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    point_code = forms.CharField(label=gettext_lazy("Or a point's code"), max_length=40, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Reading kind"), choices=ReadingKind.choices)
    window_hours = forms.IntegerField(label=gettext_lazy("Window (hours)"), min_value=0,
                                      max_value=rules.MAX_WINDOW_HOURS, initial=24,
                                      help_text=gettext_lazy("Rain: the hours summed; 0: the latest value."))
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices)
    threshold = forms.FloatField(label=gettext_lazy("Threshold"),
                                 validators=[MinValueValidator(-rules.MAX_THRESHOLD),
                                             MaxValueValidator(rules.MAX_THRESHOLD)],
                                 widget=forms.NumberInput(attrs={"step": "any"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.exclude(level="grid").order_by("path")
        self.user = user
        self.fields["area"].choices = [("", "---------")] + [
            (r.code, "\u00a0\u00a0" * r.depth + r.name) for r in regions if access.can_keep_rules_in(user, r)]

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("area")) == bool(cleaned.get("point_code")):
            self.add_error("area", _("Choose an area, or give a point's code: one of them."))
        return cleaned

    @classmethod
    def initial_of(cls, rule) -> dict:
        return {"area": rule.area.code if rule.area_id else "", "point_code": rule.point.code if rule.point_id else "",
                "kind": rule.kind, "window_hours": rule.window_hours, "level": rule.level,
                "threshold": rule.threshold}

    def new_rule(self) -> rules.NewRule:
        c = self.cleaned_data
        point = None
        if c.get("point_code"):
            point = access.visible_points(self.user).filter(code=c["point_code"]).values_list("pk", flat=True).first()
            if point is None:
                raise ServiceError(_("Unknown monitoring point."), status=422, field="point")
        return rules.NewRule(kind=c["kind"], window_hours=c["window_hours"], level=c["level"],
                             threshold=c["threshold"], point=point, area=c.get("area") or "")


class RulesFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx)"), widget=forms.ClearableFileInput(attrs={
        "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}))
