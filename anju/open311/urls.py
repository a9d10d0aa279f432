"""Open311 GeoReport v2, mounted at /open311/v2/ (namespace "open311"). Every resource ends in
its format, .xml or .json."""

from django.urls import path, re_path

from anju.open311 import views

app_name = "open311"
urlpatterns = [
    path("discovery.<str:fmt>", views.discovery, name="discovery"),
    path("services.<str:fmt>", views.service_list, name="services"),
    path("services/<str:code>.<str:fmt>", views.service_definition, name="service"),
    path("requests.<str:fmt>", views.requests, name="requests"),
    path("requests/<str:request_id>.<str:fmt>", views.request_detail, name="request"),
    path("tokens/<str:token>.<str:fmt>", views.token, name="token"),
    # Anything else under /open311/v2/ answers with the spec's error shape, not an HTML page.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
