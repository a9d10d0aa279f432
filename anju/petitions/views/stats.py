"""Placeholder: being built."""

from django.http import Http404


def petition_stats(request, *args, **kwargs):
    raise Http404

