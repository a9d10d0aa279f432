"""Administration of the region tree, with the upload of grid outlines (GeoJSON)."""

import secrets

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anju.geo.choices import Level
from anju.geo.forms import GridFileForm, RegionAdminForm
from anju.geo.models import Region
from anju.geo.services import ImportFailed, import_grid_file

# A checked grid file waits this long for the administrator to confirm the import.
STAGED_SECONDS = 3600


def labelled(field: str, label, *, boolean: bool = False):
    """A changelist column or read-only field showing the model field ``field`` under a
    translated label, for model fields declared without a verbose name of their own."""

    @admin.display(description=label, ordering=field, boolean=boolean)
    def column(obj):
        display = getattr(obj, f"get_{field}_display", None)
        value = display() if display else getattr(obj, field)
        # Read-only fields show a callable's value as it is: times in local time here.
        return value if boolean else display_for_value(value, "-")

    column.__name__ = field
    return column


def titled(filter_class, title):
    """A list filter class showing ``title`` instead of the field's untranslated name."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class TownshipFilter(admin.SimpleListFilter):
    """Regions of one township (the township itself and everything under it)."""

    title = _("township")
    parameter_name = "township"

    def lookups(self, request, model_admin):
        return [(r.code, r.name) for r in Region.objects.filter(level=Level.TOWNSHIP).order_by("code")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        township = Region.objects.filter(code=self.value(), level=Level.TOWNSHIP).first()
        return queryset.filter(path__startswith=township.path) if township else queryset.none()


class OutlineFilter(admin.SimpleListFilter):
    title = _("outline")
    parameter_name = "outline"

    def lookups(self, request, model_admin):
        return [("yes", _("With an outline")), ("no", _("Without an outline"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(boundary__isnull=False)
        if self.value() == "no":
            return queryset.filter(boundary__isnull=True)
        return queryset


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """The region tree. Code, level and parent are fixed once a region exists: the paths of
    its subtree and of its cases are built from them."""

    form = RegionAdminForm
    list_display = ["code", "tree_name", "level", "parent", "has_outline"]
    list_display_links = ["code", "tree_name"]
    list_filter = ["level", TownshipFilter, OutlineFilter]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "parent"]}),
        (_("Location"), {"fields": ["boundary", "lat", "lng"]}),
    ]

    @admin.display(description=_("name"), ordering="path")
    def tree_name(self, region):
        return format_html('<span style="padding-left:{}em">{}</span>', 1.5 * region.depth, region.name)

    @admin.display(description=_("outline"))
    def has_outline(self, region):
        # Only grids have outlines; for the levels above, the question does not arise.
        if region.level != Level.GRID:
            return ""
        return gettext("Yes") if region.boundary is not None else gettext("No")

    def get_readonly_fields(self, request, obj=None):
        return ["code", "level", "parent"] if obj is not None else []

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        # Choosing a region's parent: grids are leaves.
        if (match and match.url_name == "autocomplete" and request.GET.get("model_name") == "region"
                and request.GET.get("field_name") == "parent"):
            queryset = queryset.exclude(level=Level.GRID)
        return queryset, may_have_duplicates

    # ------------------------------------------------------------------ grid upload

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import_grids"
        return [
            path("import-grids/", self.admin_site.admin_view(self.import_grids_view), name=name),
            *super().get_urls(),
        ]

    def _staged_key(self, request, token: str) -> str:
        return f"anju:grid-import:{request.user.pk}:{token}"

    def import_grids_view(self, request):
        """Upload a GeoJSON file of grids: check it (nothing changes), show what would change,
        then import on confirmation. A file that only adds grids is imported at once when
        "check only" is off; one that replaces grids is always confirmed first."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Upload grids (GeoJSON)"),
            "has_view_permission": self.has_view_permission(request),
        }
        if request.method == "POST" and "token" in request.POST:
            return self._import_staged(request, context)
        form = GridFileForm(request.POST or None, request.FILES or None)
        context["form"] = form
        if request.method != "POST":
            return self._render(request, context)
        if not form.is_valid():
            return self._render(request, context, status=400)
        parent = form.cleaned_data["parent"]
        try:
            result = import_grid_file(form.text, within=parent, dry_run=True)
        except ImportFailed as failed:
            context["problems"] = failed.problems
            return self._render(request, context, status=400)
        # Replacing grids always needs a second look; adding them does only when asked.
        if result.created and not result.updated and not form.cleaned_data["dry_run"]:
            return self._import(request, context, form.text, parent)
        context.update(result=result, parent=parent, file_name=form.cleaned_data["file"].name,
                       form=GridFileForm(initial={"parent": parent}))
        if result.created or result.updated:
            token = secrets.token_urlsafe(16)
            cache.set(self._staged_key(request, token), {"text": form.text, "parent": parent.pk}, STAGED_SECONDS)
            context["token"] = token
        return self._render(request, context)

    def _import_staged(self, request, context):
        token = request.POST.get("token", "")
        key = self._staged_key(request, token)
        staged = cache.get(key) if token else None
        parent = Region.objects.filter(pk=staged["parent"]).first() if staged else None
        if parent is None:
            messages.error(request, gettext("The checked file is no longer here (it is kept for an hour). "
                                            "Upload it again."))
            return redirect("admin:geo_region_import_grids")
        cache.delete(key)
        return self._import(request, context, staged["text"], parent)

    def _import(self, request, context, text, parent):
        try:
            result = import_grid_file(text, within=parent)
        except ImportFailed as failed:
            # The tree changed since the check; nothing was written.
            context.update(problems=failed.problems, form=GridFileForm(initial={"parent": parent}))
            return self._render(request, context, status=400)
        messages.success(request, gettext("Grids imported under %(parent)s: %(created)s new, %(updated)s replaced.")
                         % {"parent": parent, "created": len(result.created), "updated": len(result.updated)})
        query = urlencode({"level__exact": Level.GRID, "q": parent.code})
        return redirect(f"{reverse('admin:geo_region_changelist')}?{query}")

    def _render(self, request, context, status=200):
        return TemplateResponse(request, "admin/geo/region/import_grids.html", context, status=status)
