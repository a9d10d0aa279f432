from django.urls import path

from anju.publicstats import views

app_name = "publicstats"

urlpatterns = [
    path("", views.stats_page, name="stats"),
    path("stats.json", views.stats_json, name="stats_json"),
    path("map/", views.map_page, name="map"),
    path("cases.geojson", views.cases_geojson, name="cases_geojson"),
]
