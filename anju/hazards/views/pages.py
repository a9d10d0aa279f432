"""The hazards pages (to be written)."""

from django.http import HttpResponse

from anju.web.access import staff_required


@staff_required
def workbench(request):
    return HttpResponse("")


@staff_required
def detail(request, case_id):
    return HttpResponse("")
