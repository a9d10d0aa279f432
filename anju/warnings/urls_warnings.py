"""The warnings' pages: the board (warnings in force, drafts awaiting approval), a new warning,
a warning's page with its actions, messages, log, acknowledgement board and evacuation board
(refreshed live), the phone page of the evacuation, and the acknowledgement link's page, which
needs no sign-in."""

from django.urls import path

from anju.warnings.views import warnings as views

urlpatterns = [
    path("work/warnings/", views.board, name="board"),
    path("work/warnings/new/", views.warning_new, name="warning_new"),
    path("work/warnings/<int:warning_id>/", views.warning_page, name="warning"),
    path("work/warnings/<int:warning_id>/live/", views.live, name="live"),
    path("work/warnings/<int:warning_id>/act/<slug:action>/", views.act, name="act"),
    path("work/warnings/<int:warning_id>/acknowledgements/<int:ack_id>/call/", views.record_call, name="record_call"),
    path("work/warnings/<int:warning_id>/acknowledgements/<int:ack_id>/acknowledge/", views.acknowledge,
         name="acknowledge"),
    path("work/warnings/<int:warning_id>/evacuation/", views.evacuation_page, name="evacuation"),
    path("work/warnings/<int:warning_id>/evacuation/<int:evacuation_id>/", views.evacuation_entry,
         name="evacuation_entry"),
    path("ack/<str:token>/", views.ack_link, name="ack"),
]
