"""Placeholder; filled in by its feature."""
from django.http import HttpResponse


def intake(request): return HttpResponse("")
def duplicates(request): return HttpResponse("")
def locate(request): return HttpResponse("")
