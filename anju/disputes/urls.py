"""The dispute and screening pages for staff (namespace "disputes"), under /work/."""

from django.urls import path

from anju.disputes.views import disputes, screening, stats

app_name = "disputes"

urlpatterns = [
    path("work/disputes/", disputes.workbench, name="workbench"),
    path("work/disputes/new/", disputes.register, name="register"),
    path("work/disputes/stats/", stats.dispute_stats, name="stats"),
    path("work/disputes/<int:case_id>/", disputes.dispute_detail, name="detail"),
    path("work/disputes/<int:case_id>/act/<slug:action>/", disputes.dispute_action, name="act"),
    path("work/disputes/<int:case_id>/act/<slug:action>/<int:target_id>/", disputes.dispute_action, name="act_on"),
    path("work/disputes/<int:case_id>/parties/<int:party_id>/reveal/", disputes.reveal_party, name="reveal_party"),
    path("work/disputes/<int:case_id>/agreements/<int:agreement_id>/print/", disputes.agreement_print,
         name="agreement_print"),
    path("work/disputes/<int:case_id>/agreements/<int:agreement_id>/agreement.docx", disputes.agreement_docx,
         name="agreement_docx"),
    path("work/screening/", screening.round_list, name="rounds"),
    path("work/screening/<int:round_id>/", screening.round_detail, name="round"),
    path("work/screening/<int:round_id>/close/", screening.round_close, name="round_close"),
    path("work/screening/reports/", screening.my_reports, name="my_reports"),
    path("work/screening/reports/<int:report_id>/", screening.report_form, name="report"),
]
