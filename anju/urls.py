from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from anju.api import api
from anju.cases import modules
from anju.lib.api import error_body
from anju.web.views.signin import SignInView


def health(request):
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception):
    """API clients get the API's JSON error shape for paths no route matches too."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(_("Not found.")), status=404)
    return page_not_found(request, exception)


handler404 = not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("health", health),
    path("open311/v2/", include("anju.open311.urls")),
    path("public/", include("anju.publicstats.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Every registered domain module's pages (``modules.Module.urls``), beside web's.
    *(path("", include(module_urls)) for module_urls in modules.url_modules()),
    path("", include("anju.web.urls")),
]
