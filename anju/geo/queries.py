"""Read-only lookups in the region tree, shared by the modules that count per township."""

from django.db.models import Q

from anju.geo.choices import Level
from anju.geo.models import Region


def townships_under(region: Region | None) -> dict[str, Region]:
    """Township paths → townships, in code order, within ``region`` (or the one above it, when it
    is a village or grid); every township when ``region`` is None."""
    townships = Region.objects.filter(level=Level.TOWNSHIP)
    if region is not None:
        above = [region.path[:i + 1] for i, c in enumerate(region.path) if c == "/"]
        townships = townships.filter(Q(path__startswith=region.path) | Q(path__in=above))
    return {t.path: t for t in townships.order_by("code")}
