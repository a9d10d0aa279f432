from django.contrib import admin

from anju.cases.models import (
    CalendarOverride,
    Case,
    CaseEvent,
    Category,
    DeadlinePolicy,
    ExtensionRequest,
    PersonalDataAccess,
    RoutingRule,
    SupervisionNotice,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "gbt31000_code", "is_public", "is_active"]
    search_fields = ["code", "name"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "region", "office", "basis"]
    list_filter = ["basis"]
    autocomplete_fields = ["category", "region", "office"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category", "priority", "accept_amount", "accept_unit", "handle_amount",
                    "handle_unit", "reply_amount", "reply_unit"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "note", "public"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the lifecycle services."""

    list_display = ["tracking_code", "kind", "category", "status", "office", "due_at", "submitted_at"]
    list_filter = ["status", "kind", "priority"]
    search_fields = ["tracking_code", "text"]
    exclude = ["reporter"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(ExtensionRequest)
admin.site.register(SupervisionNotice)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "case", "granted", "reason"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
