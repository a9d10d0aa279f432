"""Administration of webhooks: the endpoints other county systems registered, and the delivery
log. Deliveries are written only by the services, so the log is read-only; failed ones can be
retried from it."""

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anju.webhooks import services
from anju.webhooks.choices import TEST_EVENT, DeliveryStatus, event_choices, event_label
from anju.webhooks.forms import EndpointForm
from anju.webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    """Endpoints with their events. The secret is made when an endpoint is created and shown on
    its page, for the people configuring the receiving system; "rotate secret" replaces it."""

    form = EndpointForm
    list_display = ["name", "url", "event_list", "active", "created_at", "delivery_counts"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    actions = ["send_test_event", "rotate_secret"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["secret_shown", "created_at"] if self.has_change_permission(request, obj) else ["created_at"]

    def get_fieldsets(self, request, obj=None):
        fields = ["name", "url", "events", "active"]
        if obj is None:
            return [(None, {"fields": fields})]
        if not self.has_change_permission(request, obj):
            # The secret lets whoever holds it forge deliveries: only those who may change the
            # endpoint (and rotate the secret) see it, not those who may only look.
            return [(None, {"fields": [*fields, "created_at"]})]
        return [(None, {"fields": fields}),
                (_("Signing"), {"fields": ["secret_shown", "created_at"],
                                "description": _("Give this secret to the receiving system: it checks each "
                                                 "delivery's X-Anju-Signature with it (see docs/webhooks.md).")})]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            pending_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
            failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        )

    @admin.display(description=_("events"))
    def event_list(self, endpoint):
        return ", ".join(event_label(e) for e in endpoint.events)

    @admin.display(description=_("secret"))
    def secret_shown(self, endpoint):
        return format_html("<code>{}</code>", endpoint.secret)

    @admin.display(description=_("deliveries"))
    def delivery_counts(self, endpoint):
        link = reverse("admin:webhooks_delivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        return format_html('<a href="{}">{}</a>', link,
                           gettext("%(pending)s pending, %(failed)s failed")
                           % {"pending": endpoint.pending_count, "failed": endpoint.failed_count})

    def response_add(self, request, obj, post_url_continue=None):
        # Straight to the new endpoint's page, where its secret is shown.
        messages.success(request, gettext("Endpoint %(name)s was added. Give its secret, shown below, to the "
                                          "receiving system.") % {"name": obj.name})
        return HttpResponseRedirect(reverse("admin:webhooks_endpoint_change", args=[obj.pk]))

    @admin.action(description=_("Send a test event"), permissions=["change"])
    def send_test_event(self, request, queryset):
        endpoints = list(queryset)
        for endpoint in endpoints:
            services.send_test_event(endpoint)
        messages.success(request, gettext("Test events queued: %(count)s. See the delivery log for the answers.")
                         % {"count": len(endpoints)})

    @admin.action(description=_("Rotate the secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        """Asks first: the receiving systems stop accepting deliveries until they have the new
        secret."""
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Rotate the secret?"),
                "endpoints": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/webhooks/endpoint/rotate_secret.html", context)
        endpoints = list(queryset)
        for endpoint in endpoints:
            services.rotate_secret(endpoint)
        messages.success(request, gettext("Secrets replaced: %(count)s. Each new secret is shown on its "
                                          "endpoint's page.") % {"count": len(endpoints)})
        return None


class EventFilter(admin.SimpleListFilter):
    title = _("event type")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return [(TEST_EVENT, event_label(TEST_EVENT)), *event_choices()[1:]]

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what went to which endpoint, how many attempts it took, what the receiver
    answered last and when the next attempt is due. Written only by the services."""

    list_display = ["created_at", "endpoint", "event_shown", "tracking_code", "status", "attempts",
                    "http_status", "short_error", "next_attempt_at"]
    list_filter = ["status", EventFilter, "endpoint"]
    search_fields = ["tracking_code", "=uuid", "endpoint__name"]
    list_select_related = ["endpoint"]
    actions = ["retry_now"]
    fields = ["uuid", "endpoint", "event_shown", "event_id", "tracking_code", "status", "attempts",
              "next_attempt_at", "last_status_code", "last_error", "last_response", "created_at", "delivered_at",
              "payload_shown"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("webhooks.change_delivery")

    @admin.display(description=_("event type"), ordering="event")
    def event_shown(self, delivery):
        return event_label(delivery.event)

    @admin.display(description="HTTP", ordering="last_status_code")
    def http_status(self, delivery):
        return delivery.last_status_code or "-"

    @admin.display(description=_("last error"))
    def short_error(self, delivery):
        return format_html('<span title="{}">{}</span>', delivery.last_error,
                           Truncator(delivery.last_error).chars(30))

    @admin.display(description=_("payload"))
    def payload_shown(self, delivery):
        return format_html("<pre>{}</pre>", json.dumps(delivery.payload, ensure_ascii=False, indent=2,
                                                       sort_keys=True))

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        retried = sum(services.retry_delivery(d) for d in queryset.filter(status=DeliveryStatus.FAILED))
        skipped = queryset.count() - retried
        if retried:
            messages.success(request, gettext("Failed deliveries tried again now: %(count)s.") % {"count": retried})
        if skipped:
            messages.warning(request, gettext("Deliveries left as they are because they have not failed: "
                                              "%(count)s.") % {"count": skipped})
