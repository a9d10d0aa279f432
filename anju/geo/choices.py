from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Levels of the region tree, top down."""

    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township / street")
    VILLAGE = "village", _("Village / community")
    GRID = "grid", _("Grid")


# Which level may sit under which; the county is the root.
CHILD_LEVEL = {
    Level.COUNTY: Level.TOWNSHIP,
    Level.TOWNSHIP: Level.VILLAGE,
    Level.VILLAGE: Level.GRID,
}
