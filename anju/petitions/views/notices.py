"""Placeholder: being built."""

from django.http import Http404


def notice_print(request, *args, **kwargs):
    raise Http404


def notice_docx(request, *args, **kwargs):
    raise Http404

