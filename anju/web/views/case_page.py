"""Placeholder; filled in by its feature."""
from django.http import HttpResponse


def case_detail(request, case_id): return HttpResponse("")
def case_action(request, case_id, action): return HttpResponse("")
def reveal_reporter(request, case_id): return HttpResponse("")
def attachment(request, case_id, attachment_id): return HttpResponse("")
