"""The hazards pages: stubs until they are written."""

from django.http import Http404

from anju.web.access import staff_required


@staff_required
def workbench(request, *args, **kwargs):
    raise Http404


@staff_required
def detail(request, *args, **kwargs):
    raise Http404


@staff_required
def act(request, *args, **kwargs):
    raise Http404


@staff_required
def sites(request, *args, **kwargs):
    raise Http404


@staff_required
def site_new(request, *args, **kwargs):
    raise Http404


@staff_required
def sites_geojson(request, *args, **kwargs):
    raise Http404


@staff_required
def site_detail(request, *args, **kwargs):
    raise Http404


@staff_required
def site_edit(request, *args, **kwargs):
    raise Http404


@staff_required
def inspect(request, *args, **kwargs):
    raise Http404


@staff_required
def inspection_detail(request, *args, **kwargs):
    raise Http404


@staff_required
def campaigns(request, *args, **kwargs):
    raise Http404


@staff_required
def campaign_new(request, *args, **kwargs):
    raise Http404


@staff_required
def campaign_detail(request, *args, **kwargs):
    raise Http404


@staff_required
def campaign_close(request, *args, **kwargs):
    raise Http404
