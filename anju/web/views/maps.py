"""Placeholder; filled in by its feature."""
from django.http import HttpResponse


def map_page(request): return HttpResponse("")
def case_points(request): return HttpResponse("")
def grid_shapes(request): return HttpResponse("")
