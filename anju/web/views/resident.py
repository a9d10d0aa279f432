"""Placeholder; filled in by its feature."""
from django.http import HttpResponse


def report(request): return HttpResponse("")
def report_done(request): return HttpResponse("")
def track(request): return HttpResponse("")
def rate(request): return HttpResponse("")
def not_solved(request): return HttpResponse("")
