from django.urls import path

from anju.duty.views import incidents, pages, plans

app_name = "duty"

urlpatterns = [
    path("work/duty/", pages.board, name="board"),
    path("work/duty/template.xlsx", pages.import_template, name="import_template"),
    path("work/duty/shifts/<int:shift_id>/", pages.shift, name="shift"),
    path("work/duty/shifts/<int:shift_id>/log/", pages.write_entry, name="write_entry"),
    path("work/duty/shifts/<int:shift_id>/swap/", pages.swap, name="swap"),
    path("work/duty/swaps/<int:swap_id>/decide/", pages.decide, name="decide"),
    path("work/duty/entries/<int:entry_id>/close/", pages.close_entry, name="close_entry"),
    path("work/duty/incidents/", incidents.incidents, name="incidents"),
    path("work/duty/incidents/new/", incidents.incident_new, name="incident_new"),
    path("work/duty/incidents/<int:case_id>/", incidents.incident, name="incident"),
    path("work/duty/incidents/<int:case_id>/act/<slug:action>/", incidents.act, name="incident_act"),
    path("work/duty/plans/", plans.library, name="plans"),
    path("work/duty/plans/new/", plans.plan_new, name="plan_new"),
    path("work/duty/plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("work/duty/plans/<int:plan_id>/edit/", plans.plan_edit, name="plan_edit"),
    path("work/duty/plans/<int:plan_id>/act/<slug:action>/", plans.plan_act, name="plan_act"),
    path("work/duty/plans/<int:plan_id>/versions/<int:number>/file/", plans.version_file, name="plan_file"),
    path("work/duty/drills/<int:drill_id>/", plans.drill_detail, name="drill_detail"),
    path("work/duty/drills/<int:drill_id>/act/<slug:action>/", plans.drill_act, name="drill_act"),
    path("work/duty/drills/<int:drill_id>/improvements/<int:improvement_id>/done/", plans.improvement_done,
         name="improvement_done"),
    # An office's roster, by the office's code: after the fixed words above.
    path("work/duty/<str:office_code>/plan/", pages.plan, name="plan"),
    path("work/duty/<str:office_code>/<int:year>/<int:month>/", pages.roster, name="roster"),
    path("work/duty/<str:office_code>/<int:year>/<int:month>/import/", pages.import_month, name="import"),
]
