"""Placeholder; filled in by its feature."""
from django.http import HttpResponse


def front_door(request): return HttpResponse("")
def home(request): return HttpResponse("")
def case_list(request): return HttpResponse("")
