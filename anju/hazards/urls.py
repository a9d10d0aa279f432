from django.urls import path

from anju.hazards.views import pages

app_name = "hazards"

urlpatterns = [
    path("work/hazards/", pages.workbench, name="workbench"),
    path("work/hazards/<int:case_id>/", pages.detail, name="detail"),
]
