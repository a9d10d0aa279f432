"""The hazards documents and the sites import: stubs until they are written."""

from django.http import Http404

from anju.web.access import staff_required


@staff_required
def order_print(request, *args, **kwargs):
    raise Http404


@staff_required
def order_docx(request, *args, **kwargs):
    raise Http404


@staff_required
def reinspection_print(request, *args, **kwargs):
    raise Http404


@staff_required
def reinspection_docx(request, *args, **kwargs):
    raise Http404


@staff_required
def ledger(request, *args, **kwargs):
    raise Http404


@staff_required
def sites_import(request, *args, **kwargs):
    raise Http404


@staff_required
def sites_template(request, *args, **kwargs):
    raise Http404
