"""Placeholder: being built."""

from django.http import Http404


def day_list(request, *args, **kwargs):
    raise Http404


def plan_day(request, *args, **kwargs):
    raise Http404


def day_detail(request, *args, **kwargs):
    raise Http404


def cancel_day(request, *args, **kwargs):
    raise Http404


def record(request, *args, **kwargs):
    raise Http404

