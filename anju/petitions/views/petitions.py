"""Placeholder: being built."""

from django.http import Http404


def workbench(request, *args, **kwargs):
    raise Http404


def register(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def act(request, *args, **kwargs):
    raise Http404


def reveal_petitioner(request, *args, **kwargs):
    raise Http404

