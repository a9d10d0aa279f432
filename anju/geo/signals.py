from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from anju.geo import gridindex
from anju.geo.models import Region


@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
def refresh_grid_index(sender, instance, **kwargs):
    if instance.level == "grid":
        gridindex.invalidate()
