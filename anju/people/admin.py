"""Administration of users with their roles, offices and API tokens."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anju.geo.admin import labelled, titled
from anju.people.forms import OfficeAdminForm, RoleAssignmentForm, RoleAssignmentFormSet
from anju.people.models import ApiToken, Office, RoleAssignment, User

admin.site.site_header = _("Anju administration")
admin.site.site_title = _("Anju administration")
admin.site.index_title = _("Registers and accounts")
admin.site.site_url = "/work/"


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    formset = RoleAssignmentFormSet
    extra = 0
    autocomplete_fields = ["region", "office"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Staff accounts. Roles say what a user may do and where; the office is where the user
    works."""

    fieldsets = [
        (None, {"fields": ["username", "password", "display_name", "office"],
                "description": _("A user belongs to the office at which they work, to every office a role of theirs "
                                 "is scoped to, and to the offices of every township or village a role of theirs "
                                 "is scoped to or lies within. What is kept from an office (who complained about "
                                 "it, reports of wrongdoing about it) is kept from its members, whatever the "
                                 "role.")}),
        *BaseUserAdmin.fieldsets[1:],
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": [*BaseUserAdmin.add_fieldsets[0][1]["fields"], "display_name",
                                                 "office"]}),
    ]
    list_display = ["username", "display_name", "office", "role_list", "is_staff", "is_active"]
    list_filter = [
        "is_active",
        "is_staff",
        "is_superuser",
        "roles__role",
        ("office", titled(admin.RelatedOnlyFieldListFilter, _("office"))),
    ]
    search_fields = ["username", "display_name", "first_name", "last_name", "email", "office__name"]
    list_select_related = ["office"]
    autocomplete_fields = ["office"]
    ordering = ["username"]
    inlines = [RoleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles__region", "roles__office")

    @admin.display(description=_("roles"))
    def role_list(self, user):
        return "; ".join(str(role) for role in user.roles.all())


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    form = OfficeAdminForm
    list_display = ["code", "name", "kind", "jurisdiction", "member_count", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "jurisdiction__name"]
    list_select_related = ["jurisdiction"]
    autocomplete_fields = ["jurisdiction"]
    filter_horizontal = ["categories"]
    readonly_fields = ["member_list"]
    ordering = ["code"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "jurisdiction", "is_active"]}),
        (_("categories"), {"fields": ["categories"]}),
        (_("members"), {"fields": ["member_list"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, office):
        return office.member_total

    @admin.display(description=_("members"))
    def member_list(self, office):
        members = office.members.order_by("username") if office.pk else []
        if not members:
            return gettext("No one works here yet. Set a user's office on the user's page.")
        return format_html("<ul>{}</ul>", format_html_join(
            "", '<li><a href="{}">{}</a> ({})</li>',
            ((reverse("admin:people_user_change", args=[m.pk]), m, m.username) for m in members),
        ))


token_user = labelled("user", _("user"))
token_prefix = labelled("prefix", _("prefix"))
token_created = labelled("created_at", _("created at"))
token_used = labelled("last_used_at", _("last used"))
token_revoked = labelled("revoked_at", _("revoked at"))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by their owners (the raw token is shown once and not stored), so the
    administrator can only look at them, rename them and revoke them."""

    list_display = [token_prefix, token_user, "name", token_created, "expires_at", token_used, token_revoked]
    list_filter = [("revoked_at", titled(admin.EmptyFieldListFilter, _("revoked")))]
    search_fields = ["prefix", "name", "user__username", "user__display_name"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fields = [token_user, "name", token_prefix, token_created, "expires_at", token_used, token_revoked]
    readonly_fields = [token_user, token_prefix, token_created, "expires_at", token_used, token_revoked]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, gettext("%(count)s tokens revoked.") % {"count": count})
