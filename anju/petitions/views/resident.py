"""Placeholder: being built."""

from django.http import Http404


def petition(request, *args, **kwargs):
    raise Http404


def petition_done(request, *args, **kwargs):
    raise Http404


def reception_calendar(request, *args, **kwargs):
    raise Http404


def book(request, *args, **kwargs):
    raise Http404


def cancel_booking(request, *args, **kwargs):
    raise Http404


def review(request, *args, **kwargs):
    raise Http404

