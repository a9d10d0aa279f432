"""Placeholder; filled in by its feature."""
from django.http import HttpResponse


def start_export(request): return HttpResponse("")
def export_status(request, export_id): return HttpResponse("")
def export_download(request, export_id): return HttpResponse("")
