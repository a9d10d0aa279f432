"""Pages for staff (under /work/) and residents (/report, /track)."""

from django.urls import path

from anju.web.views import case_page, dashboard, exports, intake, maps, notifications, resident, workbench

app_name = "web"

urlpatterns = [
    path("", workbench.front_door, name="front_door"),
    # Staff workbench
    path("work/", workbench.home, name="home"),
    path("work/cases/", workbench.case_list, name="case_list"),
    path("work/cases/export/", exports.start_export, name="export_start"),
    path("work/exports/<int:export_id>/", exports.export_status, name="export_status"),
    path("work/exports/<int:export_id>/download/", exports.export_download, name="export_download"),
    path("work/cases/<int:case_id>/", case_page.case_detail, name="case_detail"),
    path("work/cases/<int:case_id>/act/<slug:action>/", case_page.case_action, name="case_action"),
    path("work/cases/<int:case_id>/reporter/", case_page.reveal_reporter, name="reveal_reporter"),
    path("work/cases/<int:case_id>/attachments/<int:attachment_id>/", case_page.attachment, name="attachment"),
    path("work/cases/<int:case_id>/attachments/<int:attachment_id>/clear/", case_page.clear_attachment,
         name="clear_attachment"),
    path("work/new/", intake.intake, name="intake"),
    path("work/new/duplicates/", intake.duplicates, name="intake_duplicates"),
    path("work/map/", maps.map_page, name="map"),
    path("work/map/cases.json", maps.case_points, name="map_cases"),
    path("work/dashboard/", dashboard.dashboard, name="dashboard"),
    path("work/notifications/", notifications.notifications, name="notifications"),
    # Shared by staff and resident maps: grid and township outlines are public administrative data.
    path("geo/grids.json", maps.grid_shapes, name="map_grids"),
    path("geo/locate.json", intake.locate, name="locate"),
    # Residents
    path("report", resident.report, name="report"),
    path("report/done", resident.report_done, name="report_done"),
    path("track", resident.track, name="track"),
    path("track/rate", resident.rate, name="track_rate"),
    path("track/not-solved", resident.not_solved, name="track_not_solved"),
]
