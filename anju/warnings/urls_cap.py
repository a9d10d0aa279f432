from django.urls import path

from anju.warnings.views import cap

urlpatterns = [
    path("cap/feed.xml", cap.feed, name="cap_feed"),
    path("cap/<str:identifier>.xml", cap.message, name="cap_message"),
    path("work/warnings/import/", cap.import_page, name="cap_import"),
]
