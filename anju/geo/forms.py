"""Administration forms for the region tree: one region, and a file of grids."""

import json
from pathlib import PurePath

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from anju.geo.choices import CHILD_LEVEL, Level
from anju.geo.models import Region
from anju.geo.services import code_problem, validate_boundary

# A county's grids with detailed outlines fit in a few megabytes; more is a wrong file.
GRID_FILE_MAX_BYTES = 20 * 1024 * 1024
GRID_FILE_SUFFIXES = (".geojson", ".json")


class RegionAdminForm(forms.ModelForm):
    """A region with the tree's rules: a county at the root, each level under the one above,
    the code inside the parent's county, an outline only on grids and only a valid one."""

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "boundary", "lat", "lng"]
        help_texts = {
            "code": _("Administrative code (GB/T 2260 style): 6 digits for the county, 9 for a township, "
                      "12 for a village; a grid adds its own digits. Cannot be changed later."),
            "boundary": _("Grids only: a GeoJSON Polygon or MultiPolygon in WGS84 (longitude, latitude). "
                          "Leave empty for other levels."),
            "lat": _("Filled in from the outline when left empty."),
        }

    def _value(self, name):
        """The submitted value, or the stored one for a field shown read-only."""
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        return getattr(self.instance, name, None)

    def clean(self):
        cleaned = super().clean()
        code, level, parent = self._value("code"), self._value("level"), self._value("parent")
        # Code, level and parent are fixed once the region exists (the paths of its subtree and
        # of its cases are built from them), so the tree rules apply when it is added.
        adding = self.instance.pk is None
        if adding and code and (reason := code_problem(code, parent)):
            self.add_error("code", reason)
        if adding and level:
            if parent is None and level != Level.COUNTY:
                self.add_error("parent", gettext("Only a county can be at the top; choose a parent."))
            elif parent is not None:
                expected = CHILD_LEVEL.get(Level(parent.level))
                if expected is None:
                    self.add_error("parent", gettext("A grid cannot have regions under it."))
                elif level != expected:
                    self.add_error("level", gettext("Under a %(parent)s there can only be a %(child)s.")
                                   % {"parent": Level(parent.level).label, "child": expected.label})
        if "boundary" in cleaned and cleaned["boundary"] is not None:
            boundary = cleaned["boundary"]
            if level and level != Level.GRID:
                self.add_error("boundary", gettext("Only grids have an outline."))
            elif reason := validate_boundary(boundary):
                self.add_error("boundary", reason)
            elif (cleaned.get("lat") is None and cleaned.get("lng") is None) or (
                "boundary" in self.changed_data and not {"lat", "lng"} & set(self.changed_data)
            ):
                # A new outline moves the grid's centre unless a centre is given with it.
                point = shape(boundary).representative_point()
                cleaned["lat"], cleaned["lng"] = point.y, point.x
        if (lat := cleaned.get("lat")) is not None and not -90 <= lat <= 90:
            self.add_error("lat", gettext("Latitude must lie between -90 and 90."))
        if (lng := cleaned.get("lng")) is not None and not -180 <= lng <= 180:
            self.add_error("lng", gettext("Longitude must lie between -180 and 180."))
        if (cleaned.get("lat") is None) != (cleaned.get("lng") is None) and not self.has_error("lat"):
            self.add_error("lat", gettext("Give both latitude and longitude, or neither."))
        return cleaned


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        # Villages are indented under their township, so the plain list reads as a tree.
        indent = "\u3000\u3000" if region.level == Level.VILLAGE else ""
        return f"{indent}{region.name} ({region.code})"


class GridFileForm(forms.Form):
    """A GeoJSON file of grids to import under a township or village."""

    parent = ParentChoiceField(
        label=_("Township or village"),
        queryset=Region.objects.filter(level__in=[Level.TOWNSHIP, Level.VILLAGE]).order_by("path"),
        help_text=_("Every grid in the file must lie under it. Under a village, features without a "
                    "parent_code property go to that village."),
    )
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_("A FeatureCollection (.geojson or .json, UTF-8): one feature per grid with the properties "
                    "code, name and parent_code (a village code) and a Polygon or MultiPolygon in WGS84."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(GRID_FILE_SUFFIXES)}),
    )
    dry_run = forms.BooleanField(
        label=_("Check only"),
        required=False,
        initial=True,
        help_text=_("Check the file and show what would change, without changing anything."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in GRID_FILE_SUFFIXES:
            raise forms.ValidationError(gettext("Choose a .geojson or .json file."))
        if upload.size > GRID_FILE_MAX_BYTES:
            raise forms.ValidationError(gettext("The file is larger than %(mb)s MB.")
                                        % {"mb": GRID_FILE_MAX_BYTES // (1024 * 1024)})
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(gettext("The file is not UTF-8 text.")) from None
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(gettext("The file is not valid JSON (line %(line)s: %(msg)s).")
                                        % {"line": exc.lineno, "msg": exc.msg}) from None
        self.text = text
        return upload
