"""Administration of Open311: applications and their API keys, the extra questions
(attributes) of services, and the read-only record of what each application sent."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anju.geo.admin import titled
from anju.open311 import services
from anju.open311.models import Application, Open311Request, ServiceAttribute


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Adding an application issues its API key, shown once in a message and never stored (only
    its hash is). Revoking, after a confirmation, stops the key at once."""

    list_display = ["name", "contact", "key_prefix", "created_at", "revoked_at", "active"]
    list_filter = [("revoked_at", titled(admin.EmptyFieldListFilter, _("revoked")))]
    search_fields = ["name", "contact", "key_prefix"]
    ordering = ["name"]
    fields = ["name", "contact", "key_prefix", "created_at", "revoked_at"]
    readonly_fields = ["key_prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=_("active"), boolean=True)
    def active(self, application):
        return application.is_active

    def save_model(self, request, obj, form, change):
        raw = None if change else services.issue_key(obj)
        super().save_model(request, obj, form, change)
        if raw is not None:
            self.message_user(request, gettext(
                "The API key of %(name)s is %(key)s . Copy it now and give it to the application's operator: "
                "it is not stored and cannot be shown again."
            ) % {"name": obj.name, "key": raw}, messages.WARNING)

    @admin.action(description=_("Revoke the API keys of the selected applications"), permissions=["change"])
    def revoke(self, request, queryset):
        if request.POST.get("confirm") == "yes":
            count = services.revoke_applications(queryset)
            self.message_user(request, gettext("%(count)s API keys revoked.") % {"count": count}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/open311/application/revoke_confirmation.html", {
            **self.admin_site.each_context(request),
            "title": gettext("Revoke API keys?"),
            "opts": self.model._meta,
            "applications": queryset.order_by("name"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    """Extra questions a service asks in Open311. A posted request is checked against them."""

    list_display = ["category", "code", "datatype", "required", "variable", "order", "description"]
    list_filter = ["datatype", "required", ("category", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "description", "category__code", "category__name"]
    list_select_related = ["category"]
    autocomplete_fields = ["category"]
    fields = ["category", "code", "description", "datatype", "required", "variable", "order",
              "datatype_description", "values"]


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    """What applications sent with their cases. Written only by the Open311 endpoint; nobody
    changes it here."""

    list_display = ["case", "application", "created_at", "media_url"]
    list_filter = [("application", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["case__tracking_code", "application__name", "token"]
    list_select_related = ["case", "application"]
    date_hierarchy = "created_at"
    fields = ["case", "application", "created_at", "token", "device_id", "account_id", "attributes", "media_url"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
