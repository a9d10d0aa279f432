"""Administration of the hazards registers: the tree of site kinds (each with the case category of
its hazards), the sites, and the checklists, which are versioned: a change is published as a new
version and an earlier version is never edited (the inspections that used it keep it)."""

from django.contrib import admin
from django.db import transaction

from anju.hazards.models import ChecklistItem, ChecklistTemplate, Site, SiteKind


@admin.register(SiteKind)
class SiteKindAdmin(admin.ModelAdmin):
    list_display = ["path", "name", "category", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    ordering = ["path"]
    readonly_fields = ["path", "depth"]

    def get_readonly_fields(self, request, obj=None):
        # A code is in every path below it: fixed once the kind exists.
        return [*self.readonly_fields, "code", "parent"] if obj is not None else self.readonly_fields


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "unit", "department", "is_active"]
    list_filter = ["is_active", "kind", "department"]
    search_fields = ["name", "address", "unit"]
    raw_id_fields = ["region"]
    readonly_fields = ["area_path", "created_by", "created_at"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 5
    fields = ["number", "text", "basis", "evidence"]

    def has_change_permission(self, request, obj=None):
        # Items of a published version are never changed: publish a new version instead.
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return obj is None


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    """A new checklist is added with its items and becomes the version in use of its kind; a
    version once published is read-only."""

    list_display = ["title", "kind", "version", "is_current", "published_at"]
    list_filter = ["is_current", "kind"]
    fields = ["kind", "title"]
    inlines = [ChecklistItemInline]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change:
            return
        last = ChecklistTemplate.objects.select_for_update().filter(kind=obj.kind).order_by("-version").first()
        ChecklistTemplate.objects.filter(kind=obj.kind, is_current=True).update(is_current=False)
        obj.version = (last.version + 1) if last else 1
        obj.is_current, obj.published_by = True, request.user
        super().save_model(request, obj, form, change)

