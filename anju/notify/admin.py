"""Notifications in the admin: every message Anju sent or tried to send, searchable by case,
filterable by status, channel and event, with "retry now" for failed ones. Addresses are
shown masked; rows are written only by the notification services."""

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from anju.geo.admin import labelled, titled
from anju.notify.models import Notification
from anju.notify.services import mask_contacts, retry_failed


@admin.display(description=_("recipient"))
def recipient(row):
    if row.user_id:
        return str(row.user)
    return gettext("Reporter")


@admin.display(description=_("contact address"))
def masked_address(row):
    return row.masked_address or "-"


@admin.display(description=_("last error"))
def last_error(row):
    # Masked when recorded; masked again here in case one slipped through.
    return mask_contacts(row.last_error, row.address, row.masked_address)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [labelled("created_at", _("created at")), labelled("case", _("case")), "event", "channel",
                    recipient, masked_address, "status", "attempts", labelled("next_attempt_at", _("next attempt at")),
                    last_error]
    list_filter = [("status", titled(admin.ChoicesFieldListFilter, _("status"))),
                   ("channel", titled(admin.ChoicesFieldListFilter, _("channel"))),
                   ("event", titled(admin.AllValuesFieldListFilter, _("event")))]
    search_fields = ["=case__tracking_code"]
    search_help_text = _("Search by tracking code.")
    list_select_related = ["case", "user"]
    ordering = ["-created_at", "-pk"]
    show_full_result_count = False
    actions = ["retry_now"]
    fields = readonly_fields = [labelled("case", _("case")), "event", "channel", recipient, masked_address, "subject",
                                "body", "status", "attempts", last_error, labelled("created_at", _("created at")),
                                labelled("next_attempt_at", _("next attempt at")), labelled("sent_at", _("sent at")),
                                labelled("read_at", _("read at"))]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field is read-only: the change permission only guards "retry now".
        extra_context = {"show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Retry the selected failed notifications now"), permissions=["change"])
    def retry_now(self, request, queryset):
        count = retry_failed(queryset)
        if count:
            self.message_user(request, ngettext("%(n)s notification was queued again.",
                                                "%(n)s notifications were queued again.", count) % {"n": count},
                              messages.SUCCESS)
        else:
            self.message_user(request, gettext("None of the selected notifications had failed."), messages.WARNING)
