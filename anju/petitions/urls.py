"""The petition pages (namespace "petitions"): for staff under /work/petitions/ and
/work/reception/, for petitioners /petition, /reception and the petition parts of /track."""

from django.urls import path

from anju.petitions.views import notices, petitions, reception, resident, stats

app_name = "petitions"

urlpatterns = [
    # Staff
    path("work/petitions/", petitions.workbench, name="workbench"),
    path("work/petitions/new/", petitions.register, name="register"),
    path("work/petitions/stats/", stats.petition_stats, name="stats"),
    path("work/petitions/<int:case_id>/", petitions.detail, name="detail"),
    path("work/petitions/<int:case_id>/act/<slug:action>/", petitions.act, name="act"),
    path("work/petitions/<int:case_id>/act/<slug:action>/<int:target_id>/", petitions.act, name="act_on"),
    path("work/petitions/<int:case_id>/petitioners/<int:petitioner_id>/reveal/", petitions.reveal_petitioner,
         name="reveal"),
    path("work/petitions/<int:case_id>/notices/<int:notice_id>/print/", notices.notice_print, name="notice_print"),
    path("work/petitions/<int:case_id>/notices/<int:notice_id>/notice.docx", notices.notice_docx,
         name="notice_docx"),
    path("work/reception/", reception.day_list, name="reception_days"),
    path("work/reception/new/", reception.plan_day, name="reception_plan"),
    path("work/reception/<int:day_id>/", reception.day_detail, name="reception_day"),
    path("work/reception/<int:day_id>/cancel/", reception.cancel_day, name="reception_cancel"),
    path("work/reception/bookings/<int:booking_id>/record/", reception.record, name="reception_record"),
    # Petitioners
    path("petition", resident.petition, name="petition"),
    path("petition/done", resident.petition_done, name="petition_done"),
    path("reception", resident.reception_calendar, name="reception"),
    path("track/book", resident.book, name="track_book"),
    path("track/cancel-booking", resident.cancel_booking, name="track_cancel_booking"),
    path("track/review", resident.review, name="track_review"),
]
