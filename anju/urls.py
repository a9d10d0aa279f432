from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from anju.api import api


def health(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("health", health),
]
