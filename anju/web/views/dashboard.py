"""Placeholder; filled in by its feature."""
from django.http import HttpResponse


def dashboard(request): return HttpResponse("")
