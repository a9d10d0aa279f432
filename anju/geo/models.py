from django.db import models
from django.utils.translation import gettext_lazy as _

from anju.geo.choices import Level


class Region(models.Model):
    """A node of the region tree: county → township/street → village/community → grid.

    ``code`` is the administrative code (GB/T 2260 style: 6 digits for the county, 9 for a
    township, 12 for a village; grids add their own digits). ``path`` is the materialised
    path of codes from the root (``500229/500229100/``), so a subtree is one indexed prefix
    query. Grids carry a GeoJSON polygon in WGS84.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    # Grids only: GeoJSON geometry (Polygon or MultiPolygon), WGS84.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "path"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        self.depth = self.parent.depth + 1 if self.parent else 0
        super().save(*args, **kwargs)

    def subtree(self):
        """This region and everything under it."""
        return Region.objects.filter(path__startswith=self.path)

    def ancestors(self):
        """Regions on the way from the root to this one, root first, this one last."""
        codes = [c for c in self.path.split("/") if c]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def township(self):
        """The township this region lies in (itself if it is one), or None above that level."""
        for region in self.ancestors():
            if region.level == Level.TOWNSHIP:
                return region
        return None
