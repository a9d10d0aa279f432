"""The CAP pages: the public Atom feed of the messages Anju issued and each message as it was
sent (no sign-in: warnings are for everyone), and the staff page that imports an upstream alert.
Thin: the feed's content is ``cap_queries``, the import ``importing``."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anju.lib.errors import ServiceError
from anju.warnings import cap, cap_access, cap_queries, importing
from anju.warnings.cap_forms import CapImportForm
from anju.web.access import staff_required

# Readers poll the feed; a minute's caching spares the database without delaying a warning much.
PUBLIC_CACHE = "public, max-age=60"


@require_GET
def feed(request):
    now = timezone.now()
    messages = cap_queries.feed_messages(now)
    entries = []
    for row in messages:
        entry = cap_queries.entry_for(row, request.build_absolute_uri(reverse("warnings:cap_message",
                                                                              args=[row.identifier])))
        if entry is not None:
            entries.append(entry)
    county = cap_queries.county()
    name = county.name if county else "Anju"
    self_url = request.build_absolute_uri(reverse("warnings:cap_feed"))
    body = cap.atom_feed(entries, feed_id=self_url, title=f"{name} 地质灾害预警 · Geo-hazard warnings (CAP 1.2)",
                         self_url=self_url, updated=max((m.sent_at for m in messages), default=now), author=name)
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@require_GET
def message(request, identifier):
    row = cap_queries.public_messages().filter(identifier=identifier).first()
    if row is None:
        raise Http404
    response = HttpResponse(bytes(row.xml), content_type=cap.CONTENT_TYPE)
    response["Cache-Control"] = PUBLIC_CACHE
    return response


def _link(name: str, pk) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def import_page(request):
    """GET: the form. POST: the document checked and, when it is a valid alert for the county,
    passed on as a draft warning; otherwise each reason it was refused."""
    if not cap_access.can_import(request.user):
        raise Http404
    form = CapImportForm(request.POST or None, request.FILES or None)
    context = {"section": "warnings", "form": form, "reasons": [], "error": "", "result": None}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                result = importing.import_alert(request.user, form.cleaned_data["xml"],
                                                open_incident=form.cleaned_data.get("open_incident", False))
            except importing.ImportRefused as refused:
                context.update(error=refused.message, reasons=refused.reasons)
                status = refused.status
            except ServiceError as error:
                context["error"] = error.message
                status = error.status
            else:
                context.update(result=result, form=CapImportForm(),
                               warning_url=importing.warning_url(result.warning) if result.warning else "",
                               incident_url=_link("duty:incident", result.incident.pk) if result.incident else "")
    return render(request, "warnings/cap_import.html", context, status=status)
