"""Administration of the duty module's settings: how fast each grade's incident reports are owed,
and where each office's reports go up a level. Incidents themselves are kept on their pages."""

from django.contrib import admin

from anju.duty.models import ReportingLine, ReportingRule


@admin.register(ReportingRule)
class ReportingRuleAdmin(admin.ModelAdmin):
    list_display = ["grade", "phone_minutes", "written_minutes", "follow_up_hours"]


@admin.register(ReportingLine)
class ReportingLineAdmin(admin.ModelAdmin):
    list_display = ["office", "up_office", "up_name"]
    search_fields = ["office__name", "office__code"]
    autocomplete_fields = ["office", "up_office"]
