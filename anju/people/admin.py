from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from anju.people.models import ApiToken, Office, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [*BaseUserAdmin.fieldsets, ("Anju", {"fields": ["display_name", "office"]})]
    list_display = ["username", "display_name", "office", "is_active"]
    inlines = [RoleInline]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "jurisdiction", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["jurisdiction"]
    filter_horizontal = ["categories"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
