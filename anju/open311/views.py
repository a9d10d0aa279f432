"""The Open311 GeoReport v2 endpoints under /open311/v2/. Each view parses the URL, calls one
function of ``anju.open311.services`` and writes its answer, or its ``Open311Error``, in the
format the path ends with (.xml or .json). Every path under /open311/v2/ answers in the spec's
shape, unknown ones included.

Every view is exempt from the CSRF check: other systems call them with an api_key, not from a page
of ours with a session, and a wrong method must get the spec's error answer, not a CSRF page.

A wrong HTTP method is a 400 with an Allow header: the spec knows only 403 (api_key), 404
(unknown service, request or token) and 400 for everything else, and clients written for it
read only those."""

from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from anju.open311 import services
from anju.open311.formats import FORMATS, JSON, XML, render, render_errors
from anju.open311.services import Open311Error

GET = ("GET", "HEAD")


def _answer(request, fmt: str, root: str, produce, methods=GET):
    if fmt not in FORMATS:
        return render_errors(XML, 404, [_("Unknown format %(format)s: use xml or json.") % {"format": fmt}])
    if request.method not in methods:
        response = render_errors(fmt, 400, [_("Method %(method)s is not allowed here; use %(allowed)s.") % {
            "method": request.method, "allowed": ", ".join(methods)}])
        response["Allow"] = ", ".join(methods)
        return response
    try:
        services.check_storable(request.GET, request.path)
        return render(fmt, root, produce())
    except Open311Error as error:
        return render_errors(fmt, error.status, error.descriptions)


@csrf_exempt
def discovery(request, fmt):
    def produce():
        services.check_jurisdiction(request.GET)
        endpoint = reverse("open311:discovery", args=[fmt]).rsplit("/", 1)[0]
        return services.discovery(request.build_absolute_uri(endpoint))

    return _answer(request, fmt, "discovery", produce)


@csrf_exempt
def service_list(request, fmt):
    def produce():
        services.check_jurisdiction(request.GET)
        return services.service_list()

    return _answer(request, fmt, "services", produce)


@csrf_exempt
def service_definition(request, code, fmt):
    def produce():
        services.check_jurisdiction(request.GET)
        return services.service_definition(code)

    return _answer(request, fmt, "service_definition", produce)


@csrf_exempt
def requests(request, fmt):
    if request.method == "POST":
        return _answer(request, fmt, "service_requests", lambda: _post(request), methods=("POST",))

    def produce():
        services.check_jurisdiction(request.GET)
        return services.find_requests(services.parse_filters(request.GET, now=timezone.now()))

    return _answer(request, fmt, "service_requests", produce, methods=("GET", "HEAD", "POST"))


def _post(request):
    try:
        params = request.POST
    except SuspiciousOperation:  # too many fields or too large a body
        raise Open311Error(400, _("The request body is too large.")) from None
    return services.submit_request(params)


@csrf_exempt
def request_detail(request, request_id, fmt):
    def produce():
        services.check_jurisdiction(request.GET)
        return services.request_by_id(request_id)

    return _answer(request, fmt, "service_requests", produce)


@csrf_exempt
def token(request, token, fmt):
    def produce():
        services.check_jurisdiction(request.GET)
        return services.request_for_token(token)

    return _answer(request, fmt, "service_requests", produce)


@csrf_exempt
def not_found(request, rest=""):
    fmt = JSON if request.path.endswith(".json") else XML
    return render_errors(fmt, 404, [_("Nothing is at %(path)s here.") % {"path": request.path}])
